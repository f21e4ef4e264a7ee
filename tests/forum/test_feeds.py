"""Atom feeds: a board's newest threads and a thread's newest posts, what the pages show only."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from forum.models import Post, Thread
from forum.posting import set_post_status
from tests.forum.test_pages import XSS

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def atom(client, url, **extra):
    """The feed at `url`, parsed, after checking that it is a well-formed Atom feed."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    # What RFC 4287 requires of a feed and of each entry (an author: the feed's, or the entry's).
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(url)
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    return feed


def entries(feed) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


def titles(feed) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(feed)]


def test_a_board_feed_lists_its_live_threads_newest_first(client, make_board, make_thread):
    board = make_board(title_en="Night owls")
    now = timezone.now()
    make_thread(
        board=board, title="Older", body="first words", now=now - timezone.timedelta(hours=2)
    )
    make_thread(board=board, title="Newer", now=now - timezone.timedelta(hours=1))
    held = make_thread(board=board, title="Held in a surge")
    archived = make_thread(board=board, title="In the archive")
    Thread.objects.filter(pk=held.pk).update(is_held=True)
    Thread.objects.filter(pk=archived.pk).update(is_archived=True, archived_at=now)

    feed = atom(client, f"/{board.slug}/feed/")

    assert feed.findtext(f"{ATOM}title") == "Night owls · Yoake"
    assert titles(feed) == ["Newer", "Older"]
    older = entries(feed)[1]
    assert (
        older.find(f"{ATOM}link")
        .get("href")
        .endswith(Thread.objects.get(title="Older").get_absolute_url())
    )
    assert older.findtext(f"{ATOM}summary") == "first words"
    assert older.findtext(f"{ATOM}author/{ATOM}name") == board.default_name


def test_a_thread_feed_lists_visible_posts_newest_first(client, make_thread, make_post):
    thread = make_thread(body="the opening post")
    make_post(thread=thread, body="a kind reply", name="tea#tea")
    gone = make_post(thread=thread, body="deleted later")
    hidden = make_post(thread=thread, body="hidden for review")
    set_post_status(gone, Post.Status.DELETED_BY_POSTER)
    set_post_status(hidden, Post.Status.HIDDEN_PENDING_REVIEW)

    feed = atom(client, f"/{thread.board.slug}/{thread.key}/feed/")

    assert titles(feed) == ["2: a kind reply", "1: the opening post"]
    reply = entries(feed)[0]
    assert reply.find(f"{ATOM}link").get("href").endswith(f"{thread.get_absolute_url()}#p2")
    assert reply.findtext(f"{ATOM}author/{ATOM}name") == "tea ◆WokonZwxw2"
    body = ET.tostring(feed, encoding="unicode")
    assert "deleted later" not in body and "hidden for review" not in body


def test_a_held_thread_has_no_feed(client, make_thread):
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(is_held=True)
    assert client.get(f"/{thread.board.slug}/{thread.key}/feed/").status_code == 404
    assert client.get(f"/{thread.board.slug}/999/feed/").status_code == 404
    assert client.get("/nosuchboard/feed/").status_code == 404


def test_a_post_body_reaches_the_feed_as_the_renderers_escaped_html(client, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body=">>1 yes\nsee https://example.org/x")
    summary = entries(atom(client, f"/{thread.board.slug}/{thread.key}/feed/"))[0].findtext(
        f"{ATOM}summary"
    )
    assert summary == (
        '<a class="anchor" href="#p1" data-anchor="1">&gt;&gt;1</a> yes<br>\n'
        'see <a href="https://example.org/x" rel="nofollow ugc noopener noreferrer">'
        "https://example.org/x</a>"
    )


@pytest.mark.parametrize("payload", XSS)
def test_nothing_typed_reaches_a_feed_reader_as_markup(client, make_board, make_thread, payload):
    board = make_board()
    thread = make_thread(board=board, title=f"{payload} t", body=payload, name=payload[:28])
    for url in (f"/{board.slug}/feed/", f"/{board.slug}/{thread.key}/feed/"):
        feed = atom(client, url)
        entry = entries(feed)[0]
        # A summary is HTML: what was typed must be escaped inside it, as on the page.
        html = entry.findtext(f"{ATOM}summary")
        assert not re.search(r"<(?!a class=\"anchor\"|/a>|br>)", html), html
        # Titles and names are text (no type="html"): a reader shows them as written.
        assert entry.find(f"{ATOM}title").get("type") in (None, "text")
        assert "\u202e" not in ET.tostring(feed, encoding="unicode")


def test_board_and_thread_pages_link_their_feeds(client, make_thread):
    thread = make_thread()
    slug = thread.board.slug
    for page_url, feed_url in (
        (f"/{slug}/", f"/{slug}/feed/"),
        (thread.get_absolute_url(), f"/{slug}/{thread.key}/feed/"),
    ):
        page = client.get(page_url).content.decode()
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml" href="{re.escape(feed_url)}"',
            page,
        )


def test_a_new_post_reaches_a_feed_read_before_it(
    client, make_thread, make_post, django_capture_on_commit_callbacks
):
    thread = make_thread()
    url = f"/{thread.board.slug}/{thread.key}/feed/"
    assert len(entries(atom(client, url))) == 1  # cached like the thread page (forum.pagecache)
    assert client.get(url).headers["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the cached pages drop on commit
        make_post(thread=thread, body="a new reply")
    assert titles(atom(client, url))[0] == "2: a new reply"


def test_a_feed_is_in_the_readers_language(client, make_board, make_thread):
    board = make_board(title_en="Night owls", title_ja="夜ふかし")
    make_thread(board=board)
    feed = atom(client, f"/{board.slug}/feed/", HTTP_ACCEPT_LANGUAGE="ja")
    assert feed.findtext(f"{ATOM}title") == "夜ふかし · 夜明け"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
