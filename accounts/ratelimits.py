"""Failed sign-ins, counted so that nobody can lock someone else out of their account.

allauth counts failed passwords per address and per username. The per-username count lets
anyone who knows a username lock its owner out from anywhere, so Yoake keeps allauth's count
per address (ACCOUNT_RATE_LIMITS["login_failed"]) and replaces the per-username one with:

- `login_failed_username_address`: one username from one address, the guesser next door;
- `login_failed_username`: one username from all addresses, a high ceiling;
- `login_failed_username_network`: counted only once that ceiling is reached, a few tries an
  hour at that username from each network (/24, or /64 for IPv6, so one machine cannot pose as
  many). A guesser with many addresses crawls; the owner, from a network that was not guessing,
  still signs in.

The counts live in allauth's rate-limit store (the Redis cache) under keyed hashes, never the
username with an address; while Redis is down they allow every attempt (config/cache.py).
"""

from __future__ import annotations

from allauth.core.internal import ratelimit
from django.http import HttpRequest

from forum.addresses import keyed_digest, request_hashes

APP = "allauth.account"


def count_failed_sign_in(request: HttpRequest, username: str) -> ratelimit.RateLimitUsage | None:
    """Count one password attempt at `username` as failed, or None when it must be refused.

    Like allauth's own count, the attempt is counted before the password is checked (so the
    right password past a limit gets the same answer as a wrong one) and the caller rolls the
    usage back when the password was right.
    """
    username = username.lower()
    hashes = request_hashes(request)
    here = ratelimit.consume(
        request,
        app=APP,
        action="login_failed_username_address",
        key=keyed_digest("sign-in address", f"{username}\n{hashes.address}"),
    )
    if here is None:
        return None
    anywhere = ratelimit.consume(
        request, app=APP, action="login_failed_username", key=keyed_digest("sign-in", username)
    )
    if anywhere is None:
        anywhere = ratelimit.consume(
            request,
            app=APP,
            action="login_failed_username_network",
            key=keyed_digest("sign-in network", f"{username}\n{hashes.narrow}"),
        )
        if anywhere is None:
            return None
    return ratelimit.RateLimitUsage(usage=here.usage + anywhere.usage)
