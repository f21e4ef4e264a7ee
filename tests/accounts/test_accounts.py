"""Optional accounts: username and password, e-mail optional; sign in, out, change password."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_up_needs_only_a_username_and_a_password(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "hikari", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(username="hikari")
    assert user.email == ""
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signing_in_and_out(client, make_user):
    user = make_user()
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user()
    response = client.post(reverse("account_login"), {"login": user.username, "password": "no"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_changing_the_password(client, make_user):
    user = make_user()
    client.post(reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD})
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a-new-dawn-7391",
            "password2": "a-new-dawn-7391",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-dawn-7391")


def test_account_pages_use_the_site_layout_without_inline_scripts(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'class="site-header"' in page
    assert "Need help now?" in page
    assert "<script>" not in page and "<style" not in page and " style=" not in page


def test_the_rate_limit_counts_by_address_hash_and_redis_never_sees_the_address(client, make_user):
    from config.cache import redis_client

    user = make_user()
    client.post(
        reverse("account_login"),
        {"login": user.username, "password": "wrong"},
        REMOTE_ADDR="198.51.100.77",
    )
    keys = [key.decode() for key in redis_client().keys("*")]
    assert any("allauth" in key and "rl" in key for key in keys)
    assert not any("198.51.100.77" in key for key in keys)
