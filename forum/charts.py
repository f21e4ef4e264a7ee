"""Tiny server-rendered SVG bar charts (posts per hour); no chart library, no script."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    count: int
    hour: datetime


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    total: int
    peak: int
    width: int
    height: int


def hourly_bars(
    counts: dict[datetime, int],
    *,
    now: datetime,
    hours: int = 24,
    width: int = 120,
    height: int = 24,
) -> Chart:
    """Bars for the last `hours` whole hours up to now, oldest on the left."""
    current = now.replace(minute=0, second=0, microsecond=0)
    slots = [current - timedelta(hours=offset) for offset in range(hours - 1, -1, -1)]
    values = [counts.get(slot, 0) for slot in slots]
    peak = max(values) if values else 0
    bar_width = width // hours
    bars = []
    for index, (slot, value) in enumerate(zip(slots, values, strict=True)):
        bar_height = 0 if not peak else max(1, round(value / peak * height)) if value else 0
        bars.append(Bar(index * bar_width, height - bar_height, bar_height, value, slot))
    return Chart(bars=bars, total=sum(values), peak=peak, width=width, height=height)
