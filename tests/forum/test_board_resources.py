"""Boards link to support: families see the family guide, the recovery board the approaches."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from forum import seed as forum_seed
    from support import seed as support_seed

    forum_seed.run()
    support_seed.run()


def test_the_family_board_shows_the_family_guide_first_beside_its_threads(client, seeded):
    page = client.get("/family/").content.decode()
    aside = page[page.index('class="card board-resources"') :]
    assert aside.index('href="/support/family-guide/"') < aside.index("</aside>")
    assert 'href="/support/craft-and-family-training/"' in aside[: aside.index("</aside>")]


def test_the_recovery_board_shows_the_approaches_article(client, seeded):
    page = client.get("/recovery/").content.decode()
    assert 'href="/support/recovery-approaches/"' in page


def test_japanese_readers_get_the_japanese_articles(client, seeded):
    from support.models import Article

    title = Article.objects.get(slug="family-guide", language="ja").title
    page = client.get("/family/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert title in page


def test_other_boards_have_no_resource_box(client, seeded):
    assert "board-resources" not in client.get("/talk/").content.decode()
