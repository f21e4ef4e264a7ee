"""The seven boards from the product brief, each with its pinned welcome thread (forum.welcome).
`run()` creates missing ones and leaves edits alone."""

from __future__ import annotations

from forum.models import Board
from forum.welcome import post_welcome_threads

SHARED_RULES_EN = (
    "Be kind. Share feelings freely, but never methods, places or plans of self-harm. "
    "Do not post anything that could identify you or anyone else. Use “report” rather than arguing."
)
SHARED_RULES_JA = (
    "やさしく。気持ちは自由に書いてかまいませんが、自傷の方法・場所・計画は書かないでください。"
    "自分や他人が特定される情報は書かないでください。もめごとは言い返さずに「通報」へ。"
)

BOARDS = [
    {
        "slug": "night",
        "title_en": "Night owls",
        "title_ja": "夜ふかし",
        "description_en": "For everyone who is awake right now. Small talk, company, quiet.",
        "description_ja": "いま起きている人のための板。雑談、なんとなく一緒にいる場所。",
    },
    {
        "slug": "talk",
        "title_en": "Everyday talk",
        "title_ja": "雑談",
        "description_en": "Food, weather, the day you had, anything at all.",
        "description_ja": "ごはん、天気、今日のこと。なんでも。",
    },
    {
        "slug": "hobby",
        "title_en": "Games, anime, manga & books",
        "title_ja": "ゲーム・アニメ・漫画・本",
        "description_en": "What you play, watch and read.",
        "description_ja": "遊んでいるもの、見ているもの、読んでいるもの。",
    },
    {
        "slug": "recovery",
        "title_en": "Small steps & recovery",
        "title_ja": "一歩ずつ",
        "description_en": "Going outside, sleep, support centres, small wins and setbacks.",
        "description_ja": "外に出ること、睡眠、支援窓口、小さな前進とつまずき。",
    },
    {
        "slug": "work",
        "title_en": "School, work & money",
        "title_ja": "学校・仕事・お金",
        "description_en": "Returning to study or work, gaps in a CV, benefits and money worries.",
        "description_ja": "学校や仕事への復帰、空白期間、制度やお金の心配。",
    },
    {
        "slug": "family",
        "title_en": "Parents & family",
        "title_ja": "家族の部屋",
        "description_en": "For parents, siblings and partners of someone who has withdrawn.",
        "description_ja": "ひきこもっている人の親・きょうだい・パートナーのための板。",
        "rules_en": (
            "This room is for family members. Never post anything that could identify the person "
            "you are worried about: no names, schools, towns or photos. No advertising of paid "
            "services, and never of businesses that remove people from their homes by force. "
            "Be gentle: everyone here is tired."
        ),
        "rules_ja": (
            "家族のための部屋です。心配している本人が特定される情報（名前・学校・地域・写真など）は"
            "書かないでください。有料サービスの宣伝、特に本人を無理やり連れ出す業者の宣伝は禁止です。"
            "ここにいる人はみんな疲れています。やさしく。"
        ),
        "default_name_en": "A family member",
        "default_name_ja": "家族さん",
    },
    {
        "slug": "meta",
        "title_en": "Site feedback & deletion requests",
        "title_ja": "削除依頼・運営",
        "description_en": "Ideas, bugs, and requests to delete posts.",
        "description_ja": "要望・不具合・削除依頼はこちら。",
    },
]


def run() -> str:
    created = 0
    for position, data in enumerate(BOARDS):
        defaults = {"rules_en": SHARED_RULES_EN, "rules_ja": SHARED_RULES_JA, **data}
        defaults["position"] = position
        slug = defaults.pop("slug")
        _, was_created = Board.objects.get_or_create(slug=slug, defaults=defaults)
        created += was_created
    welcomed, refused = post_welcome_threads()
    summary = (
        f"{created} boards created, {len(BOARDS) - created} already there; "
        f"{welcomed} welcome threads posted"
    )
    # A refused welcome post is said, not raised: the boards work without it, and the next
    # seed tries again.
    return "; ".join([summary, *(f"welcome thread refused on {why}" for why in refused)])
