"""What a client's WebSocket frame must be before any consumer reads it: the one place frames
are measured and parsed, for the boards' sockets and chat's alike.

A frame is at most MAX_FRAME_BYTES of UTF-8, a JSON object nested at most MAX_DEPTH deep (so
`"[" * 1900 + "]" * 1900` is refused before the decoder recurses), with no lone surrogates in
any string (`"\\ud800"` is valid JSON but no database, page or socket can encode it).
"""

from __future__ import annotations

import json
import re

# The same limit uvicorn applies (--ws-max-size 4096); checked here for any other server.
MAX_FRAME_BYTES = 4096
# Client frames are flat objects ({"type": "send", "handle": …}); a little room to spare.
MAX_DEPTH = 8

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def frame_size(text_data: str | None, bytes_data: bytes | None) -> int:
    """The frame's size in bytes (a test client may hand over text no socket could carry)."""
    if text_data is not None:
        return len(text_data.encode("utf-8", "surrogatepass"))
    return len(bytes_data or b"")


def _well_formed(value, depth: int = 1) -> bool:
    """No lone surrogate in any string, and arrays and objects nested at most MAX_DEPTH."""
    if isinstance(value, str):
        return not _LONE_SURROGATE.search(value)
    if depth > MAX_DEPTH:
        return not isinstance(value, dict | list)
    if isinstance(value, dict):
        return all(_well_formed(k) and _well_formed(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_well_formed(item, depth + 1) for item in value)
    return True


def parse_frame(text: str | None) -> dict | None:
    """The JSON object a text frame holds, or None when it is too large, too deep, not JSON,
    not an object, or carries a lone surrogate."""
    if not isinstance(text, str) or frame_size(text, None) > MAX_FRAME_BYTES:
        return None
    try:
        # A frame nested deeper than the decoder recurses raises RecursionError: refused too.
        content = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(content, dict) or not _well_formed(content):
        return None
    return content
