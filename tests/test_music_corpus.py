"""Music data sets: folder loading with bad files, the .npz cache, the fixed split, the chorales."""
import shutil
from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from music import events as ev
from music.corpus import Piece, load_chorales, load_folder, load_pieces_npz, save_pieces, split_by_name

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


def test_split_respects_fraction_and_extremes():
    pieces = [Piece(f"song{i}.mid", np.zeros(3, np.int16)) for i in range(50)]
    assert split_by_name(pieces, 0.0) == (pieces, [])
    assert split_by_name(pieces, 1.0)[0] == []


def test_chorales_build_cache_and_reload(tmp_path):
    first = load_chorales(cache_dir=tmp_path, limit=3, progress=False)
    assert len(first) == 3 and len({p.name for p in first}) == 3
    assert all(p.name.startswith("bach/") and p.ids[0] == ev.START and p.ids.dtype == np.int16 for p in first)
    assert all(ev.pitch_range(p.ids)[0] >= 30 and len(p.ids) > 200 for p in first)  # four-part chorales
    cached = list(tmp_path.glob("*.npz"))
    assert len(cached) == 1
    again = load_chorales(cache_dir=tmp_path, limit=3, progress=False)
    assert [p.name for p in again] == [p.name for p in first]
    for p, q in zip(first, again):
        np.testing.assert_array_equal(p.ids, q.ids)


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    from music.corpus import cache_root

    monkeypatch.setenv("LSTM_STUDIO_CACHE", str(tmp_path / "env"))
    assert cache_root() == tmp_path / "env"
    assert cache_root(tmp_path / "explicit") == tmp_path / "explicit"
