"""Thread.objects.at: the one lookup every reply and every freshly drawn page starts from."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.models import Board, Thread

pytestmark = pytest.mark.django_db


def values(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_finds_the_thread_with_its_board_as_the_orm_reads_them(make_board, make_thread):
    board = make_board(slug="night", title_ja="夜", rules_en="Be kind.\n<b>no html</b>")
    thread = make_thread(board=board, title="眠れない夜 <3")
    Thread.objects.filter(pk=thread.pk).update(is_pinned=True, archive_first=True)

    found = Thread.objects.at("night", thread.key)

    assert values(found) == values(Thread.objects.get(pk=thread.pk))
    assert values(found.board) == values(Board.objects.get(pk=board.pk))
    assert found._state.adding is False and found._state.db == "default"


def test_a_held_thread_is_found_only_when_asked_for(make_board, make_thread):
    board = make_board(slug="night")
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_held=True)

    assert Thread.objects.at("night", thread.key).pk == thread.pk
    assert Thread.objects.at("night", thread.key, held=False) is None


def test_no_thread_at_another_board_a_missing_key_or_a_key_past_bigint(make_board, make_thread):
    thread = make_thread(board=make_board(slug="night"))
    make_board(slug="family")

    assert Thread.objects.at("family", thread.key) is None
    assert Thread.objects.at("night", thread.key + 1) is None
    assert Thread.objects.at("night", 2**63) is None
    assert Thread.objects.at("night", -(2**63) - 1) is None


def test_the_thread_page_of_a_huge_key_is_not_found(client, make_board):
    make_board(slug="night")
    assert client.get(f"/night/{2**70}/").status_code == 404


def test_a_board_lists_its_live_threads_as_the_orm_orders_them(make_board, make_thread):
    board = make_board(slug="night")
    older = make_thread(board=board, now=timezone.now() - timedelta(hours=3))
    newer = make_thread(board=board, now=timezone.now() - timedelta(hours=1))
    pinned = make_thread(board=board, now=timezone.now() - timedelta(hours=5))
    held = make_thread(board=board)
    gone = make_thread(board=board)
    Thread.objects.filter(pk=pinned.pk).update(is_pinned=True)
    Thread.objects.filter(pk=held.pk).update(is_held=True)
    Thread.objects.filter(pk=gone.pk).update(is_archived=True, archived_at=timezone.now())
    make_thread(board=make_board(slug="family"))

    listed = Thread.objects.listed_on(board)

    assert [t.pk for t in listed] == [pinned.pk, newer.pk, older.pk]
    ordered = Thread.objects.filter(board=board).live().by_bump()
    assert [values(t) for t in listed] == [values(t) for t in ordered]
    assert all(t.board is board for t in listed)
