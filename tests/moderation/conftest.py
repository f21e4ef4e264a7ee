import pytest

from tests.chat.factories import make_room, send  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Accounts are made and signed in often here; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
