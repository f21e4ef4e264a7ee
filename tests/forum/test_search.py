"""Site search finds posts in English and Japanese, live or archived, with highlighted snippets."""

import pytest
from django.utils import timezone

from forum.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_japanese_text_without_spaces_is_found_by_a_word_inside_it(client, make_thread, make_post):
    thread = make_thread(title="眠れない夜")
    make_post(thread=thread, body="今日はコンビニまで歩いて行けました。少し自信がつきました。")
    make_post(thread=thread, body="unrelated words")
    page = client.get("/search/", {"q": "コンビニ"}).content.decode()
    assert "1 post" in page
    assert "<mark>コンビニ</mark>" in page
    assert f"{thread.get_absolute_url()}2" in page


def test_english_words_are_found_case_insensitively_with_a_snippet(client, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body="I went to the Support Station in town today")
    page = client.get("/search/", {"q": "support station"}).content.decode()
    assert "<mark>Support</mark> <mark>Station</mark>" in page


def test_archived_threads_are_searchable_and_deleted_posts_are_not(client, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body="archived treasure words")
    gone = make_post(thread=thread, body="deleted treasure words")
    Post.objects.filter(pk=gone.pk).update(status=Post.Status.DELETED_BY_POSTER)
    Thread.objects.filter(pk=thread.pk).update(is_archived=True, archived_at=timezone.now())
    page = client.get("/search/", {"q": "treasure"}).content.decode()
    assert "1 post" in page
    assert "archived treasure" in page.replace("<mark>", "").replace("</mark>", "")
    assert "deleted treasure" not in page.replace("<mark>", "").replace("</mark>", "")


def test_search_input_cannot_break_the_query(client, make_thread):
    make_thread()
    for q in ["'", "a & | ! (", ":*", "\\", "<script>alert(1)</script>", "　"]:
        response = client.get("/search/", {"q": q})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


def test_a_search_page_takes_at_most_four_queries(
    client, django_assert_max_num_queries, make_thread, make_post
):
    thread = make_thread()
    for n in range(30):
        make_post(thread=thread, body=f"night walk number {n}")
    with django_assert_max_num_queries(4):
        page = client.get("/search/", {"q": "night walk"}).content.decode()
    assert "30 posts" in page
    assert "page=2" in page


def test_a_very_common_word_says_more_than_a_thousand_instead_of_counting_them_all(
    client, settings, make_thread, make_post, monkeypatch
):
    from forum import search

    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    thread = make_thread()
    for n in range(8):
        make_post(thread=thread, body=f"common word {n}")
    page = client.get("/search/", {"q": "common"}).content.decode()
    assert "More than 5 posts" in page


def test_the_words_as_written_come_before_their_characters_scattered(
    client, make_thread, make_post, make_article
):
    """眠れない: a post saying it ranks above one holding 眠れ, れな and ない apart, and a resource
    that only scatters them comes after the posts, not above them."""
    thread = make_thread(title="夜のスレ")
    scattered = make_post(thread=thread, body="眠れる日もある。忘れないでね。")
    exact = make_post(thread=thread, body="今夜も眠れない")
    make_article(language="ja", title="夜のこと", summary="眠れる夜も、忘れないこと", body="本文")
    page = client.get("/search/", {"q": "眠れない"}, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    first, second = (
        page.index(f"{thread.get_absolute_url()}{exact.number}"),
        page.index(f"{thread.get_absolute_url()}{scattered.number}"),
    )
    assert first < second
    assert page.index("夜のこと") > second  # after the posts, under "more resources"


def test_a_page_past_the_last_still_says_how_many_posts_matched(client, make_thread, make_post):
    thread = make_thread()
    for n in range(25):
        make_post(thread=thread, body=f"quiet morning number {n}")
    second = client.get("/search/", {"q": "quiet morning", "page": 2}).content.decode()
    past = client.get("/search/", {"q": "quiet morning", "page": 3}).content.decode()
    assert "25 posts" in second and "25 posts" in past
    assert second.count(thread.get_absolute_url()) == 5
    assert past.count(thread.get_absolute_url()) == 0
