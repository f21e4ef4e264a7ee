"""Sign-in limits: nobody is turned away because Redis is down, nobody can lock another person
out from elsewhere, and password guessing stays slow from one address or from many.

The limits count in the suite's real Redis; the outage test runs its own throwaway Redis and
stops it, as tests/realtime/test_redis_down.py does.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.cache import redis_client
from config.embedded import EmbeddedRedis, remove_tree, short_temp_dir
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

# From accounts.ratelimits / ACCOUNT_RATE_LIMITS: failures for one username from all addresses
# in an hour before each network is held to a few tries an hour at it.
USERNAME_CEILING = 100
TRIES_PER_NETWORK_PAST_THE_CEILING = 3
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def own_redis(settings):
    directory = short_temp_dir("yoake-sign-in-")
    redis = EmbeddedRedis(directory, persist=False)
    url = redis.start()
    # Overriding the setting makes Django drop its cached cache connection.
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
    yield redis
    redis.stop()
    remove_tree(directory)


def sign_in(client, username: str, password: str, address: str):
    return client.post(
        reverse("account_login"),
        {"login": username, "password": password},
        REMOTE_ADDR=address,
    )


def wait_for_the_cache(timeout: float = 10.0) -> None:
    """Redis is back once the cache keeps a value again (a breaker may skip it for a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cache.set("sign-in-test", "back")
        if cache.get("sign-in-test") == "back":
            return
        time.sleep(0.1)
    raise AssertionError("the cache did not come back")


def is_signed_in(response, client, user) -> bool:
    return response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)


def test_signing_in_works_while_redis_is_down_with_one_warning_and_no_address(
    own_redis, client, make_user, caplog
):
    user = make_user()
    own_redis.stop()

    with caplog.at_level(logging.WARNING):
        for attempt in range(3):
            visitor = Client()
            response = sign_in(visitor, user.username, TEST_PASSWORD, "198.51.100.7")
            assert is_signed_in(response, visitor, user), attempt
        # A wrong password is still just a wrong password, not "too many attempts".
        response = sign_in(Client(), user.username, "not-it", "198.51.100.7")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()

    warnings = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert "198.51.100.7" not in caplog.text


def test_limits_count_again_once_redis_is_back(own_redis, client, make_user):
    user = make_user()
    own_redis.stop()
    sign_in(client, user.username, "not-it", "198.51.100.8")
    own_redis.start()
    wait_for_the_cache()

    for _ in range(5):
        assert sign_in(client, user.username, "not-it", "198.51.100.8").status_code == 200
    response = sign_in(client, user.username, TEST_PASSWORD, "198.51.100.8")
    assert TOO_MANY in response.content.decode()


def test_twenty_five_wrong_passwords_from_twenty_five_addresses_do_not_lock_the_owner_out(
    client, make_user
):
    user = make_user()
    for n in range(1, 26):
        response = sign_in(Client(), user.username, f"guess-{n}", f"192.0.2.{n}")
        assert "not correct" in response.content.decode(), n

    response = sign_in(client, user.username, TEST_PASSWORD, "192.0.2.26")
    assert is_signed_in(response, client, user)
    # The counts are keyed hashes: Redis sees neither the username nor an address.
    keys = [key.decode() for key in redis_client().keys("*")]
    assert any(":rl:" in key for key in keys)
    assert not any(user.username in key or "192.0.2." in key for key in keys)


def test_many_wrong_passwords_from_one_address_are_refused_even_the_right_one_after(
    client, make_user
):
    user = make_user()
    for n in range(5):
        response = sign_in(client, user.username, f"guess-{n}", "203.0.113.5")
        assert "not correct" in response.content.decode()
    response = sign_in(client, user.username, TEST_PASSWORD, "203.0.113.5")
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The owner elsewhere is not affected.
    elsewhere = sign_in(client, user.username, TEST_PASSWORD, "203.0.113.6")
    assert is_signed_in(elsewhere, client, user)


def test_one_address_guessing_across_many_usernames_is_refused(client, make_user):
    users = [make_user() for _ in range(11)]
    for user in users[:10]:
        response = sign_in(client, user.username, "guess", "203.0.113.9")
        assert "not correct" in response.content.decode()
    response = sign_in(client, users[10].username, TEST_PASSWORD, "203.0.113.9")
    assert TOO_MANY in response.content.decode()


def test_guessing_one_username_from_many_addresses_is_held_past_the_ceiling(client, make_user):
    user = make_user()
    # One address in each of many /24 networks, each well inside its own limits.
    addresses = [f"10.{n // 200}.{n % 200}.1" for n in range(USERNAME_CEILING + 1)]
    for n, address in enumerate(addresses[:USERNAME_CEILING]):
        response = sign_in(Client(), user.username, f"guess-{n}", address)
        assert "not correct" in response.content.decode(), n

    # Past the ceiling an address (its network) gets only a few more tries at this username...
    attacker = addresses[0]
    for n in range(TRIES_PER_NETWORK_PAST_THE_CEILING):
        response = sign_in(Client(), user.username, f"again-{n}", attacker)
        assert "not correct" in response.content.decode(), n
    # ...and then not even the right password gets through from there: no oracle.
    response = sign_in(client, user.username, TEST_PASSWORD, attacker)
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session

    # The owner, from a network that has not been guessing, still signs in, and again later.
    owner = addresses[USERNAME_CEILING]
    for _ in range(TRIES_PER_NETWORK_PAST_THE_CEILING + 1):
        response = sign_in(client, user.username, TEST_PASSWORD, owner)
        assert is_signed_in(response, client, user)
        client.post(reverse("account_logout"))


def test_a_moderator_signs_in_with_their_code_while_redis_is_down_and_the_code_works_once(
    own_redis, make_moderator
):
    from tests.factories import totp_code

    moderator = make_moderator()
    own_redis.stop()
    code = totp_code(moderator.totp_secret)

    first, second = Client(), Client()
    for browser in (first, second):
        response = sign_in(browser, moderator.username, TEST_PASSWORD, "198.51.100.30")
        assert response["Location"].startswith(reverse("mfa_authenticate"))

    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert first.get("/admin/").status_code == 200
    # The same code again (a replay) is refused even with Redis away.
    assert second.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert second.get("/admin/").status_code == 302
