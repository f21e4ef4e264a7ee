"""Who may act as a moderator: staff who signed in with two-factor authentication.

The admin site (accounts.staff), the Moderator ★ capcode and chat's remove buttons all ask
`is_staff_with_mfa`, so the bar is the same everywhere.
"""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled


def has_mfa(user) -> bool:
    """Whether the user has an authenticator (TOTP); asked once per request."""
    if not user.is_authenticated:
        return False
    known = getattr(user, "yoake_has_mfa", None)
    if known is None:
        known = user.yoake_has_mfa = is_mfa_enabled(user)
    return known


def is_staff_with_mfa(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and has_mfa(user))
