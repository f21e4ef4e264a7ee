"""The pinned welcome thread a fresh install gives each seed board, written by the team.

It is posted the way a moderator posts (forum.posting.create_thread with the Moderator ★ capcode,
signed by the team) and pinned through forum.moderation.pin_thread, so both land in the audit
log. There are no invented posts by users: a new forum is quiet, and says so honestly.

The body is plain text in English and Japanese, as 2channel browsers read it from the dat.
A board gets its welcome thread only while it has never had a thread at all, so running the seed
again (`make run` seeds on every start) never adds a second one, and a welcome thread that the
moderators archived or unpinned is not brought back.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from forum.addresses import hash_address
from forum.errors import PostingRefused, RiskLanguage
from forum.models import Board, Thread
from forum.moderation import pin_thread
from forum.poster import Poster
from forum.posting import create_thread

WELCOME_TITLE = "Welcome: please read first / はじめにお読みください"


class Team:
    """The site's own hand: who posts and pins the welcome threads, with no account behind it.
    The audit log names it (forum.moderation.audit reads `get_username`)."""

    pk = None

    def get_username(self) -> str:
        return "Yoake team (seed)"


TEAM = Team()
# No address and no delete key: the welcome posts belong to no browser and nobody can delete them
# as their poster; moderators still can.
TEAM_POSTER = Poster(hashes=hash_address("yoake-team"), delete_key="")

# What each seed board is for, in both languages (forum.seed names the boards).
PURPOSES = {
    "night": (
        "This board is for anyone who is awake right now. Say good evening, talk about nothing "
        "in particular, or just read along quietly. Nobody needs a reason to be here at 3 a.m.",
        "いま起きている人なら、だれでも来てください。「こんばんは」だけでも、なんでもない話でも、"
        "黙って読んでいるだけでもかまいません。夜中の3時にここにいるのに、理由はいりません。",
    ),
    "talk": (
        "Everyday talk: food, the weather, something you watched, the day you had. Small things "
        "are welcome here; they are often what gets us through.",
        "ごはん、天気、見たもの、今日あったこと。ささいな話こそ歓迎です。"
        "そういう話に支えられることも、けっこう多いものです。",
    ),
    "hobby": (
        "Games, anime, manga and books: what you are playing, watching or reading, what you "
        "would recommend, and long talks about favourite scenes. Please warn about spoilers at "
        "the start of a post.",
        "遊んでいるゲーム、見ているアニメ、読んでいる漫画や本、おすすめ、好きな場面の語り合いに。"
        "ネタバレがあるときは、書きこみの最初にひとことお願いします。",
    ),
    "recovery": (
        "Small steps and recovery: going outside, sleep, visiting a support centre, the small "
        "wins and the setbacks. Every step counts here, however small, and a step back is part "
        "of the way too. Share what helped you, without telling anyone what they must do.",
        "外に出ること、睡眠、支援窓口に行ってみたこと、小さな前進とつまずき。"
        "どんなに小さな一歩も、ここでは大事な一歩です。後戻りも道のりの一部です。"
        "役に立ったことは、押しつけずに分けあってください。",
    ),
    "work": (
        "School, work and money: going back to study or work, gaps in a CV, interviews, benefits "
        "and money worries. Share what you know and ask what you are unsure of; no question is "
        "too basic here.",
        "学校や仕事への復帰、履歴書の空白、面接、制度やお金の心配について。"
        "知っていることも、わからないことも気軽にどうぞ。初歩的すぎる質問はありません。",
    ),
    "family": (
        "This room is for the parents, siblings and partners of someone who has withdrawn. You "
        "can write here what is hard to say to anyone else. Please never post anything that "
        "could identify the person you are worried about. The family guide is at "
        "/support/family-guide/.",
        "ひきこもっている人の親・きょうだい・パートナーのための部屋です。"
        "ほかではなかなか話せないことも、ここでは書いてかまいません。"
        "心配している本人が特定される情報は書かないでください。"
        "家族向けのガイドは /support/family-guide/ にあります。",
    ),
    "meta": (
        "Site feedback and deletion requests: ideas, things that do not work, and requests to "
        "delete a post. For a deletion request, please give where the post is (board, thread "
        "and number) and why; a moderator will look at it.",
        "要望、不具合の報告、書きこみの削除依頼はこちらへ。削除依頼には、書きこみの場所"
        "（板・スレッド・番号）と理由を書いてください。モデレーターが確認します。",
    ),
}

# Each item is one line of the post; {placeholders} are filled per board.
ENGLISH = (
    "Welcome to /{slug}/, {title}.",
    "{purpose}",
    "",
    "How to post",
    "- No account is needed. To reply, write in the form at the bottom of a thread; to start a "
    "new thread, use the form at the bottom of the board page.",
    '- Leave the name empty to post as "{default_name}". Your ID changes every day. If you would '
    "like to be recognised, name#key gives you a tripcode.",
    "- Write sage in the mail field to reply without moving the thread up.",
    "- 2channel browsers such as JDim and ChMate can read and post here too.",
    "",
    "Rules",
    "This board's own rules are at the top of the board page, and the community rules are at "
    '/support/rules/. If a post bothers you, please use "report" on it rather than replying to it.',
    "",
    "Where help is",
    'If things feel too heavy to carry alone, or you might be in danger, "Need help now?" at the '
    "top of every page (/support/help-now/) lists phone lines and places to talk in your country. "
    "Reading on recovery is at /support/.",
    "{meta}",
    "― The Yoake team",
)

JAPANESE = (
    "/{slug}/「{title}」へようこそ。",
    "{purpose}",
    "",
    "書きこみ方",
    "・アカウントはいりません。返信はスレッドのいちばん下の欄から、"
    "新しいスレッドは板のページのいちばん下の欄から書きこめます。",
    "・名前欄を空にすると「{default_name}」になります。IDは毎日変わります。"
    "見分けてもらいたいときは「名前#キー」でトリップがつけられます。",
    "・メール欄に sage と書くと、スレッドを上げずに返信できます。",
    "・JDim や ChMate などの専用ブラウザからも読み書きできます。",
    "",
    "ルール",
    "この板のローカルルールは板のページの上にあります。"
    "サイト全体の利用ルールは /support/rules/ にあります。"
    "気になる書きこみには、言い返さずに「通報」を使ってください。",
    "",
    "助けが必要なとき",
    "ひとりで抱えきれないとき、危ないかもしれないと感じたときは、"
    "どのページにもある「いま助けが必要ですか？」（/support/help-now/）から、"
    "あなたの国の電話窓口や相談先が見られます。回復についての読みものは /support/ にあります。",
    "{meta}",
    "夜明け 運営チーム",
)

META_LINE = {
    "en": "\nQuestions, ideas and deletion requests go to /meta/.\n",
    "ja": "\n質問・要望・削除依頼は /meta/ へどうぞ。\n",
}


def welcome_body(board: Board) -> str:
    """The welcome post for a seed board: English, then Japanese, in one plain-text body."""
    purpose_en, purpose_ja = PURPOSES[board.slug]
    here = board.slug == "meta"  # on /meta/ itself, the pointer to /meta/ would be a loop
    english = "\n".join(ENGLISH).format(
        slug=board.slug,
        title=board.title_en,
        purpose=purpose_en,
        default_name=board.default_name_en,
        meta="" if here else META_LINE["en"],
    )
    japanese = "\n".join(JAPANESE).format(
        slug=board.slug,
        title=board.title_ja,
        purpose=purpose_ja,
        default_name=board.default_name_ja,
        meta="" if here else META_LINE["ja"],
    )
    return f"{english}\n\n――――――――――\n\n{japanese}"


def post_welcome_threads(*, now: datetime | None = None) -> tuple[int, list[str]]:
    """Give every seed board that has never had a thread its pinned welcome thread.

    Returns how many were posted and, for a board whose welcome post was refused (a word filter
    a moderator added, say), why; that board is tried again on the next seed.
    """
    never_used = ~Exists(Thread.objects.filter(board=OuterRef("pk")))
    posted, refused = 0, []
    # Last board first, so that lists of the newest threads show them in the boards' order.
    for board in Board.objects.filter(never_used, slug__in=PURPOSES).reverse():
        try:
            with transaction.atomic():
                # Under the board's row lock, so two seeds at once cannot both welcome it.
                Board.objects.select_for_update().only("pk").get(pk=board.pk)
                if Thread.objects.filter(board=board).exists():
                    continue
                thread = create_thread(
                    board,
                    poster=TEAM_POSTER,
                    title=WELCOME_TITLE,
                    body=welcome_body(board),
                    as_moderator=TEAM,
                    now=now,
                )
                pin_thread(thread, by=TEAM, reason="Welcome thread for a new board")
        except (PostingRefused, RiskLanguage) as refusal:
            refused.append(f"/{board.slug}/: {getattr(refusal, 'message', refusal)}")
            continue
        posted += 1
    return posted, refused
