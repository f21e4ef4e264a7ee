"""Tripcodes match 2channel and JDim, so people stay recognisable without an account."""

import pytest

from forum.tripcode import split_name, tripcode

VECTORS = [
    ("A", "hRJ9Ya./t."),
    ("hellowo", "/wfpxFEFeQ"),
    ("hellowor", "d75etXAowg"),
    ("helloworld!", "d75etXAowg"),
    ("四字熟語", "sX.SlNvMe."),
    ("#0123456789", "RTDIJZhD3g"),
    ("$0123456789", "46g6cHndYk"),
    ("helloworld!?", "xwumaTFfu1OK"),
    ("jdimprovedproject", "Y7G9gYfXrr6."),
    ("#0123456789abcdef", "ClNHFHdYIw"),
    ("#あいうえおか", "???"),
    ("$将来の拡張用", "???"),
    ("tripcode", "3GqYIJ3Obs"),
    ("password", "ozOtJW9BFA"),
    ("tea", "WokonZwxw2"),
    ("ｋａｍｉ", "yGAhoNiShI"),
    ("istrip", "/WG5qp963c"),
]


@pytest.mark.parametrize(("key", "expected"), VECTORS)
def test_tripcode_matches_the_2channel_vectors(key, expected):
    assert tripcode(key) == expected


def test_classic_tripcodes_have_ten_characters_and_long_keys_twelve():
    assert len(tripcode("short")) == 10
    assert len(tripcode("a much longer secret key")) == 12


def test_name_splits_at_the_first_hash_including_full_width():
    assert split_name("nanashi#secret#more") == ("nanashi", "secret#more")
    assert split_name("名無し＃key") == ("名無し", "key")
    assert split_name("plain") == ("plain", None)
