"""The raid bench's clients: bots and regulars, without JavaScript, never solving a puzzle.

A bot is one address with its own poster cookie, got the way a browser gets it (its first post
answers with the rules and the cookie; it sends the post again). It posts through the web forms
or through /test/bbs.cgi in Shift_JIS, alternating new threads and replies to recent threads, as
fast as it is allowed: told to wait (a 429 page, a Samba page, any page that says how many
seconds or minutes, a Retry-After), it waits that long and sends the same post again; refused
without a wait, it moves on. It learns the board's interval from the first wait after a post,
so it never collects Samba strikes it could avoid.

A regular posts a reply every few seconds with an established cookie and notes each answer's
latency; it never retries, so a refused post counts against the board.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from bench.raid_http import ENCODING_2CH, Connection, Verdict, read_bbs, read_web
from forum.poster import POSTER_COOKIE
from forum.standing_pass import PASS_COOKIE

# A thread wait this long is the per-hour thread quota: start threads later, reply meanwhile.
QUOTA_LIKE = 60.0
_STANDING_PASS = re.compile(rf"{PASS_COOKIE}=[^;\s]+")
# After a refusal without a wait, or a server error, before the next try.
BACKOFF = 1.0
# How long a bot keeps the list of recent threads it read.
RECENT_FOR = 5.0


# --- The bots -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the bots of one channel were answered."""

    threads_tried: int = 0  # distinct threads the bots set out to start (not each resend)
    threads_posted: int = 0
    replies_posted: int = 0
    waits: int = 0  # told to wait (flood interval, Samba, quota, a hold)
    refused: int = 0  # refused without a wait (a puzzle they do not solve, a closed thread…)
    errors: int = 0  # 5xx or no answer
    reasons: dict[str, int] = field(default_factory=dict)  # what the refusals said

    def note(self, reason: str) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


@dataclass
class Bot:
    index: int
    address: str
    channel: str  # "web" or "bbs.cgi"
    board: str
    cookie: str = ""
    pace: float = 0.0  # the interval learned from the first wait after a post
    posts: int = 0
    thread_not_before: float = 0.0
    recent: list[int] = field(default_factory=list)
    recent_at: float = -1e9
    count: int = 0

    def marker(self) -> str:
        self.count += 1
        return f"raid-{self.index:03d}-{self.count:04d}"

    def headers(self, content_type: str = "") -> dict[str, str]:
        agent = "Monazilla/1.00 JDim/0.10.0" if self.channel == "bbs.cgi" else "Mozilla/5.0"
        headers = {
            "User-Agent": agent,
            "Accept-Language": "ja" if self.channel == "bbs.cgi" else "en",
            "X-Forwarded-For": self.address,
        }
        if self.cookie:
            headers["Cookie"] = f"{POSTER_COOKIE}={self.cookie}"
        if content_type:
            headers["Content-Type"] = content_type
        return headers


async def recent_threads(bot: Bot, http: Connection) -> list[int]:
    """The keys of the board's most recently bumped threads, as this bot's client reads them."""
    if time.monotonic() - bot.recent_at < RECENT_FOR:
        return bot.recent
    headers = bot.headers()
    headers.pop("Cookie", None)
    if bot.channel == "bbs.cgi":
        answer = await http.request("GET", f"/{bot.board}/subject.txt", headers)
        keys = re.findall(r"^(\d+)\.dat<>", answer.text(ENCODING_2CH), re.MULTILINE)
    else:
        answer = await http.request("GET", f"/{bot.board}/", headers)
        keys = re.findall(rf'href="/test/read\.cgi/{bot.board}/(\d+)/"', answer.text())
    bot.recent = [int(key) for key in dict.fromkeys(keys)][:10]
    bot.recent_at = time.monotonic()
    return bot.recent


def _form(bot: Bot, marker: str, key: int | None) -> tuple[str, bytes, str]:
    """(path, body, content type) of one post: a thread when `key` is None, else a reply."""
    body = f"{marker}\n眠れない、誰かいる？ / anyone awake?"
    title = f"夜のスレ {bot.index}.{bot.count} (raidtitle-{bot.index:03d}-{bot.count:04d})"
    if bot.channel == "bbs.cgi":
        fields = {"bbs": bot.board, "time": str(int(time.time())), "FROM": "", "mail": ""}
        fields.update({"key": str(key)} if key else {"subject": title})
        fields.update(MESSAGE=body, submit="書き込む")
        encoded = urllib.parse.urlencode(fields, encoding=ENCODING_2CH).encode()
        return "/test/bbs.cgi", encoded, "application/x-www-form-urlencoded"
    fields = {"name": "", "mail": "", "body": body}
    if key is None:
        fields = {"title": title, **fields}
    path = f"/test/read.cgi/{bot.board}/{key}/" if key else f"/{bot.board}/"
    return path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"


async def _pause(seconds: float, stop_at: float) -> bool:
    """Sleep, but not past the end of the raid; False once the raid is over."""
    await asyncio.sleep(max(0.0, min(seconds, stop_at - time.monotonic())))
    return time.monotonic() < stop_at


async def _send(bot: Bot, http: Connection, key: int | None, tally: Tally, stop_at: float) -> str:
    """Send one post until it is posted, refused, deferred (thread quota) or the raid ends."""
    path, body, content_type = _form(bot, bot.marker(), key)
    read = read_bbs if bot.channel == "bbs.cgi" else read_web
    tally.threads_tried += key is None
    first_try = True
    while time.monotonic() < stop_at:
        try:
            answer = await http.request("POST", path, bot.headers(content_type), body)
        except (OSError, asyncio.IncompleteReadError):
            answer = None
        verdict = read(answer, had_cookie=bool(bot.cookie)) if answer else Verdict("error")
        if verdict.kind == "confirm":
            bot.cookie = verdict.cookie  # the rules were shown; post again, as a browser does
            continue
        if verdict.kind == "posted":
            return "posted"
        if verdict.kind == "wait":
            tally.waits += 1
            if key is None and verdict.wait > QUOTA_LIKE:
                bot.thread_not_before = time.monotonic() + verdict.wait
                return "deferred"
            if first_try and bot.posts and not bot.pace:
                bot.pace = verdict.wait  # told right after a post: the whole interval
            first_try = False
            if not await _pause(verdict.wait + 0.2, stop_at):
                return "stopped"
            continue
        if verdict.kind == "error":
            tally.errors += 1
        else:
            tally.refused += 1
        tally.note(verdict.gist or verdict.kind)
        if verdict.kind == "error" and verdict.wait:
            # "Resting" with a Retry-After: told to wait, so it waits and sends the post again.
            if not await _pause(verdict.wait, stop_at):
                return "stopped"
            continue
        await _pause(BACKOFF, stop_at)
        return verdict.kind
    return "stopped"


async def run_bot(bot: Bot, host: str, port: int, tally: Tally, stop_at: float) -> None:
    """Alternate threads and replies as fast as allowed until `stop_at` (monotonic)."""
    http = Connection(host, port)
    wants_thread = True
    try:
        while time.monotonic() < stop_at:
            may_start = time.monotonic() >= bot.thread_not_before
            key = None
            if not (wants_thread and may_start):
                try:
                    recent = await recent_threads(bot, http)
                except (OSError, asyncio.IncompleteReadError):
                    recent = []
                if recent:
                    key = random.choice(recent)
                elif not may_start:
                    await _pause(BACKOFF, stop_at)
                    continue
            outcome = await _send(bot, http, key, tally, stop_at)
            if outcome == "posted":
                bot.posts += 1
                if key is None:
                    tally.threads_posted += 1
                else:
                    tally.replies_posted += 1
                wants_thread = key is not None
                await _pause(bot.pace + 0.2 if bot.pace else 0.0, stop_at)
    finally:
        await http.close()


# --- The regulars ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    sent_at: float  # monotonic
    latency: float  # seconds from sending to the answer
    accepted: bool
    why: str  # "" when accepted, else what the answer was ("wait 6 s", "refused 403"…)
    marker: str


@dataclass
class Regular:
    index: int
    address: str
    cookie: str
    board: str
    attempts: list[Attempt] = field(default_factory=list)


async def run_regular(
    regular: Regular,
    host: str,
    port: int,
    threads: list[int],
    pace: tuple[float, float],
    stop_at: float,
) -> None:
    """A reply every `pace` seconds (uniformly random) into one of `threads`, until `stop_at`."""
    http = Connection(host, port)
    headers = {
        "User-Agent": "Mozilla/5.0",
        "Accept-Language": "ja",
        "X-Forwarded-For": regular.address,
        "Cookie": f"{POSTER_COOKIE}={regular.cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    next_at = time.monotonic() + random.uniform(0, 1)
    number = 0
    try:
        while await _pause(next_at - time.monotonic(), stop_at):
            number += 1
            marker = f"regular-{regular.index}-{number:04d}"
            key = random.choice(threads)
            path = f"/test/read.cgi/{regular.board}/{key}/"
            body = urllib.parse.urlencode({"name": "", "mail": "", "body": f"{marker}\nおはよう"})
            sent = time.monotonic()
            try:
                answer = await http.request("POST", path, headers, body.encode())
            except (OSError, asyncio.IncompleteReadError):
                answer = None
            latency = time.monotonic() - sent
            if answer and (note := _STANDING_PASS.search(answer.headers.get("set-cookie", ""))):
                # Kept as a browser keeps it: the site's pass for people with standing.
                headers["Cookie"] = f"{POSTER_COOKIE}={regular.cookie}; {note.group(0)}"
            verdict = read_web(answer, had_cookie=True) if answer else Verdict("error")
            location = answer.headers.get("location", "") if answer else ""
            accepted = verdict.kind == "posted" and location.startswith(path)
            why = "" if accepted else _why(verdict, answer.status if answer else 0)
            regular.attempts.append(Attempt(sent, latency, accepted, why, marker))
            next_at = sent + random.uniform(*pace)
    finally:
        await http.close()


def _why(verdict: Verdict, status: int) -> str:
    if verdict.kind == "wait":
        return f"told to wait {verdict.wait:g} s"
    if verdict.kind == "posted":
        return "sent elsewhere"
    return verdict.gist or (f"{verdict.kind} ({status})" if status else verdict.kind)
