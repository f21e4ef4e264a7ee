"""Site-wide response rules that no single app owns."""

from __future__ import annotations

from django.conf import settings


class ReferrerPolicyMiddleware:
    """`no-referrer` everywhere, except on pages that carry a Django CSRF token.

    With `no-referrer`, browsers send `Origin: null` when such a page posts its form, and Django's
    CSRF check then refuses it; those pages (sign-in, settings, the admin, chat's plain form) send
    `same-origin` instead, which still tells other sites nothing. Board pages carry no token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Referrer-Policy" not in response:
            # Django (re)sends the CSRF cookie whenever a page used a token.
            uses_token = settings.CSRF_COOKIE_NAME in response.cookies
            response["Referrer-Policy"] = "same-origin" if uses_token else "no-referrer"
        return response
