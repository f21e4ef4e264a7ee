"""Moderators keep the help lines and risk phrases; every edit, in the admin or not, is audited."""

from datetime import date

import pytest
from django.urls import reverse

from forum import moderation
from forum.models import AuditLog
from support.models import HelpLine, RiskPhrase
from support.risk import find_risk_phrases
from tests.factories import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def signed_in_with_code(client, moderator):
    """Password, then the code the moderator's authenticator shows: the admin's own way in."""
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": moderator.username, "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(moderator.totp_secret)})
    assert response["Location"] == "/admin/"
    return client


def help_line_form(line: HelpLine, **changes) -> dict:
    """The admin's change form for `line` as a browser submits it, with `changes` typed in."""
    fields = {
        "country": line.country,
        "kind": line.kind,
        "name_en": line.name_en,
        "name_ja": line.name_ja,
        "phone": line.phone,
        "url": line.url,
        "timezone": line.timezone,
        "hours": '"24/7"',
        "hours_note_en": "",
        "hours_note_ja": "",
        "languages": ",".join(line.languages),
        "description_en": "",
        "description_ja": "",
        "source": line.source,
        "last_verified": line.last_verified.isoformat(),
        "active": "on",
        "order": str(line.order),
        "audit_reason": "",
    }
    return {**fields, **changes}


def test_a_moderator_with_mfa_changes_a_help_line_in_the_admin_and_the_log_says_so(
    client, make_moderator, make_help_line
):
    moderator = make_moderator(username="night-owl")
    assert not moderator.is_superuser
    line = make_help_line(name_en="Inochi no Denwa", phone="0120783556")
    signed_in_with_code(client, moderator)
    url = reverse("admin:support_helpline_change", args=[line.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        help_line_form(line, phone="0570783556", audit_reason="number checked on their site"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert line.phone == "0570783556"
    entry = AuditLog.objects.get()
    assert (entry.actor, entry.actor_name, entry.action) == (
        moderator,
        "night-owl",
        "change_help_line",
    )
    assert (entry.object_type, entry.object_id) == ("helpline", line.pk)
    assert entry.object_repr == "JP: Inochi no Denwa"
    assert entry.reason == "number checked on their site"
    assert entry.details["changed"] == {"phone": ["0120783556", "0570783556"]}


def test_saving_a_help_line_unchanged_writes_no_entry(moderator_client, make_help_line):
    line = make_help_line()
    url = reverse("admin:support_helpline_change", args=[line.pk])
    assert moderator_client.post(url, help_line_form(line)).status_code == 302
    assert not AuditLog.objects.exists()


def test_adding_and_deleting_a_help_line_in_the_admin_are_audited(
    moderator_client, admin_action, make_help_line
):
    template = make_help_line()
    response = moderator_client.post(
        reverse("admin:support_helpline_add"),
        help_line_form(template, country="GB", name_en="Samaritans", phone="116123"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = HelpLine.objects.get(country="GB")

    response = moderator_client.post(
        reverse("admin:support_helpline_delete", args=[added.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    admin_action(moderator_client, "support_helpline", "delete_selected", [template], post="yes")

    assert not HelpLine.objects.exists()
    entries = list(AuditLog.objects.order_by("id"))
    assert [(e.action, e.object_id) for e in entries] == [
        ("add_help_line", added.pk),
        ("delete_help_line", added.pk),
        ("delete_help_line", template.pk),
    ]
    assert {e.actor for e in entries} == {moderator_client.moderator}
    assert entries[0].details["changed"]["phone"] == ["", "116123"]
    assert entries[1].object_repr == "GB: Samaritans"
    assert entries[1].details["deleted"]["phone"] == "116123"


def test_a_help_line_with_impossible_hours_is_refused_and_not_logged(make_moderator):
    line = HelpLine(country="JP", kind="crisis_line", name_en="X", last_verified=date(2026, 1, 1))
    line.hours = [{"days": [9], "start": "09:00", "end": "17:00"}]
    with pytest.raises(Exception, match="Days are numbers"):
        moderation.save_help_line(line, by=make_moderator())
    assert not HelpLine.objects.exists()
    assert not AuditLog.objects.exists()


def test_risk_phrases_added_changed_and_deleted_in_the_admin_are_audited_and_apply_at_once(
    moderator_client,
):
    response = moderator_client.post(
        reverse("admin:support_riskphrase_add"),
        {"phrase": "no way out", "language": "en", "active": "on", "audit_reason": "seen often"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    phrase = RiskPhrase.objects.get()
    assert find_risk_phrases("there is no way out") == ["no way out"]

    response = moderator_client.post(
        reverse("admin:support_riskphrase_change", args=[phrase.pk]),
        {"phrase": "no way out", "language": "en", "audit_reason": ""},  # untick "active"
    )
    assert response.status_code == 302
    assert find_risk_phrases("there is no way out") == []

    response = moderator_client.post(
        reverse("admin:support_riskphrase_delete", args=[phrase.pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    entries = list(AuditLog.objects.order_by("id"))
    assert [e.action for e in entries] == [
        "add_risk_phrase",
        "change_risk_phrase",
        "delete_risk_phrase",
    ]
    assert {(e.actor, e.object_type, e.object_id, e.object_repr) for e in entries} == {
        (moderator_client.moderator, "riskphrase", phrase.pk, "no way out")
    }
    assert [e.reason for e in entries] == ["seen often", "", ""]
    assert entries[1].details["changed"] == {"active": ["True", "False"]}


def test_ticking_a_risk_phrase_off_in_the_list_is_audited(moderator_client, make_risk_phrase):
    phrase = make_risk_phrase(phrase="消えたい", language="ja")
    response = moderator_client.post(
        reverse("admin:support_riskphrase_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(phrase.pk),
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    phrase.refresh_from_db()
    assert not phrase.active
    entry = AuditLog.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (
        moderator_client.moderator,
        "change_risk_phrase",
        phrase.pk,
    )


def test_people_outside_the_moderators_group_cannot_edit_help_lines(client, make_user):
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    staff = make_user(is_staff=True, totp_secret=generate_totp_secret())
    client.force_login(staff)
    assert client.get(reverse("admin:support_helpline_add")).status_code == 403
    assert client.get(reverse("admin:support_riskphrase_changelist")).status_code == 403
