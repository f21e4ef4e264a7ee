"""Risk language is found in English and Japanese, whatever the width, case or kana form."""

import pytest
from django.test import override_settings

from support.risk import find_risk_phrases, normalise


def test_normalise_folds_width_and_case():
    assert normalise("Ｋｉｌｌ　Ｍｙｓｅｌｆ") == "kill myself"
    assert normalise("ｼﾆﾀｲ") == "シニタイ"
    assert normalise("don’t  WANT\tto live") == "don't want to live"
    assert normalise("死\u200bにたい") == "死にたい"


def test_normalise_keeps_hiragana_and_katakana_apart():
    assert normalise("しにたい") != normalise("シニタイ")


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("I want to kill myself tonight", "kill myself"),
        ("Ｋｉｌｌ Ｍｙｓｅｌｆ", "kill myself"),
        ("KiLL MySeLF", "kill myself"),
        ("i don’t want to live anymore", "don't want to live"),
        ("もう死にたい", "死にたい"),
        ("もう死にたい…", "死にたい"),
        ("しにたい", "しにたい"),
        ("ﾘｽｶしちゃった", "リスカ"),
        ("ｵｰﾊﾞｰﾄﾞｰｽﾞ", "オーバードーズ"),
        ("消えたいなあ", "消えたい"),
        ("SUICIDE", "suicide"),
    ],
)
def test_risk_phrases_are_found_in_both_languages(seeded, text, phrase):
    assert phrase in find_risk_phrases(text)


@pytest.mark.parametrize(
    "text",
    [
        "I stayed up all night playing games again",
        "今日は散歩に行けた",
        "The killer whale documentary was good",
        "",
    ],
)
def test_ordinary_posts_match_nothing(seeded, text):
    assert find_risk_phrases(text) == []


def test_a_half_width_katakana_post_matches_a_katakana_phrase(make_risk_phrase):
    make_risk_phrase(phrase="シニタイ", language="ja")
    assert find_risk_phrases("ｼﾆﾀｲ") == ["シニタイ"]


def test_a_phrase_typed_in_full_width_by_a_moderator_still_matches(make_risk_phrase):
    make_risk_phrase(phrase="ＥＮＤ ＩＴ ＡＬＬ", language="en")
    assert find_risk_phrases("i just want to end it all") == ["ＥＮＤ ＩＴ ＡＬＬ"]


def test_matching_covers_both_lists_at_once(seeded):
    found = find_risk_phrases("I want to die. 死にたい")
    assert "want to die" in found
    assert "死にたい" in found


def test_a_new_phrase_counts_at_once_although_the_list_was_cached(make_risk_phrase):
    make_risk_phrase(phrase="want to vanish")
    assert find_risk_phrases("nothing here") == []  # fills the cache
    make_risk_phrase(phrase="gone for good")
    assert find_risk_phrases("i will be gone for good") == ["gone for good"]


def test_a_phrase_switched_off_no_longer_matches(make_risk_phrase):
    phrase = make_risk_phrase(phrase="want to vanish")
    assert find_risk_phrases("i want to vanish") == ["want to vanish"]
    phrase.active = False
    phrase.save()
    assert find_risk_phrases("i want to vanish") == []


def test_a_deleted_phrase_no_longer_matches(make_risk_phrase):
    phrase = make_risk_phrase(phrase="want to vanish")
    assert find_risk_phrases("i want to vanish") == ["want to vanish"]
    phrase.delete()
    assert find_risk_phrases("i want to vanish") == []


def test_the_phrase_list_is_read_from_the_cache_once_cached(
    make_risk_phrase, django_assert_num_queries
):
    make_risk_phrase(phrase="want to vanish")
    find_risk_phrases("warm-up")
    with django_assert_num_queries(0):
        assert find_risk_phrases("i want to vanish") == ["want to vanish"]


def test_matching_works_while_redis_is_down(make_risk_phrase):
    make_risk_phrase(phrase="want to vanish")
    unreachable = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "unix:///nonexistent/yoake-test/redis.sock",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=unreachable):
        assert find_risk_phrases("I want to vanish") == ["want to vanish"]


@pytest.mark.parametrize("text", ["死 に た い", "死　に　た　い", "もう 死にたい", "死\nにたい"])
def test_spaces_between_japanese_characters_do_not_hide_risk(make_risk_phrase, text):
    make_risk_phrase(phrase="死にたい", language="ja")
    assert find_risk_phrases(text) == ["死にたい"]


def test_spaces_between_english_words_still_count(make_risk_phrase):
    make_risk_phrase(phrase="want to die", language="en")
    assert find_risk_phrases("want todie") == []
    assert find_risk_phrases("want  to   die") == ["want to die"]


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("k.i.l.l my self", "kill myself"),
        ("s u i c i d e", "suicide"),
        ("su\u200bi\u200bcide", "suicide"),  # zero-width spaces
        ("sui\u2060cide", "suicide"),  # word joiner
        ("w a n t  t o  d i e", "want to die"),
        ("want-to-die", "want to die"),
        ("want...to...die", "want to die"),
        ("I want to d\u0336i\u0336e", "want to die"),  # struck through with combining marks
        ("ｗａｎｔ・ｔｏ・ｄｉｅ", "want to die"),  # full-width, with middle dots
        ("死、に、た、い", "死にたい"),
        ("死・に・た・い", "死にたい"),
        ("死.に.た.い", "死にたい"),
        ("死\u200dに\u200bた\ufeffい", "死にたい"),
        ("死にた～い", "死にたい"),
        ("消え\u3164たい", "消えたい"),  # a Hangul filler, invisible
        ("ｼ.ﾆ.ﾀ.ｲ", "シニタイ"),  # half-width katakana, dotted
    ],
)
def test_punctuation_spaces_and_invisible_characters_do_not_hide_risk(
    make_risk_phrase, text, phrase
):
    make_risk_phrase(phrase=phrase, language="ja" if not phrase.isascii() else "en")
    assert find_risk_phrases(text) == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "We had fun, alive and well",  # "unalive" must begin a word
        "I got a haircut, my self-esteem is better",  # "cut myself"
        "Went to the weekend, my life is fine",  # "end my life"
        "Let's blend it all",  # "end it all"
        "2024にたいして",  # "4にたい"
        "私に対して、たいへん",
    ],
)
def test_words_that_only_run_into_a_phrase_are_not_it(seeded, text):
    assert find_risk_phrases(text) == []


def test_a_phrase_with_a_symbol_keeps_its_symbol(make_risk_phrase):
    make_risk_phrase(phrase="○にたい", language="ja")
    assert find_risk_phrases("○にたい") == ["○にたい"]
    assert find_risk_phrases("私にたいして") == []
