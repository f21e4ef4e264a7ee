"""The web forms in a surge: a newcomer's form comes back with what they typed, the hold's length
and the browser's automatic check; without JavaScript it is sent again after the hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum import surge
from forum.models import SurgeState, Thread
from forum.poster import POSTER_COOKIE
from forum.surge import SurgeCheck
from tests.factories import poster_from

pytestmark = pytest.mark.django_db

TYPED = {"title": "夜が長い <b>", "name": "", "mail": "", "body": "誰かいますか <script>x</script>"}


@pytest.fixture
def newcomer_client(client):
    client.cookies[POSTER_COOKIE] = "fresh-browser"
    return client


def test_out_of_a_surge_the_form_carries_no_check(newcomer_client, make_board):
    board = make_board()
    page = newcomer_client.get(board.get_absolute_url()).content.decode()
    assert "altcha" not in page
    answer = newcomer_client.post(board.get_absolute_url(), TYPED)
    assert answer.status_code == 302


def test_in_a_surge_a_newcomers_form_comes_back_with_the_text_the_hold_and_the_check(
    newcomer_client, make_board
):
    board = make_board()
    surge.switch(board, SurgeState.Switch.ON, by=None)
    answer = newcomer_client.post(board.get_absolute_url(), TYPED)
    assert answer.status_code == 429
    page = answer.content.decode()
    assert f"{surge.HOLD_SECONDS} seconds" in page
    assert "夜が長い &lt;b&gt;" in page and "誰かいますか &lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>x</script>" not in page
    assert "<altcha-widget" in page and "vendor/altcha/altcha" in page
    assert "surge-check.js" in page
    assert not Thread.objects.filter(board=board).exists()


def test_without_javascript_a_new_thread_sent_after_the_hold_waits_for_a_moderator(
    newcomer_client, make_board
):
    board = make_board()
    surge.switch(board, SurgeState.Switch.ON, by=None)
    # The first try was 31 seconds ago: its hold is over.
    with pytest.raises(SurgeCheck):
        surge.admit(
            board,
            poster_from("127.0.0.1", delete_key="fresh-browser"),
            new_thread=True,
            now=timezone.now() - timedelta(seconds=surge.HOLD_SECONDS + 1),
        )
    answer = newcomer_client.post(board.get_absolute_url(), TYPED, follow=True)
    assert answer.redirect_chain[-1][0] == board.get_absolute_url()
    assert "it will appear once a moderator has looked at it" in answer.content.decode()
    assert Thread.objects.get(board=board).is_held


def test_a_newcomer_who_saw_the_help_page_is_not_sent_back_to_it_by_the_check(
    newcomer_client, make_board, make_risk_phrase
):
    make_risk_phrase(phrase="死にたい", language="ja")
    board = make_board()
    surge.switch(board, SurgeState.Switch.ON, by=None)
    words = {**TYPED, "body": "もう死にたい"}
    help_page = newcomer_client.post(board.get_absolute_url(), words)
    assert 'name="confirm_risk"' in help_page.content.decode()
    check = newcomer_client.post(board.get_absolute_url(), {**words, "confirm_risk": "1"})
    assert check.status_code == 429
    page = check.content.decode()
    assert '<input type="hidden" name="confirm_risk" value="1">' in page
    assert "もう死にたい" in page
