"""The surge check's proof of work (forum.surge): ALTCHA challenges signed by this site, one use
each, bound to the board or room they were made for, solved by the vendored widget in a worker
served from this site (static/vendor/altcha). No third party is ever asked anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import altcha
from django.conf import settings
from django.utils.crypto import salted_hmac

from config.cache import UNAVAILABLE, counters_client
from forum.models import SurgeState

PROOF_LIFETIME = timedelta(minutes=10)
PROOF_ALGORITHM = "SHA-256"
# The derived key must start with these hex digits: 16**3 = 4,096 tries on average. The widget
# hashes through WebCrypto, a few thousand digests a second on a slow phone, so difficulty grows
# by rounds per try (the cost), not by longer prefixes that would multiply it by sixteen.
PROOF_PREFIX = "000"


def place_key(place: SurgeState) -> str:
    return f"{place._meta.model_name}:{place.slug}"


def challenge_for(place: SurgeState, strength: int, now: datetime) -> dict:
    """A fresh, signed ALTCHA challenge for this place (one use, PROOF_LIFETIME to solve)."""
    return altcha.create_challenge(
        PROOF_ALGORITHM,
        _proof_cost(strength),
        key_prefix=PROOF_PREFIX,
        expires_at=now + PROOF_LIFETIME,
        data={"place": place_key(place)},
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    ).to_dict()


def _proof_cost(strength: int) -> int:
    return max(1, settings.YOAKE_SURGE_PROOF_COST * max(1, strength))


def _secret(purpose: str) -> str:
    return salted_hmac("yoake.surge.proof", purpose).hexdigest()


def proof_is_good(proof: str, place: SurgeState) -> bool:
    """A solution signed by us, for this place, unexpired, and never used before."""
    try:
        result = altcha.verify_solution(proof, _secret("challenge"), hmac_key_secret=_secret("key"))
        payload = altcha.Payload.from_base64(proof) if result.verified else None
    except (ValueError, TypeError, KeyError):
        return False
    if payload is None:
        return False
    parameters = payload.challenge.parameters
    if (parameters.data or {}).get("place") != place_key(place):
        return False
    try:
        fresh = counters_client().set(
            f"yoake:surge:used:{parameters.nonce}",
            1,
            nx=True,
            ex=int(PROOF_LIFETIME.total_seconds()) + 60,
        )
    except UNAVAILABLE:
        return True  # still costly to forge; one reuse cannot be told apart without Redis
    return bool(fresh)
