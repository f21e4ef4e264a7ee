"""PostgreSQL down: a calm, translated 503 with help lines, never a 500 or a traceback per request.

The connection is pointed at a socket folder where no server listens, exactly what a stopped
PostgreSQL leaves behind, and pointed back afterwards, as when the server starts again.
"""

from __future__ import annotations

import logging

import pytest
from asgiref.sync import SyncToAsync
from django.db import connection, connections

from config.middleware import database_answered
from tests.realtime.sockets import next_frame
from tests.twoch.conftest import page_text, post_bbs_cgi, reply_form

pytestmark = pytest.mark.django_db(transaction=True)


class Postgres:
    """Stops and starts PostgreSQL as the site sees it."""

    def __init__(self, dead_folder: str):
        self.real_host = connection.settings_dict["HOST"]
        self.real_port = connection.settings_dict.get("PORT", "")
        self.dead_folder = dead_folder

    def _point_at(self, host: str, port: str) -> None:
        # One settings dict serves every thread's connection; close them all, the consumers'
        # worker thread included, so that each connects afresh.
        connections.close_all()
        SyncToAsync.single_thread_executor.submit(connections.close_all).result()
        connection.settings_dict["HOST"] = host
        connection.settings_dict["PORT"] = port

    def stop(self) -> None:
        self._point_at(self.dead_folder, "5432")

    def start(self) -> None:
        self._point_at(self.real_host, self.real_port)


@pytest.fixture
def postgres(tmp_path):
    server = Postgres(str(tmp_path))
    yield server
    server.start()
    database_answered()  # end this process's outage, as the next request would


@pytest.fixture
def thread(make_thread, night):
    return make_thread(board=night, title="Awake again", body="Still here at 3 a.m.")


def test_an_uncached_thread_page_answers_a_calm_503_with_help_lines(client, postgres, thread):
    postgres.stop()

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "Yoake is resting for a moment" in text
    assert "Everything already posted is safe" in text
    assert 'href="tel:119"' in text  # help lines, from the data built into the release
    assert "Server Error" not in text


def test_the_503_page_speaks_japanese_to_japanese_readers(client, postgres, thread):
    postgres.stop()

    response = client.get(thread.get_absolute_url(), headers={"Accept-Language": "ja"})

    assert response.status_code == 503
    text = response.content.decode()
    assert '<html lang="ja"' in text
    assert "夜明けはいま少し休んでいます" in text
    assert 'href="tel:119"' in text
    assert "救急・消防" in text


def test_the_503_page_shows_an_en_gb_reader_the_uks_lines(client, postgres, thread):
    postgres.stop()

    response = client.get(thread.get_absolute_url(), headers={"Accept-Language": "en-GB"})

    text = response.content.decode()
    assert 'href="tel:999"' in text and 'href="tel:119"' not in text
    assert "Not in the UK?" in text


def test_a_signed_in_reader_gets_the_same_503_not_a_500(client, postgres, thread, make_user):
    client.force_login(make_user())
    postgres.stop()

    for path in (thread.get_absolute_url(), "/", "/search/?q=awake"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "Yoake is resting for a moment" in response.content.decode()


def test_a_cached_page_is_still_served(client, postgres, thread):
    assert client.get(thread.get_absolute_url()).status_code == 200  # now in the page cache
    postgres.stop()

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    assert "Still here at 3 a.m." in response.content.decode()


def test_bbs_cgi_answers_in_its_2channel_error_form(jdim, postgres, thread):
    postgres.stop()

    response = post_bbs_cgi(jdim, reply_form("night", thread.key, body="届きますか"))

    # 200 like every bbs.cgi answer: 2channel browsers show nothing of any other status.
    assert response.status_code == 200
    assert response["Retry-After"] == "30"
    text = page_text(response)
    assert "<!-- 2ch_X:error -->" in text
    assert "<title>ＥＲＲＯＲ！</title>" in text


def test_the_help_now_page_works_without_the_database(client, postgres):
    postgres.stop()

    response = client.get("/support/help-now/?country=JP")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'href="tel:119"' in text
    assert "Ambulance and fire (119)" in text


def test_an_outage_is_one_log_line_not_a_traceback_per_request(client, postgres, thread, caplog):
    postgres.stop()

    with caplog.at_level(logging.INFO):
        answers = [client.get(thread.get_absolute_url()).status_code for _ in range(20)]
        postgres.start()
        assert client.get(thread.get_absolute_url()).status_code == 200

    assert answers == [503] * 20
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.getMessage().split(":")[0] for record in errors] == ["database unavailable"]
    assert not any(record.exc_info for record in caplog.records)
    assert [r.getMessage() for r in caplog.records if r.name == "yoake.database"][-1] == (
        "database back"
    )


def test_the_site_recovers_without_a_restart(client, postgres, thread):
    postgres.stop()
    assert client.get(thread.get_absolute_url()).status_code == 503

    postgres.start()

    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "Still here at 3 a.m." in response.content.decode()


async def test_a_live_thread_socket_closes_with_4503_and_says_why(connect, postgres, thread):
    postgres.stop()

    socket = await connect(f"/ws/thread/{thread.board.slug}/{thread.key}/?lang=ja")

    frame = await next_frame(socket, "error")
    assert frame["code"] == "database_unavailable"
    assert "休んで" in frame["message"]
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4503}


async def test_a_chat_socket_closes_with_4503_in_english(connect, postgres, make_room):
    await SyncToAsync(make_room)(slug="lounge")
    postgres.stop()

    socket = await connect("/ws/chat/lounge/?lang=en")

    frame = await next_frame(socket, "error")
    assert frame == {
        "type": "error",
        "code": "database_unavailable",
        "message": "Yoake is resting for a moment. Trying again soon…",
    }
    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4503}


def test_a_dat_file_not_yet_cached_answers_503_while_postgres_is_down(client, postgres, thread):
    path = f"/{thread.board.slug}/dat/{thread.key}.dat"
    postgres.stop()

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"]
    postgres.start()
    assert client.get(path).status_code == 200


def test_an_outage_met_outside_any_view_is_the_calm_503_and_other_errors_stay_500(rf, postgres):
    from django.db.utils import OperationalError

    from config.views import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        outage = server_error(rf.get("/"))
    try:
        raise ValueError("a bug")
    except ValueError:
        bug = server_error(rf.get("/"))

    assert outage.status_code == 503
    assert outage["Retry-After"]
    assert bug.status_code == 500
