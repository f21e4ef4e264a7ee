"""Real Chromium against a real ASGI server: for what only a reader's eye (or a WebSocket) shows.

- `asgi_server`: uvicorn serving config.asgi in its own process, with the same flags as
  `make run`, against the test database and Redis; its base URL, e.g. "http://127.0.0.1:41234".
  Tests that use it must be marked `@pytest.mark.django_db(transaction=True)`: the server is
  another process, so it only sees committed data.
- `browser`: one headless Chromium for the session (Debian's /usr/bin/chromium).
- `page`: a fresh 320 px wide page per test; requests to any other origin are refused and kept in
  `page.foreign_requests`, console errors (CSP violations included) in `page.console_errors`.
- `artifacts`: the git-ignored test-artifacts/ folder, for screenshots.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from config.launch import serve_command
from tests.chat.factories import make_room  # noqa: F401 (fixture for the night-watch test)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 320, "height": 640}


def pytest_collection_modifyitems(items):
    """Mark the tests in this folder `browser` and run them last (see `browser` for why)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is using now (the test database, once set up)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = quote(str(settings_dict.get("HOST") or ""), safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the ASGI server exited:\n{log.read_text()[-3000:]}")
        with (
            contextlib.suppress(OSError),  # not listening yet
            urllib.request.urlopen(f"{url}/healthz", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.1)  # polling for readiness, not waiting for an effect
    raise RuntimeError(f"the ASGI server did not answer in {timeout}s:\n{log.read_text()[-3000:]}")


class _Shared:
    """One server and one Chromium per test run, however many conftest files import the fixtures
    below: each import is a fixture definition of its own, with its own session-scoped value, and
    a second Playwright in the same thread would fail. Users are counted; the last one closes."""

    def __init__(self) -> None:
        self.value = None
        self.close = None
        self.users = 0


_SHARED: dict[str, _Shared] = {}


@contextmanager
def shared(name: str, open_resource):
    """Yield the value of `open_resource()` -> (value, close), opened once while anyone uses it."""
    entry = _SHARED.setdefault(name, _Shared())
    if entry.users == 0:
        entry.value, entry.close = open_resource()
    entry.users += 1
    try:
        yield entry.value
    finally:
        entry.users -= 1
        if entry.users == 0:
            entry.close()
            entry.value = entry.close = None


def start_asgi_server(log: Path) -> tuple[str, object]:
    from django.conf import settings
    from django.db import connection

    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",  # static files straight from static/, no collectstatic needed
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        # A test's burst of threads is no raid; a test that wants a surge switches it on, and
        # solves the proof of work at the default cost (tests/browser/test_surge_check.py).
        "YOAKE_SURGE": "0",
        "YOAKE_SURGE_PROOF_COST": "1",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            serve_command(env), cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
    except Exception:
        stop()
        raise
    return url, stop


def start_chromium() -> tuple[object, object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API keeps an asyncio loop marked as running in this thread, which makes
    # Django refuse database calls from the test. Its documented way out is this variable; the
    # browser tests run last, so Django's async-safety check stays on for every other test.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    def restore_environment() -> None:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        restore_environment()
        pytest.skip(f"Chromium at {CHROMIUM} would not start: {error}")

    def stop() -> None:
        chromium.close()
        playwright.stop()
        restore_environment()

    return chromium, stop


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, tmp_path_factory):
    log = tmp_path_factory.mktemp("asgi") / "server.log"
    with shared("asgi_server", lambda: start_asgi_server(log)) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    with shared("browser", start_chromium) as chromium:
        yield chromium


@pytest.fixture
def browser_context_options() -> dict:
    """Override in a test module to change the context, e.g. {"java_script_enabled": False}."""
    return {}


def wait_until_the_server_is_done(timeout: float = 10) -> None:
    """After a browser closes, until the server has no query left in the test database.

    A request or socket the page started just before the test ended (a live socket's catch-up,
    a preview's fetch) may still be reading when the test's teardown empties every table: the
    two then deadlock, and the next tests find the last one's rows.
    """
    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            cursor = connection.cursor()
        except RuntimeError:  # a test without the database: nothing of it to wait for
            return
        with cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def page(browser, asgi_server, browser_context_options):
    context = browser.new_context(viewport=PHONE, **browser_context_options)
    page = context.new_page()
    page.foreign_requests = []
    page.console_errors = []
    origin = urlsplit(asgi_server)

    def keep_it_local(route):
        target = urlsplit(route.request.url)
        if target.scheme in {"data", "blob"} or target.netloc == origin.netloc:
            route.continue_()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", keep_it_local)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
    wait_until_the_server_is_done()


@pytest.fixture
def artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def moderator_page(browser, asgi_server):
    """A second browser, the moderator's, at 1280 px in the night colours, that also refuses
    other origins and keeps console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.console_errors = []
    origin = urlsplit(asgi_server).netloc

    def keep_it_local(route):
        target = urlsplit(route.request.url)
        if target.scheme in {"data", "blob"} or target.netloc == origin:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", keep_it_local)
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
    wait_until_the_server_is_done()


def sign_in_to_admin(page, asgi_server: str, moderator) -> None:
    """As a moderator does: the admin sends them to the site's sign-in, which then asks for the
    TOTP code (computed here from the moderator's secret)."""
    from tests.factories import TEST_PASSWORD, totp_code

    page.goto(asgi_server + "/admin/")
    assert urlsplit(page.url).path == "/accounts/login/"
    page.fill('input[name="login"]', moderator.username)
    page.fill('input[name="password"]', TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill('input[name="code"]', totp_code(moderator.totp_secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(asgi_server + "/admin/")


def reach_the_risk_page(page, asgi_server: str, thread, text: str = "I want to end it all") -> None:
    """As a reader does: a reply with risk language, past the rules shown before a first post,
    to the calm page that offers help before posting (forum.answers.risk_interstitial)."""
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", text)
    with page.expect_navigation():
        page.locator("#post-form button.primary").click()
    if not page.locator("input[name='confirm_risk']").count():  # the rules, once per browser
        with page.expect_navigation():
            page.locator("main form button.primary").click()
    page.locator("input[name='confirm_risk']").wait_for(state="attached")
