"""Helpers for board tests."""

from django.db import connection


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
