"""The handwriting alphabet: printable ASCII (codes 32..126) as ids 1..95; id 0 is padding."""
from __future__ import annotations

import numpy as np

ALPHABET = "".join(chr(c) for c in range(32, 127))
_INDEX = {ch: i + 1 for i, ch in enumerate(ALPHABET)}


def unsupported(text: str) -> list[str]:
    """Characters of `text` outside the alphabet, each once, in order of appearance."""
    return list(dict.fromkeys(ch for ch in text if ch not in _INDEX))


def encode_text(text: str) -> np.ndarray:
    """Text -> int64 ids; ValueError listing every unsupported character once."""
    bad = unsupported(text)
    if bad:
        raise ValueError("unsupported characters: " + ", ".join(repr(ch) for ch in bad)
                         + " (the model writes printable ASCII only)")
    return np.array([_INDEX[ch] for ch in text], dtype=np.int64)


def decode_text(ids) -> str:
    """Ids -> text; padding (0) is skipped."""
    return "".join(ALPHABET[int(i) - 1] for i in ids if int(i) != 0)
