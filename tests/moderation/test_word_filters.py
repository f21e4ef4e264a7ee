"""NG-word filters made in the admin: block, flag or replace, checked on the next post."""

import pytest
from django.urls import reverse

from forum.models import AuditLog, Post, WordFilter
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db


def add_filter(client, **fields):
    data = {
        "pattern": "",
        "action": "block",
        "replacement": "***",
        "applies_to_names": "on",
        "applies_to_titles": "on",
        "applies_to_bodies": "on",
        "applies_to_chat": "on",
        "is_active": "on",
        "note": "",
        **fields,
    }
    data = {key: value for key, value in data.items() if value is not False}
    return client.post(reverse("admin:forum_wordfilter_add"), data)


def test_a_block_filter_refuses_the_post_with_a_clear_message(moderator_client, make_thread):
    thread = make_thread()
    assert add_filter(moderator_client, pattern="buy followers").status_code == 302

    refused = reply(reader(), thread, "cheap! BUY FOLLOWERS now")

    assert refused.status_code == 403
    assert "not allowed here" in refused.content.decode()
    assert thread.posts.count() == 1


def test_a_flag_filter_lets_the_post_through_flagged_for_moderators(moderator_client, make_thread):
    thread = make_thread()
    add_filter(moderator_client, pattern=r"\bmeet\s*up\b", is_regex="on", action="flag")

    assert reply(reader(), thread, "anyone want to meet up in Osaka?").status_code == 302

    post = thread.posts.get(number=2)
    assert post.is_filter_flagged
    flagged = moderator_client.get(
        reverse("admin:forum_post_changelist"), {"is_filter_flagged__exact": "1"}
    )
    assert [p.pk for p in flagged.context["cl"].result_list] == [post.pk]


def test_a_replace_filter_changes_the_words(moderator_client, make_thread):
    thread = make_thread()
    add_filter(moderator_client, pattern="idiot", action="replace", replacement="(´・ω・`)")

    reply(reader(), thread, "you idiot")

    assert thread.posts.get(number=2).body == "you (´・ω・`)"


def test_a_filter_applies_only_to_the_fields_it_names(moderator_client, make_thread):
    thread = make_thread()
    add_filter(moderator_client, pattern="spoiler", applies_to_bodies=False)

    assert reply(reader(), thread, "no spoiler here, promise").status_code == 302
    refused = reply(reader("203.0.113.99"), thread, "hello", name="spoiler fan")
    assert refused.status_code == 403


def test_word_filters_apply_to_chat(moderator_client):
    from chat.models import Room
    from chat.rooms import send_message
    from forum.addresses import hash_address
    from forum.errors import PostingRefused

    add_filter(moderator_client, pattern="buy followers")
    room = Room.objects.create(slug="lounge2", title_en="Lounge", title_ja="ラウンジ")
    with pytest.raises(PostingRefused):
        send_message(room, sender=hash_address("203.0.113.5"), body="buy followers here")


def test_an_invalid_regular_expression_is_refused_by_the_form(moderator_client):
    response = add_filter(moderator_client, pattern="(unclosed", is_regex="on")

    assert response.status_code == 200
    assert "not a valid regular expression" in response.content.decode()
    assert "missing )" in response.content.decode()
    assert not WordFilter.objects.exists()
    assert not AuditLog.objects.exists()


def test_the_same_text_as_a_plain_pattern_is_fine(moderator_client):
    assert add_filter(moderator_client, pattern="(unclosed").status_code == 302
    assert WordFilter.objects.get().pattern == "(unclosed"


def test_adding_changing_and_deleting_filters_is_logged(moderator_client):
    add_filter(moderator_client, pattern="first")
    word_filter = WordFilter.objects.get()
    response = moderator_client.post(
        reverse("admin:forum_wordfilter_change", args=[word_filter.pk]),
        {
            "pattern": "second",
            "action": "flag",
            "replacement": "***",
            "applies_to_bodies": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    response = moderator_client.post(
        reverse("admin:forum_wordfilter_delete", args=[word_filter.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WordFilter.objects.exists()
    entries = list(AuditLog.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "add_word_filter",
        "change_word_filter",
        "delete_word_filter",
    ]
    assert "pattern" in entries[1].details["changed"]
    assert all(e.actor == moderator_client.moderator for e in entries)


def test_flagged_posts_are_not_hidden_from_readers(moderator_client, make_thread):
    thread = make_thread()
    add_filter(moderator_client, pattern="osaka", action="flag")
    reply(reader(), thread, "from osaka")
    assert Post.objects.get(thread=thread, number=2).is_visible
    assert "from osaka" in reader().get(thread.get_absolute_url()).content.decode()
