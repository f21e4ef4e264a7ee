"""Every main page passes axe-core with no violation, in the night and the day theme, on a phone
(320 px) and at 1280 px: contrast, names of links and fields, landmarks, heading order, language.

axe-core comes bundled with axe-playwright-python and runs with its default rules (WCAG 2 A and
AA and the best practices), none switched off. A failure lists each rule broken, with the
selectors of the elements that break it.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from config.context_processors import THEME_COOKIE
from tests.browser.conftest import reach_the_risk_page

pytestmark = pytest.mark.django_db(transaction=True)

axe_playwright = pytest.importorskip(
    "axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed"
)

DESKTOP = {"width": 1280, "height": 900}

# One line per page: a path, or a function of the seeded site (below) that returns one, or that
# brings the page there itself by doing what a reader does and returns None.
PAGES = {
    "home": "/",
    "board": lambda site: site.thread.board.get_absolute_url(),
    # At the moderator's post: a post that is the page's :target has a background of its own.
    "thread": lambda site: site.thread.get_absolute_url() + f"#p{site.moderator_post.number}",
    "chat-room": lambda site: site.room.get_absolute_url(),
    "support-index": "/support/",
    "article": lambda site: site.article.get_absolute_url(),
    "help-now": "/support/help-now/",
    "search-results": "/search/?q=kettle",
    "sign-in": "/accounts/login/",
    "sign-in-with-a-wrong-password": lambda site: site.sign_in_with_a_wrong_password(),
    "settings": "/accounts/settings/",
    "settings-signed-in": lambda site: site.signed_in("/accounts/settings/"),
    "sign-up": "/accounts/signup/",
    "risk-page": lambda site: reach_the_risk_page(site.page, site.url, site.thread),
    "refused-post": lambda site: site.post_an_empty_reply(),
    "replies": "/replies/",
}


class Site:
    """The seeded site (boards, rooms, articles, help lines) with a pinned thread whose replies
    quote, sign with a tripcode, say sage, are deleted or come from a moderator; a chat room
    with messages; and the steps a reader takes to reach a page that is not a plain address."""

    def __init__(self, page, url, *, client, make_thread, make_post, make_user, make_moderator):
        from chat.models import Room
        from chat.rooms import send_message
        from forum.addresses import hash_address
        from forum.models import Board
        from forum.posting import delete_own_post
        from support.models import Article

        call_command("seed", verbosity=0)
        self.page, self.url, self.client, self.make_user = page, url, client, make_user
        board = Board.objects.order_by("position", "pk").first()
        self.thread = make_thread(board=board, title="Awake again at three", body="Anyone up?")
        self.thread.is_pinned = True
        self.thread.save(update_fields=["is_pinned"])
        make_post(thread=self.thread, body=">>1 me too, the kettle is on")
        make_post(thread=self.thread, name="night owl#lantern", mail="sage", body="Tea helps.")
        delete_own_post(
            make_post(thread=self.thread, body="never mind"), delete_key="test-delete-key"
        )
        self.moderator_post = make_post(
            thread=self.thread, body=">>2 please be gentle here", as_moderator=make_moderator()
        )
        self.room = Room.objects.order_by("pk").first()
        for number, handle in enumerate(("", "owl#lantern")):
            send_message(
                self.room,
                sender=hash_address(f"192.0.2.{number + 1}"),
                handle=handle,
                body="Still awake, anyone?",
            )
        self.article = Article.objects.filter(language="en").order_by("pk").first()

    def signed_in(self, path: str) -> str:
        self.client.force_login(self.make_user(username="quiet-reader"))
        session = self.client.cookies["sessionid"].value
        self.page.context.add_cookies([{"name": "sessionid", "value": session, "url": self.url}])
        return path

    def sign_in_with_a_wrong_password(self) -> None:
        self.page.goto(self.url + "/accounts/login/")
        self.page.fill('input[name="login"]', "nobody-here")
        self.page.fill('input[name="password"]', "not-the-password")
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").first.click()

    def post_an_empty_reply(self) -> None:
        """The form again, with why: past the first post's rules, a reply with no message."""
        self.page.goto(self.url + self.thread.get_absolute_url())
        for _ in range(2):
            with self.page.expect_navigation():
                self.page.locator("main form button.primary").first.click()
            if self.page.locator("#form-errors").count():
                return
        raise AssertionError("an empty reply was not refused")


def violations(page) -> list[str]:
    """What axe finds on the page as it is now, one line per rule: id, impact, help, targets.
    Its "needs review" results count too (a field described by an id that is not on the page is
    one), all but those it could not judge for a reason that is no fault of the page."""
    results = (
        axe_playwright.Axe()
        .run(page, options={"resultTypes": ["violations", "incomplete"]})
        .response
    )
    found = [("", rule, rule["nodes"]) for rule in results["violations"]]
    for rule in results["incomplete"]:
        nodes = [node for node in rule["nodes"] if not out_of_view(page, rule, node)]
        if nodes:
            found.append(("needs review: ", rule, nodes))
    return [
        f"{kind}{rule['id']} ({rule['impact']}): {rule['help']} -> "
        + ", ".join(" ".join(node["target"]) for node in nodes)
        for kind, rule, nodes in found
    ]


def out_of_view(page, rule, node) -> bool:
    """On a phone the header's second row scrolls sideways (static/css/yoake.css): axe cannot
    tell the background of a link scrolled out of it, and says so. The links there are the
    same colours as those in view, which axe does judge."""
    if rule["id"] != "color-contrast" or len(node["target"]) != 1:
        return False
    return page.evaluate(
        "(selector) => document.querySelector(selector)?.closest('.header-row') !== null",
        node["target"][0],
    )


@pytest.mark.parametrize("theme", ["night", "day"])
@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_has_no_accessibility_violations_at_either_width(
    page, asgi_server, client, make_thread, make_post, make_user, make_moderator, name, theme
):
    site = Site(
        page,
        asgi_server,
        client=client,
        make_thread=make_thread,
        make_post=make_post,
        make_user=make_user,
        make_moderator=make_moderator,
    )
    page.context.add_cookies([{"name": THEME_COOKIE, "value": theme, "url": asgi_server}])
    target = PAGES[name]
    path = target(site) if callable(target) else target
    if path is not None:
        assert page.goto(asgi_server + path).status == 200
    assert page.locator("html").get_attribute("data-theme") == theme
    if name == "search-results":
        assert page.locator("main mark", has_text="kettle").count() > 0

    found = [f"320 px: {line}" for line in violations(page)]
    page.set_viewport_size(DESKTOP)
    found += [f"1280 px: {line}" for line in violations(page)]

    assert found == [], "\n".join(found)


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
    assert any(line.startswith("color-contrast ") for line in found), found
    assert any(line.startswith("button-name ") for line in found), found
