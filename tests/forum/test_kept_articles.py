"""A thread page's posts come from each process's kept articles (forum.rendering.Articles): the
page is the same with them warm, cold or turned off, and a change to anything an article shows
renders it again."""

import re

import pytest
from django.utils import translation

from forum import live
from forum.models import Post
from forum.moderation import delete_post_as_moderator, move_thread
from forum.rendering import ARTICLES

pytestmark = pytest.mark.django_db

ARTICLE = re.compile(r'<article class="post[^"]*" id="p(\d+)".*?</article>\n', re.S)


@pytest.fixture(autouse=True)
def _uncached_pages_and_no_kept_articles(settings):
    settings.YOAKE_PAGE_CACHE = False
    ARTICLES.clear()
    yield
    ARTICLES.clear()


@pytest.fixture
def thread(make_thread, make_post):
    """Every kind of post header and body: names, a tripcode, mail, a capcode, replies, and the
    three ways a post is not shown."""
    thread = make_thread(body="first <b>post</b> & more")
    for name, mail, body in [
        ("", "", ">>1 hello"),
        ("yoru#night", "sage", ">>1 >>2 tripcode"),
        ("<script>", 'a"b', "hostile name"),
        ("名無し", "", ">>3 deleted by its poster"),
        ("", "age", ">>1 deleted by a moderator"),
        ("", "", ">>2 hidden"),
        ("", "", "capcode"),
        ("", "", "https://example.org/ a link >>8"),
    ]:
        make_post(thread=thread, name=name, mail=mail, body=body)
    posts = Post.objects.filter(thread=thread)
    posts.filter(number=5).update(status=Post.Status.DELETED_BY_POSTER)
    posts.filter(number=6).update(status=Post.Status.DELETED_BY_MODERATOR)
    posts.filter(number=7).update(status=Post.Status.HIDDEN_PENDING_REVIEW)
    posts.filter(number=8).update(is_capcode=True)
    thread.refresh_from_db()
    return thread


def _page(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _cold(client, url, language="en"):
    ARTICLES.clear()
    return _page(client, url, language)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("spec", ["", "l3", "2-4n"])
def test_a_page_is_the_same_with_articles_warm_cold_or_none(
    client, settings, thread, language, spec
):
    url = thread.get_absolute_url() + spec
    cold = _cold(client, url, language)
    assert len(ARTICLES)
    assert not any("<script>" in m.group(0) for m in ARTICLE.finditer(cold))
    assert _page(client, url, language) == cold
    settings.YOAKE_POST_ARTICLES_MB = 0
    ARTICLES.clear()
    assert _page(client, url, language) == cold
    assert not len(ARTICLES)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_page_shows_each_post_as_live_updates_do(client, thread, language):
    page = _page(client, thread.get_absolute_url(), language)
    _page(client, thread.get_absolute_url(), language)  # warm
    articles = {int(m.group(1)): m.group(0) for m in ARTICLE.finditer(page)}
    assert sorted(articles) == list(range(1, 10))
    for item in live.render_posts(thread, articles, language):
        assert item["html"] == articles[item["number"]]


def _changed(client, thread, change, *, language="en"):
    """The page before and after `change`, warm, and the page after it rendered cold."""
    url = thread.get_absolute_url()
    before = _page(client, url, language)
    assert _page(client, url, language) == before
    url = change() or url
    after = _page(client, url, language)
    assert after == _cold(client, url, language)
    assert after != before
    return before, after


def test_a_post_deleted_by_a_moderator(client, thread, make_moderator):
    def delete():
        delete_post_as_moderator(thread.posts.get(number=3), by=make_moderator(), reason="cruel")

    before, after = _changed(client, thread, delete)
    assert "&gt;&gt;2</a> tripcode" in before
    assert "&gt;&gt;2</a> tripcode" not in after


def test_a_body_masked_again(client, thread):
    # A post's body changes nowhere but on posting (forum.composing masks personal information
    # there); whatever changes it, the stored body is part of the key.
    def mask():
        Post.objects.filter(thread=thread, number=4).update(body_html="(masked)")

    _, after = _changed(client, thread, mask)
    assert "(masked)" in after


def test_the_boards_default_name_changed(client, thread):
    def rename():
        thread.board.default_name_en = "Someone"
        thread.board.save()

    _, after = _changed(client, thread, rename)
    assert '<span class="post-name">Someone</span>' in after


def test_a_moved_thread(client, thread, make_board, make_moderator):
    to = make_board()

    def move():
        move_thread(thread, to_board=to, by=make_moderator())
        return thread.get_absolute_url()

    before, after = _changed(client, thread, move)
    assert f"/post/{to.slug}/{thread.key}/2/report/" in after
    assert f"/post/{to.slug}/" not in before


def test_another_language(client, thread):
    url = thread.get_absolute_url()
    english = _page(client, url, "en")
    japanese = _page(client, url, "ja")
    assert japanese == _cold(client, url, "ja")
    assert _page(client, url, "en") == english
    assert english != japanese
    with translation.override("ja"):
        assert translation.gettext("Report") in japanese


def test_a_new_reply_changes_only_the_backlinks_of_the_post_it_answers(client, thread, make_post):
    url = thread.get_absolute_url()
    _page(client, url)
    make_post(thread=thread, body=">>4 late reply")
    after = _page(client, url)
    assert after == _cold(client, url)
    assert '<a class="anchor" href="#p10" data-anchor="10">&gt;&gt;10</a>' in after


def test_the_kept_articles_stay_within_their_limit(client, settings, thread):
    settings.YOAKE_POST_ARTICLES_MB = 0.004  # about four kilobytes
    page = _page(client, thread.get_absolute_url())
    assert 0 < ARTICLES.size <= 0.004 * 2**20
    assert len(ARTICLES) < 9
    assert _page(client, thread.get_absolute_url()) == page


def test_any_change_to_a_post_renders_it_again_even_one_no_event_announced(client, thread):
    """Kept by the post's version (PostgreSQL's xmin): a queryset update, which sends no
    signal and tells no cache, still gives the post a new one."""
    url = thread.get_absolute_url()
    _page(client, url)
    Post.objects.filter(thread=thread, number=2).update(body_html="quietly edited", name="朝")
    page = _page(client, url)
    second = next(m.group(0) for m in ARTICLE.finditer(page) if m.group(1) == "2")
    assert "quietly edited" in second and "朝" in second
    assert page == _cold(client, url)
