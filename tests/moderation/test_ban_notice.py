"""A banned poster reads the moderators' reason and when the ban ends, in the site's time zone."""

from datetime import UTC, datetime

import pytest

from forum.addresses import hash_address
from forum.models import Ban
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db

TROLL = "203.0.113.80"
# 15:30 UTC on 2 January is 00:30 on 3 January in Tokyo, the site's time zone.
ENDS = datetime(2099, 1, 2, 15, 30, tzinfo=UTC)


def ban(*, expires_at=None, reason="Trolling the night board"):
    return Ban.objects.create(
        kind=Ban.Kind.ADDRESS,
        target_hash=hash_address(TROLL).address,
        reason=reason,
        expires_at=expires_at,
    )


def test_the_refusal_says_the_reason_and_when_the_ban_ends(make_thread):
    thread = make_thread()
    ban(expires_at=ENDS)
    refused = reply(reader(TROLL), thread, "again")
    assert refused.status_code == 403
    html = refused.content.decode()
    assert "Trolling the night board" in html
    assert "The ban ends on 2099/01/03 00:30 (JST)." in html
    assert thread.posts.count() == 1


def test_a_ban_without_an_end_says_so(make_thread):
    ban()
    html = reply(reader(TROLL), make_thread(), "again").content.decode()
    assert "This ban has no end date" in html


def test_japanese_readers_read_it_in_japanese(make_thread):
    thread = make_thread()
    ban(expires_at=ENDS, reason="荒らし")
    html = (
        reader(TROLL)
        .post(thread.get_absolute_url(), {"body": "again"}, HTTP_ACCEPT_LANGUAGE="ja")
        .content.decode()
    )
    assert "モデレーターからの理由：荒らし" in html
    assert "禁止は2099/01/03 00:30（JST）に解除されます。" in html


def test_the_end_is_in_the_site_time_zone(settings, make_thread):
    settings.TIME_ZONE = "UTC"
    ban(expires_at=ENDS)
    html = reply(reader(TROLL), make_thread(), "again").content.decode()
    assert "The ban ends on 2099/01/02 15:30 (UTC)." in html
