"""nginx in front of the hosts is the README's example, and the hosts trust exactly its one
X-Forwarded-For hop: a forged header from a client changes nobody's daily ID."""

from __future__ import annotations

import re
from pathlib import Path

from config.cluster import PROXY_CONF
from tests.cluster.web import seeded_threads

README = Path(__file__).resolve().parents[2] / "README.md"


def directives(text: str) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_the_cluster_proxies_exactly_as_the_readmes_nginx_example():
    example = re.search(r"```nginx\n(.*?)```", README.read_text(), re.S).group(1)
    location = re.search(r"location / \{\n(.*?)\n\s*\}", example, re.S).group(1)

    assert directives(location) == directives(PROXY_CONF.read_text())


def daily_ids(browser, host: str, thread: tuple[str, int], *bodies: str) -> list[str]:
    board, key = thread
    dat = browser.get(f"{host}/{board}/dat/{key}.dat").text
    found = {}
    for line in dat.splitlines():
        _name, _mail, date, body, _title = line.split("<>")
        for wanted in bodies:
            if wanted in body:
                found[wanted] = date.rsplit("ID:", 1)[1]
    return [found[body] for body in bodies]


def test_the_client_address_is_the_one_nginx_saw_not_one_the_client_claims(cluster, poster):
    host_a, _ = cluster.hosts
    thread = seeded_threads(cluster.primary)[4]
    poster.reply(cluster.url, thread, "first claim", **{"X-Forwarded-For": "198.51.100.7"})
    poster.reply(cluster.url, thread, "second claim", **{"X-Forwarded-For": "198.51.100.8"})
    # Straight to a host, the header is believed: it is where nginx writes what it saw.
    poster.reply(host_a.url, thread, "as if nginx saw it", **{"X-Forwarded-For": "198.51.100.7"})

    first, second, other = daily_ids(
        poster, cluster.url, thread, "first claim", "second claim", "as if nginx saw it"
    )
    assert first == second
    assert other != first
