"""A server process keeps the 2channel files it served and answers browsers' polls from that copy
without Django, by the same rules: the same status, headers and bytes for a whole dat, gzip, a
resume (206), a poll with nothing new (304) and a request past the end (416), and a new post
shows on the next poll."""

import gzip

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from tests import asgi

pytestmark = pytest.mark.django_db(transaction=True)
ask = async_to_sync(asgi.get)


@pytest.fixture
def thread(night, make_thread, make_post):
    thread = make_thread(board=night, body="一番乗り")
    make_post(thread=thread, body="二番目 (´・ω・`)")
    return thread


def dat_url(thread) -> str:
    return f"/{thread.board.slug}/dat/{thread.key}.dat"


def requests_browsers_make(whole: bytes, modified: str) -> dict[str, dict[str, str]]:
    return {
        "first download": {},
        "first download, gzip": {"accept_encoding": "gzip"},
        "resume": {"range": f"bytes={len(whole) - 20}-", "if_modified_since": modified},
        "nothing new, from length-1": {
            "range": f"bytes={len(whole) - 1}-",
            "if_modified_since": modified,
        },
        "nothing new, whole": {"if_modified_since": modified, "accept_encoding": "gzip"},
        "past the end": {"range": f"bytes={len(whole) + 50}-", "if_modified_since": modified},
    }


def django_answer(url: str, method: str = "GET", **headers: str) -> asgi.Answer:
    """The same request answered through the whole Django stack (the test client)."""
    response = getattr(Client(), method.lower())(
        url, headers={name.replace("_", "-"): value for name, value in headers.items()}
    )
    names = {name.lower(): value for name, value in response.items()}
    return asgi.Answer(response.status_code, names, response.content)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_every_poll_is_answered_from_the_copy_exactly_as_django_answers_it(thread, method):
    app, django = asgi.site()
    url = dat_url(thread)
    first = ask(app, url)
    whole, modified = first.body, first.headers["last-modified"]
    for name, headers in requests_browsers_make(whole, modified).items():
        copy = ask(app, url, method=method, **headers)
        full = django_answer(url, method, **headers)
        assert copy.status == full.status, name
        assert copy.body == full.body, name
        assert copy.headers == full.headers, name
    assert django.requests == 1
    statuses = [
        ask(app, url, **headers).status
        for headers in requests_browsers_make(whole, modified).values()
    ]
    assert statuses == [200, 200, 206, 304, 304, 416]


def test_a_gzip_copy_decodes_to_the_whole_dat(thread):
    app, _ = asgi.site()
    url = dat_url(thread)
    plain = ask(app, url)
    packed = ask(app, url, accept_encoding="gzip")
    assert packed.headers["content-encoding"] == "gzip"
    assert gzip.decompress(packed.body) == plain.body
    resumed = ask(app, url, accept_encoding="gzip", range="bytes=10-")
    assert "content-encoding" not in resumed.headers  # a resume appends raw bytes (2ch.md §2.3)
    assert resumed.body == plain.body[10:]


def test_a_new_post_reaches_the_next_poll_of_the_copy(thread, make_post):
    app, django = asgi.site()
    url = dat_url(thread)
    first = ask(app, url)
    ask(app, url)
    make_post(thread=thread, body="三番目")
    poll = {
        "range": f"bytes={len(first.body) - 1}-",
        "if_modified_since": first.headers["last-modified"],
    }
    resumed = ask(app, url, **poll)
    assert resumed.status == 206
    assert "三番目".encode("cp932") in resumed.body
    assert django.requests == 2


def test_board_files_are_kept_too_and_a_new_thread_reaches_subject_txt(night, thread, make_thread):
    app, django = asgi.site()
    url = f"/{night.slug}/subject.txt"
    ask(app, url)
    before = ask(app, url)
    assert django.requests == 1
    make_thread(board=night, title="新しいスレ")
    after = ask(app, url)
    assert "新しいスレ".encode("cp932") in after.body
    assert after.body != before.body
