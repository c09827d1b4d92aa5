"""Training batches: a pure function of (step, rank), y is x shifted, transpositions stay legal."""
import numpy as np
import pytest
import torch

from music import events as ev
from music.batches import make_train_batches, make_val_batches
from music.corpus import Piece


def _pieces():
    rng = np.random.default_rng(1)
    return [Piece(f"p{i}", np.concatenate([[ev.START], rng.integers(40, 80, 300), rng.integers(256, 300, 50)])
                  .astype(np.int16)) for i in range(4)]


def test_train_batches_are_a_pure_function_of_step_and_rank():
    fn = make_train_batches(_pieces(), batch_size=3, seq_len=32, seed=7)
    x, y = fn(5, 0)
    assert x.shape == y.shape == (3, 32) and x.dtype == torch.int64
    assert torch.equal(x[:, 1:], y[:, :-1])
    x2, _ = fn(5, 0)
    assert torch.equal(x, x2)
    assert not torch.equal(fn(6, 0)[0], x) and not torch.equal(fn(5, 1)[0], x)


def test_transposition_stays_legal_at_the_edges():
    high = [Piece("high", np.array([ev.START] + [127, 255, 260] * 40, np.int16))]
    fn = make_train_batches(high, batch_size=8, seq_len=16, seed=0, transpose=(-5, 6))
    seen = set()
    for step in range(20):
        x, _ = fn(step, 0)
        pitches = x[x < 256] % 128
        assert int(pitches.max()) <= 127
        seen |= set(pitches.tolist())
    assert 127 in seen and min(seen) >= 122  # only downward shifts are legal here, and they happen


def test_val_batches_cover_pieces_without_augmentation():
    pieces = _pieces()
    val = make_val_batches(pieces, batch_size=4, seq_len=50)
    x, y = val[0]
    np.testing.assert_array_equal(x[0].numpy(), pieces[0].ids[:50])
    assert sum(len(b[0]) for b in val) == 4 * ((351 - 1) // 50)


def test_short_pieces_are_skipped_and_bad_arguments_raise():
    short = [Piece("short", np.array([ev.START, 60, 300, 188], np.int16))]
    with pytest.raises(ValueError, match="seq_len=8"):
        make_train_batches(short, batch_size=2, seq_len=8, seed=0)
    with pytest.raises(ValueError, match="seq_len=8"):
        make_val_batches(short, batch_size=2, seq_len=8)
    with pytest.raises(ValueError, match="transpose range"):
        make_train_batches(_pieces(), batch_size=2, seq_len=8, seed=0, transpose=(3, -3))
    fn = make_train_batches(short + _pieces(), batch_size=16, seq_len=8, seed=0, transpose=(0, 0))
    x, _ = fn(0, 0)
    assert x.shape == (16, 8) and int(x.max()) < ev.VOCAB_SIZE


def test_windows_come_from_the_pieces():
    pieces = _pieces()
    fn = make_train_batches(pieces, batch_size=4, seq_len=20, seed=3, transpose=(0, 0))
    x, y = fn(11, 0)
    rows = torch.cat([x, y[:, -1:]], dim=1).numpy()
    streams = [p.ids.astype(np.int64) for p in pieces]
    for row in rows:
        assert any(any(np.array_equal(s[i : i + 21], row) for i in range(len(s) - 20)) for s in streams)
