"""Moderators learn of risk in seconds: an open queue page's staff-only socket hears of a new
risk item as soon as it commits, over the real channel layer; nobody else may listen."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from review.consumers import CLOSE_FORBIDDEN

pytestmark = pytest.mark.django_db(transaction=True)

RISKY = "今夜はもう死にたい"


def socket_for(session_cookie: str | None) -> WebsocketCommunicator:
    from config.asgi import application

    headers = [(b"host", b"testserver"), (b"origin", b"http://testserver")]
    if session_cookie:
        headers.append((b"cookie", f"sessionid={session_cookie}".encode()))
    socket = WebsocketCommunicator(application, "/ws/review/", headers=headers)
    socket.scope["client"] = ("203.0.113.50", 40000)
    return socket


def signed_in(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def test_a_new_risk_post_reaches_an_open_queue_at_once(
    make_moderator, make_risk_phrase, make_thread, make_post
):
    await sync_to_async(make_risk_phrase)(phrase="死にたい", language="ja")
    moderator = await sync_to_async(make_moderator)()
    thread = await sync_to_async(make_thread)()
    socket = socket_for(await sync_to_async(signed_in)(moderator))
    connected, _code = await socket.connect(timeout=5)
    assert connected
    assert await socket.receive_json_from(timeout=5) == {"latest": 0}

    await sync_to_async(make_post)(thread=thread, body=RISKY, confirm_risk=True)

    assert await socket.receive_json_from(timeout=5) == {"risk": True}
    await socket.disconnect()


async def test_a_signal_that_came_while_the_page_loaded_is_not_missed(
    make_moderator, make_risk_phrase, make_thread, make_post
):
    """The page was rendered, then a risk post arrived before its socket joined: the socket's
    first frame says a newer signal exists, so the page reloads (review/queue.js)."""
    from review.models import Signal

    await sync_to_async(make_risk_phrase)(phrase="死にたい", language="ja")
    moderator = await sync_to_async(make_moderator)()
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_post)(thread=thread, body=RISKY, confirm_risk=True)
    newest = await sync_to_async(lambda: Signal.objects.get().pk)()

    socket = socket_for(await sync_to_async(signed_in)(moderator))
    connected, _code = await socket.connect(timeout=5)
    assert connected
    assert await socket.receive_json_from(timeout=5) == {"latest": newest}
    await socket.disconnect()


@pytest.mark.parametrize("who", ["nobody", "staff_without_mfa", "reader"])
async def test_only_staff_with_two_factor_may_listen(who, make_moderator, make_user):
    if who == "nobody":
        cookie = None
    elif who == "staff_without_mfa":
        cookie = await sync_to_async(signed_in)(await sync_to_async(make_moderator)(mfa=False))
    else:
        cookie = await sync_to_async(signed_in)(await sync_to_async(make_user)())
    socket = socket_for(cookie)
    connected, code = await socket.connect(timeout=5)
    assert not connected and code == CLOSE_FORBIDDEN


async def test_an_open_queue_page_counts_as_a_review_socket_in_the_metrics(
    make_moderator, make_user
):
    from tests.ops.scraping import scrape, value

    async def review_sockets() -> float:
        return value(await sync_to_async(scrape)(), "yoake_open_sockets", kind="review")

    before = await review_sockets()
    refused = socket_for(await sync_to_async(signed_in)(await sync_to_async(make_user)()))
    assert not (await refused.connect(timeout=5))[0]
    socket = socket_for(await sync_to_async(signed_in)(await sync_to_async(make_moderator)()))
    assert (await socket.connect(timeout=5))[0]
    assert await review_sockets() == before + 1
    await socket.disconnect()
    assert await review_sockets() == before
