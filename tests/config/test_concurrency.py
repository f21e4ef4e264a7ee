"""Each server process works on a bounded number of requests at once, so a burst never runs
PostgreSQL out of connections; browsers with standing have a lane of their own, so a raid's
queue is not theirs to wait in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.utils import timezone

from config.concurrency import BoundedHTTP
from forum.poster import POSTER_COOKIE
from forum.standing import cookie_hash, note_seen
from forum.standing_pass import PASS_COOKIE, give_pass, has_pass
from tests.factories import poster_from


def _scope(cookie: str = "") -> dict:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return {"type": "http", "headers": headers}


def _pass_for(key: str) -> str:
    response = HttpResponse()
    give_pass(response, key)
    return response.cookies[PASS_COOKIE].value


async def _nothing():
    return {"type": "http.request"}


async def _ignore(message):
    return None


async def test_past_the_bound_requests_wait_their_turn_and_trusted_ones_do_not():
    release, started = asyncio.Event(), []

    async def app(scope, receive, send):
        started.append(scope)
        if scope.get("slow"):
            await release.wait()

    bounded = BoundedHTTP(app, limit=1, trusted=1)
    slow = asyncio.create_task(bounded({**_scope(), "slow": True}, _nothing, _ignore))
    await asyncio.sleep(0)  # let it take the one slot
    queued = asyncio.create_task(bounded(_scope(), _nothing, _ignore))
    trusted = bounded(
        _scope(f"{POSTER_COOKIE}=regular; {PASS_COOKIE}={_pass_for('regular')}"), _nothing, _ignore
    )
    await asyncio.wait_for(trusted, timeout=5)  # through its own lane at once
    assert len(started) == 2 and not queued.done()
    release.set()
    await asyncio.wait_for(asyncio.gather(slow, queued), timeout=5)
    assert len(started) == 3


def test_a_pass_is_worth_nothing_beside_another_browsers_cookie():
    note = _pass_for("regular")
    assert has_pass({POSTER_COOKIE: "regular", PASS_COOKIE: note})
    assert not has_pass({POSTER_COOKIE: "raider", PASS_COOKIE: note})
    assert not has_pass({POSTER_COOKIE: "regular", PASS_COOKIE: note[:-2] + "xx"})
    assert not has_pass({PASS_COOKIE: note})


@pytest.mark.django_db
def test_a_poster_with_standing_is_given_the_pass_and_a_newcomer_is_not(client, make_thread):
    thread = make_thread()
    note_seen(cookie_hash(poster_from(delete_key="regular")), timezone.now() - timedelta(days=5))
    client.cookies[POSTER_COOKIE] = "regular"
    answer = client.post(thread.get_absolute_url(), {"body": "good morning"})
    assert answer.status_code == 302 and PASS_COOKIE in answer.cookies
    assert answer.cookies[PASS_COOKIE]["samesite"] == "Strict"

    client.cookies.clear()
    client.cookies[POSTER_COOKIE] = "brand-new"
    answer = client.post(thread.get_absolute_url(), {"body": "hello, first time here"})
    assert answer.status_code == 302 and PASS_COOKIE not in answer.cookies
