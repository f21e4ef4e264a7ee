"""Property-based fuzzing of every way text enters: the web forms, bbs.cgi and both kinds of
socket get arbitrary fields, bytes, content types and frames, and never answer a 500 or raise.

Each test keeps its board, thread and room across examples (function-scoped fixtures), so the
examples also meet the state earlier ones left behind: flood control, full rate limits, hidden
posts.
"""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.realtime.sockets import communicator
from tests.twoch.conftest import JDIM_HEADERS

pytestmark = pytest.mark.django_db(transaction=True)

fuzz = settings(
    max_examples=50,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a test client can send in a form field: any text but surrogates (it encodes to UTF-8).
typed = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "99999999999999999999",
        "&#0;",
        "&#55296;",
        "%ED%A0%80",
        "\x00",
        "sage",
        "a#b",
        "◆★",
        "\u202e",
        ">>1-99999",
        "１",
        "1e9",
        "on",
        "watch",
        "unwatch",
        "unhide",
    ]
)
field_value = st.one_of(typed, tricky)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8",
            "application/x-www-form-urlencoded; charset=rot13",
            "application/x-www-form-urlencoded; charset=utf-16",
            "application/x-www-form-urlencoded; charset=shift_jis",
            "application/x-www-form-urlencoded; charset=euc-jp",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=",
            "",
        ]
    ),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
)
raw_bodies = st.one_of(
    st.binary(max_size=600),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "bbs",
                    "key",
                    "FROM",
                    "mail",
                    "MESSAGE",
                    "subject",
                    "yoake_confirm",
                    "body",
                    "name",
                    "title",
                    "handle",
                    "thread",
                    "action",
                    "seen",
                ]
            ),
            st.binary(max_size=40),
        ),
        max_size=8,
    ).map(lambda pairs: b"&".join(name.encode() + b"=" + value for name, value in pairs)),
)


def form(*names: str):
    return st.dictionaries(st.sampled_from(names), field_value, max_size=len(names))


def assert_answered(response) -> None:
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def thread(night, make_thread):
    return make_thread(board=night, title="眠れない", body="こんばんは")


@pytest.fixture
def poster(client):
    client.cookies["yoake_poster"] = "fuzz-delete-key"
    return client


# --- web forms ---------------------------------------------------------------------------------


@fuzz
@given(fields=form("name", "mail", "body", "confirm_risk", "as_moderator", "edit"))
def test_a_thread_reply_form_with_any_fields_is_answered(poster, thread, fields):
    assert_answered(poster.post(thread.get_absolute_url(), fields))


@fuzz
@given(fields=form("title", "name", "mail", "body", "confirm_risk", "as_moderator", "edit"))
def test_a_new_thread_form_with_any_fields_is_answered(poster, night, fields):
    assert_answered(poster.post(f"/{night.slug}/", fields))


@fuzz
@given(
    action=st.sampled_from(["delete", "report"]),
    fields=form("delete_key", "reason", "detail", "key"),
)
def test_the_delete_and_report_forms_with_any_fields_are_answered(poster, thread, action, fields):
    assert_answered(poster.post(f"/post/night/{thread.key}/1/{action}/", fields))


@fuzz
@given(q=field_value, page=field_value, extra=form("category", "audience", "lang", "country"))
def test_search_with_any_query_and_page_is_answered(client, q, page, extra):
    assert_answered(client.get("/search/", {"q": q, "page": page}))
    assert_answered(client.get("/support/", {"q": q, **extra}))


@fuzz
@given(fields=form("handle", "body"))
def test_the_chat_room_form_with_any_fields_is_answered(poster, make_room, fields):
    room = make_room(slug="lounge") if not hasattr(poster, "room") else poster.room
    poster.room = room
    assert_answered(poster.post("/chat/lounge/", fields))


@fuzz
@given(
    path=st.sampled_from(["/accounts/hidden/", "/watched/"]),
    fields=form("thread", "action", "seen", "next"),
)
def test_the_account_hide_and_watch_endpoints_with_any_fields_are_answered(
    client, make_user, thread, path, fields
):
    if not hasattr(client, "signed_in"):
        client.force_login(make_user())
        client.signed_in = True
    if fields.get("thread") == "here":
        fields["thread"] = f"night/{thread.key}"
    assert_answered(client.post(path, fields))


@fuzz
@given(
    path=st.sampled_from(
        ["/night/", "/search/", "/chat/lounge/", "/accounts/hidden/", "/watched/", "/test/bbs.cgi"]
    ),
    body=raw_bodies,
    content_type=CONTENT_TYPES,
)
def test_any_bytes_under_any_content_type_are_answered_by_every_form(
    poster, thread, path, body, content_type
):
    assert_answered(poster.generic("POST", path, body, content_type=content_type))


# --- bbs.cgi -----------------------------------------------------------------------------------


@fuzz
@given(body=raw_bodies, content_type=CONTENT_TYPES, cookie=st.booleans())
def test_bbs_cgi_answers_any_bytes_under_any_content_type_with_a_200_page(
    client, thread, body, content_type, cookie
):
    if cookie:
        client.cookies["yoake_poster"] = "fuzz-delete-key"
    else:
        client.cookies.pop("yoake_poster", None)
    response = client.generic(
        "POST",
        "/test/bbs.cgi",
        body.replace(b"key=", f"key={thread.key}&x=".encode(), 1),
        content_type=content_type,
        headers={**JDIM_HEADERS, "Referer": "http://testserver/night/"},
    )
    assert response.status_code == 200  # 2channel browsers read nothing but a 200
    assert b"2ch_X:" in response.content


# --- sockets -----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | typed,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(typed, children, max_size=4),
    max_leaves=12,
)
sends = st.fixed_dictionaries(
    {"type": st.sampled_from(["send", "hello", "", "ping"])},
    optional={
        "handle": json_values,
        "body": json_values,
        "nonce": json_values,
        "last": json_values,
    },
).map(lambda frame: json.dumps(frame))
frames = st.one_of(
    st.text(max_size=200),
    json_values.map(json.dumps),
    sends,
    sends.map(lambda text: text.replace('"', '"\\ud800', 1)),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 3000).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.integers(3000, 6000).map(lambda n: "x" * n),
    st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
)


async def drive(path: str, texts: list[str]) -> None:
    """Open a socket, send every frame, read what comes back; any exception in the consumer is
    raised here by the communicator."""
    socket = communicator(path)
    connected, _code = await socket.connect(timeout=5)
    assert connected
    try:
        for text in texts:
            await socket.send_input({"type": "websocket.receive", "text": text})
        # receive_nothing waits without cancelling the consumer (a timed-out receive would).
        while not await socket.receive_nothing(timeout=0.05):
            output = await socket.receive_output(timeout=1)
            if output["type"] == "websocket.close":
                break
    finally:
        if not socket.future.done():
            await socket.disconnect(timeout=5)
        elif not socket.future.cancelled():
            socket.future.result()  # the consumer's own exception, if it raised one


@fuzz
@given(texts=st.lists(frames, min_size=1, max_size=5))
async def test_a_chat_socket_survives_any_text_frames(make_room, texts):
    from chat.models import Room

    if not await sync_to_async(Room.objects.filter(slug="lounge").exists)():
        await sync_to_async(make_room)(slug="lounge")
    await drive("/ws/chat/lounge/", texts)


@fuzz
@given(texts=st.lists(frames, min_size=1, max_size=5))
async def test_a_thread_socket_survives_any_text_frames(thread_key, texts):
    await drive(f"/ws/thread/night/{thread_key}/", texts)


@pytest.fixture
def thread_key(thread):
    return thread.key
