"""Fixtures for the real-time tests: WebSocket clients that close themselves, and the shared
browser fixtures (tests/browser/conftest.py) for the Playwright tests in this folder."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from asgiref.sync import SyncToAsync
from django.db import connections

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    artifacts,
    asgi_server,
    browser,
    browser_context_options,
    page,
)
from tests.chat.factories import make_room, send  # noqa: F401 (fixtures)
from tests.realtime.sockets import communicator


def pytest_collection_modifyitems(items):
    """Browser tests here run last too (see tests/browser/conftest.py for why)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and "browser" in Path(item.fspath).name:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def close_worker_connections():
    """Consumers and sync_to_async calls in async tests share asgiref's one worker thread; its
    database connection would otherwise outlive the test database."""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest.fixture
async def connect():
    """connect(path, origin=…, address=…) -> an open communicator (closed after the test);
    connect(path, expect_refusal=True) -> the close code of a refused handshake."""
    opened = []

    async def open_socket(path: str, *, expect_refusal: bool = False, **options):
        socket = communicator(path, **options)
        connected, code = await socket.connect(timeout=5)
        if expect_refusal:
            assert not connected, f"{path} was accepted"
            return code
        assert connected, f"{path} was refused ({code})"
        opened.append(socket)
        return socket

    yield open_socket
    for socket in opened:
        with contextlib.suppress(Exception):  # already closed by the server or the test
            await socket.disconnect()
