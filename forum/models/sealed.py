"""Sealed addresses: the one copy of a client address Yoake may keep, off by default.

With SEALED_ADDRESS_PUBLIC_KEY set, the address behind a post (or chat message) that matched
risk language and was posted anyway is kept encrypted to that key, so that it can be given to
the police on request under Japan's 2005 suicide-announcement guideline. The server holds no
private key and cannot read it; `manage.py unseal` opens it with the operator's offline key,
and `manage.py purge_address_hashes` deletes it after SEALED_ADDRESS_RETENTION_DAYS.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.addresses import AddressHashes
from forum.models.boards import BOARD_SLUG, Post

# /board/key/number (the audit log's label), also as a read.cgi path.
POST_LABEL = re.compile(rf"/?(?:test/read\.cgi/)?({BOARD_SLUG})/(\d+)/(\d+)/?")


class SealedAddressBase(models.Model):
    """What every sealed address keeps; each app's model names its source in `source_field`."""

    ciphertext = models.BinaryField(_("sealed address"))
    created_at = models.DateTimeField(_("sealed"), default=timezone.now, db_index=True)

    source_field = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"sealed address of {self.source}"

    @classmethod
    def keep(cls, source, hashes: AddressHashes):
        """Store the sealed address of a risk-flagged `source`, in the caller's transaction.

        Nothing is kept when sealing is off (no ciphertext travelled with the hashes) or the
        text had no risk language.
        """
        if not (source.is_risk_flagged and hashes.sealed_address):
            return None
        return cls.objects.create(
            **{cls.source_field: source},
            ciphertext=hashes.sealed_address,
            created_at=source.created_at,
        )

    @classmethod
    def find(cls, target: str):
        """The sealed address of the post or message named by `target`, or None. Each concrete
        kind (board post here, chat message in chat.models) knows how its targets are named."""
        raise NotImplementedError

    @property
    def source(self):
        return getattr(self, self.source_field)


class SealedAddress(SealedAddressBase):
    """The sealed address of a board post."""

    source_field = "post"
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="sealed_address")

    class Meta:
        verbose_name = _("sealed address")
        verbose_name_plural = _("sealed addresses")

    @classmethod
    def find(cls, target: str):
        rows = cls.objects.select_related("post__thread__board")
        if target.isdigit():
            return rows.filter(post_id=int(target)).first()
        match = POST_LABEL.fullmatch(target)
        if match is None:
            return None
        board, key, number = match.groups()
        return rows.filter(
            post__thread__board__slug=board, post__thread__key=int(key), post__number=int(number)
        ).first()
