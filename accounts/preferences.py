"""An account's theme, language, mute words and hidden threads, and how they reach the browser.

Theme and language live in cookies (config.context_processors and Django's LocaleMiddleware read
them), so an account's choice is written into this device's cookies when it is saved and again
on every sign-in. Mute words and hidden threads are applied in the browser by static/js/prefs.js,
because thread and board pages are cached and the same for every reader.
"""

from __future__ import annotations

from allauth.account.signals import user_logged_in
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.models import (
    HIDDEN_THREADS_MAX,
    MUTE_WORD_LENGTH_MAX,
    MUTE_WORDS_MAX,
    HiddenThread,
    Preferences,
)
from config.context_processors import THEME_COOKIE
from forum.models import Thread
from forum.text import clean_line

ONE_YEAR = 365 * 24 * 3600


class PreferenceError(ValueError):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def preferences_of(user) -> Preferences:
    """The account's preferences; the defaults (unsaved) if it never changed any."""
    try:
        return user.yoake_preferences
    except Preferences.DoesNotExist:
        return Preferences(user=user)


def parse_mute_words(text: str) -> list[str]:
    """One word or phrase per line, cleaned, without repeats; raise PreferenceError past limits."""
    words: list[str] = []
    for line in (text or "").splitlines():
        word = clean_line(line)
        if not word or word.casefold() in (w.casefold() for w in words):
            continue
        if len(word) > MUTE_WORD_LENGTH_MAX:
            raise PreferenceError(
                _("A mute word can be at most %(max)d characters (“%(word)s…” is longer).")
                % {"max": MUTE_WORD_LENGTH_MAX, "word": word[:20]},
                field="mute_words",
            )
        words.append(word)
    if len(words) > MUTE_WORDS_MAX:
        raise PreferenceError(
            _("You can keep at most %(max)d mute words (there are %(count)d).")
            % {"max": MUTE_WORDS_MAX, "count": len(words)},
            field="mute_words",
        )
    return words


def save_preferences(user, *, theme: str, language: str, mute_words: str) -> Preferences:
    """Store the account's choices; the caller writes theme and language into the cookies."""
    if theme not in Preferences.Theme.values:
        raise PreferenceError(_("Please choose night or day."), field="theme")
    if language and language not in dict(settings.LANGUAGES):
        raise PreferenceError(_("Please choose a language from the list."), field="language")
    words = parse_mute_words(mute_words)
    preferences = preferences_of(user)
    preferences.theme = theme
    preferences.language = language
    preferences.mute_words = "\n".join(words)
    preferences.save()
    return preferences


def set_cookies(response, preferences: Preferences) -> None:
    """Make this device follow the account: same cookies the header switches set."""
    response.set_cookie(
        THEME_COOKIE,
        preferences.theme,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=not settings.DEBUG,
        httponly=False,  # static/js/theme.js reads it, as for visitors
    )
    if preferences.language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            preferences.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=not settings.DEBUG,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)


@receiver(user_logged_in)
def _follow_the_account(sender, request, response=None, user=None, **kwargs) -> None:
    """On sign-in, a new device takes the theme and language the account keeps."""
    if response is None or user is None:
        return
    preferences = Preferences.objects.filter(user=user).first()
    if preferences is not None:
        set_cookies(response, preferences)


def hidden_thread_keys(user) -> list[str]:
    """ "board/key" of each hidden thread, as pages name threads."""
    return [
        f"{slug}/{key}"
        for slug, key in HiddenThread.objects.filter(user=user)
        .order_by("-hidden_at")
        .values_list("thread__board__slug", "thread__key")
    ]


def hide_thread(user, thread: Thread) -> None:
    with transaction.atomic():
        if HiddenThread.objects.filter(user=user).count() >= HIDDEN_THREADS_MAX:
            raise PreferenceError(
                _("You can hide at most %(max)d threads. Show some again first.")
                % {"max": HIDDEN_THREADS_MAX}
            )
        HiddenThread.objects.get_or_create(user=user, thread=thread)


def unhide_thread(user, thread: Thread) -> None:
    HiddenThread.objects.filter(user=user, thread=thread).delete()
