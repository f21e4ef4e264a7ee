"""Helpers for board tests."""

from contextlib import contextmanager

import redis
from django.conf import settings
from django.db import connection

from forum.live import thread_group
from realtime.broadcast import group_channel, shard_index


@contextmanager
def someone_reading(thread):
    """A process listening to the thread's live updates, as one serving a reader's socket does
    (subscribed to the group's channel on the Redis server that carries it)."""
    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    channel = group_channel(config["prefix"], thread_group(thread.board.slug, thread.key))
    hosts = config["hosts"]
    client = redis.Redis.from_url(hosts[shard_index(channel, len(hosts))])
    listening = client.pubsub()
    listening.subscribe(channel)
    assert listening.get_message(timeout=2)["type"] == "subscribe"
    try:
        yield listening
    finally:
        listening.close()
        client.close()


def fill_thread(thread, upto: int) -> None:
    """Give `thread` posts 2..upto fast, inside PostgreSQL, obeying the numbering trigger."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DO $$
            DECLARE n integer;
            BEGIN
              FOR n IN (SELECT post_count + 1 FROM forum_thread WHERE id = %(id)s)..%(upto)s LOOP
                UPDATE forum_thread SET post_count = n WHERE id = %(id)s;
                INSERT INTO forum_post (thread_id, number, name, tripcode, is_capcode, mail, body,
                    created_at, daily_id, address_hash, range_hash_narrow, range_hash_wide,
                    delete_key_hash, status, status_reason, is_risk_flagged, is_filter_flagged,
                    body_html, reply_to)
                VALUES (%(id)s, n, '', '', false, 'sage', 'filler post ' || n, now(), 'AbCdEfGh',
                    '', '', '', '', 'visible', '', false, false, 'filler post ' || n, '{}');
              END LOOP;
            END $$;
            """.replace("%(id)s", str(int(thread.pk))).replace("%(upto)s", str(int(upto)))
        )
    thread.refresh_from_db()
