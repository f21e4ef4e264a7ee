"""The privacy page tells the whole truth: what the hashes protect and what protects them, what
happens to bans, and the sealed addresses exactly when the operator has turned them on."""

from __future__ import annotations

import pytest
from nacl.public import PrivateKey

pytestmark = pytest.mark.django_db

SEALED_HEADING = {"en": "When a life may be in danger", "ja": "命に危険があるかもしれないとき"}


def privacy_page(client, language: str) -> str:
    client.cookies["yoake_language"] = language
    return client.get("/privacy/").content.decode()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_without_a_key_the_page_says_nothing_of_sealed_addresses(client, settings, language):
    settings.SEALED_ADDRESS_PUBLIC_KEY = b""
    page = privacy_page(client, language)
    assert SEALED_HEADING[language] not in page
    assert ("sealed" if language == "en" else "封印") not in page
    assert ("Your raw IP address" if language == "en" else "生のIPアドレス") in page


@pytest.mark.parametrize("language", ["en", "ja"])
def test_with_a_key_the_page_says_what_is_sealed_who_may_open_it_and_for_how_long(
    client, settings, language
):
    settings.SEALED_ADDRESS_PUBLIC_KEY = bytes(PrivateKey.generate().public_key)
    page = privacy_page(client, language)
    assert SEALED_HEADING[language] in page
    if language == "en":
        assert "keeps offline, never on this server" in page
        assert "when the police ask in writing" in page
        assert "Sealed addresses are deleted after 7 days." in page
        assert "Your raw IP address" not in page
    else:
        assert "このサーバーには決して置かない鍵" in page
        assert "警察から書面で求められたときだけ" in page
        assert "封印したアドレスは7日後に削除します。" in page


def test_the_page_no_longer_claims_hashes_cannot_be_turned_back(client, settings):
    settings.ADDRESS_HASH_RETENTION_DAYS = 30
    english, japanese = privacy_page(client, "en"), privacy_page(client, "ja")
    assert "cannot be turned back" not in english
    assert "戻すことはできません" not in japanese
    assert "The key is what protects it" in english
    assert "few enough IPv4 addresses" in english
    assert "ハッシュを守っているのはこの鍵です" in japanese


def test_the_page_says_what_happens_to_the_hash_of_an_ended_ban(client, settings):
    settings.ADDRESS_HASH_RETENTION_DAYS = 30
    english, japanese = privacy_page(client, "en"), privacy_page(client, "ja")
    assert "30 days after the ban ends, its hash is deleted" in english
    assert "no longer matches anyone" in english
    assert "禁止が終わってから30日後に" in japanese


def test_the_privacy_page_explains_standing_in_both_languages(client):
    english = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    japanese = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Your standing:" in english and "never with your address" in english
    assert "あなたの信頼度" in japanese


BUSY_BOARD_KEEPS = {
    "en": [
        "how many posts arrived in each minute, with nothing about who wrote them",
        "a marker that it is waiting, and a marker that it passed the check",
        "all the addresses of one IPv6 /64 count as one address",
        "for half an hour at most",
        "a mark that it moves to the archive first",
        "so that no check can be used twice",
        "none of it goes into the database",
        "it sends nothing to any other site and does not track you",
    ],
    "ja": [
        "誰が書いたかは含みません",
        "待っていることの印と、確認を済ませたことの印",
        "同じ/64のアドレスをまとめて1つと数えます",
        "同じ確認を二度使えないように",
        "長くても30分",
        "データベースには入れません",
        "ほかのサイトには何も送らず",
    ],
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_page_says_what_a_busy_board_keeps_where_and_for_how_long(client, language):
    page = privacy_page(client, language)
    for phrase in BUSY_BOARD_KEEPS[language]:
        assert phrase in page
    assert ("short automatic check" if language == "en" else "短い自動の確認") in page


WRITTEN = {"en": "how far the database had got", "ja": "データベースがどこまで進んでいたか"}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_written_position_cookie_is_named_exactly_when_there_are_replicas(
    client, settings, language
):
    settings.DATABASE_REPLICA_URLS = []
    assert WRITTEN[language] not in privacy_page(client, language)

    settings.DATABASE_REPLICA_URLS = ["postgres://u@replica:5432/yoake"]
    page = privacy_page(client, language)
    assert WRITTEN[language] in page
    assert ("for 5 minutes" if language == "en" else "5分間") in page
