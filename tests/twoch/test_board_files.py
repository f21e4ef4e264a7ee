"""subject.txt, SETTING.TXT, head.txt and bbsmenu.html, byte for byte."""

from datetime import UTC, datetime, timedelta

import pytest

from forum.models import Thread

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_subject_txt_lists_live_threads_by_last_bump_and_sage_does_not_bump(
    client, night, make_thread, make_post
):
    older = make_thread(board=night, title="いちばん古い (1)", now=_at(0))
    sunk = make_thread(board=night, title="sage されるスレ", now=_at(1))
    newest = make_thread(board=night, title="<新しい> & スレ", now=_at(2))
    gone = make_thread(board=night, title="過去ログ", now=_at(3))
    Thread.objects.filter(pk=gone.pk).update(is_archived=True, archived_at=_at(4))
    make_post(thread=older, mail="", now=_at(5))
    make_post(thread=sunk, mail="sage", now=_at(6))

    response = client.get("/night/subject.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=Shift_JIS"
    assert response.content == (
        f"{older.key}.dat<>いちばん古い (1) (2)\n"
        f"{newest.key}.dat<>&lt;新しい&gt; &amp; スレ (1)\n"
        f"{sunk.key}.dat<>sage されるスレ (2)\n"
    ).encode("cp932")


def test_a_pinned_thread_heads_subject_txt(client, night, make_thread):
    pinned = make_thread(board=night, title="お知らせ", now=_at(0))
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    later = make_thread(board=night, title="雑談", now=_at(1))
    lines = client.get("/night/subject.txt").content.splitlines()
    keys = [line.split(b".dat")[0] for line in lines]
    assert keys == [str(pinned.key).encode(), str(later.key).encode()]


def test_a_full_thread_counts_its_1001_line_in_subject_txt(client, night, make_thread):
    from tests.forum.helpers import fill_thread

    thread = make_thread(board=night, title="満員")
    fill_thread(thread, 1000)
    assert client.get("/night/subject.txt").content == f"{thread.key}.dat<>満員 (1001)\n".encode(
        "cp932"
    )


def test_an_empty_board_has_an_empty_subject_txt_and_an_unknown_one_is_404(client, night):
    assert client.get("/night/subject.txt").content == b""
    assert client.get("/nosuch/subject.txt").status_code == 404


def test_setting_txt_gives_the_default_name_and_the_limits_in_bytes(client, night):
    response = client.get("/night/SETTING.TXT")
    assert response["Content-Type"] == "text/plain; charset=Shift_JIS"
    assert response.content == (
        "BBS_TITLE=夜ふかし\n"
        "BBS_NONAME_NAME=名無しさん\n"
        "BBS_DELETE_NAME=あぼーん\n"
        "BBS_SUBJECT_COUNT=192\n"
        "BBS_NAME_COUNT=64\n"
        "BBS_MAIL_COUNT=128\n"
        "BBS_MESSAGE_COUNT=8000\n"
        "BBS_LINE_NUMBER=30\n"
        "BBS_UNICODE=pass\n"
        "BBS_FORCE_ID=checked\n"
        "BBS_NO_ID=\n"
        "BBS_SAMBA24=0\n"
    ).encode("cp932")


def test_setting_txt_names_a_lower_post_limit(client, make_board):
    make_board(slug="small", post_limit=500, title_ja="", title_en="Small")
    content = client.get("/small/SETTING.TXT").content
    assert content.startswith(b"BBS_TITLE=Small\n")
    assert content.endswith(b"BBS_THREAD_STOP=500\n")


def test_head_txt_is_the_rules_as_escaped_html(client, make_board):
    make_board(slug="family", rules_ja="名前・学校は書かない <b>絶対</b>\n\nやさしく")
    response = client.get("/family/head.txt")
    assert response["Content-Type"] == "text/html; charset=Shift_JIS"
    assert response.content == (
        "名前・学校は書かない &lt;b&gt;絶対&lt;/b&gt;<br>\n<br>\nやさしく<br>\n"
    ).encode("cp932")


def test_head_txt_falls_back_to_the_english_rules(client, make_board):
    make_board(slug="en_only", rules_en="Be kind.")
    assert client.get("/en_only/head.txt").content == b"Be kind.<br>\n"


def test_bbsmenu_lists_every_board_with_its_absolute_url(client, night, make_board):
    make_board(slug="family", title_ja="家族の部屋", position=1)
    response = client.get("/bbsmenu.html")
    assert response["Content-Type"] == "text/html; charset=Shift_JIS"
    assert response.content == (
        "<HTML>\n<HEAD>\n"
        '<META http-equiv="Content-Type" content="text/html; charset=Shift_JIS">\n'
        "<TITLE>BBSMENU - 夜明け Yoake</TITLE>\n</HEAD>\n<BODY>\n"
        "<BR><BR><B>夜明け Yoake</B><BR>\n"
        "<A HREF=http://testserver/night/>夜ふかし</A><br>\n"
        "<A HREF=http://testserver/family/>家族の部屋</A><br>\n"
        "</BODY>\n</HTML>\n"
    ).encode("cp932")


def test_the_web_pages_of_a_board_and_a_thread_still_work(client, night, make_thread):
    thread = make_thread(board=night, title="ウェブでも読める")
    assert client.get("/night/").status_code == 200
    page = client.get(f"/test/read.cgi/night/{thread.key}/")
    assert page.status_code == 200 and "ウェブでも読める" in page.content.decode()
    assert client.get(f"/test/read.cgi/night/{thread.key}/l50").status_code == 200


def test_bbsmenu_links_carry_the_site_port_though_the_host_header_has_none(client, night, settings):
    """JDim sends `Host: 127.0.0.1` while talking to port 18123 (2ch.md §2.1)."""
    settings.YOAKE_SITE_URL = "http://127.0.0.1:18123"
    response = client.get("/bbsmenu.html", headers={"Host": "127.0.0.1"})
    assert b"<A HREF=http://127.0.0.1:18123/night/>" in response.content
