"""The poster's history beside an item: same address, same /64 or /24, same daily ID."""

import pytest

from forum.models import Ban
from forum.moderation import ban_poster
from forum.reporting import report_post
from review import outcomes
from review.history import poster_history
from review.models import ReviewItem
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


def reported_item(post):
    report_post(post, reporter=poster_from("198.18.0.99").hashes, reason="spam")
    return ReviewItem.objects.get(post=post)


def test_the_same_slash_64_counts_as_the_same_poster(make_thread, make_post):
    thread = make_thread()
    mine = make_post(thread=thread, address="2001:db8:1:2::10", body="first")
    same_home = make_post(thread=thread, address="2001:db8:1:2:aaaa::99", body="second")
    other_home = make_post(thread=thread, address="2001:db8:1:3::10", body="third")

    history = poster_history(reported_item(mine))

    shown = [post.pk for post in history.posts]
    assert same_home.pk in shown
    assert other_home.pk not in shown and mine.pk not in shown


def test_history_lists_earlier_reviews_and_bans_without_any_hash(
    admin_client, make_thread, make_post, make_moderator
):
    thread = make_thread()
    earlier = make_post(thread=thread, address="203.0.113.5", body="earlier post")
    now = make_post(thread=thread, address="203.0.113.5", body="today")
    outcomes.delete(reported_item(earlier), by=make_moderator(), reason="spam")
    ban_poster(earlier, by=make_moderator(), reason="spam wave", kind=Ban.Kind.ADDRESS)
    item = reported_item(now)

    history = poster_history(item)
    assert [i.post_id for i in history.earlier_items] == [earlier.pk]
    assert [b.reason for b in history.bans] == ["spam wave"]

    page = admin_client.get(f"/admin/review/reviewitem/{item.pk}/change/").content.decode()
    assert "earlier post" in page and "spam wave" in page
    assert now.address_hash[:10] not in page
    assert now.range_hash_narrow[:10] not in page
    assert "203.0.113" not in page


def test_purged_hashes_do_not_make_everyone_the_same_poster(make_thread, make_post):
    from forum.models import Post

    thread = make_thread()
    stranger = make_post(thread=thread, address="198.51.100.1")
    mine = make_post(thread=thread, address="203.0.113.9")
    Post.objects.update(address_hash="", range_hash_narrow="", range_hash_wide="")
    mine.refresh_from_db()

    history = poster_history(reported_item(mine))
    assert stranger.pk not in [p.pk for p in history.posts]
