"""Class codes without look-alikes, and teacher keys compared by hash."""

from __future__ import annotations

import pytest

from nnviz.classes import ClassError
from nnviz.classes.codes import (
    ALPHABET,
    CODE_LENGTH,
    hash_key,
    key_matches,
    new_class_code,
    new_secret_key,
    normalize_code,
)


def test_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31
    assert ALPHABET.upper() == ALPHABET


def test_new_codes_use_the_alphabet_and_normalize_to_themselves():
    made = {new_class_code() for _ in range(500)}
    assert len(made) > 490  # 31**6 codes: repeats are rare
    for code in made:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
        assert normalize_code(code.lower()) == code


@pytest.mark.parametrize(
    ("typed", "code"), [("abc234", "ABC234"), (" ABC 234 ", "ABC234"), ("abc-234", "ABC234")]
)
def test_typed_codes_are_normalized(typed, code):
    assert normalize_code(typed) == code


def test_a_lower_case_l_is_refused_not_guessed():
    with pytest.raises(ClassError, match="contains 'L'"):
        normalize_code("abl234")


def test_keys_are_long_random_and_url_safe():
    keys = {new_secret_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        assert len(key) == 43
        assert set(key) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_key_matches_only_its_own_hash():
    key = new_secret_key()
    stored = hash_key(key)
    assert key not in stored and len(stored) == 64
    assert key_matches(key, stored)
    for wrong in [new_secret_key(), key[:-1], key + "A", "", None, b"bytes", "\ud800"]:
        assert not key_matches(wrong, stored)
