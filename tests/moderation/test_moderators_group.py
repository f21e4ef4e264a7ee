"""The Moderators group holds exactly what moderators need, and nothing over accounts or the log."""

import pytest
from django.contrib.auth.models import User

from forum.models import AuditLog
from tests.factories import group_named

pytestmark = pytest.mark.django_db

EXPECTED = {
    "forum.view_post",
    "forum.change_post",
    "forum.view_thread",
    "forum.change_thread",
    "forum.view_report",
    "forum.change_report",
    "forum.view_reportedpost",
    "forum.change_reportedpost",
    "forum.view_ban",
    "forum.add_ban",
    "forum.change_ban",
    "forum.view_wordfilter",
    "forum.add_wordfilter",
    "forum.change_wordfilter",
    "forum.delete_wordfilter",
    "forum.view_auditlog",
    # Boards only to see and switch their surge mode (accounts migration 0004).
    "forum.view_board",
    "forum.switch_surge",
}


def test_the_migration_creates_the_group_with_exactly_the_moderator_permissions():
    group = group_named("Moderators")  # as migrated (made again the same way after a flush)
    granted = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    assert {p for p in granted if p.startswith("forum.")} == EXPECTED
    assert {p for p in granted if p.startswith("chat.")} == {
        "chat.view_message",
        "chat.change_message",
        "chat.view_room",
        "chat.switch_surge",
    }
    assert {p for p in granted if p.startswith("support.")} == {
        f"support.{verb}_{model}"
        for model in ("helpline", "riskphrase")
        for verb in ("view", "add", "change", "delete")
    }
    assert not {p for p in granted if p.startswith(("auth.", "accounts.", "mfa."))}


def test_a_moderator_cannot_see_or_change_users_or_groups(moderator_client, make_user):
    other = make_user()
    for url in (
        "/admin/auth/user/",
        f"/admin/auth/user/{other.pk}/change/",
        "/admin/auth/group/",
        "/admin/auth/user/add/",
    ):
        assert moderator_client.get(url).status_code == 403, url
    response = moderator_client.post(
        f"/admin/auth/user/{other.pk}/change/", {"username": "renamed", "is_staff": "on"}
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.username != "renamed" and not other.is_staff


def test_a_moderator_can_read_the_audit_log_but_not_change_or_delete_it(
    moderator_client, make_thread
):
    from forum import moderation

    thread = make_thread()
    moderation.lock_thread(thread, by=moderator_client.moderator, reason="cool down")
    entry = AuditLog.objects.get()

    assert moderator_client.get("/admin/forum/auditlog/").status_code == 200
    page = moderator_client.get(f"/admin/forum/auditlog/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert (
        moderator_client.post(
            f"/admin/forum/auditlog/{entry.pk}/change/", {"reason": "nothing happened"}
        ).status_code
        == 403
    )
    assert moderator_client.get(f"/admin/forum/auditlog/{entry.pk}/delete/").status_code == 403
    assert (
        moderator_client.post(
            f"/admin/forum/auditlog/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert moderator_client.get("/admin/forum/auditlog/add/").status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "cool down"


def test_not_even_a_superuser_can_delete_or_rewrite_the_audit_log(client, make_moderator):
    from django.db import IntegrityError, transaction

    from forum import moderation
    from forum.models import WordFilter

    admin = make_moderator(superuser=True)
    client.force_login(admin)
    moderation.save_word_filter(WordFilter(pattern="x", action="flag"), by=admin)
    entry = AuditLog.objects.get()
    assert client.get(f"/admin/forum/auditlog/{entry.pk}/delete/").status_code == 403
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditLog.objects.filter(pk=entry.pk).update(reason="rewritten")


def test_deleting_a_moderators_account_keeps_their_entries_and_name(make_moderator, make_thread):
    from forum import moderation

    moderator = make_moderator(username="night-mod")
    moderation.pin_thread(make_thread(), by=moderator)
    User.objects.filter(pk=moderator.pk).delete()
    entry = AuditLog.objects.get()
    assert entry.actor_id is None
    assert entry.actor_name == "night-mod"
