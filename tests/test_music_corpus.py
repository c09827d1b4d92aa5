"""Music data sets: folder loading with bad files, the .npz cache, the fixed split, training batches."""
import shutil
from pathlib import Path

import numpy as np
import pretty_midi
import pytest
import torch

from music import events as ev
from music.batches import make_train_batches, make_val_batches
from music.corpus import Piece, load_folder, load_pieces_npz, save_pieces, split_by_name

FIX = Path(__file__).parent / "fixtures"


def test_folder_skips_and_counts_bad_files(tmp_path):
    shutil.copy(FIX / "c_major_scale.mid", tmp_path / "good.mid")
    (tmp_path / "sub").mkdir()
    shutil.copy(FIX / "band_with_drums.mid", tmp_path / "sub" / "band.MIDI")
    (tmp_path / "bad.mid").write_bytes(np.random.default_rng(0).bytes(300))
    pretty_midi.PrettyMIDI().write(str(tmp_path / "empty.mid"))
    (tmp_path / "notes.txt").write_text("not a midi file, not even looked at")
    pieces, summary = load_folder(tmp_path)
    assert sorted(p.name for p in pieces) == ["good.mid", "sub/band.MIDI"]
    assert summary.loaded == 2 and sorted(n for n, _ in summary.skipped) == ["bad.mid", "empty.mid"]
    text = str(summary)
    assert "loaded 2 files, skipped 2" in text and "empty.mid (no notes" in text


def test_folder_errors(tmp_path):
    with pytest.raises(ValueError, match="MIDI folder not found"):
        load_folder(tmp_path / "missing")
    (tmp_path / "bad.mid").write_bytes(b"junk")
    with pytest.raises(ValueError, match="no usable MIDI files"):
        load_folder(tmp_path)


def test_npz_cache_round_trip(tmp_path):
    pieces = [Piece("a", np.array([388, 60, 300, 188], np.int16)), Piece("b", np.array([388, 1], np.int16))]
    save_pieces(pieces, tmp_path / "c.npz")
    back = load_pieces_npz(tmp_path / "c.npz")
    assert [p.name for p in back] == ["a", "b"]
    for p, q in zip(pieces, back):
        np.testing.assert_array_equal(p.ids, q.ids)


def test_split_is_fixed_and_disjoint():
    pieces = [Piece(f"bach/bwv{i}", np.zeros(3, np.int16)) for i in range(200)]
    train, val = split_by_name(pieces)
    train2, val2 = split_by_name(list(reversed(pieces)))
    assert {p.name for p in val} == {p.name for p in val2}
    assert not {p.name for p in train} & {p.name for p in val}
    assert 5 <= len(val) <= 40


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
    fn = make_train_batches(high, batch_size=8, seq_len=16, seed=0, transpose_range=(-5, 6))
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
