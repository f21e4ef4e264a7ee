"""An account keeps theme, language and mute words; the browser applies mute words itself."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Preferences
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_settings_are_saved_and_this_device_follows_them(client, make_user):
    user = make_user()
    client.force_login(user)

    response = client.post(
        reverse("account_settings"),
        {"theme": "day", "language": "ja", "mute_words": "spoilers\n  \nBoss\nspoilers\n"},
    )

    assert response.status_code == 302
    preferences = Preferences.objects.get(user=user)
    assert (preferences.theme, preferences.language) == ("day", "ja")
    assert preferences.mute_word_list() == ["spoilers", "Boss"]
    assert response.cookies["yoake_theme"].value == "day"
    assert response.cookies["yoake_language"].value == "ja"


def test_signing_in_on_another_device_brings_the_accounts_theme_and_language(client, make_user):
    user = make_user()
    Preferences.objects.create(user=user, theme="day", language="ja")

    response = client.post(
        reverse("account_login"), {"login": user.username, "password": TEST_PASSWORD}
    )

    assert response.cookies["yoake_theme"].value == "day"
    assert response.cookies["yoake_language"].value == "ja"
    with translation.override("en"):  # the page switches to Japanese; the test thread does not
        page = client.get("/")
    assert 'data-theme="day"' in page.content.decode()
    assert 'lang="ja"' in page.content.decode()


def test_too_many_or_too_long_mute_words_are_refused_with_a_message(client, make_user):
    client.force_login(make_user())
    many = "\n".join(f"word{n}" for n in range(51))
    response = client.post(reverse("account_settings"), {"theme": "night", "mute_words": many})
    assert response.status_code == 400
    assert "at most 50 mute words" in response.content.decode()
    long = client.post(reverse("account_settings"), {"theme": "night", "mute_words": "x" * 41})
    assert "at most 40 characters" in long.content.decode()
    assert not Preferences.objects.exists()


def test_prefs_json_gives_a_signed_in_reader_their_mute_words_and_hidden_threads(
    client, make_user, make_thread
):
    from accounts.preferences import hide_thread

    user = make_user()
    thread = make_thread()
    Preferences.objects.create(user=user, mute_words="spoilers\nboss")
    hide_thread(user, thread)
    client.force_login(user)

    response = client.get(reverse("account_prefs"))

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["signed_in"] is True
    assert data["mute_words"] == ["spoilers", "boss"]
    assert data["hidden_threads"] == [f"{thread.board.slug}/{thread.key}"]
    assert data["labels"]["show"]


def test_prefs_json_for_a_visitor_says_to_use_this_browser(client):
    data = client.get(reverse("account_prefs")).json()
    assert data["signed_in"] is False
    assert "mute_words" not in data and "hidden_threads" not in data
    assert data["watched"] == []


def test_mute_words_never_change_the_shared_page(client, make_user, make_thread, make_post):
    thread = make_thread()
    make_post(thread=thread, body="huge spoilers for the finale")
    user = make_user()
    Preferences.objects.create(user=user, mute_words="spoilers")
    anonymous = client.get(thread.get_absolute_url()).content.decode()
    client.force_login(user)
    signed_in = client.get(thread.get_absolute_url()).content.decode()
    for page in (anonymous, signed_in):
        assert "huge spoilers for the finale" in page
        assert "muted-post" not in page
        assert "js/prefs.js" in page


def test_a_visitor_gets_a_settings_page_kept_in_the_browser(client):
    page = client.get(reverse("account_settings")).content.decode()
    assert "data-local-prefs" in page
    assert "Create an account" in page


def test_the_settings_page_speaks_japanese_too(client, make_user):
    client.force_login(make_user())
    client.cookies["yoake_language"] = "ja"
    with translation.override("en"):
        page = client.get(reverse("account_settings")).content.decode()
    assert '<html lang="ja"' in page
    assert "Save settings" not in page and "Mute words" not in page


def test_the_mute_word_help_is_in_japanese_for_a_japanese_reader(client, make_user):
    visitor = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "1行に1つ" in visitor and "One word or phrase per line" not in visitor
    client.force_login(make_user())
    member = client.get(reverse("account_settings"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "1行に1つ" in member and "One word or phrase per line" not in member


def test_settings_saved_in_japanese_say_so_in_japanese(client, make_user):
    client.force_login(make_user())
    client.cookies["yoake_language"] = "ja"
    saved = client.post(
        reverse("account_settings"), {"theme": "night", "language": "ja"}, follow=True
    )
    assert "設定を保存しました。" in saved.content.decode()


def test_switching_to_japanese_says_it_saved_in_japanese(client, make_user):
    """The page after switching is Japanese; so is the line that says the switch was saved."""
    client.force_login(make_user())
    saved = client.post(
        reverse("account_settings"),
        {"theme": "night", "language": "ja"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = client.get(saved["Location"]).content.decode()
    assert 'lang="ja"' in page
    assert "設定を保存しました。" in page and "Your settings are saved." not in page
