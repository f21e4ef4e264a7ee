"""The post partial renders without autoescape, so it is held to escaping what posters typed."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from forum.models import Post
from forum.reading import PostView
from forum.rendering import render_posts

RENDERER = Path(__file__).resolve().parents[2] / "forum" / "rendering.py"
# Values that are never typed by a poster: numbers, generated IDs, times, our own labels, and
# the parts this module made itself from such values.
MADE_BY_YOAKE = {
    "n",
    "m",
    "p.time_iso",
    "p.time_text",
    "p.daily_id",
    "p.body_html",  # cooked by forum.text.render_body
    "actions",
    "board.slug",  # a slug the team chose (BOARD_SLUG)
    "thread.key",
    "said",
    "name",
    "trip",
    "mail",
    "links",
    # A board's thread rows: the title is escaped into `title`, the rest is counted or dated.
    "marks",
    "title",
    "is_full",
    "pinned",
    "locked",
    "full",
    "per_day",
    "thread.get_absolute_url()",
    "thread.post_count",
    "_momentum(thread.momentum(now))",
    "bumped.isoformat()",
}
HOSTILE = "<script>alert(1)</script>\"'&"


def test_every_value_in_the_post_partial_is_escaped_or_made_by_yoake():
    tree = ast.parse(RENDERER.read_text())
    values = [node.value for node in ast.walk(tree) if isinstance(node, ast.FormattedValue)]
    assert values
    for value in values:
        source = ast.unparse(value)
        assert (
            source.startswith(("escape(", "html.escape("))
            or source.startswith("bumped.")
            or source in MADE_BY_YOAKE
            or source.startswith("labels[")
            or source.startswith("_backlinks(")
        ), source


@pytest.mark.django_db
def test_names_tripcodes_and_mail_are_escaped(make_thread):
    thread = make_thread()
    view = PostView(
        post=None,
        number=2,
        name=HOSTILE,
        tripcode=HOSTILE,
        is_capcode=False,
        is_default_name=False,
        mail=HOSTILE,
        time_text="2026/11/26(Thu) 03:00:00.00",
        time_iso=datetime(2026, 11, 26, tzinfo=UTC).isoformat(),
        daily_id="AbCdEfGh",
        status=Post.Status.VISIBLE,
        body_html="",
    )
    html = render_posts([view], board=thread.board, thread=thread)
    assert "<script>" not in html
    assert html.count(str(escape(HOSTILE))) == 3
    assert str(escape(HOSTILE)).startswith("&lt;script&gt;")


@pytest.mark.django_db
def test_a_thread_title_is_escaped_in_the_boards_thread_list(client, settings, make_thread):
    settings.YOAKE_PAGE_CACHE = False
    thread = make_thread(title=HOSTILE)
    page = client.get(thread.board.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#x27;&amp;" in page
