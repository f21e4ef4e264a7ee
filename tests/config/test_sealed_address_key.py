"""SEALED_ADDRESS_PUBLIC_KEY is read from the environment in base64 or hex, and a key that is not
32 bytes stops the site from starting rather than silently turning sealing off."""

from __future__ import annotations

import base64

import pytest
from nacl.public import PrivateKey

from config.keys import key_bytes
from tests.config.test_settings import production_environment, run_python

PUBLIC = bytes(PrivateKey.generate().public_key)


def test_a_key_reads_the_same_in_base64_and_in_hex():
    assert key_bytes(base64.b64encode(PUBLIC).decode()) == PUBLIC
    assert key_bytes(PUBLIC.hex().upper() + "\n") == PUBLIC


@pytest.mark.parametrize(
    "text", ["", "not a key", base64.b64encode(PUBLIC[:31]).decode(), "ab" * 33]
)
def test_anything_but_a_32_byte_key_is_refused(text):
    with pytest.raises(ValueError):
        key_bytes(text)


def test_the_site_starts_with_a_key_in_the_environment_and_refuses_a_broken_one():
    show = "import django; django.setup(); from django.conf import settings; "
    show += "print(settings.SEALED_ADDRESS_PUBLIC_KEY.hex())"
    good = run_python(
        "-c",
        show,
        env=production_environment(SEALED_ADDRESS_PUBLIC_KEY=base64.b64encode(PUBLIC).decode()),
    )
    assert good.returncode == 0, good.stderr
    assert good.stdout.strip() == PUBLIC.hex()

    off = run_python("-c", show, env=production_environment(SEALED_ADDRESS_PUBLIC_KEY=None))
    assert off.returncode == 0 and off.stdout.strip() == ""

    broken = run_python("-c", show, env=production_environment(SEALED_ADDRESS_PUBLIC_KEY="oops"))
    assert broken.returncode != 0
    assert "SEALED_ADDRESS_PUBLIC_KEY must be a 32-byte key" in broken.stderr
