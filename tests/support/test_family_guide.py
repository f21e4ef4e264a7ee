"""The family guide as a parent abroad reads it: said once, no heading twice, no Japan-only
emergency number as the only one."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(seeded):
    from support.models import Article

    return Article.objects.get(slug="family-guide", language="en")


def test_the_family_guide_says_for_families_once(client, guide):
    page = client.get(guide.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    meta = re.search(r'<p class="article-meta muted">(.*?)</p>', page, re.S).group(1)
    assert meta.count("For families") == 1


def test_no_heading_is_repeated_on_the_page(client, guide):
    page = client.get(guide.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert len(headings) == len(set(headings)), headings


def test_the_english_guide_does_not_send_every_reader_to_119(guide):
    text = guide.body
    assert "call your local emergency number" in text
    assert "999 in the UK" in text
