"""Chat pages. They work without JavaScript: the room shows its recent history and a plain form.

Chat pages are rendered per request (never page-cached), so they carry a CSRF token. Without
Redis there is no chat (no live delivery, no rate limits): the pages say so instead of failing.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

from django.conf import settings
from django.contrib import messages as django_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from chat import limits, rooms
from chat.forms import MessageForm, RemoveForm
from chat.models import MESSAGE_MAX, Message, Room
from forum.addresses import request_hashes
from forum.errors import InvalidInput, PostingRefused, RiskLanguage
from forum.moderation.staff import is_staff_with_mfa
from forum.personal_info import masked_notice
from forum.poster import delete_key
from realtime import presence
from support.helplines import help_lines_for

HANDLE_COOKIE = "yoake_chat_handle"
ONE_YEAR = 365 * 24 * 3600


def _with_presence(room_list: list[Room]) -> None:
    counts = presence.counts_now([room.presence_place for room in room_list]) or {}
    for room in room_list:
        count = counts.get(room.presence_place)
        room.presence_text = presence.describe(count) if count is not None else ""


def rooms_list(request):
    available = limits.is_available()
    room_list = list(Room.objects.all())
    if available:
        _with_presence(room_list)
    return render(
        request,
        "chat/rooms.html",
        {"rooms": room_list, "available": available},
        status=200 if available else 503,
    )


def _room_page(request, room: Room, *, form: MessageForm, status: int = 200, held: bool = False):
    """The room; `held`: a message with risk language waits, help lines above it."""
    _with_presence([room])
    help_lines = help_lines_for(request) if held or request.GET.get("help") else []
    history = rooms.recent_history(room)
    return render(
        request,
        "chat/room.html",
        {
            "room": room,
            "available": True,
            "history": history,  # not "messages": that is the notices of django.contrib.messages
            "last": history[-1].number if history else 0,
            "form": form,
            "help_lines": help_lines,
            "held": held,
            "held_handle": request.POST.get("handle", "") if held else "",
            "held_body": request.POST.get("body", "") if held else "",
            "can_moderate": is_staff_with_mfa(request.user),
            "message_max": MESSAGE_MAX,
        },
        status=status,
    )


def _unavailable(request, room: Room):
    response = render(request, "chat/room.html", {"room": room, "available": False}, status=503)
    response["Retry-After"] = "30"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def room(request, room: str):
    the_room = get_object_or_404(Room, slug=room)
    if not limits.is_available():
        return _unavailable(request, the_room)
    if request.method != "POST":
        handle = unquote(request.COOKIES.get(HANDLE_COOKIE, ""))
        return _room_page(request, the_room, form=MessageForm(initial={"handle": handle}))
    form = MessageForm(request.POST)
    form.is_valid()  # bound, so the page keeps what was typed
    try:
        sent = rooms.send_message(
            the_room,
            sender=request_hashes(request),
            cookie_key=delete_key(request),
            handle=request.POST.get("handle", ""),
            body=request.POST.get("body", ""),
            confirm_risk=bool(request.POST.get("confirm_risk")),
        )
    except RiskLanguage:
        # Help first, as on the boards; nothing is sent until the sender says so.
        return _room_page(request, the_room, form=form, held=True)
    except limits.ChatUnavailable:
        return _unavailable(request, the_room)
    except InvalidInput as invalid:
        for field, messages in invalid.errors.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return _room_page(request, the_room, form=form, status=400)
    except PostingRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        status = 429 if getattr(refusal, "wait", None) else 403
        return _room_page(request, the_room, form=form, status=status)
    if sent.masked:
        # `messages` names the form's errors in this view.
        django_messages.info(request, masked_notice())
    # Risk language sent anyway: the help lines stay at the top of the room.
    query = "?help=1" if sent.risk_phrases else ""
    response = HttpResponseRedirect(f"{the_room.get_absolute_url()}{query}#m{sent.message.number}")
    response.set_cookie(
        HANDLE_COOKIE,
        quote(request.POST.get("handle", "")[: rooms.HANDLE_MAX * 2]),
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG,
    )
    return response


@require_POST
def remove(request, room: str, number: int):
    if not is_staff_with_mfa(request.user):
        raise PermissionDenied
    message = get_object_or_404(
        Message.objects.select_related("room"), room__slug=room, number=number
    )
    form = RemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    rooms.delete_message(message, by=request.user, reason=reason)
    return HttpResponseRedirect(message.room.get_absolute_url())
