"""The raid bench's counts and table: what is stored, what a reader sees, what regulars felt.

Stored is what the database holds. Visible without review is decided as a reader decides it,
not from model fields: an anonymous GET of the thread's page answers 200 and shows the marker
text of its first post (for a reply, of the reply). A regular's added wait is its post's
latency during the raid beyond the quiet baseline's median.
"""

from __future__ import annotations

import asyncio
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.raid_board import BOARD, Plan, Setup
from bench.raid_clients import Regular, Tally
from bench.raid_http import Connection

READER_ADDRESS = "198.51.100.1"
MARKER = re.compile(r"(?:raid|regular)-\d+-\d{4}(?!\d)")
# Done when (issue 12): this share of raid threads visible at most, and this much added wait.
VISIBLE_AT_MOST = 0.05
ADDED_WAIT_AT_MOST = 2.0


@dataclass
class Result:
    """What the bots and regulars were answered, and what was counted afterwards."""

    plan: Plan
    tallies: dict[str, Tally]
    regulars: list[Regular]
    raid_started: float
    threads_stored: int = 0
    threads_visible: int = 0
    replies_stored: int = 0
    replies_visible: int = 0
    regular_visible: int = 0
    pre_existing_archived: int = 0
    interval: int = 0
    lines: list[str] = field(default_factory=list)

    def attempts(self, *, during_raid: bool) -> list:
        return [
            a
            for r in self.regulars
            for a in r.attempts
            if (a.sent_at >= self.raid_started) == during_raid
        ]

    @property
    def bot_waits(self) -> int:
        return sum(t.waits for t in self.tallies.values())


def count(result: Result, setup: Setup, host: str, port: int) -> None:
    """What is stored (the database) and what a reader sees (anonymous GETs of thread pages)."""
    from forum.models import Post, Thread

    board = setup.board
    raid_threads = list(Thread.objects.filter(board=board).exclude(pk__in=setup.pre_existing_ids))
    first_posts = dict(
        Post.objects.filter(thread__in=raid_threads, number=1).values_list("thread_id", "body")
    )
    wanted: dict[str, list[tuple[str, str]]] = {}  # page -> [(what, marker)]
    for thread in raid_threads:
        found = MARKER.search(first_posts.get(thread.pk, "")) or MARKER.search(
            thread.title.replace("raidtitle-", "raid-")
        )
        if found:
            wanted.setdefault(f"/test/read.cgi/{BOARD}/{thread.key}/", []).append(
                ("thread", found.group(0))
            )
    result.threads_stored = len(raid_threads)
    replies = Post.objects.filter(thread__board=board, number__gt=1).values_list(
        "thread__key", "body"
    )
    for key, body in replies:
        found = MARKER.search(body)
        if found:
            what = "reply" if found.group(0).startswith("raid-") else "regular"
            result.replies_stored += what == "reply"
            wanted.setdefault(f"/test/read.cgi/{BOARD}/{key}/", []).append((what, found.group(0)))
    seen = asyncio.run(read_pages(host, port, list(wanted)))
    for page, items in wanted.items():
        status, text = seen[page]
        for what, marker in items:
            if status == 200 and marker in text:
                result.threads_visible += what == "thread"
                result.replies_visible += what == "reply"
                result.regular_visible += what == "regular"
    result.pre_existing_archived = Thread.objects.filter(
        pk__in=setup.pre_existing_ids, is_archived=True
    ).count()


async def read_pages(host: str, port: int, paths: list[str], readers: int = 8) -> dict:
    """Each page as an anonymous reader gets it: no cookie, from a reader's own address."""
    pending = iter(paths)
    seen: dict[str, tuple[int, str]] = {}
    headers = {"User-Agent": "Mozilla/5.0", "Accept-Language": "en"}
    headers["X-Forwarded-For"] = READER_ADDRESS

    async def reader() -> None:
        http = Connection(host, port)
        for path in pending:
            try:
                answer = await http.request("GET", path, headers)
            except (OSError, asyncio.IncompleteReadError):
                seen[path] = (0, "")  # no answer: nothing visible
                continue
            seen[path] = (answer.status, answer.text())
        await http.close()

    await asyncio.gather(*(reader() for _ in range(readers)))
    return seen


# --- The table ------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def added_waits(result: Result) -> tuple[float | None, list[float]]:
    """The quiet baseline's median latency, and each accepted raid-time post's latency beyond it."""
    quiet = [a.latency for a in result.attempts(during_raid=False) if a.accepted]
    if not quiet:
        return None, []
    median = statistics.median(quiet)
    raid = [a.latency for a in result.attempts(during_raid=True) if a.accepted]
    return median, sorted(max(0.0, latency - median) for latency in raid)


def _at(values: list[float], fraction: float) -> float:
    return values[min(len(values) - 1, int(len(values) * fraction))]


def refused_regulars(attempts: list) -> str:
    """Why regular posts were refused, e.g. "9× told to wait (2-40 s), 3× 503 (…)"."""
    reasons: dict[str, list[float]] = {}
    for attempt in attempts:
        if not attempt.accepted:
            wait = re.fullmatch(r"told to wait ([\d.]+) s", attempt.why)
            key = "told to wait" if wait else attempt.why
            reasons.setdefault(key, []).append(float(wait.group(1)) if wait else 0.0)
    return ", ".join(
        f"{len(values)}× {why}"
        + (f" ({min(values):g}-{max(values):g} s)" if why == "told to wait" else "")
        for why, values in reasons.items()
    )


def report_table(result: Result, report: Callable[[str], None]) -> None:
    plan = result.plan
    raid = result.attempts(during_raid=True)
    quiet = result.attempts(during_raid=False)
    accepted = sum(a.accepted for a in raid)
    median, added = added_waits(result)
    p50 = _at(added, 0.5) if added else None
    p99 = _at(added, 0.99) if added else None
    web, bbs = result.tallies["web"], result.tallies["bbs.cgi"]
    tried = sum(t.threads_tried for t in result.tallies.values())
    rows = [
        ("raid threads tried (distinct, each sent until told no)", f"{tried}"),
        ("raid threads created (stored, held ones included)", f"{result.threads_stored}"),
        (
            "raid threads visible to readers without review (of those tried)",
            f"{result.threads_visible} ({_share(result.threads_visible, tried)})",
        ),
        ("raid replies created (stored) / visible", f"{result.replies_stored} / "
         f"{result.replies_visible} ({_share(result.replies_visible, result.replies_stored)})"),
        ("pre-existing threads pushed to the archive",
         f"{result.pre_existing_archived} of {plan.pre_existing}"),
        ("regular posts accepted", f"{accepted} of {len(raid)} ({_share(accepted, len(raid))})"),
        ("regular posts' added wait p50 / p99",
         f"{p50:.3f} s / {p99:.3f} s" if added else "- (none accepted)"),
    ]  # fmt: skip
    width = max(len(label) for label, _ in rows)
    lines = [
        "",
        f"Raid on /{BOARD}/ for {plan.seconds:g} s after {plan.baseline_seconds:g} s quiet: "
        f"{plan.ipv4_bots + plan.ipv6_bots} bots ({plan.ipv4_bots} IPv4, {plan.ipv6_bots} IPv6 "
        f"in {plan.ipv6_networks} /64s; half web forms, half bbs.cgi), {plan.regulars} regulars "
        f"(standing 3) every {plan.regular_pace[0]:g}-{plan.regular_pace[1]:g} s",
        f"board: capacity {plan.capacity}, {plan.pre_existing} threads before, "
        f"{result.interval} s between posts",
        f"| {'':<{width}} | value |",
        *(f"| {label:<{width}} | {value} |" for label, value in rows),
        "",
    ]
    for channel, tally in (("web forms", web), ("bbs.cgi", bbs)):
        lines.append(
            f"bots via {channel}: {tally.threads_posted} threads and {tally.replies_posted} "
            f"replies posted, told to wait {tally.waits} times, refused {tally.refused} times "
            f"without a wait, {tally.errors} errors"
        )
        top = sorted(tally.reasons.items(), key=lambda item: -item[1])[:3]
        if top:
            lines.append("  most said: " + "; ".join(f"{n}× {why}" for why, n in top))
    quiet_ok = [a for a in quiet if a.accepted]
    lines.append(
        f"quiet baseline: {len(quiet_ok)} of {len(quiet)} regular posts accepted, median "
        + (f"{median * 1000:.1f} ms" if median is not None else "-")
        + f"; regular posts visible to readers afterwards: {result.regular_visible}"
    )
    for phase, attempts in (("in the quiet baseline", quiet), ("during the raid", raid)):
        if refusals := refused_regulars(attempts):
            lines.append(f"regular posts refused {phase}: {refusals}")
    # Of the threads the raid set out to start: a thread the site never stored is one readers
    # never see, as much as one held for a moderator.
    tried = sum(t.threads_tried for t in result.tallies.values())
    threads_share = result.threads_visible / tried if tried else 0
    verdicts = [
        (threads_share <= VISIBLE_AT_MOST, f"raid threads visible <= 5% ({threads_share:.1%})"),
        (
            result.pre_existing_archived == 0,
            f"0 pre-existing threads archived ({result.pre_existing_archived})",
        ),
        (bool(raid) and accepted == len(raid), f"100% of regular posts accepted ({accepted} of "
         f"{len(raid)})"),
        (p99 is not None and p99 <= ADDED_WAIT_AT_MOST,
         "regular posts' added wait p99 <= 2 s (" + (f"{p99:.3f} s)" if p99 is not None else "-)")),
    ]  # fmt: skip
    lines += ["", "done when (issue 12):"]
    lines += [f"  {'PASS' if ok else 'FAIL'}  {text}" for ok, text in verdicts]
    for line in lines:
        report(line)
    result.lines = lines
