"""2channel tripcodes: `name#key` → `name ◆XXXXXXXXXX`, the way JDim and 2channel compute them.

The key is taken as Shift_JIS (cp932) bytes. Keys under 12 bytes use the classic DES-crypt form
(10 characters); longer keys use the 2009 SHA-1 form (12 characters), or a raw `#` + hex key.
"""

from __future__ import annotations

import base64
import hashlib
import re

from passlib.hash import des_crypt

_SALT_FIX = str.maketrans(":;<=>?@[\\]^_`", "ABCDEFGabcdef")
_RAW_KEY = re.compile(rb"^#([0-9A-Fa-f]{16})([./0-9A-Za-z]{0,2})$")
INVALID = "???"


def _crypt_tail(key: bytes, salt: bytes) -> str:
    # DES crypt stops at a NUL byte, as C's crypt() does.
    key = key.split(b"\0", 1)[0]
    salt_text = "".join(chr(b) if 0x2E <= b <= 0x7A else "." for b in salt[:2]).translate(_SALT_FIX)
    return des_crypt.using(salt=salt_text).hash(key)[-10:]


def tripcode(key: str) -> str:
    """The tripcode (without ◆) for a key as typed after the first `#`."""
    raw = key.encode("cp932", errors="replace")
    if len(raw) >= 12:
        if raw.startswith(b"#"):
            match = _RAW_KEY.match(raw)
            if not match:
                return INVALID
            salt = (match.group(2) + b"..")[:2]
            return _crypt_tail(bytes.fromhex(match.group(1).decode()), salt)
        if raw.startswith(b"$"):
            return INVALID
        digest = base64.b64encode(hashlib.sha1(raw).digest()).decode()  # noqa: S324 (2ch format)
        return digest[:12].replace("+", ".")
    salt = (raw + b"H.")[1:3]
    return _crypt_tail(raw, salt)


def split_name(field: str) -> tuple[str, str | None]:
    """Split `name#key` at the first # (full-width ＃ too). Returns (name, key or None)."""
    field = field.replace("＃", "#")
    if "#" not in field:
        return field, None
    name, key = field.split("#", 1)
    return name, key
