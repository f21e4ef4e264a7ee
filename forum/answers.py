"""What a posting form is answered with when the post does not go straight through: the rules
once for a browser's first post, the help page for risk language, and the form again (with
what was typed and why) for a refusal. forum.views and its posting flow use them."""

from __future__ import annotations

from django.shortcuts import render

from forum.moderation.staff import is_staff_with_mfa
from forum.poster import set_poster_cookie
from support.helplines import help_lines_for


def confirm_first_post(request, *, action: str):
    """First post from this browser: show the rules once and set the poster cookie.

    The cookie is SameSite=Strict, so a form on another site can never carry it.
    """
    return set_poster_cookie(
        render(
            request,
            "forum/confirm_first_post.html",
            {"action": action, "fields": typed_fields(request)},
        )
    )


def typed_fields(request) -> list[tuple[str, str]]:
    keep = ("title", "name", "mail", "body", "as_moderator")
    return [(name, request.POST.get(name, "")) for name in keep if name in request.POST]


def risk_interstitial(request, *, action: str):
    return render(
        request,
        "forum/risk_interstitial.html",
        {
            "action": action,
            "fields": typed_fields(request),
            "help_lines": help_lines_for(request),
        },
    )


def post_again(request, form, status, *, board, thread=None, surge_check=None):
    """A refused post: the form again with what was typed and why, and nothing heavy around it
    (not the board's threads nor the thread's posts: a flood of refusals stays cheap)."""
    return render(
        request,
        "forum/post_again.html",
        {
            "board": board,
            "thread": thread,
            "form": form,
            "action": (thread or board).get_absolute_url(),
            "can_post_as_moderator": is_staff_with_mfa(request.user),
            "surge_check": surge_check,
        },
        status=status,
    )
