"""Alphabet: printable ASCII <-> ids 1..95, padding 0, clear errors for unsupported characters."""
import numpy as np
import pytest

from handwriting.alphabet import ALPHABET, decode_text, encode_text


def test_alphabet_is_printable_ascii():
    assert len(ALPHABET) == 95 and ALPHABET[0] == " " and ALPHABET[-1] == "~"


@pytest.mark.parametrize("text", ["", "Hello, world!", ALPHABET, "  a~b  "])
def test_round_trip(text):
    ids = encode_text(text)
    assert ids.dtype == np.int64 and ids.shape == (len(text),)
    assert (ids >= 1).all() and (ids <= 95).all()
    assert decode_text(ids) == text


def test_known_ids_and_padding_skipped():
    assert encode_text(" A~").tolist() == [1, 34, 95]
    assert decode_text([34, 0, 0, 1, 0]) == "A "


def test_unsupported_characters_listed_once():
    with pytest.raises(ValueError) as err:
        encode_text("café\tcafé\t")
    assert str(err.value).startswith("unsupported characters: 'é', '\\t'")
    assert str(err.value).count("'é'") == 1
