"""Deleting, restoring and banning from the post list, through the admin's own views."""

import pytest
from django.urls import reverse

from forum.models import AuditLog, Ban, Post, Report
from forum.reporting import report_post
from tests.factories import poster_from
from tests.moderation.helpers import reader, reply

pytestmark = pytest.mark.django_db


def test_deleting_a_post_with_a_reason_leaves_the_placeholder_and_keeps_numbering(
    moderator_client, admin_action, make_thread, make_post
):
    thread = make_thread()
    target = make_post(thread=thread, body="something cruel")
    make_post(thread=thread, body="a kind reply")

    response = admin_action(
        moderator_client, "forum_post", "delete_posts", [target], reason="harassment"
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == Post.Status.DELETED_BY_MODERATOR
    assert target.status_reason == "harassment"
    assert list(thread.posts.values_list("number", flat=True)) == [1, 2, 3]
    page = reader().get(thread.get_absolute_url()).content.decode()
    assert "deleted by a moderator" in page
    assert "something cruel" not in page
    assert "a kind reply" in page
    entry = AuditLog.objects.get(action=AuditLog.Action.DELETE_POST)
    assert (entry.actor, entry.object_id, entry.reason) == (
        moderator_client.moderator,
        target.pk,
        "harassment",
    )
    assert entry.object_repr == f"/{thread.board.slug}/{thread.key}/2"


def test_a_deletion_needs_a_reason(moderator_client, admin_action, make_thread):
    post = make_thread().posts.get()
    response = admin_action(moderator_client, "forum_post", "delete_posts", [post], reason="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    assert not AuditLog.objects.exists()


def test_deleting_a_reported_post_resolves_its_reports(moderator_client, admin_action, make_thread):
    post = make_thread().posts.get()
    report_post(post, reporter=poster_from("198.18.0.1").hashes, reason="spam")
    admin_action(moderator_client, "forum_post", "delete_posts", [post], reason="spam")
    assert list(Report.objects.values_list("status", "moderator_note")) == [("resolved", "spam")]


def test_restoring_a_deleted_post_shows_it_again(moderator_client, admin_action, make_thread):
    from forum import moderation

    thread = make_thread(body="it was fine after all")
    post = thread.posts.get()
    moderation.delete_post_as_moderator(post, by=moderator_client.moderator, reason="oops")

    response = admin_action(moderator_client, "forum_post", "restore_posts", [post])

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.status_reason) == (Post.Status.VISIBLE, "")
    assert "it was fine after all" in reader().get(thread.get_absolute_url()).content.decode()
    assert AuditLog.objects.filter(action=AuditLog.Action.RESTORE_POST, object_id=post.pk).exists()


def test_a_posters_own_deletion_is_not_restored(moderator_client, admin_action, make_thread):
    from forum.posting import delete_own_post

    post = make_thread().posts.get()
    delete_own_post(post, delete_key="test-delete-key")
    response = admin_action(moderator_client, "forum_post", "restore_posts", [post])
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.DELETED_BY_POSTER
    assert not AuditLog.objects.exists()


def test_banning_the_poster_refuses_their_next_post_with_the_reason(
    moderator_client, admin_action, make_thread
):
    thread = make_thread()
    troll = reader("203.0.113.66")
    assert reply(troll, thread, "first provocation").status_code == 302
    post = thread.posts.get(number=2)

    response = admin_action(
        moderator_client,
        "forum_post",
        "ban_posters",
        [post],
        kind="address",
        scope="site",
        duration="7d",
        reason="Repeated provocation",
    )

    assert response.status_code == 302
    ban = Ban.objects.get()
    assert (ban.kind, ban.scope, ban.target_hash) == ("address", "site", post.address_hash)
    assert ban.expires_at is not None
    refused = reply(troll, thread, "second provocation")
    assert refused.status_code == 403
    assert "Repeated provocation" in refused.content.decode()
    assert thread.posts.count() == 2
    assert reply(reader("203.0.114.9"), thread, "an unrelated reader").status_code == 302
    entry = AuditLog.objects.get(action=AuditLog.Action.BAN)
    assert entry.object_id == ban.pk
    assert entry.details["post"] == f"/{thread.board.slug}/{thread.key}/2"


def test_two_posts_by_one_poster_make_one_ban(moderator_client, admin_action, make_thread):
    thread = make_thread()
    troll = reader("203.0.113.67")
    reply(troll, thread, "one")
    reply(troll, thread, "two")
    posts = list(thread.posts.filter(number__gt=1))
    admin_action(
        moderator_client,
        "forum_post",
        "ban_posters",
        posts,
        kind="address",
        scope="site",
        duration="1d",
        reason="flooding",
    )
    assert Ban.objects.count() == 1


def test_moderators_see_a_hash_prefix_and_daily_id_but_never_a_whole_hash(
    moderator_client, make_thread
):
    thread = make_thread()
    post = thread.posts.get()

    listing = moderator_client.get(reverse("admin:forum_post_changelist")).content.decode()
    detail = moderator_client.get(
        reverse("admin:forum_post_change", args=[post.pk])
    ).content.decode()

    for page in (listing, detail):
        assert post.address_hash[:10] in page
        assert post.address_hash[:11] not in page
        assert post.range_hash_narrow[:10] not in page
        assert post.daily_id in page
    assert "Opening post" in detail


def test_the_post_list_finds_posts_by_text_by_daily_id_and_by_hash_prefix(
    moderator_client, make_thread, make_post
):
    thread = make_thread(body="the moon is bright tonight")
    other = make_post(thread=thread, body="cannot sleep again")
    url = reverse("admin:forum_post_changelist")

    by_text = moderator_client.get(url, {"q": "moon"}).context["cl"].result_list
    by_id = moderator_client.get(url, {"q": other.daily_id}).context["cl"].result_list
    by_hash = moderator_client.get(url, {"q": other.address_hash[:10]}).context["cl"].result_list

    assert [p.number for p in by_text] == [1]
    assert [p.number for p in by_id] == [2]
    assert [p.number for p in by_hash] == [2]


def test_a_post_page_offers_the_moderation_buttons(moderator_client, make_thread):
    post = make_thread().posts.get()
    page = moderator_client.get(reverse("admin:forum_post_change", args=[post.pk]))
    html = page.content.decode()
    assert 'value="delete_posts"' in html
    assert 'value="ban_posters"' in html
    # The button starts the same action as the list does: its form page answers.
    form = moderator_client.post(
        reverse("admin:forum_post_changelist"),
        {"action": "delete_posts", "_selected_action": [post.pk], "index": "0"},
    )
    assert form.status_code == 200
    assert "Reason" in form.content.decode()
