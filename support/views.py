"""Support pages: resource articles, help now, community rules. Views only speak HTTP."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.outages import DATABASE_DOWN
from config.replicas import read_only
from support.articles import (
    article_html,
    listing,
    other_language_version,
    rules_html,
    search_articles,
)
from support.helplines import (
    COUNTRY_NAMES,
    help_lines_for,
    lines_for,
    lines_without_database,
)
from support.models import Article, HelpLine, Language, reader_language
from support.region import chosen_country, likely_country, reader_timezone
from support.search import MAX_QUERY_LENGTH


def _choice(value: str | None, choices) -> str:
    return value if value in choices.values else ""


@read_only
@require_GET
def index(request):
    language = reader_language()
    category = _choice(request.GET.get("category"), Article.Category)
    audience = _choice(request.GET.get("audience"), Article.Audience)
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    context = {
        "category": category,
        "audience": audience,
        "q": q,
        "categories": Article.Category.choices,
        "audiences": Article.Audience.choices,
    }
    if q:
        context["results"] = search_articles(q, language=language)
    else:
        context["sections"] = listing(language, category=category, audience=audience)
    return render(request, "support/index.html", context)


@read_only
@require_GET
def article(request, slug: str):
    wanted = request.GET.get("lang")
    language = wanted if wanted in Language.values else reader_language()
    versions = {a.language: a for a in Article.objects.published().filter(slug=slug)}
    # A reader of the other language still gets the article rather than a dead end.
    shown = versions.get(language) or next(iter(versions.values()), None)
    if shown is None:
        raise Http404
    return render(
        request,
        "support/article.html",
        {
            "article": shown,
            "body": article_html(shown),
            "other": other_language_version(shown, versions),
            "in_reader_language": shown.language == reader_language(),
            # The guide's "If you need help tonight": the lines of where the reader is.
            "help_lines": help_lines_for(request),
        },
    )


@never_cache  # "open now" changes by the minute and the order by the reader's time zone
@read_only
@require_GET
def help_now(request, *, now: datetime | None = None):
    # `now` is for tests only; the page always shows the present.
    now = now or timezone.now()
    chosen = request.GET.get("country", "").upper()
    country = chosen if chosen in COUNTRY_NAMES else likely_country(request)
    try:
        groups = lines_for(country, now)
    except DATABASE_DOWN:
        # This page must answer even while PostgreSQL does not: the lines built into the release.
        connection.close()
        groups = lines_for(country, now, lines=lines_without_database())
    readers = next((group for group in groups if group.is_readers), None)
    open_group = readers or (groups[0] if groups else None)
    return render(
        request,
        "support/help_now.html",
        {
            "groups": groups,
            "country": country,
            # Open on the page; every other country stays folded.
            "open_group": open_group,
            # Its emergency numbers, at the top of the page.
            "emergency_lines": [
                line
                for line in (open_group.lines if open_group else [])
                if line.kind == HelpLine.Kind.EMERGENCY and line.phone
            ],
            "country_choices": [(code, name) for code, name in COUNTRY_NAMES.items()],
            "tz": reader_timezone(request),
        },
    )


def _return_to(request) -> str:
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
@require_GET
def choose_country(request):
    """The page behind "Not in the UK? Choose your country". Its form posts to
    config.views.set_country, which keeps the choice (support.region.COUNTRY_COOKIE)."""
    return render(
        request,
        "support/choose_country.html",
        {
            "country": likely_country(request),
            "chosen": chosen_country(request.COOKIES),
            "country_choices": [(code, name) for code, name in COUNTRY_NAMES.items()],
            "next": _return_to(request),
        },
    )


@read_only
@require_GET
def rules(request):
    return render(request, "support/rules.html", {"rules": rules_html(reader_language())})
