"""The one place that sees a client's network address, and turns it into keyed hashes at once.

No raw address leaves this module: models, logs and caches only ever get the HMACs below. Beside
the address itself we hash its network ranges (/24 and /16 for IPv4, /64 and /48 for IPv6) so
moderators can ban a range without anyone knowing an address.

`poster` is who counts as one poster for flood control, chat rates, daily IDs and reports: the
address for IPv4, but the /64 for IPv6, since one home or phone is given a whole /64 and can post
from as many of its addresses as it likes.

The one exception is off by default: with SEALED_ADDRESS_PUBLIC_KEY set, the address is also
sealed here (a libsodium sealed box) to that key, whose private half the server never holds, so
that it can be given to the police for a post with risk language (see forum.sealed).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass, field

from django.conf import settings
from nacl.public import PublicKey, SealedBox


@dataclass(frozen=True)
class AddressHashes:
    address: str  # HMAC of the full address
    narrow: str  # HMAC of the /24 (IPv4) or /64 (IPv6) network
    wide: str  # HMAC of the /16 (IPv4) or /48 (IPv6) network
    poster: str  # who counts as one poster: `address` for IPv4, `narrow` (the /64) for IPv6
    # The address sealed to the operator's offline key, only when one is set; random each time.
    sealed_address: bytes = field(default=b"", compare=False, repr=False)


def _hmac(purpose: str, value: str) -> str:
    key = settings.IP_HASH_SECRET.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def client_address(request) -> str:
    """The client's address as the server should believe it (TRUSTED_PROXY_COUNT hops of XFF)."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appends the address it saw; the client is `hops` from the right.
        if len(forwarded) >= hops:
            peer = forwarded[-hops]
    return peer


def behind_unknown_proxy(request) -> bool:
    """Forwarded by a proxy the site was not told of (X-Forwarded-For, TRUSTED_PROXY_COUNT=0):
    its peer is the proxy's address, not the client's."""
    return not settings.TRUSTED_PROXY_COUNT and "HTTP_X_FORWARDED_FOR" in request.META


def scope_client_address(scope: dict) -> str:
    """The same rule for an ASGI scope (WebSocket consumers)."""
    peer = (scope.get("client") or ("", 0))[0] or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        headers = dict(scope.get("headers") or [])
        forwarded = [
            part.strip()
            for part in headers.get(b"x-forwarded-for", b"").decode("latin-1").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            peer = forwarded[-hops]
    return peer


def _seal(address: str) -> bytes:
    key = settings.SEALED_ADDRESS_PUBLIC_KEY
    return SealedBox(PublicKey(key)).encrypt(address.encode()) if key else b""


def hash_address(address: str) -> AddressHashes:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        # Unknown peers (tests, Unix sockets) still get stable, distinct hashes.
        unknown = _hmac("addr", address)
        return AddressHashes(
            unknown, _hmac("n1", address), _hmac("n2", address), unknown, _seal(address)
        )
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        narrow, wide = 24, 16
    else:
        narrow, wide = 64, 48
    address_hash = _hmac("addr", ip.compressed)
    narrow_hash = _hmac("n1", ipaddress.ip_network(f"{ip}/{narrow}", strict=False).compressed)
    return AddressHashes(
        address=address_hash,
        narrow=narrow_hash,
        wide=_hmac("n2", ipaddress.ip_network(f"{ip}/{wide}", strict=False).compressed),
        # An IPv4 /24 is many households, so IPv4 posters stay one address each.
        poster=address_hash if ip.version == 4 else narrow_hash,
        sealed_address=_seal(ip.compressed),
    )


def request_hashes(request) -> AddressHashes:
    """Hashes for the client of this request (computed once per request)."""
    cached = getattr(request, "_yoake_address_hashes", None)
    if cached is None:
        cached = hash_address(client_address(request))
        request._yoake_address_hashes = cached
    return cached


def scope_hashes(scope: dict) -> AddressHashes:
    return hash_address(scope_client_address(scope))


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC for other secrets that must not be stored plain (delete keys, daily IDs)."""
    return _hmac(purpose, value)
