"""Samba from 2channel browsers: the number they read is the board's interval, whatever the wait."""

import pytest

from forum.models import Post
from tests.twoch.conftest import page_text, post_bbs_cgi, reply_form
from tests.twoch.test_bbs_cgi import INNERMOST_B, SAMBA_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)


def _samba(response) -> tuple[int, str]:
    """(the seconds JDim stores as the board's interval, the whole message)."""
    message = INNERMOST_B.match(page_text(response)).group(2)
    assert message.startswith("ERROR: Samba24:Caution ")
    return int(SAMBA_SECONDS.search(message).group(2)), message


def test_a_repeat_offender_waits_longer_but_the_browser_reads_the_board_interval(
    jdim, make_board, make_thread, settings
):
    settings.YOAKE_POST_INTERVAL = 300
    board = make_board(slug="slow", flood_interval=20)
    thread = make_thread(board=board)
    setting = page_text(jdim.get("/slow/SETTING.TXT"))
    assert "BBS_SAMBA24=20\n" in setting
    post_bbs_cgi(jdim, reply_form("slow", thread.key, body="一回目"))
    answers = [
        _samba(post_bbs_cgi(jdim, reply_form("slow", thread.key, body=f"連投 {n}")))
        for n in range(4)
    ]
    assert [interval for interval, _ in answers] == [20] * 4
    # The grown wait is still told, in digits browsers do not take for the interval.
    last = answers[-1][1].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    assert "待ち時間が長くなっています：40秒" in last
    assert Post.objects.filter(thread=thread).count() == 2
