"""The base layout: every page has help one click away, a theme and a language switch."""

import pytest


@pytest.mark.django_db
def test_home_page_has_need_help_now_link(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/support/help-now/"' in response.content
