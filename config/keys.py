"""Curve25519 keys as operators write them: 32 bytes in base64 or hex.

One parser for the public key in the environment (settings.py) and the private key file of
`manage.py unseal`, so a key that works for one works for the other.
"""

from __future__ import annotations

import base64
import binascii

KEY_BYTES = 32


def key_bytes(text: str) -> bytes:
    """The 32 bytes of a key given in hex or base64 (surrounding whitespace ignored).

    Raises ValueError for anything else.
    """
    text = text.strip()
    if len(text) == 2 * KEY_BYTES:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass  # not hex; as base64, 64 characters are never 32 bytes, so this fails below
    try:
        key = base64.b64decode(text, validate=True)
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError("a key is 32 bytes, written in base64 or hex")
    return key
