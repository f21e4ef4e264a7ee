"""“N people here now”: counts in Redis with expiry, by anonymous tokens, updated live."""

from __future__ import annotations

import asyncio
import re

import pytest
from asgiref.sync import sync_to_async

from config.cache import counters_client
from forum.addresses import hash_address
from realtime import presence
from tests.realtime.sockets import next_frame

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _quick_beats(settings):
    settings.YOAKE_PRESENCE_SECONDS = 0.2


def counts(frame) -> dict[str, int]:
    assert frame["type"] == "presence"
    return {place: entry["count"] for place, entry in frame["places"].items()}


async def counts_become(socket, wanted: dict[str, int], timeout: float = 5.0) -> dict:
    """Read presence frames until the counts are `wanted` (they move once per beat)."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await next_frame(socket, "presence")
            if counts(frame) == wanted:
                return frame


async def test_the_home_page_sees_readers_come_and_go(connect, make_board, make_thread):
    board = await sync_to_async(make_board)(slug="night")
    thread = await sync_to_async(make_thread)(board=board)
    home = await connect("/ws/presence/?watch=site,board:night&lang=en")
    assert counts(await next_frame(home, "presence")) == {"site": 1, "board:night": 0}

    reader = await connect(f"/ws/thread/night/{thread.key}/")
    frame = await counts_become(home, {"site": 2, "board:night": 1})
    assert frame["places"]["site"]["text"] == "2 people here now"

    await reader.disconnect()
    await counts_become(home, {"site": 1, "board:night": 0})


async def test_a_board_page_is_counted_on_its_board(connect):
    first = await connect("/ws/presence/?at=board:talk&watch=board:talk")
    assert counts(await next_frame(first, "presence")) == {"board:talk": 1}
    second = await connect("/ws/presence/?at=board:talk&watch=board:talk&lang=ja")
    frame = await next_frame(second, "presence")
    assert counts(frame) == {"board:talk": 2}
    assert frame["places"]["board:talk"]["text"] != "2 people here now"  # in Japanese
    await counts_become(first, {"board:talk": 2})


async def test_malformed_places_are_ignored(connect):
    socket = await connect("/ws/presence/?at=evil:<x>&watch=site,nonsense,board:talk")
    assert counts(await next_frame(socket, "presence")) == {"site": 1, "board:talk": 0}


async def test_presence_stores_random_tokens_and_never_an_address(connect):
    socket = await connect("/ws/presence/?at=board:talk&watch=board:talk", address="198.51.100.77")
    await next_frame(socket, "presence")
    members = await sync_to_async(counters_client().zrange)("yoake:presence:board:talk", 0, -1)
    address = hash_address("198.51.100.77")
    assert len(members) == 1
    token = members[0].decode()
    assert re.fullmatch(r"[0-9a-f]{24}", token)
    assert token not in (address.address, address.narrow, address.wide)
    assert "198.51.100.77" not in token
    ttl = await sync_to_async(counters_client().ttl)("yoake:presence:board:talk")
    assert 0 < ttl <= 2  # the whole set expires with its last refresh


async def test_a_connection_that_vanished_without_closing_expires():
    # As if its process died: refreshed once, never again, never removed.
    await presence.refresh("abandoned", ["board:talk"], [])
    assert await presence.refresh("watcher", [], ["board:talk"]) == {"board:talk": 1}
    await asyncio.sleep(3 * presence.interval() + 0.2)
    assert await presence.refresh("watcher", [], ["board:talk"]) == {"board:talk": 0}


async def test_chat_pages_get_counts_without_javascript(make_room, async_client):
    await sync_to_async(make_room)(slug="lounge")
    await presence.refresh("someone", ["room:lounge"], [])
    response = await async_client.get("/chat/lounge/")
    assert "1 person here now" in response.content.decode()


# --- "N reading now" on thread pages: people, not tabs ------------------------------------------

MARK_A, MARK_B = "a" * 32, "b" * 32


async def test_a_thread_page_counts_people_reading_it_not_tabs(connect, make_board, make_thread):
    board = await sync_to_async(make_board)(slug="night")
    thread = await sync_to_async(make_thread)(board=board)
    path = f"/ws/thread/night/{thread.key}/?here="
    place = f"thread:night-{thread.key}"

    first_tab = await connect(path + MARK_A)
    frame = await counts_become(first_tab, {place: 1})
    assert frame["places"][place]["text"] == "1 reading now"
    second_tab = await connect(path + MARK_A)  # the same browser, another tab
    someone_else = await connect(path + MARK_B)
    await counts_become(someone_else, {place: 2})

    await first_tab.disconnect()  # one of two tabs closes: that person is still reading
    assert await presence.refresh("watcher", [], [place]) == {place: 2}
    await second_tab.disconnect()
    await counts_become(someone_else, {place: 1})


async def test_a_browser_mark_is_kept_only_as_a_keyed_hash(connect, make_thread):
    thread = await sync_to_async(make_thread)()
    socket = await connect(f"/ws/thread/{thread.board.slug}/{thread.key}/?here={MARK_A}")
    await next_frame(socket, "presence")
    place = f"thread:{thread.board.slug}-{thread.key}"
    members = await sync_to_async(counters_client().zrange)(f"yoake:presence:{place}", 0, -1)
    assert members and all(MARK_A not in member.decode() for member in members)


def test_the_thread_page_has_the_place_and_no_count_of_its_own(client, make_thread):
    thread = make_thread()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f'data-presence="thread:{thread.board.slug}-{thread.key}" hidden' in page
    assert "reading now" not in page  # cached for everyone alike: the socket brings the count


async def test_people_who_stay_are_still_counted_long_after_their_first_refresh_expired(connect):
    # Each process refreshes all its connections together; a token lives three beats unrefreshed.
    first = await connect("/ws/presence/?at=board:talk&watch=board:talk")
    second = await connect("/ws/presence/?at=board:talk&watch=board:talk")
    await counts_become(first, {"board:talk": 2})
    await asyncio.sleep(4 * presence.interval())
    assert await presence.refresh("watcher", [], ["board:talk"]) == {"board:talk": 2}
    await second.disconnect()
    await counts_become(first, {"board:talk": 1})
