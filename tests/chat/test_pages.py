"""Without JavaScript a room still works: recent history and a plain form that posts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chat import seed
from chat.models import Message, Room
from forum.addresses import hash_address
from forum.models import Ban
from tests.config.markup import Page

pytestmark = pytest.mark.django_db


def parse(response) -> Page:
    page = Page()
    page.feed(response.content.decode())
    return page


def test_seed_creates_the_three_rooms_once():
    assert "3 chat rooms created" in seed.run()
    assert "0 chat rooms created" in seed.run()
    assert list(Room.objects.values_list("slug", flat=True)) == ["lounge", "family", "checkin"]


def test_the_room_list_links_every_room(client):
    seed.run()
    response = client.get("/chat/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("lounge", "family", "checkin"):
        assert f'href="/chat/{slug}/"' in html
        assert f'data-presence="room:{slug}"' in html


def test_a_room_shows_its_last_fifty_messages_escaped_and_a_plain_form(client, make_room, send):
    room = make_room(slug="lounge")
    for n in range(52):
        send(room, body=f"message number {n}")
    send(room, body="<img src=x onerror=alert(1)>")

    response = client.get("/chat/lounge/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="m4"' in html and 'id="m3"' not in html and 'id="m53"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    page = parse(response)
    form = next(f for f in page.forms if f["attrs"].get("id") == "chat-form")
    assert form["attrs"]["method"] == "post" and form["attrs"]["action"] == "/chat/lounge/"
    names = {field.get("name") for field in form["fields"]}
    assert {"csrfmiddlewaretoken", "handle", "body"} <= names
    scripts = [e for e in page.elements if e.tag == "script"]
    assert scripts and all(e.attrs.get("src") and not e.text.strip() for e in scripts)


def test_posting_the_form_sends_the_message_and_returns_to_the_room(client, make_room):
    make_room(slug="lounge")
    response = client.post("/chat/lounge/", {"handle": "owl#key", "body": "hello from no-JS"})
    assert response.status_code == 302
    assert response["Location"] == "/chat/lounge/#m1"
    message = Message.objects.get()
    assert (message.handle, message.body) == ("owl", "hello from no-JS")
    assert message.tripcode
    # The handle is remembered for next time (the browser's own cookie).
    page = client.get("/chat/lounge/").content.decode()
    assert 'value="owl#key"' in page
    assert "hello from no-JS" in page


def test_a_refused_message_keeps_what_was_typed_and_says_why(client, make_room):
    make_room(slug="lounge")
    response = client.post("/chat/lounge/", {"body": "x" * 501})
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 500 characters" in html
    assert "x" * 501 in html
    assert not Message.objects.exists()


def test_the_form_is_rate_limited_too(client, make_room):
    make_room(slug="lounge")
    for n in range(5):
        assert client.post("/chat/lounge/", {"body": f"quick {n}"}).status_code == 302
    response = client.post("/chat/lounge/", {"body": "too quick"})
    assert response.status_code == 429
    assert "wait" in response.content.decode()


def test_a_banned_address_is_told_on_the_form(client, make_room):
    make_room(slug="lounge")
    Ban.objects.create(
        kind="address", target_hash=hash_address("127.0.0.1").address, scope="chat", reason="spam"
    )
    response = client.post("/chat/lounge/", {"body": "hello"})
    assert response.status_code == 403
    assert "spam" in response.content.decode()
    assert "This ban has no end date" in response.content.decode()


def test_a_banned_address_is_told_when_the_ban_ends(client, make_room):
    make_room(slug="lounge")
    Ban.objects.create(
        kind="address",
        target_hash=hash_address("127.0.0.1").address,
        scope="chat",
        reason="spam",
        expires_at=datetime(2099, 1, 2, 15, 30, tzinfo=UTC),  # 00:30 on the 3rd in Tokyo
    )
    response = client.post("/chat/lounge/", {"handle": "owl", "body": "hello"})
    assert response.status_code == 403
    assert "The ban ends on 2099/01/03 00:30 (JST)." in response.content.decode()


def test_risk_language_is_held_and_the_sender_sees_help_lines_first(
    client, make_room, make_risk_phrase, make_help_line
):
    make_room(slug="lounge")
    make_risk_phrase(phrase="want to die")
    make_help_line(country="JP", kind="emergency", name_en="Emergency 119")
    typed = {"handle": "owl", "body": "I want to die <tonight>"}

    held = client.post("/chat/lounge/", typed)

    assert held.status_code == 200
    assert not Message.objects.exists()
    page = held.content.decode()
    assert "Emergency 119" in page and "has not been sent yet" in page
    assert page.index("Emergency 119") < page.index('id="chat-form"')  # help comes first
    # The held text is kept, escaped, in the form that sends it anyway, and in the room's form.
    assert 'name="body" value="I want to die &lt;tonight&gt;"' in page
    assert 'name="confirm_risk" value="1"' in page
    assert "I want to die &lt;tonight&gt;</textarea>" in page

    response = client.post("/chat/lounge/", {**typed, "confirm_risk": "1"})

    assert response["Location"] == "/chat/lounge/?help=1#m1"
    assert Message.objects.get().is_risk_flagged
    assert "Emergency 119" in client.get("/chat/lounge/?help=1").content.decode()
    assert "Emergency 119" not in client.get("/chat/lounge/").content.decode()


def test_a_moderator_removes_a_message_from_the_room_page(client, make_room, send, make_moderator):
    room = make_room(slug="lounge")
    send(room, body="unkind words")
    moderator = make_moderator(username="mod")
    client.force_login(moderator)
    page = client.get("/chat/lounge/").content.decode()
    assert 'action="/chat/lounge/1/remove/"' in page

    response = client.post("/chat/lounge/1/remove/", {"reason": "harassment"})

    assert response.status_code == 302
    message = Message.objects.get()
    assert message.status == Message.Status.DELETED_BY_MODERATOR
    assert (message.status_reason, message.moderated_by) == ("harassment", moderator)
    page = client.get("/chat/lounge/").content.decode()
    assert "unkind words" not in page and "removed by a moderator" in page


def test_nobody_else_can_remove_messages(client, make_room, send):
    room = make_room(slug="lounge")
    send(room, body="fine words")
    assert 'remove/"' not in client.get("/chat/lounge/").content.decode()
    response = client.post("/chat/lounge/1/remove/")
    assert response.status_code == 403
    assert Message.objects.get().status == Message.Status.VISIBLE


def test_staff_without_mfa_cannot_remove_messages(client, make_room, send, make_moderator):
    room = make_room(slug="lounge")
    send(room, body="fine words")
    client.force_login(make_moderator(mfa=False))
    assert 'remove/"' not in client.get("/chat/lounge/").content.decode()
    assert client.post("/chat/lounge/1/remove/").status_code == 403
    assert Message.objects.get().status == Message.Status.VISIBLE


def test_a_room_that_does_not_exist_is_a_404(client):
    assert client.get("/chat/nowhere/").status_code == 404
