"""Names that claim a role (Moderator, 管理人, Admin…) or carry ★ are kept for the moderators."""

import pytest

from forum.errors import InvalidInput
from forum.names import name_refusal
from forum.posting import create_post
from tests.factories import poster_from

ROLE_NAMES = [
    "Moderator",
    "ＭＯＤＥＲＡＴＯＲ",
    "m o d e r a t o r",
    "Mod-er_a.tor",
    "ADMIN",
    "Ａｄｍｉｎ",
    "a d m i n",
    "the admin",
    "Administrator",
    "モデレーター",
    "ﾓﾃﾞﾚｰﾀｰ",
    "管 理 人",
    "管理人さん",
    "削除人#key",
    "運営",
    "運　営",
    "★",
    "名無し★",
]
ORDINARY_NAMES = [
    "",
    "名無しさん",
    "night owl",
    "badminton fan",
    "Padmini",
    "modest",
    "☆ななし☆",
    "ななし#管理人",
    "ななし#admin",
]


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_names_that_claim_a_role_are_refused_in_any_spelling(name):
    assert name_refusal(name)


@pytest.mark.parametrize("name", ORDINARY_NAMES)
def test_ordinary_names_and_any_tripcode_key_are_accepted(name):
    assert name_refusal(name) is None


@pytest.mark.parametrize("name", ["ＭＯＤＥＲＡＴＯＲ", "削除人#key", "管 理 人"])
def test_a_post_under_a_role_name_is_refused_on_the_name_field(make_thread, name):
    thread = make_thread()
    with pytest.raises(InvalidInput) as refused:
        create_post(thread, poster=poster_from(), name=name, body="hello")
    assert list(refused.value.errors) == ["name"]
    assert "kept for the moderators" in refused.value.errors["name"][0]
    assert thread.posts.count() == 1


def test_the_web_form_says_why_on_the_name_and_keeps_the_rest(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "names-key"
    response = client.post(
        thread.get_absolute_url(),
        {"name": "Admin", "mail": "sage", "body": "words I do not want to type twice"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Names that claim a role on the site" in html
    assert "words I do not want to type twice" in html
    assert 'value="sage"' in html and 'value="Admin"' in html
    assert thread.posts.count() == 1


def test_the_refusal_is_in_japanese_for_japanese_readers(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_poster"] = "names-key"
    response = client.post(
        thread.get_absolute_url(),
        {"name": "管理人", "body": "こんばんは"},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 400
    assert "役割を名乗る名前" in response.content.decode()


def test_a_capcode_post_is_not_refused_for_its_name(make_thread):
    thread = make_thread()
    post = create_post(thread, poster=poster_from(), name="管理人", body="hi", as_moderator=True)
    assert post.is_capcode and post.name == "Moderator"
