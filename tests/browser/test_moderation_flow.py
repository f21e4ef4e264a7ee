"""A moderator at night: signs in with a TOTP code, deletes a reported post, bans its poster.

Readers then see the moderator placeholder, and the poster's next post is refused with the
reason the moderator gave. All through the real pages, under the site's strict CSP.
"""

from __future__ import annotations

import pytest

from forum.models import Post
from forum.reporting import report_post
from tests.browser.conftest import sign_in_to_admin
from tests.factories import poster_from

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_moderator_signs_in_with_totp_deletes_a_reported_post_and_bans_its_poster(
    page, moderator_page, asgi_server, make_thread, make_moderator, artifacts
):
    thread = make_thread(title="Can't sleep again")
    moderator = make_moderator(username="night-moderator")

    # The poster writes something hurtful from the thread page (first post: rules, then post).
    page.goto(asgi_server + thread.get_absolute_url())
    page.fill("#id_body", "nobody would miss you, loser")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_role("button", name="I understand, post it").click()
    page.locator("#p2").wait_for()
    post = Post.objects.get(thread=thread, number=2)

    # Two readers report it; the third report would hide it, but tonight a moderator is awake.
    for address in ("198.51.100.21", "198.51.100.22"):
        report_post(post, reporter=poster_from(address).hashes, reason="harassment")

    # The moderator: the admin sends them to the site's sign-in, then asks for the TOTP code.
    mod = moderator_page
    sign_in_to_admin(mod, asgi_server, moderator)

    # The reports queue lists the post; delete it with a reason.
    mod.get_by_role("link", name="Reports queue").first.click()
    mod.wait_for_url("**/admin/forum/reportedpost/")
    assert "nobody would miss you" in mod.locator("#result_list").inner_text()
    mod.screenshot(path=artifacts / "moderation-reports-queue.png", full_page=True)
    mod.check(f'input[name="_selected_action"][value="{post.pk}"]')
    mod.select_option('select[name="action"]', "delete_posts")
    mod.get_by_role("button", name="Go").click()
    mod.fill("#id_reason", "Harassment of another reader")
    mod.get_by_role("button", name="Delete these posts").click()
    mod.locator(".messagelist").wait_for()
    assert "1 post deleted." in mod.locator(".messagelist").inner_text()

    # Then ban its poster from the post's own page.
    mod.goto(asgi_server + f"/admin/forum/post/{post.pk}/change/")
    mod.get_by_role("button", name="Ban the poster").click()
    mod.fill("#id_reason", "Please take a break and read the community rules")
    mod.get_by_role("button", name="Ban", exact=True).click()
    mod.locator(".messagelist").wait_for()
    assert "is banned" in mod.locator(".messagelist").inner_text()
    mod.goto(asgi_server + "/admin/dashboard/")
    assert "ban in force" in mod.locator("#content-main").inner_text()
    mod.screenshot(path=artifacts / "moderation-dashboard.png", full_page=True)

    # Readers see the moderator placeholder, and the number stays.
    page.goto(asgi_server + thread.get_absolute_url())
    assert "deleted by a moderator" in page.locator("#p2 .post-body").inner_text()
    assert "nobody would miss you" not in page.content()

    # The poster's next post is refused, with the moderator's reason above the form.
    refusals = []
    page.on("response", lambda r: r.status >= 400 and refusals.append(r.url))
    page.fill("#id_body", "why was that deleted")
    page.get_by_role("button", name="Post reply").click()
    page.locator("#form-errors").wait_for()
    assert (
        "Please take a break and read the community rules"
        in page.locator("#form-errors").inner_text()
    )
    assert page.locator("#p3").count() == 0
    page.screenshot(path=artifacts / "banned-poster-refused.png", full_page=True)

    assert page.foreign_requests == []
    assert mod.console_errors == []
    # The one error a reader's console shows is the refused post itself: its page is a 403.
    assert page.console_errors == [
        "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    ]
    assert refusals == [asgi_server + thread.get_absolute_url()]
