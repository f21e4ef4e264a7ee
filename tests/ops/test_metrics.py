"""GET /metrics: Prometheus' text format for the addresses the operator lists, the same answer
as any page that does not exist for everyone else, and nothing in it that names a person."""

from __future__ import annotations

import re

import pytest

from config.settings import envnetworks
from forum.addresses import hash_address
from forum.models import SurgeState
from tests.ops.scraping import samples, scrape, scrape_text, value

pytestmark = pytest.mark.django_db

OUTSIDER = "203.0.113.9"
# The labels /metrics may carry: views, status classes, boards and rooms, kinds of thing.
ALLOWED_LABELS = {"view", "status", "page", "result", "board", "kind", "slug", "le"}


def request_count(found, view: str, status: str = "2xx") -> float:
    return value(found, "yoake_http_request_duration_seconds_count", view=view, status=status)


def test_loopback_reads_every_metric_in_the_prometheus_text_format(
    client, make_board, make_thread, django_capture_on_commit_callbacks
):
    board = make_board(slug="quiet")
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(board=board)
    client.get("/quiet/")

    text = scrape_text(client)

    assert "# TYPE yoake_http_request_duration_seconds histogram" in text
    for name in (
        "yoake_http_request_duration_seconds_bucket",
        "yoake_page_cache_requests_total",
        "yoake_posts_total",
        "yoake_threads_total",
        "yoake_open_sockets",
        "yoake_surge",
        "yoake_postgres_up",
        "yoake_redis_up",
    ):
        assert re.search(rf"^{name}[{{ ]", text, re.MULTILINE), name


def test_an_address_or_network_the_operator_lists_reads_the_metrics(client, settings, monkeypatch):
    monkeypatch.setenv("YOAKE_METRICS_ALLOWED", "192.0.2.10, 198.51.100.0/24")
    settings.YOAKE_METRICS_ALLOWED = envnetworks("YOAKE_METRICS_ALLOWED", "127.0.0.0/8")

    assert client.get("/metrics", REMOTE_ADDR="198.51.100.23").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.10").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.11").status_code != 200
    # Listing addresses replaces the loopback default.
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code != 200


def test_a_mistyped_network_stops_the_site_from_starting(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("YOAKE_METRICS_ALLOWED", "10.0.0.0/33")
    with pytest.raises(ImproperlyConfigured, match="YOAKE_METRICS_ALLOWED"):
        envnetworks("YOAKE_METRICS_ALLOWED", "")


def test_anyone_else_gets_the_answer_of_a_page_that_does_not_exist(client):
    refused = client.get("/metrics", REMOTE_ADDR=OUTSIDER, follow=True)
    nothing_here = client.get("/metricz", REMOTE_ADDR=OUTSIDER, follow=True)

    assert refused.status_code == nothing_here.status_code == 404
    assert [hop[1] for hop in refused.redirect_chain] == [
        hop[1] for hop in nothing_here.redirect_chain
    ]
    assert b"yoake_" not in refused.content


def test_a_public_request_through_the_proxy_is_refused_though_the_proxy_is_on_loopback(
    client, settings
):
    # No proxy declared, yet the request came through one: its peer says nothing.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=OUTSIDER).status_code != 200

    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=OUTSIDER).status_code != 200
    # A forged loopback hop before the proxy's own changes nothing: the proxy's hop counts.
    forged = f"127.0.0.1, {OUTSIDER}"
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=forged).status_code != 200
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_a_board_page_counts_under_its_view_whether_rendered_or_from_the_page_cache(
    client, make_board
):
    make_board(slug="quiet")
    before = scrape(client)

    client.get("/quiet/")  # rendered, then kept
    client.get("/quiet/")  # answered by the page cache, before routing

    after = scrape(client)
    assert request_count(after, "board") - request_count(before, "board") == 2
    looked_up = "yoake_page_cache_requests_total"
    for result in ("miss", "hit"):
        was = value(before, looked_up, page="board", result=result)
        assert value(after, looked_up, page="board", result=result) == was + 1
    assert "/quiet/" not in scrape_text(client)


def test_a_board_that_does_not_exist_counts_as_the_board_view_answering_4xx(client):
    before = request_count(scrape(client), "board", "4xx")
    assert client.get("/nosuchboard/").status_code == 404
    assert request_count(scrape(client), "board", "4xx") == before + 1


def test_an_accepted_post_counts_once_and_a_refused_one_not_at_all(
    client, make_thread, django_capture_on_commit_callbacks
):
    thread = make_thread()
    board = thread.board.slug
    before = value(scrape(client), "yoake_posts_total", board=board)
    client.cookies["yoake_poster"] = "has-posted-before"  # past "Before your first post"

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(thread.get_absolute_url(), {"body": "still here"}).status_code == 302
        assert client.post(thread.get_absolute_url(), {"body": ""}).status_code != 302

    assert value(scrape(client), "yoake_posts_total", board=board) == before + 1


def test_a_new_thread_counts_as_a_thread_and_as_its_opening_post(
    client, make_board, make_thread, django_capture_on_commit_callbacks
):
    board = make_board(slug="night")
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        make_thread(board=board)
    after = scrape(client)
    for name in ("yoake_threads_total", "yoake_posts_total"):
        assert value(after, name, board="night") == value(before, name, board="night") + 1


def test_no_address_cookie_hash_or_thread_key_appears_in_the_metrics(
    client, settings, make_thread, django_capture_on_commit_callbacks
):
    address = "198.51.100.77"
    settings.YOAKE_METRICS_ALLOWED = envnetworks("NO_SUCH_VARIABLE", "198.51.100.0/24")
    thread = make_thread()
    client.cookies["yoake_poster"] = "a-poster-cookie-value"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(thread.get_absolute_url(), {"body": "hello"}, REMOTE_ADDR=address)
    client.get(thread.get_absolute_url(), REMOTE_ADDR=address)

    text = scrape_text(client, REMOTE_ADDR=address)

    hashes = hash_address(address)
    for secret in (address, "a-poster-cookie-value", str(thread.key), *vars(hashes).values()):
        if secret:
            assert str(secret) not in text
    labels = {name for _sample, found in samples(text) for name, _value in found}
    assert labels <= ALLOWED_LABELS


def test_the_surge_gauge_says_which_boards_and_rooms_are_in_a_surge(client, make_board, make_room):
    make_board(slug="calm")
    make_board(slug="raided", surge_switch=SurgeState.Switch.ON)
    make_room(slug="lounge", surge_switch=SurgeState.Switch.ON)

    found = scrape(client)

    assert value(found, "yoake_surge", kind="board", slug="raided") == 1
    assert ("yoake_surge", frozenset({"kind": "board", "slug": "calm"}.items())) in found
    assert value(found, "yoake_surge", kind="board", slug="calm") == 0
    assert value(found, "yoake_surge", kind="room", slug="lounge") == 1


def test_postgres_and_redis_read_one_while_they_answer(client):
    found = scrape(client)
    assert value(found, "yoake_postgres_up") == 1
    assert value(found, "yoake_redis_up") == 1
