"""Every main page has no axe-core violations, in the night theme and the day theme: contrast,
names, roles, landmarks and headings as a screen reader or a tired eye meets them."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from config.context_processors import THEME_COOKIE
from forum.models import Thread
from support.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
# Night as it is read at 3 a.m., on a phone; day on a desk. Both layouts are checked, each page
# in both themes, without doubling the run.
WIDTH = {"night": 375, "day": 1280}


def welcome_thread() -> str:
    return Thread.objects.filter(board__slug="night").order_by("pk").first().get_absolute_url()


def an_article() -> str:
    return Article.objects.order_by("pk").first().get_absolute_url()


# Each main page of the brief: a name and how to find its address on the seeded site.
MAIN_PAGES = {
    "home": lambda: "/",
    "board": lambda: "/night/",
    "thread": welcome_thread,
    "chat room": lambda: "/chat/lounge/",
    "support": lambda: "/support/",
    "article": an_article,
    "help now": lambda: "/support/help-now/",
    "search": lambda: "/search/?q=sleep",
    "sign in": lambda: "/accounts/login/",
    "sign up": lambda: "/accounts/signup/",
    "settings": lambda: "/accounts/settings/",
    "replies": lambda: "/replies/",
}


def violations(page) -> list[str]:
    """axe's violations as 'rule: selector (summary)' lines, so a failure says what to fix."""
    results = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            found.append(f"{violation['id']}: {target} ({node.get('failureSummary', '')[:160]})")
    return found


@pytest.mark.parametrize("theme", ["night", "day"])
@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_the_page_has_no_accessibility_violations(page, asgi_server, name, theme):
    call_command("seed", verbosity=0)
    host = asgi_server.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": THEME_COOKIE, "value": theme, "domain": host, "path": "/"}])
    page.set_viewport_size({"width": WIDTH[theme], "height": 900})

    response = page.goto(asgi_server + MAIN_PAGES[name]())
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-theme") == theme

    assert violations(page) == []


def test_the_check_itself_finds_what_a_reader_would_miss(page, asgi_server):
    """The same check on the home page with dim grey text and an unnamed button: it must say so,
    or the zero above would mean nothing."""
    call_command("seed", verbosity=0)
    page.goto(asgi_server + "/")
    page.evaluate(
        """() => {
          const main = document.getElementById("main");
          const dim = document.createElement("p");
          dim.textContent = "barely readable";
          dim.style.color = "#3a3f4d";
          main.append(dim, document.createElement("button"));
        }"""
    )
    found = violations(page)
    assert any(line.startswith("color-contrast:") for line in found)
    assert any(line.startswith("button-name:") for line in found)
