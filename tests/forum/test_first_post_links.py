"""A browser's first post holds at most one link; once it has posted, it may share any number.
Links are what the body renders as links, 2channel's ttp:// included, and bare www. addresses."""

from __future__ import annotations

import pytest
from django.utils import translation

from forum.errors import PostingRefused
from forum.links import check_first_post_links, count_links
from forum.models import Post
from forum.posting import create_post
from forum.text import render_body
from tests.factories import poster_from
from tests.twoch.conftest import post_bbs_cgi, reply_form

TWO_LINKS = "見てね https://a.example/one と http://b.example/two"


def new_browser(key: str = "never-posted-before"):
    return poster_from("203.0.113.60", delete_key=key)


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("おやすみ", 0),
        (">>12 それな", 0),
        ("https://a.example/", 1),
        ("HTTPS://A.EXAMPLE/ and http://b.example", 2),
        ("ttp://a.example/ ttps://b.example/", 2),  # 2channel's way of writing them
        ("www.a.example と www.b.example.jp", 2),
        ("ここwww.a.example.com", 1),
        ("http://www.a.example/ once", 1),  # a www. inside a URL is the same link
        ("草www", 0),  # laughter
        ("lolwww. and wwwww", 0),
        ("(https://a.example/x).", 1),
    ],
)
def test_links_are_counted_in_every_form_posters_write_them(body, links):
    assert count_links(body) == links


def test_every_url_the_body_renders_as_a_link_is_counted():
    body = "https://a.example/?q=1&r=2 ttp://b.example/\n>>1 (http://c.example/)."
    assert count_links(body) == render_body(body).count('rel="nofollow') == 3


@pytest.mark.django_db
def test_a_new_browsers_first_post_with_two_links_is_refused_kindly():
    with pytest.raises(PostingRefused) as refusal:
        check_first_post_links(new_browser(), TWO_LINKS)
    assert refusal.value.field == "body"
    message = refusal.value.message
    assert "This post has 2 links" in message
    assert "The first post from a browser can hold one link" in message
    assert "After this first post, you can share more." in message


@pytest.mark.django_db
def test_the_refusal_is_in_japanese_for_a_japanese_reader():
    with translation.override("ja"), pytest.raises(PostingRefused) as refusal:
        check_first_post_links(new_browser(), TWO_LINKS + " www.c.example")
    assert "リンクが3件" in refusal.value.message
    assert "最初の書きこみのあとは、もっと載せてもかまいません" in refusal.value.message


@pytest.mark.django_db
def test_one_link_in_a_first_post_is_fine_and_asks_nothing_of_the_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        check_first_post_links(new_browser(), "ここが分かりやすかった https://a.example/")
        check_first_post_links(new_browser(), "リンクなし")


@pytest.mark.django_db
def test_two_links_cost_one_query(django_assert_num_queries):
    with django_assert_num_queries(1), pytest.raises(PostingRefused):
        check_first_post_links(new_browser(), TWO_LINKS)


@pytest.mark.django_db
def test_after_its_first_post_a_browser_may_share_more_links(make_thread):
    thread = make_thread()
    poster = new_browser("posted-once")
    create_post(thread, poster=poster, body="はじめまして")
    check_first_post_links(poster, TWO_LINKS + " www.c.example")  # no refusal


@pytest.mark.django_db
def test_another_browsers_posts_do_not_lift_the_limit(make_thread):
    thread = make_thread()
    create_post(thread, poster=new_browser("someone-else"), body="こんばんは")
    with pytest.raises(PostingRefused):
        check_first_post_links(new_browser("still-new"), TWO_LINKS)


@pytest.mark.django_db
def test_a_browser_without_a_cookie_key_is_always_held_to_one_link():
    with pytest.raises(PostingRefused):
        check_first_post_links(new_browser(""), TWO_LINKS)


@pytest.mark.django_db
def test_the_web_form_refuses_and_keeps_what_was_typed(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "fresh-web-browser"
    response = client.post(thread.get_absolute_url(), {"body": TWO_LINKS})
    page = response.content.decode()
    assert response.status_code == 403
    assert "This post has 2 links" in page
    assert TWO_LINKS in page  # in the form again, to edit
    assert not Post.objects.filter(thread=thread, number=2).exists()


@pytest.mark.django_db
def test_bbs_cgi_answers_an_error_page_in_cp932(jdim, night, make_thread):
    thread = make_thread(board=night)
    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body=TWO_LINKS))
    text = response.content.decode("cp932")
    assert "ＥＲＲＯＲ" in text and "書きこみました" not in text
    assert "リンクが2件" in text
    assert not Post.objects.filter(thread=thread, number=2).exists()
