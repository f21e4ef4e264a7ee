"""Redis copies of the 2channel answers (dat, subject.txt, SETTING.TXT, head.txt).

2channel browsers poll these files all night, so each one is rendered once per change and then
served from Redis. Every resource ("scope") keeps one Redis hash holding its modification time
`m` and the bytes rendered for that time (`b:<m>`, gzipped `z:<m>`):

* `m` is the Last-Modified the browsers see. It only grows, by at least one second per change
  (`max(now, m + 1)`), so "If-Modified-Since equals Last-Modified" really means "unchanged" even
  for files that, unlike a dat, cannot be checked by their length (2ch.md §2.3).
* A render is stored under the `m` it started from and only if `m` is still current, so a render
  that raced with a change is never served afterwards.

forum.events calls `files_changed` after each change has committed. With Redis down, callers
render every time and send no cached times (see `Cached.modified`).
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass

from config.cache import UNAVAILABLE, redis_client
from forum.models import Thread

# How long an untouched copy is kept. Polling readers keep popular threads warm; a lost `m`
# only costs each browser one full download.
TTL = 24 * 3600

# ARGV: now, ttl, wanted ("b" plain or "z" gzip), start. Returns {m, length of the plain bytes
# (-1 when none are stored), content, content is gzip (1/0)}. Plain content starts at `start`,
# so a browser polling from the last byte costs one byte of traffic, not the whole dat.
_READ = """
local m = redis.call('HGET', KEYS[1], 'm')
if not m then
  m = ARGV[1]
  redis.call('HSET', KEYS[1], 'm', m)
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
local plain = 'b:' .. m
local length = redis.call('HSTRLEN', KEYS[1], plain)
if length == 0 and redis.call('HEXISTS', KEYS[1], plain) == 0 then return {m, -1, false, 0} end
if ARGV[3] == 'z' then
  local packed = redis.call('HGET', KEYS[1], 'z:' .. m)
  if packed then return {m, length, packed, 1} end
  return {m, length, redis.call('HGET', KEYS[1], plain), 0}
end
local start = tonumber(ARGV[4])
if start >= length then return {m, length, '', 0} end
local body = redis.call('HGET', KEYS[1], plain)
if start > 0 then body = string.sub(body, start + 1) end
return {m, length, body, 0}
"""
_STORE = """
if redis.call('HGET', KEYS[1], 'm') ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i] .. ':' .. ARGV[1], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""
_TOUCH = """
for i = 1, #KEYS do
  local previous = tonumber(redis.call('HGET', KEYS[i], 'm') or '0')
  local m = math.max(tonumber(ARGV[1]), previous + 1)
  redis.call('DEL', KEYS[i])
  redis.call('HSET', KEYS[i], 'm', m)
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return #KEYS
"""
_scripts: dict[str, object] = {}


def _script(source: str):
    script = _scripts.get(source)
    if script is None:
        script = _scripts[source] = redis_client().register_script(source)
    return script


def _key(scope: str) -> str:
    return f"yoake:2ch:{scope}"


def dat_scope(board: str, key: int | str) -> str:
    return f"dat:{board}:{key}"


def subject_scope(board: str) -> str:
    return f"subject:{board}"


def setting_scope(board: str) -> str:
    return f"setting:{board}"


def head_scope(board: str) -> str:
    return f"head:{board}"


def board_scopes(board: str) -> list[str]:
    """Everything a board's own settings show up in, apart from its dats."""
    return [subject_scope(board), setting_scope(board), head_scope(board)]


def files_changed(
    board: str,
    *,
    thread_keys: Iterable[int] = (),
    thread_list: bool = False,
    board_files: bool = False,
) -> None:
    """After a commit: the board's 2channel files that show the change get new modification
    times and lose their copies. `thread_keys` are threads whose dats changed; `thread_list`
    means subject.txt changed (a bump, a new, archived or retitled thread); `board_files` means
    the board itself changed, which shows in SETTING.TXT, head.txt, subject.txt (its post limit
    decides the over-limit line) and every live dat (its names and limit)."""
    scopes = [dat_scope(board, key) for key in thread_keys]
    if board_files:
        scopes += board_scopes(board)
        live = Thread.objects.filter(board__slug=board).live().values_list("key", flat=True)
        scopes += [dat_scope(board, key) for key in live]
    elif thread_list:
        scopes.append(subject_scope(board))
    touch(*dict.fromkeys(scopes))


def touch(*scopes: str) -> None:
    """These resources changed: new modification times, and their copies are dropped."""
    if not scopes:
        return
    with suppress(UNAVAILABLE):
        _script(_TOUCH)(keys=[_key(scope) for scope in scopes], args=[int(time.time()), TTL])


@dataclass(frozen=True)
class Cached:
    """One answer: `content` is the gzip when `is_gzip`, else the plain bytes from the
    requested start on; `length` is the length of all the plain bytes (Range and 304 go by it).

    `modified` (epoch seconds) is None when Redis is unavailable and the renderer knows no time
    either; the answer then goes out without Last-Modified, so browsers never get a wrong 304.
    """

    content: bytes
    length: int
    modified: int | None
    is_gzip: bool = False


@dataclass(frozen=True)
class Rendered:
    body: bytes
    # What to send as Last-Modified when Redis cannot keep a time (a dat knows its own).
    fallback_modified: int | None = None


def compress(body: bytes) -> bytes:
    # mtime=0: the same bytes give the same gzip, so every server sends identical answers.
    return gzip.compress(body, compresslevel=6, mtime=0)


def fetch(
    scope: str, render: Callable[[], Rendered | None], *, gzipped: bool, start: int = 0
) -> Cached | None:
    """The answer for `scope` from Redis, rendering and storing it on a miss.

    `render()` returns None when the resource does not exist (nothing is stored then).
    """
    key = _key(scope)
    now = int(time.time())
    try:
        modified, length, content, is_gzip = _script(_READ)(
            keys=[key], args=[now, TTL, "z" if gzipped else "b", start]
        )
    except UNAVAILABLE:
        rendered = render()
        if rendered is None:
            return None
        return _answer(rendered.body, rendered.fallback_modified, gzipped=gzipped, start=start)
    modified = int(modified)
    if length >= 0 and (is_gzip or not gzipped):
        return Cached(content, length, modified, bool(is_gzip))
    fields: list[object] = []
    if length < 0:
        rendered = render()
        if rendered is None:
            return None
        content = rendered.body
        fields += ["b", content]
    answer = _answer(content, modified, gzipped=gzipped, start=start)
    if gzipped:
        fields += ["z", answer.content]
    with suppress(UNAVAILABLE):
        _script(_STORE)(keys=[key], args=[modified, TTL, *fields])
    return answer


def _answer(body: bytes, modified: int | None, *, gzipped: bool, start: int) -> Cached:
    if gzipped:
        return Cached(compress(body), len(body), modified, is_gzip=True)
    return Cached(body[start:], len(body), modified)
