"""Moderators see which boards are in a surge and why, on every admin page, and switch it by
hand; each switch is in the audit log."""

import pytest
from django.urls import reverse

from forum import surge
from forum.models import AuditLog, Board, SurgeState

pytestmark = pytest.mark.django_db


def test_a_moderator_sees_the_surge_and_its_reason_and_switches_it_off(
    make_board, moderator_client, settings
):
    settings.YOAKE_SURGE = True
    board = make_board(slug="night")
    surge.surge_detected(
        board, strength=2, reason="40 new threads in 10 minutes (usually 0.3)", now=board_now()
    )
    page = moderator_client.get(reverse("admin:index")).content.decode()
    assert 'id="surge-notice"' in page and "40 new threads in 10 minutes" in page

    listing = moderator_client.get(reverse("admin:forum_board_changelist")).content.decode()
    assert "40 new threads in 10 minutes" in listing

    answer = moderator_client.post(
        reverse("admin:forum_board_changelist"),
        {"action": "surge_off", "_selected_action": [board.pk]},
        follow=True,
    )
    assert "Surge switched off." in answer.content.decode()
    board.refresh_from_db()
    assert not board.in_surge()
    switched = AuditLog.objects.get(action=AuditLog.Action.SWITCH_SURGE)
    assert switched.details["mode"] == SurgeState.Switch.OFF
    assert 'id="surge-notice"' not in moderator_client.get(reverse("admin:index")).content.decode()


def test_a_moderator_may_switch_a_surge_on_but_not_edit_the_board(make_board, moderator_client):
    board = make_board()
    moderator_client.post(
        reverse("admin:forum_board_changelist"),
        {"action": "surge_on", "_selected_action": [board.pk]},
    )
    assert Board.objects.get(pk=board.pk).in_surge()
    change = moderator_client.post(
        reverse("admin:forum_board_change", args=[board.pk]), {"capacity": 1}
    )
    assert change.status_code == 403
    assert Board.objects.get(pk=board.pk).capacity == 300


def board_now():
    from django.utils import timezone

    return timezone.now()
