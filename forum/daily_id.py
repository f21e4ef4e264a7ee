"""Daily poster IDs: the same person gets the same ID on one board for one day, then a new one.

The ID is an HMAC of the already-hashed address, the board (or room) and the local date, so it
cannot be turned back into an address and does not connect a person across days or boards.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

# Every Moderator ★ post shows this one ID (2channel shows caps as ID:???): an ID made from the
# moderator's address would tie the capcode to that moderator's anonymous posts that day.
CAPCODE_ID = "???"


def local_date(moment: datetime | None = None) -> date:
    """The date in the site's time zone (2channel IDs change at midnight JST)."""
    return timezone.localtime(moment or timezone.now()).date()


def daily_id(address_hash: str, place: str, moment: datetime | None = None) -> str:
    """Eight characters from base64 of HMAC(secret, place | date | address hash)."""
    message = f"{place}|{local_date(moment).isoformat()}|{address_hash}".encode()
    digest = hmac.new(settings.IP_HASH_SECRET.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()[:8]
