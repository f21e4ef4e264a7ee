"""Anonymous pages come from Redis, and a change shows up at once."""

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.utils import timezone

from forum.models import Thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_thread_page_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries, make_thread
):
    thread = make_thread()
    first = client.get(thread.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(thread.get_absolute_url())
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_new_post_shows_immediately_despite_the_cache(client, make_thread, make_post):
    thread = make_thread()
    client.get(thread.get_absolute_url())
    client.get(f"/{thread.board.slug}/")
    make_post(thread=thread, body="fresh words")
    assert "fresh words" in client.get(thread.get_absolute_url()).content.decode()
    assert ">2<" in client.get(f"/{thread.board.slug}/").content.decode()


def test_a_deletion_shows_immediately_despite_the_cache(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "mine"
    client.post(thread.get_absolute_url(), {"body": "soon gone"})
    assert "soon gone" in client.get(thread.get_absolute_url()).content.decode()
    client.post(f"/post/{thread.board.slug}/{thread.key}/2/delete/")
    assert "soon gone" not in client.get(thread.get_absolute_url()).content.decode()


def test_an_unchanged_page_answers_304_to_its_etag(client, make_thread):
    thread = make_thread()
    etag = client.get(thread.get_absolute_url())["ETag"]
    assert client.get(thread.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_language_and_theme_get_their_own_cached_copies(client, make_thread):
    thread = make_thread()
    english = client.get(thread.get_absolute_url()).content.decode()
    japanese = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'lang="en"' in english and 'lang="ja"' in japanese
    client.cookies["yoake_theme"] = "day"
    assert 'data-theme="day"' in client.get(thread.get_absolute_url()).content.decode()


def test_cached_pages_carry_no_tokens_or_cookies_of_another_reader(client, make_thread):
    thread = make_thread()
    response = client.get(thread.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_a_cached_answer_keeps_the_security_headers_of_the_full_one(client, make_thread):
    thread = make_thread()
    first = client.get(thread.get_absolute_url())
    second = client.get(thread.get_absolute_url())
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Referrer-Policy",
        "Content-Language",
    ):
        assert second[header] == first[header]
    assert "unsafe-inline" not in second["Content-Security-Policy"]


def test_signed_in_readers_and_query_strings_bypass_the_cache(client, make_thread, make_post):
    thread = make_thread()
    client.get(thread.get_absolute_url())
    client.cookies["sessionid"] = "anything"
    assert "ETag" not in client.get(thread.get_absolute_url())


def test_a_board_retitled_in_the_admin_shows_its_new_title_on_every_cached_page(
    client, make_board, make_thread, make_moderator, django_assert_num_queries
):
    board = make_board(slug="night", title_en="Night owls")
    thread = make_thread(board=board)
    archived = make_thread(board=board)
    Thread.objects.filter(pk=archived.pk).update(is_archived=True, archived_at=timezone.now())
    pages = ["/", "/night/", thread.get_absolute_url(), archived.get_absolute_url()]
    for url in pages:
        assert "Night owls" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        for url in pages:
            assert "Night owls" in client.get(url).content.decode()

    administrator = Client()
    administrator.force_login(make_moderator(username="admin", superuser=True))
    fields = {name: "" if value is None else value for name, value in model_to_dict(board).items()}
    change = administrator.post(
        f"/admin/forum/board/{board.pk}/change/", {**fields, "title_en": "Early birds"}
    )
    assert change.status_code == 302

    for url in pages:
        page = client.get(url).content.decode()
        assert "Early birds" in page and "Night owls" not in page
