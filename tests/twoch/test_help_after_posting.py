"""A 2channel browser set to confirm by itself posts the risk confirmation page again before
its writer reads it: the 書きこみました page then carries the help lines, in cp932."""

import html
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.twoch.conftest import cp932_form, page_text, post_bbs_cgi, reply_form, thread_form

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


@pytest.fixture
def risk(make_risk_phrase, make_help_line):
    make_risk_phrase(phrase="消えたい", language="ja")
    for n in range(4):
        make_help_line(country="JP", name_en=f"Helpline {n}", phone=f"012000000{n}", hours="24/7")


@pytest.fixture
def thread(night, make_thread):
    return make_thread(board=night, title="眠れない", body="こんばんは")


def confirm_at_once(client, confirmation):
    """What a browser set to confirm automatically does: post the form straight back."""
    fields = [
        (name, html.unescape(value)) for name, value in HIDDEN.findall(page_text(confirmation))
    ]
    return post_bbs_cgi(client, cp932_form(*fields, ("submit", "上記全てを承諾して書き込む")))


def is_success(response) -> bool:
    return "<title>書きこみました。</title>" in page_text(response)


def test_a_browser_that_confirms_by_itself_still_sees_the_help_lines_once_posted(
    jdim, thread, risk
):
    confirmation = post_bbs_cgi(jdim, reply_form("night", thread.key, body="もう消えたい"))

    done = confirm_at_once(jdim, confirmation)

    assert is_success(done)
    text = done.content.decode("cp932")  # every character of it is in cp932
    assert "&#" not in text
    assert sum(f"Helpline {n}" in text for n in range(4)) == 3
    with translation.override("ja"):
        assert gettext("You are not alone. If you want to talk to someone now:") in text


def test_a_calm_post_says_only_that_it_was_posted(jdim, thread, risk):
    done = post_bbs_cgi(jdim, reply_form("night", thread.key, body="おやすみ"))
    assert is_success(done) and "Helpline" not in page_text(done)


def test_a_new_thread_with_risk_language_shows_the_help_lines_once_posted(jdim, night, risk):
    confirmation = post_bbs_cgi(jdim, thread_form("night", subject="聞いて", body="消えたい"))
    done = confirm_at_once(jdim, confirmation)
    assert is_success(done) and "Helpline 0" in page_text(done)


def test_a_first_post_confirmed_at_once_shows_them_too(client, thread, risk):
    """The cookie page carries the risk confirmation as well (JDim confirms once per post)."""
    confirmation = post_bbs_cgi(client, reply_form("night", thread.key, body="消えたい夜"))
    done = confirm_at_once(client, confirmation)
    assert is_success(done) and "Helpline 0" in page_text(done)
