"""A 2channel browser in a surge: no JavaScript, so a newcomer's post waits a hold told in cp932,
and a new thread sent again after it waits for a moderator; posters with standing notice nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from forum import surge
from forum.models import SurgeState, Thread
from forum.standing import cookie_hash, note_seen
from forum.surge import SurgeCheck
from forum.twoch import bbscgi
from tests.factories import poster_from
from tests.twoch.conftest import page_text, post_bbs_cgi, reply_form, thread_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_night(night):
    surge.switch(night, SurgeState.Switch.ON, by=None)
    return night


def _jdim_poster():
    return poster_from("127.0.0.1", delete_key="jdim-delete-key")


def test_a_newcomers_new_thread_gets_the_hold_in_cp932_and_after_it_waits_for_a_moderator(
    jdim, busy_night
):
    form = thread_form("night", subject="眠れない", body="誰か起きてる？")
    answer = post_bbs_cgi(jdim, form)
    text = page_text(answer)
    with translation.override("ja"):
        told = surge._hold_words(True, surge.HOLD_SECONDS)
    assert "<!-- 2ch_X:error -->" in text and bbscgi._text([told]) in text
    assert "Samba24" not in text  # a hold is not a posting interval to count down
    assert not Thread.objects.filter(board=busy_night).exists()

    # The browser sends it again once the hold is over (it began 31 seconds ago).
    surge.counters_client().delete(*surge.counters_client().keys("yoake:surge:hold:*"))
    with pytest.raises(SurgeCheck):
        surge.admit(
            busy_night,
            _jdim_poster(),
            new_thread=True,
            now=timezone.now() - timedelta(seconds=surge.HOLD_SECONDS + 1),
        )
    again = post_bbs_cgi(jdim, form)
    text = page_text(again)
    assert "<!-- 2ch_X:true -->" in text
    with translation.override("ja"):
        assert surge.held_notice() in text
    thread = Thread.objects.get(board=busy_night)
    assert thread.is_held


def test_a_poster_with_standing_posts_through_bbs_cgi_as_if_there_were_no_surge(
    jdim, night, make_thread
):
    note_seen(cookie_hash(_jdim_poster()), timezone.now() - timedelta(days=10))
    thread = make_thread(board=night)
    surge.switch(night, SurgeState.Switch.ON, by=None)
    answer = post_bbs_cgi(jdim, reply_form("night", thread.key, body="おはよう"))
    assert "<!-- 2ch_X:true -->" in page_text(answer)
    assert thread.posts.filter(body="おはよう").exists()
