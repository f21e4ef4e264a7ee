"""Each server process answers a hot cached page from its own copy, without Django, for as long as
Redis says the copy is current; a change anywhere shows on the very next request."""

import gzip

import brotli
import pytest
from asgiref.sync import async_to_sync

from forum.moderation import delete_post_as_moderator
from tests import asgi

pytestmark = pytest.mark.django_db(transaction=True)
ask = async_to_sync(asgi.get)
# Headers that differ between any two answers, whoever gives them.
PER_ANSWER = {"content-length"}


def same_answer(copy: asgi.Answer, full: asgi.Answer) -> bool:
    def headers(answer):
        return {k: v for k, v in answer.headers.items() if k not in PER_ANSWER}

    return (copy.status, headers(copy), copy.body) == (full.status, headers(full), full.body)


def test_the_second_reader_of_a_page_is_answered_from_the_copy_with_the_same_bytes_and_headers(
    make_thread,
):
    app, django = asgi.site()
    thread = make_thread(title="まだ起きてる")
    url = thread.get_absolute_url()
    full = ask(app, url)
    again = ask(app, url)
    assert django.requests == 1
    assert same_answer(again, full)
    assert again.headers["content-length"] == str(len(full.body))
    assert "まだ起きてる" in again.body.decode()
    for header in ("content-security-policy", "x-frame-options", "referrer-policy", "etag"):
        assert again.headers[header] == full.headers[header]


def test_a_reply_shows_on_the_next_answer_and_the_copy_is_kept_again(make_thread, make_post):
    app, django = asgi.site()
    thread = make_thread()
    url = thread.get_absolute_url()
    ask(app, url)
    ask(app, url)
    make_post(thread=thread, body="a reply at four in the morning")
    assert "a reply at four in the morning" in ask(app, url).body.decode()
    assert django.requests == 2
    assert "a reply at four in the morning" in ask(app, url).body.decode()
    assert django.requests == 2


def test_a_moderators_deletion_shows_on_the_next_answer(make_thread, make_post, make_moderator):
    app, _ = asgi.site()
    thread = make_thread()
    post = make_post(thread=thread, body="something cruel")
    url = thread.get_absolute_url()
    ask(app, url)
    assert "something cruel" in ask(app, url).body.decode()
    delete_post_as_moderator(post, by=make_moderator(), reason="cruel")
    assert "something cruel" not in ask(app, url).body.decode()


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_compressed_copy_decodes_to_the_plain_page(make_thread, coding):
    app, django = asgi.site()
    thread = make_thread(body="夜明け前が一番暗い")
    url = thread.get_absolute_url()
    plain = ask(app, url)
    packed = ask(app, url, accept_encoding=f"{coding}, identity;q=0.5")
    assert django.requests == 1
    assert packed.headers["content-encoding"] == coding
    assert "Accept-Encoding" in packed.headers["vary"]
    unpack = gzip.decompress if coding == "gzip" else brotli.decompress
    assert unpack(packed.body) == plain.body
    assert packed.headers["etag"] != plain.headers["etag"]


def test_an_unchanged_copy_answers_304_and_head_answers_without_a_body(make_thread):
    app, django = asgi.site()
    thread = make_thread()
    url = thread.get_absolute_url()
    full = ask(app, url)
    unchanged = ask(app, url, if_none_match=full.headers["etag"])
    assert (unchanged.status, unchanged.body) == (304, b"")
    head = ask(app, url, method="HEAD")
    assert (head.status, head.body) == (200, b"")
    assert head.headers["content-length"] == str(len(full.body))
    assert django.requests == 1


def test_each_language_and_theme_gets_its_own_copy(make_thread):
    app, _ = asgi.site()
    url = make_thread().get_absolute_url()
    for _ in range(2):
        assert 'lang="ja"' in ask(app, url, accept_language="ja").body.decode()
        assert 'lang="en"' in ask(app, url, accept_language="en").body.decode()
        assert 'data-theme="day"' in ask(app, url, cookie="yoake_theme=day").body.decode()
        assert 'data-theme="night"' in ask(app, url).body.decode()


def test_signed_in_readers_flash_messages_and_query_strings_always_reach_django(make_thread):
    app, django = asgi.site()
    url = make_thread().get_absolute_url()
    ask(app, url)
    ask(app, url)
    assert django.requests == 1
    ask(app, url, cookie="sessionid=someone")
    ask(app, url, cookie="messages=saved")
    ask(app, url + "?page=2")
    assert django.requests == 4


def test_a_copy_of_the_home_page_lives_no_longer_than_the_home_page_may(make_thread):
    app, django = asgi.site()
    make_thread()
    ask(app, "/")
    ask(app, "/")
    assert django.requests == 1
    copy = next(iter(app.copies._copies.values()))
    copy.expires_at = 0  # its thirty seconds are over
    ask(app, "/")
    assert django.requests == 2


def test_copies_are_bounded_by_size_least_recently_used_out_first(make_thread):
    app, django = asgi.site()
    threads = [make_thread() for _ in range(3)]
    urls = [thread.get_absolute_url() for thread in threads]
    ask(app, urls[0])
    one = app.copies.size
    ask(app, urls[1])
    app.copies.limit = app.copies.size + one // 2  # room for two copies, not three
    ask(app, urls[0])  # the first is now the one read last
    ask(app, urls[2])  # a third pushes out the least recently read: the second
    assert app.copies.size <= app.copies.limit
    before = django.requests
    ask(app, urls[0])
    assert django.requests == before
    ask(app, urls[1])
    assert django.requests == before + 1
