"""Text lines for the synthetic handwriting corpus: lengths, coverage, determinism, held-out hygiene."""
import collections

import pytest

from handwriting.texts import MAX_CHARS, PRINTABLE, held_out_sentences, is_held_out, training_lines


@pytest.fixture(scope="module")
def lines():
    return training_lines(3000, seed=0)


def test_held_out_sentences_are_fixed_readable_and_sized():
    held = held_out_sentences()
    assert len(held) == 20 and len(set(held)) == 20
    assert all(25 <= len(s) <= 40 for s in held)
    assert all(set(s) <= set(PRINTABLE) for s in held)
    assert sum(any(c.isdigit() for c in s) for s in held) >= 5  # a digit or two across the set
    assert held == held_out_sentences()  # fixed, not random


def test_is_held_out_catches_copies_and_pieces():
    s = held_out_sentences()[0]
    assert is_held_out(s)
    assert is_held_out(s.upper().replace(".", "!"))  # case and punctuation do not hide it
    assert is_held_out("well, " + s + " and more")  # embedded in a longer line
    assert is_held_out(s[: len(s) // 2 + 4])  # a long piece of it
    assert not is_held_out("an unrelated line of text")


def test_training_lines_never_contain_held_out_sentences(lines):
    assert not any(is_held_out(line) for line in lines)
    assert not set(lines) & set(held_out_sentences())


def test_training_lines_lengths_and_charset(lines):
    assert len(lines) == 3000
    lengths = [len(line) for line in lines]
    assert min(lengths) >= 1 and max(lengths) <= MAX_CHARS
    mid = sum(10 <= n <= 35 for n in lengths) / len(lengths)
    assert mid > 0.75  # mostly 10-35 characters
    assert all(set(line) <= set(PRINTABLE) and line == line.strip() for line in lines)


def test_every_printable_character_occurs_often(lines):
    counts = collections.Counter("".join(lines))
    rare = {c: counts[c] for c in PRINTABLE if counts[c] < 15}
    assert not rare, f"characters too rare in 3000 lines: {rare}"


def test_training_lines_deterministic_in_seed():
    assert training_lines(50, seed=3) == training_lines(50, seed=3)
    assert training_lines(50, seed=3) != training_lines(50, seed=4)


def test_training_lines_rejects_negative_count():
    with pytest.raises(ValueError, match="n must be"):
        training_lines(-1, seed=0)


def test_text_pool_does_not_depend_on_other_imports():
    """The corpus must be the same whether or not other code imported stdlib submodules first."""
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])
    code = ("{}from handwriting.texts import _prose_sentences, training_lines; import hashlib; "
            "print(hashlib.md5(repr((_prose_sentences(), training_lines(200, 1))).encode()).hexdigest())")

    def digest(imports: str) -> str:
        cmd = [sys.executable, "-c", code.format(imports)]
        return subprocess.run(cmd, capture_output=True, text=True, check=True, env={"PYTHONPATH": root}).stdout

    assert digest("") == digest("import email.mime.text, http.client, urllib.request, logging.handlers, unittest.mock; ")
