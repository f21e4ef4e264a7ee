"""The three rooms from the product brief. `run()` creates missing ones and leaves edits alone."""

from __future__ import annotations

from chat.models import Room

ROOMS = [
    {
        "slug": "lounge",
        "title_en": "Night lounge",
        "title_ja": "夜のラウンジ",
        "description_en": "Awake at night? Drop in, say hello, or just keep the others company.",
        "description_ja": "夜に起きている人のたまり場。あいさつだけでも、いるだけでも。",
    },
    {
        "slug": "family",
        "title_en": "Parents' room",
        "title_ja": "家族の部屋",
        "description_en": (
            "For parents and family members. Never share anything that could identify the person "
            "you are worried about."
        ),
        "description_ja": "親・家族のための部屋です。本人が特定される情報は書かないでください。",
        "slow_mode_seconds": 5,
    },
    {
        "slug": "checkin",
        "title_en": "Daily check-in",
        "title_ja": "今日のチェックイン",
        "description_en": "One line about today: how you slept, what you ate, one small step.",
        "description_ja": "今日のことを一行で。眠れたか、食べたもの、小さな一歩。",
        "slow_mode_seconds": 30,
    },
]


def run() -> str:
    created = 0
    for position, data in enumerate(ROOMS):
        defaults = {**data, "position": position}
        slug = defaults.pop("slug")
        _, was_created = Room.objects.get_or_create(slug=slug, defaults=defaults)
        created += was_created
    return f"{created} chat rooms created, {len(ROOMS) - created} already there"
