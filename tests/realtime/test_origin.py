"""Every socket checks the Origin (AllowedHostsOriginValidator) and refuses unknown paths."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", None], ids=["other-site", "null", "missing"]
)
async def test_a_socket_from_another_origin_is_refused(connect, make_thread, make_room, origin):
    thread = await sync_to_async(make_thread)()
    await sync_to_async(make_room)(slug="lounge")
    for path in (
        f"/ws/thread/{thread.board.slug}/{thread.key}/",
        "/ws/chat/lounge/",
        "/ws/presence/?watch=site",
    ):
        await connect(path, origin=origin, expect_refusal=True)


async def test_the_sites_own_origin_is_accepted(connect):
    await connect("/ws/presence/?watch=site", origin="http://testserver")


async def test_an_unknown_socket_path_is_refused_not_an_error(connect):
    assert await connect("/ws/nothing-here/", expect_refusal=True) == 4404
