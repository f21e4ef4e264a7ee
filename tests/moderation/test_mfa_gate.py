"""Staff reach the admin only through allauth's login, and only once MFA is set up."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from tests.factories import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )


def test_the_admin_login_sends_people_to_allauths_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    assert response.status_code == 200


def test_staff_without_mfa_are_sent_to_set_it_up_and_the_admin_opens_after(client, make_user):
    staff = make_user(is_staff=True, groups=("Moderators",))
    assert sign_in(client, staff).status_code == 302

    response = client.get("/admin/", follow=True)
    assert [url for url, _status in response.redirect_chain][-2:] == [
        reverse("mfa_activate_totp"),
        reverse("account_reauthenticate") + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert "needs two-factor authentication" in response.content.decode()
    assert client.get("/admin/forum/post/").status_code == 302

    # allauth asks for the password again before a security change, then shows the setup.
    response = client.post(
        reverse("account_reauthenticate") + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
        {"password": TEST_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    # allauth's own setup page: the secret it shows is kept in the session until confirmed.
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=staff).values_list("type", flat=True)) == {
        Authenticator.Type.TOTP,
        Authenticator.Type.RECOVERY_CODES,
    }

    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/forum/post/").status_code == 200


def test_a_wrong_code_does_not_set_up_mfa(client, make_user):
    staff = make_user(is_staff=True)
    sign_in(client, staff)
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=staff).exists()
    assert client.get("/admin/").status_code == 302


def test_staff_with_totp_must_give_a_code_at_sign_in_before_the_admin_opens(client, make_moderator):
    moderator = make_moderator()
    response = client.post(
        reverse("account_login") + "?next=/admin/",
        {"login": moderator.username, "password": TEST_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get("/admin/").status_code == 302  # not signed in yet

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(moderator.totp_secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_at_sign_in_keeps_the_admin_closed(client, make_moderator):
    moderator = make_moderator()
    sign_in(client, moderator)
    wrong = "123456" if totp_code(moderator.totp_secret) != "123456" else "654321"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_people_who_are_not_staff_get_no_admin_even_with_mfa(client, make_user):
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    reader = make_user(totp_secret=generate_totp_secret())
    client.force_login(reader)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_repeated_failed_sign_ins_are_rate_limited(client, make_user):
    user = make_user()
    for _attempt in range(5):
        client.post(reverse("account_login"), {"login": user.username, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_the_admins_password_change_link_goes_to_allauths_page(moderator_client):
    response = moderator_client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")
