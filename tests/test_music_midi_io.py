"""MIDI <-> events round trips on fixtures and edge cases."""
from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from music import events as ev
from music.midi_io import ids_to_midi, ids_to_notes, midi_to_ids, notes_to_ids

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", ["c_major_scale.mid", "band_with_drums.mid"])
def test_fixture_round_trip(name, tmp_path):
    ids = midi_to_ids(FIX / name)
    assert ids[0] == ev.START
    pm = ids_to_midi(ids)
    pm.write(str(tmp_path / "back.mid"))
    again = midi_to_ids(tmp_path / "back.mid")
    np.testing.assert_array_equal(again, ids)


def test_notes_survive_within_10ms_and_drums_are_dropped():
    src = pretty_midi.PrettyMIDI(str(FIX / "band_with_drums.mid"))
    want = sorted((n.start, n.end, n.pitch) for i in src.instruments if not i.is_drum for n in i.notes)
    got = sorted((s, e, p) for s, e, p, _ in ids_to_notes(midi_to_ids(src)))
    assert len(got) == len(want) == 8
    for (s1, e1, p1), (s2, e2, p2) in zip(got, want):
        assert p1 == p2 and abs(s1 - s2) <= 0.0051 and abs(e1 - e2) <= 0.0051


def test_long_gap_becomes_several_shifts():
    ids = notes_to_ids([(0.0, 0.1, 60, 64), (2.5, 2.6, 62, 64)])
    shifts = [i - 255 for i in ids if 256 <= i < 356]
    assert sum(shifts) == 260 and max(shifts) == 100


def test_same_pitch_overlap_is_closed_before_restrike():
    ids = notes_to_ids([(0.0, 1.0, 60, 64), (0.5, 1.5, 60, 64)])
    notes = ids_to_notes(ids)
    assert [(n[0], n[1]) for n in notes] == [(0.0, 0.5), (0.5, 1.5)]


def test_decoder_is_robust_to_sampler_garbage():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, ev.VOCAB_SIZE, size=2000)
    notes = ids_to_notes(ids)
    assert notes and all(e > s and 0 <= p <= 127 and 1 <= v <= 127 for s, e, p, v in notes)
    pm = ids_to_midi(ids, program=40, tempo_bpm=90, time_scale=2.0)
    assert pm.instruments[0].program == 40
    assert pm.get_end_time() == pytest.approx(2.0 * max(n[1] for n in notes))


def test_hanging_note_closed_at_end():
    notes = ids_to_notes([ev.START, 60, 256 + 49])  # NOTE_ON 60, shift 0.5 s, never released
    assert notes == [(0.0, 0.5, 60, 64)]


def test_bad_files_raise_clear_errors(tmp_path):
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"definitely not midi")
    with pytest.raises(ValueError, match="bad.mid: not a readable MIDI file"):
        midi_to_ids(bad)
    empty = tmp_path / "empty.mid"
    pretty_midi.PrettyMIDI().write(str(empty))
    with pytest.raises(ValueError, match="empty.mid: no notes"):
        midi_to_ids(empty)
