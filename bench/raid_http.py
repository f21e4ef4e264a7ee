"""Plain HTTP/1.1 over asyncio sockets for the raid bench, and what its answers say.

No HTTP client package: one keep-alive connection per client, Content-Length or chunked bodies.
An answer is read the way a person (or a 2channel browser) reads it: posted, the rules to
confirm first (and the poster cookie with them), a wait the page names, or a refusal.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass

from forum.poster import POSTER_COOKIE

ENCODING_2CH = "cp932"
# A wait the page names: "wait 9 seconds", "９ 秒", "another in 57 minutes", "57 分".
_SECONDS = re.compile(r"(\d+)\s*(?:seconds?|secs?|秒)", re.IGNORECASE)
_MINUTES = re.compile(r"(\d+)\s*(?:minutes?|mins?|分)", re.IGNORECASE)
_SAMBA = re.compile(r"Samba24:Caution\s*(\d+)")
_SAID_AS_WAIT = re.compile(
    r"(?:wait|again in|another in|retry in)\s+(?:about\s+)?"
    r"(\d+)\s*(seconds?|secs?|minutes?|mins?)\b"
    r"|(\d+)\s*(秒|分)\s*(?:後|ほど|待|たた|経)",
    re.IGNORECASE,
)
_ERRORS = re.compile(r'<ul class="errors".*?</ul>', re.DOTALL)
_BOLD = re.compile(r"<b>(.*?)</b>", re.DOTALL)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_COOKIE = re.compile(rf"{POSTER_COOKIE}=([^;\s]+)")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # lower-case names; Set-Cookie values joined by "\n"
    body: bytes

    def text(self, encoding: str = "utf-8") -> str:
        return self.body.decode(encoding, "replace")


class Connection:
    """One keep-alive HTTP/1.1 connection to the bench server, reopened when it closes."""

    def __init__(self, host: str, port: int, *, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer:
        """The answer; raises OSError (TimeoutError included) or IncompleteReadError."""
        reused = self.writer is not None
        try:
            return await asyncio.wait_for(self._exchange(method, path, headers, body), self.timeout)
        except (OSError, asyncio.IncompleteReadError) as error:
            await self.close()
            # The server closes idle keep-alive connections: a request that found its connection
            # gone is sent once more on a new one. One that timed out is not (it may be posted).
            if not reused or isinstance(error, TimeoutError):
                raise
        return await asyncio.wait_for(self._exchange(method, path, headers, body), self.timeout)

    async def _exchange(self, method, path, headers, body) -> Answer:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        received: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            received[name] = f"{received[name]}\n{value}" if name in received else value
        if received.get("transfer-encoding", "").lower() == "chunked":
            content = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                content += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        elif "content-length" in received:
            content = await self.reader.readexactly(int(received["content-length"]))
        elif method == "HEAD" or status in (204, 304):
            content = b""
        else:
            content = await self.reader.read()
            received["connection"] = "close"
        if received.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, received, content)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (OSError, ConnectionError):
                pass
        self.reader = self.writer = None


# --- Reading the answers --------------------------------------------------------------------------


def told_wait(page: str) -> float | None:
    """The seconds a page tells its reader to wait before sending again, or None.

    Any number of seconds or minutes counts where the site puts refusals (the form's error
    list, 2channel's <b>); elsewhere on the page only one said as a wait ("send again in 30
    seconds", "30秒後"), since a post may well mention "15 minutes a day". Full-width digits
    count as digits.
    """
    page = unicodedata.normalize("NFKC", _SCRIPT.sub(" ", page))
    samba = _SAMBA.search(page)
    for place in _ERRORS.findall(page) + _BOLD.findall(page):
        text = _TAG.sub(" ", _SAMBA.sub(" ", place))
        if found := _SECONDS.search(text):
            return float(found.group(1))
        if found := _MINUTES.search(text):
            return float(found.group(1)) * 60
    if found := _SAID_AS_WAIT.search(_TAG.sub(" ", page)):
        number = float(found.group(1) or found.group(3))
        unit = (found.group(2) or found.group(4)).lower()
        return number * 60 if unit.startswith(("m", "分")) else number
    return float(samba.group(1)) if samba else None


def gist(answer: Answer, encoding: str = "utf-8") -> str:
    """A refusal in a few words: its status and the start of what it says, digits as N."""
    page = unicodedata.normalize("NFKC", _SCRIPT.sub(" ", answer.text(encoding)))
    places = _ERRORS.findall(page) + _BOLD.findall(page)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL)
    # A page with no message (an archived thread's page has no form to show it on): its title.
    said = places[0] if places else f"(no message; page: {title.group(1) if title else ''})"
    said = re.sub(r"\d+", "N", " ".join(_TAG.sub(" ", said).split()))
    return f"{answer.status} {said[:70]}".strip()


@dataclass(frozen=True)
class Verdict:
    kind: str  # "posted", "confirm", "wait", "refused", "error"
    wait: float = 0.0
    cookie: str = ""
    gist: str = ""


def new_cookie(answer: Answer) -> str:
    found = _COOKIE.search(answer.headers.get("set-cookie", ""))
    return found.group(1) if found else ""


def retry_after(answer: Answer) -> float:
    """The seconds a Retry-After header asks for (the site's "resting" answers), else 0."""
    value = answer.headers.get("retry-after", "")
    return float(value) if value.isdigit() else 0.0


def read_web(answer: Answer, *, had_cookie: bool) -> Verdict:
    if answer.status in (301, 302, 303):
        return Verdict("posted")
    if answer.status >= 500:
        return Verdict("error", retry_after(answer), gist=gist(answer))
    if not had_cookie and (cookie := new_cookie(answer)):
        return Verdict("confirm", cookie=cookie)
    wait = told_wait(answer.text())
    return Verdict("wait", wait) if wait is not None else Verdict("refused", gist=gist(answer))


def read_bbs(answer: Answer, *, had_cookie: bool) -> Verdict:
    page = answer.text(ENCODING_2CH)
    if answer.status >= 500 or retry_after(answer):
        # bbs.cgi says "resting" with a 200 (browsers read nothing else) and a Retry-After.
        return Verdict("error", retry_after(answer), gist=gist(answer, ENCODING_2CH))
    if "2ch_X:true" in page or "書きこみました" in page:
        return Verdict("posted")
    if not had_cookie and (cookie := new_cookie(answer)):
        return Verdict("confirm", cookie=cookie)
    wait = told_wait(page)
    if wait is None:
        return Verdict("refused", gist=gist(answer, ENCODING_2CH))
    return Verdict("wait", wait)
