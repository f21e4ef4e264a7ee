"""Resource articles, help lines and the risk-language phrase list.

All three are edited by moderators in the admin and seeded from support/content/ by
`support.seed.run()`.
"""

from __future__ import annotations

import functools
import operator
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from support.markdown import plain_text
from support.search import search_document

ALWAYS_OPEN = "24/7"
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")

# Paths under /support/ that an article slug would shadow.
RESERVED_ARTICLE_SLUGS = {"help-now", "rules", "country"}


def reader_language() -> str:
    """The reader's language as one of the two Yoake is written in."""
    return "ja" if (get_language() or "en")[:2] == "ja" else "en"


class Language(models.TextChoices):
    EN = "en", _("English")
    JA = "ja", _("Japanese")


def validate_article_slug(value: str) -> None:
    if value in RESERVED_ARTICLE_SLUGS:
        raise ValidationError(_("“%(slug)s” is used by the site itself."), params={"slug": value})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def in_language(self, language: str):
        return self.filter(language=language)


class Article(models.Model):
    class Category(models.TextChoices):
        UNDERSTANDING = "understanding", _("Understanding withdrawal")
        APPROACHES = "approaches", _("Recovery and treatment approaches")
        FAMILY = "family", _("For families")
        WORK_STUDY = "work-study", _("Work and study")
        HELP_NOW = "help-now", _("Getting help now")

    class Audience(models.TextChoices):
        INDIVIDUALS = "individuals", _("People who have withdrawn")
        FAMILIES = "families", _("Families")
        BOTH = "both", _("Everyone")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        validators=[validate_article_slug],
        help_text=_("The same slug joins the English and Japanese versions of one article."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("body"), help_text=_("Markdown. Raw HTML is removed on display."))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.BOTH
    )
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("One source per line, ending with its address.")
    )
    published = models.BooleanField(_("published"), default=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    search_vector = SearchVectorField(null=True, editable=False)
    # Digest of the fields as last written by the seed; a mismatch means a moderator edited the
    # article, and the seed then leaves it alone.
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="article_slug_language"),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="article_language_known"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            models.Index(fields=["language", "published", "order"], name="article_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def save(self, *args, **kwargs):
        # Title outranks summary outranks body. The document is built in Python so that
        # Japanese text is indexed as bigrams (see support.search); like any expression assigned
        # to a field, it is computed by PostgreSQL and read back only on refresh_from_db().
        parts = [(self.title, "A"), (self.summary, "B"), (plain_text(self.body), "C")]
        self.search_vector = functools.reduce(
            operator.add,
            (
                SearchVector(Value(search_document(text)), weight=weight, config="simple")
                for text, weight in parts
            ),
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_vector"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("support:article", args=[self.slug])

    def source_list(self) -> list[dict[str, str]]:
        """Sources as (text, url) pairs; the address, if any, is the line's last word."""
        items = []
        for line in self.sources.splitlines():
            line = line.strip().removeprefix("- ").strip()
            if not line:
                continue
            text, _space, last = line.rpartition(" ")
            if text and last.startswith(("https://", "http://")):
                items.append({"text": text.strip(), "url": last})
            else:
                items.append({"text": line, "url": ""})
        return items


def validate_timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Asia/Tokyo."), params={"value": value}
        ) from None


def _parse_clock(value: object) -> time | None:
    """Read "HH:MM" as a time; "24:00", the end of the day, comes back as None."""
    match = _CLOCK.match(value) if isinstance(value, str) else None
    if not match:
        raise ValidationError(
            _("Times are written HH:MM, for example 09:00 or 22:30, not %(value)s."),
            params={"value": value},
        )
    hours, minutes = int(match[1]), int(match[2])
    if hours == 24:
        if minutes:
            raise ValidationError(_("The latest time is 24:00."))
        return None
    return time(hours, minutes)


def validate_hours(value: object) -> None:
    """Hours are "24/7" or a list of {days: [0..6, Monday=0], start: "HH:MM", end: "HH:MM"}."""
    if value == ALWAYS_OPEN:
        return
    if not isinstance(value, list):
        raise ValidationError(_("Hours are “24/7” or a list of weekly opening windows."))
    for window in value:
        if not isinstance(window, dict) or set(window) != {"days", "start", "end"}:
            raise ValidationError(_("Each opening window has exactly: days, start and end."))
        days = window["days"]
        if (
            not isinstance(days, list)
            or not days
            or not all(isinstance(day, int) and 0 <= day <= 6 for day in days)
        ):
            raise ValidationError(_("Days are numbers from 0 (Monday) to 6 (Sunday)."))
        if _parse_clock(window["start"]) is None:
            raise ValidationError(_("A window cannot start at 24:00."))
        _parse_clock(window["end"])


class HelpLineKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency number")
    CRISIS_LINE = "crisis_line", _("Crisis line")
    ORGANISATION = "organisation", _("Organisation")
    DIRECTORY = "directory", _("Directory")


class HelpLine(models.Model):
    Kind = HelpLineKind

    country = models.CharField(
        _("country"),
        max_length=8,
        db_index=True,
        help_text=_("ISO code such as JP or GB; INTL for international directories."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ja = models.CharField(_("name (Japanese)"), max_length=200, blank=True)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, help_text=_("Digits as dialled, e.g. 0120279338.")
    )
    text_only = models.BooleanField(
        _("text messages only"),
        default=False,
        help_text=_("The number takes text messages (SMS), not calls."),
    )
    url = models.URLField(_("web address"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Tokyo", validators=[validate_timezone]
    )
    hours = models.JSONField(
        _("opening hours"),
        default=list,
        blank=True,
        validators=[validate_hours],
        help_text=_(
            '"24/7", or a list like [{"days": [0, 1, 2, 3, 4], "start": "18:30", "end": "22:30"}] '
            "with Monday = 0, in the line's own time zone. An empty list means the hours are "
            "unknown or vary."
        ),
    )
    hours_note_en = models.TextField(_("hours note (English)"), blank=True)
    hours_note_ja = models.TextField(_("hours note (Japanese)"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=8),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes, comma-separated: ja,en"),
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ja = models.TextField(_("description (Japanese)"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    last_verified = models.DateField(_("last verified"))
    unconfirmed = models.BooleanField(
        _("unconfirmed"),
        default=False,
        help_text=_("Number or hours could not be confirmed from a primary, recent source."),
    )
    active = models.BooleanField(_("shown on the site"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)
    seed_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["country", "order", "name_en"]
        verbose_name = _("help line")
        verbose_name_plural = _("help lines")
        constraints = [
            models.UniqueConstraint(fields=["country", "name_en"], name="helpline_country_name"),
            models.CheckConstraint(
                condition=Q(kind__in=HelpLineKind.values), name="helpline_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.name_en}"

    def _localised(self, field: str) -> str:
        value = getattr(self, f"{field}_{reader_language()}")
        return value or getattr(self, f"{field}_en")

    @property
    def name(self) -> str:
        return self._localised("name")

    @property
    def description(self) -> str:
        return self._localised("description")

    @property
    def hours_note(self) -> str:
        return self._localised("hours_note")

    @property
    def is_always_open(self) -> bool:
        return self.hours == ALWAYS_OPEN

    @property
    def has_known_hours(self) -> bool:
        return self.is_always_open or bool(self.hours)

    def is_open_at(self, moment: datetime) -> bool:
        """Whether the line takes calls at `moment` (an aware datetime), by its own clock.

        Unknown hours (an empty list) count as closed: we never promise that someone answers.
        A window whose end is not after its start runs past midnight into the next day.
        """
        if self.is_always_open:
            return True
        if not isinstance(self.hours, list):
            return False
        local = moment.astimezone(ZoneInfo(self.timezone))
        weekday, now = local.weekday(), local.time()
        yesterday = (local - timedelta(days=1)).weekday()
        for window in self.hours:
            start = _parse_clock(window["start"])
            end = _parse_clock(window["end"])
            days = window["days"]
            if end is None or end > start:
                if weekday in days and start <= now and (end is None or now < end):
                    return True
            elif (weekday in days and now >= start) or (yesterday in days and now < end):
                return True
        return False


class RiskPhrase(models.Model):
    phrase = models.CharField(
        _("phrase"),
        max_length=100,
        help_text=_("Matched anywhere in a post after folding case and full-width characters."),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["language", "phrase"]
        verbose_name = _("risk phrase")
        verbose_name_plural = _("risk phrases")
        constraints = [
            models.UniqueConstraint(fields=["phrase", "language"], name="riskphrase_unique"),
        ]

    def __str__(self) -> str:
        return self.phrase
