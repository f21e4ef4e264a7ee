"""support/content/ becomes articles, help lines and risk phrases, and re-seeding is safe."""

from pathlib import Path

import pytest

from support import seed
from support.models import Article, HelpLine, RiskPhrase

CONTENT = Path(seed.__file__).parent / "content"
ARTICLE_SLUGS = sorted({path.name.split(".")[0] for path in (CONTENT / "articles").glob("*.md")})


def test_there_are_at_least_ten_articles_to_seed():
    assert len(ARTICLE_SLUGS) >= 10


@pytest.mark.parametrize("slug", ARTICLE_SLUGS)
def test_every_seeded_article_is_there_in_english_and_japanese_with_sources(seeded, slug):
    versions = {article.language: article for article in Article.objects.filter(slug=slug)}
    assert set(versions) == {"en", "ja"}
    for article in versions.values():
        assert article.published
        assert article.title and article.summary and len(article.body) > 200
        assert article.source_list(), f"{slug}.{article.language} lists no sources"
        assert article.category in Article.Category.values
        assert article.audience in Article.Audience.values


def test_both_language_versions_share_category_and_audience(seeded):
    for slug in ARTICLE_SLUGS:
        en, ja = (Article.objects.get(slug=slug, language=lang) for lang in ("en", "ja"))
        assert (en.category, en.audience) == (ja.category, ja.audience), slug


def test_the_brief_topics_are_covered(seeded):
    categories = set(Article.objects.values_list("category", flat=True))
    assert {"understanding", "approaches", "family", "help-now"} <= categories


def test_help_lines_and_risk_phrases_are_seeded(seeded):
    assert HelpLine.objects.filter(country="JP", kind="emergency").exists()
    assert HelpLine.objects.filter(country="INTL").exists()
    assert RiskPhrase.objects.filter(language="en").exists()
    assert RiskPhrase.objects.filter(language="ja").exists()


def test_seeding_twice_changes_nothing(seeded):
    before = {a.pk: a.updated for a in Article.objects.all()}
    lines = HelpLine.objects.count()
    phrases = RiskPhrase.objects.count()
    summary = seed.run()
    assert "created" not in summary.split("risk phrases")[0]
    assert {a.pk: a.updated for a in Article.objects.all()} == before
    assert HelpLine.objects.count() == lines
    assert RiskPhrase.objects.count() == phrases


def test_seeding_keeps_an_article_a_moderator_edited(seeded):
    article = Article.objects.get(slug=ARTICLE_SLUGS[0], language="en")
    article.title = "Edited by a moderator"
    article.save()
    seed.run()
    article.refresh_from_db()
    assert article.title == "Edited by a moderator"


def test_seeding_keeps_a_help_line_a_moderator_switched_off(seeded):
    line = HelpLine.objects.filter(country="JP").first()
    line.active = False
    line.save()
    seed.run()
    line.refresh_from_db()
    assert line.active is False


def test_seeding_does_not_switch_a_risk_phrase_back_on(seeded):
    phrase = RiskPhrase.objects.get(phrase="死にたい", language="ja")
    phrase.active = False
    phrase.save()
    seed.run()
    phrase.refresh_from_db()
    assert phrase.active is False


def test_seeding_refreshes_an_unedited_article_from_its_file(seeded, monkeypatch):
    article = Article.objects.get(slug=ARTICLE_SLUGS[0], language="en")
    original = seed.parse_article

    def changed(path):
        data = original(path)
        if path.name == f"{ARTICLE_SLUGS[0]}.en.md":
            data["summary"] = "A newer summary from the file."
        return data

    monkeypatch.setattr(seed, "parse_article", changed)
    seed.run()
    article.refresh_from_db()
    assert article.summary == "A newer summary from the file."


def test_a_front_matter_without_an_end_is_reported(tmp_path):
    path = tmp_path / "broken.en.md"
    path.write_text("---\ntitle: x\n\nbody", encoding="utf-8")
    with pytest.raises(seed.ContentError):
        seed.parse_article(path)
