"""`manage.py purge_address_hashes` forgets hashes after ADDRESS_HASH_RETENTION_DAYS."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from forum import moderation
from forum.addresses import hash_address
from forum.models import Ban, Post, Report
from forum.reporting import report_post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


def age(queryset, days: int) -> None:
    queryset.update(created_at=timezone.now() - timedelta(days=days))


def test_hashes_older_than_the_retention_period_are_emptied_and_newer_ones_kept(
    make_thread, make_post, make_moderator, settings
):
    settings.ADDRESS_HASH_RETENTION_DAYS = 30
    thread = make_thread()
    old, recent = make_post(thread=thread), make_post(thread=thread)
    age(Post.objects.filter(pk=old.pk), 31)
    age(Post.objects.filter(pk=recent.pk), 29)
    report_post(recent, reporter=poster_from("198.51.100.1").hashes, reason="spam")
    report_post(recent, reporter=poster_from("198.51.100.2").hashes, reason="spam")
    age(Report.objects.filter(reporter_hash=poster_from("198.51.100.1").hashes.address), 40)
    ban = moderation.ban_poster(old, by=make_moderator(), reason="kept")

    out = StringIO()
    call_command("purge_address_hashes", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.address_hash, old.range_hash_narrow, old.range_hash_wide) == ("", "", "")
    assert old.daily_id and old.body  # what was said stays
    assert recent.address_hash and recent.range_hash_narrow and recent.range_hash_wide
    assert sorted(Report.objects.values_list("reporter_hash", flat=True)) == sorted(
        ["", poster_from("198.51.100.2").hashes.address]
    )
    assert Ban.objects.get(pk=ban.pk).target_hash == ban.target_hash
    assert "forum.Post: 1\n" in out.getvalue()
    assert "forum.Report: 1\n" in out.getvalue()


def test_chat_message_hashes_are_purged_too(settings):
    from chat.models import Message, Room
    from chat.rooms import send_message

    settings.ADDRESS_HASH_RETENTION_DAYS = 30
    room = Room.objects.create(slug="purge", title_en="Purge", title_ja="パージ")
    message = send_message(room, sender=hash_address("203.0.113.4"), body="hi").message
    age(Message.objects.filter(pk=message.pk), 31)

    call_command("purge_address_hashes", verbosity=0)

    message.refresh_from_db()
    assert (message.address_hash, message.range_hash_narrow, message.range_hash_wide) == (
        "",
        "",
        "",
    )


def test_purging_twice_changes_nothing_more(make_thread, settings):
    settings.ADDRESS_HASH_RETENTION_DAYS = 30
    post = make_thread().posts.get()
    age(Post.objects.filter(pk=post.pk), 60)
    first, second = StringIO(), StringIO()
    call_command("purge_address_hashes", stdout=first)
    call_command("purge_address_hashes", stdout=second)
    assert "forum.Post: 1\n" in first.getvalue()
    assert "forum.Post: 0\n" in second.getvalue()


def test_an_ended_ban_keeps_its_row_but_loses_its_hash_thirty_days_after_it_ended(
    make_thread, make_moderator
):
    from forum.management.commands.purge_address_hashes import purge
    from forum.safety import active_ban

    moderator = make_moderator()
    post = make_thread(address="198.51.100.9").posts.get()
    now = timezone.now()
    lifted = moderation.ban_poster(post, by=moderator, reason="lifted long ago")
    moderation.lift_ban(lifted, by=moderator)
    ended_recently = moderation.ban_poster(post, by=moderator, reason="just ended")
    for_ever = moderation.ban_poster(post, by=moderator, reason="in force")
    Ban.objects.filter(pk=lifted.pk).update(expires_at=now - timedelta(days=31))
    Ban.objects.filter(pk=ended_recently.pk).update(expires_at=now - timedelta(days=29))

    changed = purge(older_than=timedelta(days=30), now=now)

    assert changed["forum.Ban (ended)"] == 1
    assert Ban.objects.get(pk=lifted.pk).target_hash == ""  # the history stays, the hash goes
    assert Ban.objects.get(pk=lifted.pk).reason == "lifted long ago"
    assert Ban.objects.get(pk=ended_recently.pk).target_hash == for_ever.target_hash
    assert active_ban(poster_from("198.51.100.9").hashes).pk == for_ever.pk
    with pytest.raises(moderation.ModerationError, match="cannot be renewed"):
        moderation.change_ban(
            lifted, by=moderator, scope=Ban.Scope.SITE, board=None, expires_at=None, reason="again"
        )
