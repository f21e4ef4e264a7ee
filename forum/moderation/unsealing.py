"""Opening a sealed address for the police, with the operator's offline key and a reason.

The server cannot do this alone: it holds only the public key. `manage.py unseal` brings the
private key from a file for one call, and every opening is in the audit log.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from forum.models import AuditLog, Post, SealedAddressBase
from forum.moderation.audit import ModerationError, audit, clean_reason, post_label


def sealed_models() -> list[type[SealedAddressBase]]:
    """Every app's sealed addresses (posts, chat messages), found without importing the apps."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, SealedAddressBase) and not model._meta.proxy
    ]


def find_sealed(target: str) -> SealedAddressBase:
    """The sealed address of the post or message `target` names: /board/key/number, a post id,
    /chat/room/number or room#number."""
    target = target.strip()
    for model in sealed_models():
        found = model.find(target)
        if found is not None:
            return found
    raise ModerationError(
        _(
            "No sealed address is kept for %(target)s: it had no risk language, sealing was "
            "off when it was posted, or it was deleted after %(days)d days."
        )
        % {"target": target, "days": settings.SEALED_ADDRESS_RETENTION_DAYS}
    )


def source_label(source) -> str:
    return post_label(source) if isinstance(source, Post) else str(source)


def unseal_address(sealed: SealedAddressBase, *, private_key: bytes, by, reason: str) -> str:
    """The address behind a sealed post or message, opened with `private_key`.

    The audit row (who, why, which post) is written in the same transaction; a key that does
    not open the address leaves no row and reveals nothing.
    """
    reason = clean_reason(reason, required=True)
    source = sealed.source
    try:
        box = SealedBox(PrivateKey(private_key))
    except (TypeError, ValueError):
        raise ModerationError(_("The key file does not hold a private key.")) from None
    with transaction.atomic():
        audit(
            by,
            AuditLog.Action.UNSEAL_ADDRESS,
            source,
            reason=reason,
            object_repr=source_label(source),
            sealed_at=sealed.created_at.isoformat(),
        )
        try:
            return box.decrypt(bytes(sealed.ciphertext)).decode()
        except CryptoError:
            raise ModerationError(
                _("This key does not open the sealed address: it is not the site's key.")
            ) from None
