"""Staff open the Django admin only after signing in through allauth and setting up MFA.

`require_mfa(admin.site)` (called from accounts/admin.py) changes these things on the site:
- its login page sends people to allauth's login, so its rate limits and the MFA code step apply
  (and its password change page is allauth's);
- `has_permission` also asks for an authenticator, so staff without one are sent to allauth's
  TOTP setup (recovery codes come with it) instead of into the admin.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from forum.moderation.staff import has_mfa, is_staff_with_mfa


def _next_url(request, fallback: str) -> str:
    target = request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def admin_login(request, extra_context=None):
    """The admin's login URL: allauth signs people in; staff without MFA go to set it up."""
    admin_index = reverse("admin:index")
    next_url = _next_url(request, admin_index)
    user = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
    if not (user.is_active and user.is_staff):
        raise PermissionDenied
    if not has_mfa(user):
        messages.warning(
            request,
            _(
                "The moderation admin needs two-factor authentication. Add an authenticator "
                "app here and keep the recovery codes; then the admin opens for you."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    return HttpResponseRedirect(next_url)


def require_mfa(site) -> None:
    site.has_permission = lambda request: is_staff_with_mfa(request.user)
    site.login = admin_login
    # The admin's "change password" link, too, goes to allauth's page (same rules, same mails).
    site.password_change = lambda request, extra_context=None: HttpResponseRedirect(
        reverse("account_change_password")
    )
