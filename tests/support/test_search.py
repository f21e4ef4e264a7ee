"""Search splits Japanese into bigrams in Python and finds articles in both languages."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from support.articles import search_articles
from support.models import Article
from support.search import search_document, search_query, snippet


def test_japanese_runs_become_overlapping_bigrams():
    assert search_document("死にたい") == "死に にた たい"


def test_a_single_cjk_character_stays_a_unigram():
    assert search_document("家") == "家"
    assert search_document("my 家 here") == "my 家 here"


def test_latin_text_becomes_lower_cased_words():
    assert search_document("Family Training, CRAFT!") == "family training craft"


def test_mixed_text_splits_at_script_boundaries():
    assert search_document("CRAFTは家族向け") == "craft は家 家族 族向 向け"


def test_full_width_and_half_width_forms_are_folded():
    assert search_document("ＣＲＡＦＴ ｼﾆﾀｲ") == "craft シニ ニタ タイ"


def test_korean_and_chinese_are_bigrams_too():
    assert search_document("은둔형 외톨이") == "은둔 둔형 외톨 톨이"
    assert search_document("隱蔽青年") == "隱蔽 蔽青 青年"


def test_several_texts_make_one_document():
    assert search_document("Title", "", "本文") == "title 本文"


def test_queries_require_every_term_and_quote_each_one():
    assert search_query("死にたい") == "'死に' & 'にた' & 'たい'"
    assert search_query("Family training") == "'family' & 'training'"


def test_a_single_cjk_character_query_matches_as_a_prefix():
    assert search_query("家") == "'家':*"


def test_an_empty_or_symbol_only_query_is_empty():
    assert search_query("") == ""
    assert search_query("&|!():*'\\<->") == ""


def test_repeated_terms_are_asked_for_once():
    assert search_query("sleep sleep SLEEP") == "'sleep'"


@pytest.mark.parametrize(
    "q",
    [
        "a & | ! ( ) : * ' \\ <-> b",
        "'; DROP TABLE support_article; --",
        "it's o'clock",
        "back\\slash",
        "!!!",
        "(((",
        "死に & たい | ',*",
        "x" * 5000,
    ],
)
def test_no_user_input_breaks_the_tsquery(db, q):
    raw = search_query(q)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery('simple', %s)", [raw])
    Article.objects.filter(
        search_vector=SearchQuery(raw, search_type="raw", config="simple")
    ).count()


@pytest.fixture
def articles(make_article):
    return {
        "ja": make_article(
            language="ja",
            title="家族のためのガイド",
            summary="家族ができること、してはいけないこと。",
            body="夜になると「死にたい」と感じる人は少なくありません。居場所があると、少し楽になります。",
        ),
        "en": make_article(
            language="en",
            title="A guide for families",
            summary="What helps and what harms.",
            body="Many families settle into a **Strange Peace** and wait. Peer support groups help.",
        ),
        "draft": make_article(
            language="en", title="Unpublished peace notes", body="Peace.", published=False
        ),
    }


def test_japanese_search_finds_the_japanese_article_with_a_snippet(articles):
    results = search_articles("居場所")
    assert [article.pk for article in results] == [articles["ja"].pk]
    assert "<mark>居場所</mark>" in results[0].snippet


def test_japanese_search_highlights_the_whole_phrase_once(articles):
    results = search_articles("死にたい")
    assert results[0].pk == articles["ja"].pk
    assert "<mark>死にたい</mark>" in results[0].snippet


def test_english_search_finds_the_english_article_with_a_snippet(articles):
    results = search_articles("strange peace")
    assert [article.pk for article in results] == [articles["en"].pk]
    assert "<mark>Strange</mark> <mark>Peace</mark>" in results[0].snippet


def test_search_can_keep_to_one_language(articles):
    assert search_articles("家族", language="en") == []
    assert [a.pk for a in search_articles("家族", language="ja")] == [articles["ja"].pk]


def test_title_matches_rank_above_body_matches(make_article):
    in_body = make_article(title="Sleep", body="Something about outreach and visits.")
    in_title = make_article(title="Outreach", body="Visits at home.")
    assert [a.pk for a in search_articles("outreach")] == [in_title.pk, in_body.pk]


def test_unpublished_articles_are_not_found(articles):
    assert articles["draft"].pk not in [a.pk for a in search_articles("peace")]


def test_an_edit_is_searchable_after_saving(articles):
    article = articles["en"]
    article.body = "Now about hikikomori outreach."
    article.save()
    assert [a.pk for a in search_articles("hikikomori")] == [article.pk]


def test_search_takes_one_query(articles, django_assert_num_queries):
    with django_assert_num_queries(1):
        search_articles("家族")


def test_snippets_are_escaped():
    html = snippet("<b>bold</b> & the CRAFT <script>", "craft")
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;" in html
    assert "<mark>CRAFT</mark>" in html


def test_snippets_cut_long_texts_around_the_first_hit():
    text = "filler " * 100 + "the word outreach appears here " + "more " * 100
    html = snippet(text, "outreach")
    assert "<mark>outreach</mark>" in html
    assert html.startswith("…") and html.endswith("…")
    assert len(html) < 200


def test_snippets_do_not_highlight_inside_other_words():
    assert "<mark>" not in snippet("Start the day", "art")


def test_seeded_articles_are_found_in_both_languages(seeded):
    ja = search_articles("居場所", language="ja")
    en = search_articles("CRAFT", language="en")
    assert ja and en
    assert "<mark>" in ja[0].snippet and "<mark>" in en[0].snippet


def test_absurdly_long_words_are_not_indexed():
    assert search_document("ok " + "a" * 500) == "ok"
