"""`GET /metrics` for the operator's Prometheus, and the timing of every request.

MetricsMiddleware sits first in MIDDLEWARE: it times each request (by the resolved view, never
the path) and answers `/metrics` itself, before HTTPS redirects, sessions or routing, but only
to the addresses in YOAKE_METRICS_ALLOWED (loopback unless set). Anyone else's `/metrics` goes
on down the stack like any path that does not exist, so its answer is the same as theirs and
says nothing about the endpoint. The client address is forum.addresses' (TRUSTED_PROXY_COUNT),
and it is only compared, never kept or written.

Besides what the processes counted (config.metrics), a scrape asks PostgreSQL and Redis whether
they answer (each with a short timeout of its own) and reads which boards and rooms are in a
surge, so those numbers are true at the moment of the scrape in whichever worker answers.
"""

from __future__ import annotations

import ipaddress
import os
import time
from contextlib import closing
from pathlib import Path

import psycopg2
import redis
from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

from config import metrics
from config.outages import DATABASE_DOWN
from forum.addresses import behind_unknown_proxy, client_address

PATH = "/metrics"
# The classic text format, which every Prometheus reads (what generate_latest writes).
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# libpq waits at least 2 seconds for a connection; Redis answers in microseconds when well.
POSTGRES_TIMEOUT_SECONDS = 2
REDIS_TIMEOUT_SECONDS = 0.5


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        if request.path == PATH and request.method in ("GET", "HEAD") and may_scrape(request):
            response = HttpResponse(scrape(), content_type=CONTENT_TYPE)
            response["Cache-Control"] = "no-store"
            request_view = "metrics"
        else:
            response = self.get_response(request)
            request_view = view_name(request)
        metrics.request_answered(request_view, response.status_code, time.perf_counter() - started)
        return response


def view_name(request) -> str:
    """The URL name the request was routed to ("thread", "support:help_now"), "admin" for the
    admin's many pages, "static" for static files and "unmatched" when no route fits. Answers
    given before routing (the page cache, the 2channel files) are resolved here, once."""
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    if match.namespaces and match.namespaces[0] == "admin":
        return "admin"
    return match.view_name


def may_scrape(request) -> bool:
    """Whether this request comes from an address the operator listed.

    A request that came through a proxy the site was not told of (X-Forwarded-For with
    TRUSTED_PROXY_COUNT=0) is refused: behind a proxy on this host, everyone's peer is loopback.
    """
    if behind_unknown_proxy(request):
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in settings.YOAKE_METRICS_ALLOWED)


# --- the scrape -------------------------------------------------------------------------------


def scrape() -> bytes:
    """The text format: every process's counts, then the numbers read at this moment."""
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        forget_dead_processes(Path(directory))
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(_ThisProcess())
    registry.register(_ReadNow())
    return generate_latest(registry)


def forget_dead_processes(directory: Path) -> None:
    """Drop the live gauges (open sockets) of workers that are gone: uvicorn replaces a worker
    that dies, and the sockets it held closed with it. Counters stay: what it counted happened."""
    for file in directory.glob("gauge_live*_*.db"):
        pid = file.stem.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            mark_process_dead(int(pid), str(directory))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


class _ThisProcess:
    """One process, no shared folder: the default registry, as the metrics were recorded."""

    def collect(self):
        yield from REGISTRY.collect()


class _ReadNow:
    def collect(self):
        postgres, redis_answers = database_answers(), redis_answers_ping()
        yield _gauge("yoake_postgres_up", "1 when PostgreSQL answered this scrape.", postgres)
        yield _gauge("yoake_redis_up", "1 when Redis answered this scrape.", redis_answers)
        if postgres:
            places = surge_states()
            if places is not None:
                surge = GaugeMetricFamily(
                    "yoake_surge",
                    "1 while a board or chat room is in a surge (forum.surge), else 0.",
                    labels=["kind", "slug"],
                )
                for kind, slug, in_surge in places:
                    surge.add_metric([kind, slug], 1 if in_surge else 0)
                yield surge


def _gauge(name: str, documentation: str, up: bool) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=1 if up else 0)


def database_answers(alias: str = "default") -> bool:
    """PostgreSQL answers `SELECT 1` on a new connection within a couple of seconds.

    A connection of its own, so that a PostgreSQL that hangs (rather than refuses) costs the
    scrape the timeout and no more; Django's connections wait as long as the server does.
    """
    params = connections[alias].get_connection_params()
    params.pop("cursor_factory", None)
    params["connect_timeout"] = POSTGRES_TIMEOUT_SECONDS
    try:
        with closing(psycopg2.connect(**params)) as connection, connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = %s", [POSTGRES_TIMEOUT_SECONDS * 1000])
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except psycopg2.Error:
        return False


def redis_answers_ping() -> bool:
    """Redis answers PING within half a second, asked on a connection of its own (the site's
    clients skip Redis while their breaker is open, which would hide its recovery here)."""
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def surge_states() -> list[tuple[str, str, bool]] | None:
    """(kind, slug, in surge) for every board and room; None if PostgreSQL fails meanwhile."""
    # Imported here: the models need the app registry, and MIDDLEWARE loads this module early.
    from chat.models import Room
    from forum.models import Board

    now = timezone.now()
    fields = ("slug", "surge_switch", "surge_until")
    try:
        boards = [("board", b.slug, b.in_surge(now)) for b in Board.objects.only(*fields)]
        rooms = [("room", r.slug, r.in_surge(now)) for r in Room.objects.only(*fields)]
    except DATABASE_DOWN:
        return None
    return boards + rooms
