"""Redis copies of the 2channel answers (dat, subject.txt, SETTING.TXT, head.txt).

2channel browsers poll these files all night, so each one is rendered once per change and then
served from Redis. Every resource ("scope") keeps one Redis hash holding its modification time
`m` and the bytes rendered for that time (`b:<m>`, gzipped `z:<m>`):

* `m` is the Last-Modified the browsers see: for a dat the thread's last change
  (Thread.modified_at), for the board's files the time of the change. It only grows, by at
  least one second per change (`max(change, m + 1)`), so "If-Modified-Since equals
  Last-Modified" really means "unchanged" even for files that, unlike a dat, cannot be checked
  by their length (2ch.md §2.3).
* A render is stored under the `m` it started from and only if `m` is still current (or, on a
  cold start, still unset: the render then gives `m`), so a render that raced with a change is
  never served afterwards.

forum.events calls `files_changed` after each change has committed. With Redis down, callers
render every time and send no cached times (see `Cached.modified`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from config.cache import UNAVAILABLE, redis_client
from forum import compression
from forum.models import Thread

# How long an untouched copy is kept. Polling readers keep popular threads warm; a lost `m`
# only costs each browser one full download.
TTL = 24 * 3600

# ARGV: wanted ("b" plain or "z" gzip), start. Returns {m ("" when unset), length of the plain
# bytes (-1 when none are stored), content, content is gzip (1/0)}. Plain content starts at
# `start`, so a browser polling from the last byte costs one byte of traffic, not the whole dat.
_READ = """
local m = redis.call('HGET', KEYS[1], 'm')
if not m then return {'', -1, false, 0} end
local plain = 'b:' .. m
local length = redis.call('HSTRLEN', KEYS[1], plain)
if length == 0 and redis.call('HEXISTS', KEYS[1], plain) == 0 then return {m, -1, false, 0} end
if ARGV[1] == 'z' then
  local packed = redis.call('HGET', KEYS[1], 'z:' .. m)
  if packed then return {m, length, packed, 1} end
  return {m, length, redis.call('HGET', KEYS[1], plain), 0}
end
local start = tonumber(ARGV[2])
if start >= length then return {m, length, '', 0} end
local body = redis.call('HGET', KEYS[1], plain)
if start > 0 then body = string.sub(body, start + 1) end
return {m, length, body, 0}
"""
# The whole copy of the current time, plain and gzipped: {m, plain, gzip}, or false.
_WHOLE = """
local m = redis.call('HGET', KEYS[1], 'm')
if not m then return false end
return {m, redis.call('HGET', KEYS[1], 'b:' .. m), redis.call('HGET', KEYS[1], 'z:' .. m)}
"""
# ARGV: m, ttl, "new" (m was unset: set it, unless a change did first) or "same", fields.
_STORE = """
local current = redis.call('HGET', KEYS[1], 'm')
if ARGV[3] == 'new' then
  if current then return 0 end
  redis.call('HSET', KEYS[1], 'm', ARGV[1])
elseif current ~= ARGV[1] then return 0 end
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i] .. ':' .. ARGV[1], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""
# ARGV: ttl, then the time of the change for each key.
_TOUCH = """
for i = 1, #KEYS do
  local previous = tonumber(redis.call('HGET', KEYS[i], 'm') or '0')
  local m = math.max(tonumber(ARGV[i + 1]), previous + 1)
  redis.call('DEL', KEYS[i])
  redis.call('HSET', KEYS[i], 'm', m)
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return #KEYS
"""
_scripts: dict[str, object] = {}


def _script(source: str):
    script = _scripts.get(source)
    if script is None:
        script = _scripts[source] = redis_client().register_script(source)
    return script


def redis_key(scope: str) -> str:
    return f"yoake:2ch:{scope}"


def dat_scope(board: str, key: int | str) -> str:
    return f"dat:{board}:{key}"


def kako_scope(board: str, key: int | str) -> str:
    """An archived thread's dat, at the kako address (its dat/ address only redirects)."""
    return f"kako:{board}:{key}"


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
    changed_at: datetime | None = None,
) -> None:
    """After a commit: the board's 2channel files that show the change get new modification
    times and lose their copies. `thread_keys` are threads whose dats changed; `thread_list`
    means subject.txt changed (a bump, a new, archived or retitled thread); `board_files` means
    the board itself changed, which shows in SETTING.TXT, head.txt, subject.txt (its post limit
    decides the over-limit line) and every dat (its names and limit).

    A changed thread's dat takes the thread's last change as its time, so cached and uncached
    answers agree: `changed_at` when the caller wrote it (a new post), else as the database
    has it; the board's own files take the time of this call."""
    now = int(time.time())
    changed: dict[str, int] = {}
    keys = list(thread_keys)
    if keys and changed_at is not None:
        when = dict.fromkeys(keys, int(changed_at.timestamp()))
    elif keys:
        threads = Thread.objects.filter(board__slug=board, key__in=keys)
        when = {key: int(at.timestamp()) for key, at in threads.values_list("key", "modified_at")}
    for key in keys:
        for scope in (dat_scope(board, key), kako_scope(board, key)):
            changed[scope] = when.get(key, now)
    if board_files:
        changed.update(dict.fromkeys(board_scopes(board), now))
        threads = Thread.objects.filter(board__slug=board)
        for key, archived in threads.values_list("key", "is_archived"):
            changed[(kako_scope if archived else dat_scope)(board, key)] = now
    elif thread_list:
        changed[subject_scope(board)] = now
    touch(changed)


def touch(changed: dict[str, int]) -> None:
    """These resources changed at these times (epoch seconds): new modification times (never
    earlier than one second past the last), and their copies are dropped."""
    if not changed:
        return
    with suppress(UNAVAILABLE):
        _script(_TOUCH)(keys=[redis_key(scope) for scope in changed], args=[TTL, *changed.values()])


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
    # The time of the last change when the renderer knows it (a dat: its thread's), epoch
    # seconds. Without it a cold copy is dated by the read, and without Redis by nothing.
    modified: int | None = None


def fetch(
    scope: str, render: Callable[[], Rendered | None], *, gzipped: bool, start: int = 0
) -> Cached | None:
    """The answer for `scope` from Redis, rendering and storing it on a miss.

    `render()` returns None when the resource does not exist (nothing is stored then).
    """
    key = redis_key(scope)
    try:
        modified, length, content, is_gzip = _script(_READ)(
            keys=[key], args=["z" if gzipped else "b", start]
        )
    except UNAVAILABLE:
        rendered = render()
        if rendered is None:
            return None
        return _answer(rendered.body, rendered.modified, gzipped=gzipped, start=start)
    if not modified:
        return _first_copy(key, render, gzipped=gzipped, start=start)
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
        _script(_STORE)(keys=[key], args=[modified, TTL, "same", *fields])
    return answer


def _first_copy(
    key: str, render: Callable[[], Rendered | None], *, gzipped: bool, start: int
) -> Cached | None:
    """Nothing known about `key`: render it, and date it by the render's own time."""
    rendered = render()
    if rendered is None:
        return None
    modified = rendered.modified if rendered.modified is not None else int(time.time())
    answer = _answer(rendered.body, modified, gzipped=gzipped, start=start)
    fields: list[object] = ["b", rendered.body]
    if gzipped:
        fields += ["z", answer.content]
    with suppress(UNAVAILABLE):
        _script(_STORE)(keys=[key], args=[modified, TTL, "new", *fields])
    return answer


def _answer(body: bytes, modified: int | None, *, gzipped: bool, start: int) -> Cached:
    if gzipped:
        return Cached(compression.gzipped(body), len(body), modified, is_gzip=True)
    return Cached(body[start:], len(body), modified)


@dataclass(frozen=True)
class WholeCopy:
    """Every byte of one resource at one modification time, for a process to keep
    (forum.pagecopies): it answers whole, gzip, Range and 304 requests alike."""

    modified: int
    plain: bytes
    packed: bytes  # gzip

    def cached(self, *, gzipped: bool, start: int) -> Cached:
        if gzipped:
            return Cached(self.packed, len(self.plain), self.modified, is_gzip=True)
        return Cached(self.plain[start:], len(self.plain), self.modified)

    @property
    def size(self) -> int:
        return len(self.plain) + len(self.packed)


def current_time_key(scope: str) -> tuple[str, str]:
    """Where the current modification time of `scope` lives: (hash, field)."""
    return redis_key(scope), "m"


def whole_copy(scope: str) -> WholeCopy | None:
    """The current copy of `scope` in full, or None when Redis holds none (or is away)."""
    key = redis_key(scope)
    try:
        found = _script(_WHOLE)(keys=[key])
    except UNAVAILABLE:
        return None
    if not found or found[1] is None:
        return None
    modified, plain, packed = int(found[0]), found[1], found[2]
    if packed is None:
        packed = compression.gzipped(plain)
        with suppress(UNAVAILABLE):
            _script(_STORE)(keys=[key], args=[modified, TTL, "same", "z", packed])
    return WholeCopy(modified, plain, packed)
