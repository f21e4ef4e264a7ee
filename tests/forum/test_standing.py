"""A poster cookie earns standing by its age and its kept posts, with no account; a moderator's
deletion or a ban starts it again; it is forgotten after 30 unused days and outlives Redis."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.cache import redis_client
from forum import moderation
from forum.management.commands.purge_address_hashes import purge
from forum.models import Standing
from forum.poster import POSTER_COOKIE
from forum.posting import create_post
from forum.standing import cookie_hash, standing_for
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=60)
BODIES = itertools.count()


def posts_by(poster_key, thread, *, count, at):
    """`count` posts from one cookie, each from its own address, an hour apart from `at`."""
    return [
        create_post(
            thread,
            poster=poster_from(f"198.18.7.{n + 1}", delete_key=poster_key),
            body=f"post {next(BODIES)} from {poster_key}",
            now=at + timedelta(hours=n),
        )
        for n in range(count)
    ]


def test_standing_grows_with_the_cookies_age_and_its_kept_posts(make_thread):
    thread = make_thread()
    poster = poster_from(delete_key="cookie-a")
    posts_by("cookie-a", thread, count=1, at=T0)
    assert standing_for(poster, T0 + timedelta(minutes=5)).level == 0
    assert standing_for(poster, T0 + timedelta(days=1)).level == 1
    # Three days old but one kept post: still level 1, two kept posts short of level 2.
    seen = standing_for(poster, T0 + timedelta(days=3))
    assert (seen.level, seen.posts_needed) == (1, 2)
    posts_by("cookie-a", thread, count=2, at=T0 + timedelta(days=2))
    assert standing_for(poster, T0 + timedelta(days=4)).level == 2
    posts_by("cookie-a", thread, count=7, at=T0 + timedelta(days=5))
    assert standing_for(poster, T0 + timedelta(days=10)).level == 2  # ten posts, but 10 days
    top = standing_for(poster, T0 + timedelta(days=14))
    assert (top.level, top.next_step, top.report_weight) == (3, None, 2.0)


def test_a_post_not_yet_a_day_old_is_not_counted_as_kept(make_thread):
    thread = make_thread()
    posts_by("cookie-b", thread, count=1, at=T0)
    posts_by("cookie-b", thread, count=3, at=T0 + timedelta(days=3))
    assert (
        standing_for(poster_from(delete_key="cookie-b"), T0 + timedelta(days=3, hours=5)).level == 1
    )


def test_the_settings_page_shows_the_standing_and_the_next_step_in_both_languages(
    client, make_thread
):
    now = timezone.now()
    posts_by("cookie-c", make_thread(), count=3, at=now - timedelta(days=5))
    client.cookies[POSTER_COOKIE] = "cookie-c"
    english = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level 2 of 3: trusted." in english
    assert "counts as one and a half readers" in english
    assert "once 7 more of your posts have stayed up for a day" in english
    japanese = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "レベル2（最高3）：信頼" in japanese
    assert "あと7件" in japanese


def test_a_browser_without_the_cookie_is_told_how_it_gets_one(client, make_user):
    page = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no poster cookie yet" in page
    client.force_login(make_user())
    client.cookies[POSTER_COOKIE] = "cookie-d"
    page = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level 0 of 3: new." in page
    assert "first post or report" in page


def test_a_moderators_deletion_starts_the_standing_again(make_thread, make_moderator):
    posts = posts_by("cookie-e", make_thread(), count=3, at=T0)
    poster = poster_from(delete_key="cookie-e")
    later = T0 + timedelta(days=4)
    assert standing_for(poster, later).level == 2
    moderation.delete_post_as_moderator(posts[0], by=make_moderator(), reason="spam")
    now = timezone.now()
    assert standing_for(poster, now).level == 0
    # Its other posts, kept before the reset, do not bring it back.
    assert standing_for(poster, now + timedelta(days=4)).level == 1


def test_a_ban_starts_the_standing_again(make_thread, make_moderator):
    posts = posts_by("cookie-f", make_thread(), count=3, at=T0)
    poster = poster_from(delete_key="cookie-f")
    assert standing_for(poster, timezone.now()).level == 2
    moderation.ban_poster(posts[1], by=make_moderator(), reason="spam")
    assert standing_for(poster, timezone.now()).level == 0


def test_standing_is_forgotten_after_30_unused_days_and_kept_while_in_use(make_thread):
    thread = make_thread()
    posts_by("cookie-g", thread, count=3, at=T0)
    posts_by("cookie-h", thread, count=3, at=T0 + timedelta(days=20))
    purge(older_than=timedelta(days=30), now=T0 + timedelta(days=31))
    assert not Standing.objects.filter(
        cookie_hash=cookie_hash(poster_from(delete_key="cookie-g"))
    ).exists()
    assert Standing.objects.filter(
        cookie_hash=cookie_hash(poster_from(delete_key="cookie-h"))
    ).exists()
    # Forgotten means counted from zero again, its old posts included.
    assert standing_for(poster_from(delete_key="cookie-g"), T0 + timedelta(days=31)).level == 0


def test_standing_survives_losing_redis(make_thread):
    posts_by("cookie-i", make_thread(), count=3, at=T0)
    redis_client().flushall()
    assert standing_for(poster_from(delete_key="cookie-i"), timezone.now()).level == 2
