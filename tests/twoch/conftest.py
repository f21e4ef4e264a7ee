"""Helpers for the 2channel-browser tests: a board as JDim sees it, and its HTTP requests."""

from __future__ import annotations

from urllib.parse import quote

import pytest

# JDim 0.9.0's headers (2ch.md §2.1), the ones that matter to the server.
JDIM_HEADERS = {
    "User-Agent": "Monazilla/1.00 JD",
    "Accept-Language": "ja,en-US;q=0.7,en;q=0.3",
}


@pytest.fixture
def night(make_board):
    """A board with the seed board's Japanese names, as 2channel browsers show them."""
    return make_board(
        slug="night",
        title_en="Night owls",
        title_ja="夜ふかし",
        default_name_ja="名無しさん",
        rules_ja="やさしく。\n自分や他人が特定される情報は書かないでください。",
    )


def cp932_form(*pairs: tuple[str, str]) -> bytes:
    """A form body the way JDim 0.9.0 sends it: cp932 bytes, percent-encoded, `%20` for spaces,
    characters outside cp932 as numeric references, fields in the order given."""
    return "&".join(
        f"{name}={quote(value.encode('cp932', 'xmlcharrefreplace'), safe='')}"
        for name, value in pairs
    ).encode("ascii")


def reply_form(board: str, key: int, *, name: str = "", mail: str = "sage", body: str) -> bytes:
    return cp932_form(
        ("bbs", board),
        ("key", str(key)),
        ("time", "1795672180"),
        ("submit", "書き込む"),
        ("FROM", name),
        ("mail", mail),
        ("MESSAGE", body),
    )


def thread_form(board: str, *, subject: str, name: str = "", mail: str = "", body: str) -> bytes:
    return cp932_form(
        ("bbs", board),
        ("subject", subject),
        ("time", "1795672180"),
        ("submit", "新規スレッド作成"),
        ("FROM", name),
        ("mail", mail),
        ("MESSAGE", body),
    )


@pytest.fixture
def jdim(client):
    """A test client that talks like JDim and already holds the poster cookie."""
    client.cookies["yoake_poster"] = "jdim-delete-key"
    return client


def post_bbs_cgi(client, body: bytes, **headers):
    return client.post(
        "/test/bbs.cgi",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={**JDIM_HEADERS, "Referer": "http://testserver/night/", **headers},
    )


def page_text(response) -> str:
    return response.content.decode("cp932")
