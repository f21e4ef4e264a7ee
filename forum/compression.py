"""Cached answers compressed once, when they are stored, and served many times.

Browsers send `Accept-Encoding: gzip, deflate, br`, 2channel browsers `gzip`. A page or dat kept
in the cache is stored in every encoding a reader may take (plain, gzip, and for pages brotli),
so serving one is a lookup, never a compression. The choice follows RFC 9110 §12.5.3: a coding
with q=0 is refused, `*` stands for any coding not named, and brotli is preferred where
accepted (smaller), then gzip.
"""

from __future__ import annotations

import gzip
import re

import brotli

IDENTITY = "identity"
GZIP = "gzip"
BROTLI = "br"
# Brotli's quality 11 takes seconds for a 1000-post page; 5 compresses it in milliseconds to
# within a few percent of 11, and each copy is compressed once per change of its page.
BROTLI_QUALITY = 5
GZIP_LEVEL = 6

_CODING = re.compile(r"\s*([A-Za-z0-9*_-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def gzipped(body: bytes) -> bytes:
    # mtime=0: the same bytes give the same gzip, so every server sends identical answers.
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def brotli_compressed(body: bytes) -> bytes:
    return brotli.compress(body, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)


def accepted_codings(header: str) -> dict[str, float]:
    """Accept-Encoding as {coding: q}; a value that cannot be read counts as not sent."""
    codings: dict[str, float] = {}
    for part in header.split(","):
        match = _CODING.fullmatch(part)
        if not match or not match.group(1):
            continue
        try:
            q = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            q = 0.0
        codings[match.group(1).lower()] = q
    return codings


def chosen_coding(header: str, offered: tuple[str, ...] = (BROTLI, GZIP)) -> str:
    """The coding to send: the first of `offered` the reader accepts, else the plain bytes."""
    if not header:
        return IDENTITY
    codings = accepted_codings(header)
    anything = codings.get("*", 0.0)
    for coding in offered:
        if codings.get(coding, anything) > 0:
            return coding
    return IDENTITY
