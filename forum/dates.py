"""The 2channel date, as post headers and dat files write it: `2026/11/26(木) 03:12:45.67`."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import get_language

WEEKDAYS = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def weekdays_for(language: str | None = None) -> tuple[str, ...]:
    """Weekday names in `language` (the active one by default), Japanese or English."""
    language = language or get_language() or "en"
    return WEEKDAYS["ja" if language.startswith("ja") else "en"]


def post_date(local: datetime, weekdays: tuple[str, ...] = WEEKDAYS["ja"]) -> str:
    """`local` (already in the zone to show) with weekday and hundredths of a second."""
    return (
        f"{local.year:04d}/{local.month:02d}/{local.day:02d}({weekdays[local.weekday()]}) "
        f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}.{local.microsecond // 10000:02d}"
    )
