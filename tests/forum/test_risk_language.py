"""Risk language on the boards: the writer sees help first, can still post, and moderators are told."""

import re

import pytest

from forum.errors import RiskLanguage
from forum.models import Post
from tests.factories import poster_from

pytestmark = pytest.mark.django_db


@pytest.fixture
def phrases(make_risk_phrase):
    make_risk_phrase(phrase="want to die", language="en")
    make_risk_phrase(phrase="死にたい", language="ja")


@pytest.fixture
def help_lines(make_help_line):
    make_help_line(country="JP", kind="emergency", name_en="Police", phone="110", hours="24/7")
    make_help_line(country="JP", kind="emergency", name_en="Ambulance", phone="119", hours="24/7")
    for n in range(4):
        make_help_line(country="JP", kind="crisis_line", name_en=f"Line {n}", hours="24/7")


def test_posting_risk_language_asks_first_and_keeps_nothing_until_confirmed(phrases, make_thread):
    from forum.posting import create_post

    thread = make_thread()
    with pytest.raises(RiskLanguage):
        create_post(thread, poster=poster_from(), body="Some nights I WANT TO DIE")
    assert thread.posts.count() == 1


def test_full_width_and_mixed_case_japanese_and_english_are_recognised(phrases, make_thread):
    from forum.posting import create_post

    thread = make_thread()
    for body in ("ｗａｎｔ ｔｏ ｄｉｅ", "もう死にたい。", "I Want To Die"):
        with pytest.raises(RiskLanguage):
            create_post(thread, poster=poster_from(), body=body)


def test_the_interstitial_shows_at_most_three_lines_and_keeps_the_text(
    client, phrases, help_lines, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    typed = {
        "name": "night#owl",
        "mail": "sage",
        "body": "tonight I want to die\n  and I don't know why",
    }
    page = client.post(thread.get_absolute_url(), typed).content.decode()
    assert "It sounds like things are really hard right now" in page
    assert len(re.findall(r'href="tel:', page)) <= 3
    assert 'href="/support/help-now/"' in page
    for name, value in typed.items():
        assert f'name="{name}" value="{value.replace(chr(39), "&#x27;")}"' in page
    assert thread.posts.count() == 1


def test_posting_anyway_stores_the_same_text_with_a_risk_flag(
    client, phrases, help_lines, make_thread
):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    body = "tonight I want to die"
    response = client.post(thread.get_absolute_url(), {"body": body, "confirm_risk": "1"})
    assert response.status_code == 302
    post = thread.posts.get(number=2)
    assert post.body == body
    assert post.is_risk_flagged


def test_going_back_shows_the_form_with_the_text_and_posts_nothing(client, phrases, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "k"
    page = client.post(
        thread.get_absolute_url(), {"body": "I want to die", "edit": "1"}
    ).content.decode()
    assert "I want to die</textarea>" in page
    assert thread.posts.count() == 1


def test_a_new_thread_with_risk_language_in_the_title_also_asks_first(client, phrases, make_board):
    board = make_board()
    client.cookies["yoake_poster"] = "k"
    page = client.post(
        f"/{board.slug}/", {"title": "死にたい夜", "body": "眠れない"}
    ).content.decode()
    assert 'name="title" value="死にたい夜"' in page
    assert not Post.objects.filter(thread__board=board).exists()
