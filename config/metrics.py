"""The numbers `/metrics` shows, and the one function each room calls to count something.

Nothing here names a person: labels are views, status classes, boards and rooms (few, public),
and kinds of socket. No address, hash, cookie or thread key is ever a label (config.scrape).

With several server processes (uvicorn --workers), prometheus-client's multiprocess mode keeps
each process's numbers in files under PROMETHEUS_MULTIPROC_DIR and a scrape adds them up, so any
worker answers for all of them; config.launch makes that folder fresh before the server starts.
The variable must be set before prometheus_client is first imported. Without it (one process,
a shell) the numbers live in this process's memory.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Histogram(
    "yoake_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL name) and status class; _count is the rate.",
    ["view", "status"],
)
PAGE_CACHE = Counter(
    "yoake_page_cache_requests",
    "Anonymous page requests the page cache looked up, by kind of page and hit or miss.",
    ["page", "result"],
)
POSTS = Counter(
    "yoake_posts",
    "Posts accepted (opening posts of new threads included), by board; counted after commit.",
    ["board"],
)
THREADS = Counter("yoake_threads", "Threads started, by board; counted after commit.", ["board"])
SOCKET_KINDS = ("thread", "chat", "presence", "review")
# livesum: the open sockets of the processes that are alive, added up (config.scrape forgets the
# files of a worker that died, so its sockets stop counting).
SOCKETS = Gauge(
    "yoake_open_sockets",
    "WebSockets open now, by kind (thread, chat, presence, review).",
    ["kind"],
    multiprocess_mode="livesum",
)
for _kind in SOCKET_KINDS:  # shown as 0 before the first socket of a kind opens
    SOCKETS.labels(_kind)


def request_answered(view: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view, f"{status // 100}xx").observe(seconds)


def page_cache_looked_up(scope: str, *, hit: bool) -> None:
    """`scope` is forum.pagecache's ("thread:night:1700000000"): only its kind is kept."""
    PAGE_CACHE.labels(scope.split(":", 1)[0], "hit" if hit else "miss").inc()


def post_accepted(board: str) -> None:
    POSTS.labels(board).inc()


def thread_started(board: str) -> None:
    THREADS.labels(board).inc()
    POSTS.labels(board).inc()


def socket_opened(kind: str) -> None:
    SOCKETS.labels(kind).inc()


def socket_closed(kind: str) -> None:
    SOCKETS.labels(kind).dec()
