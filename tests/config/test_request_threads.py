"""Django's part of each request runs in a thread the server process keeps, as under WSGI, not
in a thread started and stopped for it (config.asgi.OneThreadHandler); requests still run side
by side, each in a thread of its own while it runs."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.asgi import get

pytestmark = pytest.mark.django_db(transaction=True)


def handler_recording_threads():
    from config.asgi import OneThreadHandler

    handler = OneThreadHandler()
    answer, threads = handler.get_response, []

    def get_response(request):
        threads.append(threading.current_thread())
        return answer(request)

    handler.get_response = get_response
    return handler, threads


async def test_one_request_after_another_runs_in_the_same_kept_thread():
    handler, threads = handler_recording_threads()
    before = threading.active_count()
    for _ in range(5):
        assert (await get(handler, "/healthz")).status == 200
    assert len(set(threads)) == 1 and threads[0] is not threading.main_thread()
    assert threading.active_count() <= before + 1  # one thread kept, none left behind


async def test_requests_at_once_each_have_a_thread_and_neither_waits_for_the_other():
    handler, threads = handler_recording_threads()
    answer = handler.get_response
    both_inside = threading.Barrier(2, timeout=10)

    def get_response(request):
        both_inside.wait()  # only passes once the other request is in Django too
        return answer(request)

    handler.get_response = get_response
    first, second = await asyncio.wait_for(
        asyncio.gather(get(handler, "/healthz"), get(handler, "/healthz")), timeout=20
    )
    assert first.status == second.status == 200
    assert len(set(threads)) == 2
    # Both threads are kept: the next two requests at once start none.
    kept = set(threads)
    threads.clear()
    await asyncio.wait_for(
        asyncio.gather(get(handler, "/healthz"), get(handler, "/healthz")), timeout=20
    )
    assert set(threads) == kept
