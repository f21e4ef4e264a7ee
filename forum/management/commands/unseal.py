"""`manage.py unseal`: the address behind one risk-flagged post or message, for a police request.

Only for the case Japan's 2005 guideline allows (an imminent suicide announcement, a written
police request). The private key comes from a file the operator keeps offline and brings for
this one call; the reason and the operator's name go into the audit log.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from config.keys import key_bytes
from forum.moderation import ModerationError, find_sealed, unseal_address


@dataclass(frozen=True)
class Operator:
    """An operator without an account here: the audit log keeps the name they gave."""

    name: str
    pk: None = None

    def get_username(self) -> str:
        return self.name


class Command(BaseCommand):
    help = "Print the sealed address of a risk-flagged post or chat message (with the offline key)."

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            help="the post: /board/key/number or its id; a chat message: /chat/room/number",
        )
        parser.add_argument("--key-file", required=True, help="file with the private key")
        parser.add_argument("--reason", required=True, help="why, e.g. the police request's number")
        parser.add_argument("--by", default="", help="your user name (default: system)")

    def handle(self, *args, **options):
        try:
            private_key = key_bytes(Path(options["key_file"]).read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                f"Cannot read a private key from {options['key_file']}: {error}"
            ) from None
        by = options["by"].strip()
        operator = None
        if by:
            operator = get_user_model().objects.filter(username=by).first() or Operator(by)
        try:
            sealed = find_sealed(options["target"])
            address = unseal_address(
                sealed, private_key=private_key, by=operator, reason=options["reason"]
            )
        except ModerationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(address)
