"""Account pages: settings, hidden threads, watched threads, and the preferences for prefs.js.

Views speak HTTP only; the rules live in accounts.preferences and accounts.watching. The POST
endpoints for hiding and watching are reached from cached pages that carry no CSRF token (see
forum.views), so they refuse cross-site requests by their headers, as the posting forms do
(forum.poster.is_cross_site); the session and watched cookies are SameSite=Lax and never
travel with a cross-site POST anyway.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts import watching
from accounts.forms import PreferencesForm
from accounts.preferences import (
    PreferenceError,
    hidden_thread_keys,
    hide_thread,
    preferences_of,
    save_preferences,
    set_cookies,
    unhide_thread,
)
from config.context_processors import theme_of
from config.views import safe_next
from forum.poster import has_poster_cookie, is_cross_site, poster_from
from forum.standing import standing_for


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _standing(request):
    """This browser's standing (forum.standing), or None before it has a poster cookie."""
    return (
        standing_for(poster_from(request), timezone.now()) if has_poster_cookie(request) else None
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request):
    """Signed in: theme, language and mute words kept by the account. Visitors: this browser.
    Both see the standing of this browser's poster cookie."""
    if not request.user.is_authenticated:
        context = {"form": PreferencesForm(), "standing": _standing(request)}
        return render(request, "accounts/settings_visitor.html", context)
    preferences = preferences_of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                preferences = save_preferences(request.user, **form.cleaned_data)
            except PreferenceError as error:
                form.add_error(error.field, error.message)
            else:
                # Said in the language just chosen: the next page is already in it.
                with translation.override(preferences.language or translation.get_language()):
                    messages.success(request, _("Your settings are saved."))
                response = HttpResponseRedirect(request.path)
                set_cookies(response, preferences)
                return response
        status = 400
    else:
        form = PreferencesForm(
            initial={
                "theme": preferences.theme if preferences.pk else theme_of(request),
                "language": preferences.language,
                "mute_words": preferences.mute_words,
            }
        )
        status = 200
    context = {"form": form, "standing": _standing(request)}
    return render(request, "accounts/settings.html", context, status=status)


@never_cache
@require_GET
def prefs_json(request):
    """What static/js/prefs.js applies over the (cached, shared) page, and its labels."""
    data = {
        "signed_in": request.user.is_authenticated,
        "watched": watching.watched_names(request),
        "labels": {
            "muted": _("A post with one of your mute words is folded away."),
            "show": _("Show it"),
            "hide_again": _("Fold it away"),
            "hide_thread": _("Hide"),
            "hide_thread_title": _("Hide this thread from your board list"),
            "unhide": _("Show again"),
            "show_hidden": _("Show hidden threads (%(count)s)"),
            "hide_hidden": _("Hide them again"),
            "hidden_count": _("Threads hidden in this browser: %(count)s"),
            "watch": _("Watch this thread"),
            "unwatch": _("Stop watching"),
        },
    }
    if request.user.is_authenticated:
        data["mute_words"] = preferences_of(request.user).mute_word_list()
        data["hidden_threads"] = hidden_thread_keys(request.user)
    return JsonResponse(data)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def hidden(request):
    """The account's hidden threads, with a way to show each again; POST hides or shows one."""
    if request.method == "POST":
        return _change_hidden(request)
    if not request.user.is_authenticated:
        return render(request, "accounts/hidden_visitor.html")
    threads = [
        row.thread
        for row in request.user.hidden_threads.select_related("thread__board").order_by(
            "-hidden_at"
        )
    ]
    return render(request, "accounts/hidden.html", {"threads": threads})


def _change_hidden(request):
    if is_cross_site(request):
        return HttpResponseForbidden(_("This form only works from Yoake itself."))
    if not request.user.is_authenticated:
        return HttpResponseForbidden(
            _("Sign in to keep hidden threads in your account; this browser keeps them otherwise.")
        )
    thread = watching.thread_named(request.POST.get("thread", ""))
    if thread is None:
        raise Http404(_("There is no such thread."))
    try:
        if request.POST.get("action") == "unhide":
            unhide_thread(request.user, thread)
        else:
            hide_thread(request.user, thread)
    except PreferenceError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    return HttpResponseRedirect(safe_next(request, "/accounts/hidden/"))


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def watched(request):
    """Watched threads with their new posts since the last visit; POST watches or stops."""
    if request.method == "POST":
        return _change_watched(request)
    return render(request, "accounts/watched.html", {"watched": watching.watched_threads(request)})


def _change_watched(request):
    if is_cross_site(request):
        return HttpResponseForbidden(_("This form only works from Yoake itself."))
    thread = watching.thread_named(request.POST.get("thread", ""))
    if thread is None:
        raise Http404(_("There is no such thread."))
    action = request.POST.get("action", "watch")
    response = (
        JsonResponse({"ok": True})
        if _wants_json(request)
        else HttpResponseRedirect(safe_next(request, "/watched/"))
    )
    try:
        if action == "unwatch":
            watching.unwatch(request, response, thread)
        elif action == "seen":
            seen = request.POST.get("seen", "")
            watching.mark_seen(request, response, thread, int(seen) if seen.isdigit() else None)
        else:
            watching.watch(request, response, thread)
            if not _wants_json(request):
                messages.success(
                    request,
                    _("You are watching “%(title)s”. New posts show on your watched page.")
                    % {"title": thread.title},
                )
    except PreferenceError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.message}, status=400)
        messages.error(request, error.message)
        return HttpResponseRedirect(safe_next(request, "/watched/"))
    return response


@never_cache
@require_GET
def watched_go(request, board: str, key: int):
    """Open a watched thread at its first new post, and count it as seen from now on."""
    thread = watching.thread_named(f"{board}/{key}")
    if thread is None:
        raise Http404(_("There is no such thread."))
    first_new = next(
        (w.seen_count + 1 for w in watching.watched_threads(request) if w.thread.pk == thread.pk),
        None,
    )
    target = thread.get_absolute_url()
    if first_new and first_new <= thread.post_count:
        target += f"{first_new}-"
    response = HttpResponseRedirect(target)
    watching.mark_seen(request, response, thread)
    return response
