from django.conf import settings

THEMES = ("night", "day")
THEME_COOKIE = "yoake_theme"


def theme_of(request) -> str:
    """The reader's theme: night unless their cookie says day."""
    theme = request.COOKIES.get(THEME_COOKIE, "night")
    return theme if theme in THEMES else "night"


def site(request):
    return {
        "theme": theme_of(request),
        "other_theme": "day" if theme_of(request) == "night" else "night",
        "debug": settings.DEBUG,
    }
