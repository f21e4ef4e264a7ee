"""Preview before posting: a plain form button, no JavaScript, the post drawn as it will look,
and nothing stored, counted or asked for."""

import re

import pytest

from forum.models import Post, Thread
from review.models import ReviewItem
from tests.forum.test_pages import XSS, first_post

pytestmark = pytest.mark.django_db


def preview(client, url, **data):
    return client.post(url, {**data, "preview": "1"})


def test_the_post_form_has_a_preview_button_on_board_and_thread_pages(client, make_thread):
    thread = make_thread()
    for url in (thread.get_absolute_url(), thread.board.get_absolute_url()):
        page = client.get(url).content.decode()
        form = re.search(r'<form method="post".*?id="post-form".*?</form>', page, re.S).group(0)
        assert re.search(r'<button type="submit" name="preview" value="1">Preview</button>', form)


def test_a_preview_shows_the_reply_as_the_thread_page_will_and_keeps_the_text(client, make_thread):
    thread = make_thread()
    body = "hello\n>>1 thank you\n> a quote"
    response = preview(client, thread.get_absolute_url(), name="tea#tea", mail="sage", body=body)

    page = response.content.decode()
    assert response.status_code == 200
    drawn = re.search(r'<section class="post-preview".*?</section>', page, re.S).group(0)
    # The thread page's own markup: number, tripcode, mail, daily ID, anchors and quotes.
    assert '<article class="post" id="p2" data-number="2">' in drawn
    assert 'tea <span class="trip">◆WokonZwxw2</span>' in drawn
    assert "[sage]" in drawn
    assert re.search(r'<span class="post-id">ID:[A-Za-z0-9+/]{8}</span>', drawn)
    assert '<a class="anchor" href="#p1" data-anchor="1">&gt;&gt;1</a>' in drawn
    assert '<span class="quote">&gt; a quote</span>' in drawn
    # A preview is of no post yet: nothing to report or delete.
    assert "/report/" not in drawn and "/delete/" not in drawn
    # The form is there again with everything typed, the #key too, to post or edit.
    assert 'value="tea#tea"' in page
    assert "hello\n&gt;&gt;1 thank you\n&gt; a quote</textarea>" in page
    assert f'action="{thread.get_absolute_url()}"' in page


def test_a_preview_stores_nothing_and_asks_for_no_rules_or_cookie(client, make_thread):
    thread = make_thread()
    response = preview(client, thread.get_absolute_url(), body="only looking")

    assert "Before your first post" not in response.content.decode()
    assert "yoake_poster" not in response.cookies
    thread.refresh_from_db()
    assert thread.post_count == 1
    assert Post.objects.filter(thread=thread).count() == 1
    assert not ReviewItem.objects.exists()


def test_a_preview_takes_no_flood_slot(client, make_thread, settings):
    settings.YOAKE_POST_INTERVAL = 60
    thread = make_thread()
    url = thread.get_absolute_url()
    for _ in range(3):
        assert preview(client, url, body="draft").status_code == 200
    # Posted right after the previews: no wait was claimed by them.
    assert first_post(client, url, {"body": "draft"}).status_code == 302
    # And a preview right after a post is no second post within the interval.
    after = preview(client, url, body="the next one")
    assert after.status_code == 200
    assert "post-preview" in after.content.decode()
    # The interval does hold for posts.
    assert client.post(url, {"body": "the next one"}).status_code == 429
    thread.refresh_from_db()
    assert thread.post_count == 2


def test_a_preview_of_a_new_thread_shows_its_title_and_starts_nothing(client, make_board):
    board = make_board()
    response = preview(client, f"/{board.slug}/", title="Cannot sleep again", body="anyone up?")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<p class="thread-title preview-title">Cannot sleep again</p>' in page
    assert '<article class="post" id="p1" data-number="1">' in page
    assert 'value="Cannot sleep again"' in page
    assert not Thread.objects.filter(board=board).exists()


def test_a_preview_shows_the_errors_a_post_would_get(client, make_thread, make_board):
    thread = make_thread()
    empty = preview(client, thread.get_absolute_url(), body="  \n ")
    assert empty.status_code == 400
    assert "Please write something before posting." in empty.content.decode()
    assert "post-preview" not in empty.content.decode()

    long = preview(client, thread.get_absolute_url(), name="n" * 40, body="x" * 4001)
    page = long.content.decode()
    assert "A post can be at most 4000 characters (this one has 4001)." in page
    assert "The name can be at most 32 characters (it has 40)." in page
    assert 'role="alert"' in page

    board = make_board()
    untitled = preview(client, f"/{board.slug}/", body="a thread without a title")
    assert untitled.status_code == 400
    assert "Please give the thread a title." in untitled.content.decode()
    assert "a thread without a title</textarea>" in untitled.content.decode()


def test_a_preview_says_that_a_phone_number_will_be_masked(client, make_thread):
    thread = make_thread()
    page = preview(client, thread.get_absolute_url(), body="call me 090-1234-5678").content
    page = page.decode()
    drawn = re.search(r'<section class="post-preview".*?</section>', page, re.S).group(0)
    assert "090-1234-5678" not in drawn
    assert "090-****-****" in drawn
    assert "will be masked" in drawn


def test_a_preview_from_another_site_is_refused(client, make_thread):
    thread = make_thread()
    response = client.post(
        thread.get_absolute_url(),
        {"body": "x", "preview": "1"},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("payload", XSS)
def test_nothing_typed_into_a_preview_is_rendered_unescaped(client, make_thread, payload):
    thread = make_thread()
    data = {"title": payload, "name": payload[:28], "mail": payload[:60], "body": payload}
    for url in (thread.get_absolute_url(), f"/{thread.board.slug}/"):
        html = client.post(url, {**data, "preview": "1"}).content.decode()
        assert "post-preview" in html
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<svg onload" not in html
        assert "href='javascript" not in html and 'href="javascript' not in html
        assert "</textarea><script>" not in html
        assert "<b>reversed</b>" not in html
        # The post as drawn is cleaned like a post: no bidi override turns it around.
        drawn = re.search(r'<section class="post-preview".*?</section>', html, re.S).group(0)
        assert "\u202e" not in drawn


def test_a_japanese_reader_gets_the_preview_in_japanese(client, make_thread):
    thread = make_thread()
    page = client.post(
        thread.get_absolute_url(),
        {"body": "こんばんは", "preview": "1"},
        HTTP_ACCEPT_LANGUAGE="ja",
    ).content.decode()
    assert "プレビュー" in page
    assert "まだ投稿されていません" in page


def test_a_moderator_previews_the_capcode_and_nobody_else_can(client, make_moderator, make_thread):
    thread = make_thread()
    url = thread.get_absolute_url()
    anyone = preview(client, url, body="am I a moderator?", as_moderator="on")
    assert "Moderator ★" not in anyone.content.decode()

    client.force_login(make_moderator(username="kind-mod"))
    drawn = preview(client, url, name="kind-mod", body="Please be gentle.", as_moderator="on")
    section = re.search(r'<section class="post-preview".*?</section>', drawn.content.decode(), re.S)
    assert '<span class="post-name capcode">Moderator ★</span>' in section.group(0)
    assert "ID:???" in section.group(0)
    assert "kind-mod" not in section.group(0)
