"""The post partial renders without autoescape, so it is held to escaping what posters typed."""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from forum.charts import hourly_bars
from forum.models import Post
from forum.reading import PostView
from forum.rendering import render_posts, render_sparkline

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
    # A board's chart: counts, sizes, hours and our label.
    "chart.width",
    "chart.height",
    "label",
    "bars",
    "bar.x",
    "bar.y",
    "bar.height",
    "bar.count",
    "timezone.localtime(bar.hour)",
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


def test_a_boards_chart_draws_a_bar_for_each_hour_with_posts_in_local_time(settings):
    from django.utils import translation

    settings.TIME_ZONE = "Asia/Tokyo"
    now = datetime(2026, 12, 2, 11, 30, tzinfo=UTC)  # 20:30 in Tokyo
    two_hours_ago = datetime(2026, 12, 2, 9, tzinfo=UTC)
    chart = hourly_bars({two_hours_ago: 3, now.replace(minute=0): 1}, now=now)
    svg = render_sparkline(chart)
    assert svg.count("<rect") == 2  # the other 22 hours are empty
    assert "<title>18:00 · 3</title>" in svg and "<title>20:00 · 1</title>" in svg
    assert 'aria-label="4 posts in the last 24 hours"' in svg
    with translation.override("ja"):
        assert "この24時間で4件の書き込み" in render_sparkline(chart)
