"""The support pages render in English and Japanese, filter without JavaScript, and stay
within the CSP (no inline scripts or styles)."""

import re

import pytest

from support.models import Article


@pytest.fixture
def japanese(client):
    client.cookies["yoake_language"] = "ja"
    return client


def _no_inline_code(html):
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son\w+=", html)


def test_the_resources_page_lists_articles_in_english(seeded, client):
    response = client.get("/support/")
    html = response.content.decode()
    assert response.status_code == 200
    assert Article.objects.get(slug="what-withdrawal-is", language="en").title in html
    assert Article.objects.get(slug="what-withdrawal-is", language="ja").title not in html
    _no_inline_code(html)


def test_the_resources_page_lists_articles_in_japanese(seeded, japanese):
    html = japanese.get("/support/").content.decode()
    assert Article.objects.get(slug="what-withdrawal-is", language="ja").title in html
    assert Article.objects.get(slug="what-withdrawal-is", language="en").title not in html
    assert "資料" in html or "情報" in html


def test_the_resources_page_filters_by_category(seeded, client):
    html = client.get("/support/?category=family").content.decode()
    families = Article.objects.filter(language="en", category="family")
    understanding = Article.objects.filter(language="en", category="understanding")
    assert all(article.title in html for article in families)
    assert not any(article.title in html for article in understanding)


def test_the_audience_filter_keeps_articles_for_everyone(make_article, client):
    make_article(title="For parents only", audience="families")
    make_article(title="For everybody", audience="both")
    make_article(title="For the person", audience="individuals")
    html = client.get("/support/?audience=families").content.decode()
    assert "For parents only" in html
    assert "For everybody" in html
    assert "For the person" not in html


def test_an_unknown_filter_value_is_ignored(make_article, client):
    make_article(title="Still listed")
    response = client.get("/support/?category=<script>&audience=nobody")
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


def test_the_resources_page_searches(seeded, client):
    html = client.get("/support/?q=CRAFT").content.decode()
    assert "<mark>CRAFT</mark>" in html


def test_the_resources_page_takes_few_queries(seeded, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/support/")


def test_an_article_shows_its_sources_and_the_other_language(seeded, client):
    article = Article.objects.get(slug="family-guide", language="en")
    html = client.get("/support/family-guide/").content.decode()
    assert article.title in html
    assert "Sources" in html
    for source in article.source_list():
        assert source["text"] in html.replace("&#x27;", "'").replace("&quot;", '"').replace(
            "&amp;", "&"
        )
    assert 'href="/support/family-guide/?lang=ja"' in html
    assert 'hreflang="ja"' in html
    _no_inline_code(html)


def test_an_article_in_japanese(seeded, japanese):
    article = Article.objects.get(slug="family-guide", language="ja")
    html = japanese.get("/support/family-guide/").content.decode()
    assert article.title in html
    assert 'href="/support/family-guide/?lang=en"' in html
    assert "出典" in html


def test_the_other_language_link_shows_the_other_version(seeded, client):
    html = client.get("/support/family-guide/?lang=ja").content.decode()
    assert Article.objects.get(slug="family-guide", language="ja").title in html


def test_an_article_missing_in_the_readers_language_falls_back(make_article, japanese):
    make_article(slug="english-only", title="Only in English")
    html = japanese.get("/support/english-only/").content.decode()
    assert "Only in English" in html


def test_unpublished_and_unknown_articles_are_not_found(make_article, client):
    make_article(slug="draft", published=False)
    assert client.get("/support/draft/").status_code == 404
    assert client.get("/support/no-such-article/").status_code == 404


def test_an_article_body_is_sanitised_on_the_page(make_article, client):
    make_article(slug="xss", body="Hi <script>alert(1)</script> [x](javascript:alert(1))")
    html = client.get("/support/xss/").content.decode()
    assert "alert(1)" not in html


def test_a_rendered_body_is_served_from_the_cache_until_the_article_changes(make_article, client):
    article = make_article(slug="cached", body="First version.")
    assert "First version." in client.get("/support/cached/").content.decode()
    article.body = "Second version."
    article.save()
    assert "Second version." in client.get("/support/cached/").content.decode()


def test_help_now_renders_in_english_and_japanese(seeded, client):
    english = client.get("/support/help-now/").content.decode()
    assert "Yorisoi Hotline" in english
    assert 'src="/static/js/helpnow.js"' in english
    _no_inline_code(english)
    client.cookies["yoake_language"] = "ja"
    japanese = client.get("/support/help-now/").content.decode()
    assert "よりそいホットライン" in japanese
    assert "いま助けが必要ですか" in japanese
    assert "受付中" in japanese


def test_help_now_is_never_cached(seeded, client):
    response = client.get("/support/help-now/")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_help_now_takes_few_queries(seeded, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/support/help-now/")


def test_the_rules_page_states_safe_messaging_and_family_rules(seeded, client):
    html = client.get("/support/rules/").content.decode()
    assert "Community rules" in html
    assert "Family board" in html
    assert "by force" in html
    _no_inline_code(html)


def test_the_rules_page_in_japanese(seeded, japanese):
    html = japanese.get("/support/rules/").content.decode()
    assert "コミュニティのルール" in html
    assert "家族の部屋" in html


RULES_ON_STANDING_AND_BUSY_BOARDS = {
    "en": [
        "masks it automatically",
        "Your browser's <strong>standing</strong> grows",
        "The first post from a browser can hold one link.",
        "2channel browsers call this Samba.",
        "moderators call it a surge",
        "first seen less than a day ago",
        "there is no puzzle to solve, nothing is sent to any other site, and nothing tracks you",
        "the page says how long and keeps your text, and once the wait is over you send it again",
        "If your browser has standing, you will notice nothing.",
        "nobody is asked for any check",
        "the first to move to the archive when the board is full",
    ],
    "ja": [
        "自動で伏せ字にして",
        "<strong>信頼度</strong>",
        "リンクを1つまで入れられます",
        "「Samba」と呼ばれるしくみ",
        "初めて見てから1日たっていないもの",
        "解くパズルはなく",
        "書いた文章はそのまま残ります。待ち時間が過ぎたら、もう一度送ってください。",
        "信頼度のあるブラウザでは、何も変わりません。",
        "最初に過去ログへ移ります",
    ],
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_rules_page_explains_standing_links_samba_and_busy_boards(db, client, language):
    client.cookies["yoake_language"] = language
    html = client.get("/support/rules/").content.decode()
    for phrase in RULES_ON_STANDING_AND_BUSY_BOARDS[language]:
        assert phrase in html


def test_the_footer_link_reaches_the_rules(client):
    assert client.get("/support/rules/").status_code == 200


def test_getting_help_comes_first_among_the_resources(seeded, client):
    html = client.get("/support/").content.decode()
    sections = re.findall(
        r'<section class="article-section" aria-labelledby="section-([\w-]+)"', html
    )
    assert sections[0] == "help-now"
    assert set(sections) == set(Article.Category.values)
