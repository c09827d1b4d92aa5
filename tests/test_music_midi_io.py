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


def test_unison_doubling_is_one_note():
    ids = notes_to_ids([(0.0, 1.0, 60, 80), (0.0, 1.5, 60, 80), (0.0, 1.0, 64, 80)])
    assert list(ids[:5]) == [ev.START, 356 + ev.velocity_to_bin(80) - 1, 60, 64, 355]
    assert int((ids == 60).sum()) == 1 and int((ids == 128 + 60).sum()) == 1
    assert [(s, e, p) for s, e, p, _ in ids_to_notes(ids)] == [(0.0, 1.5, 60), (0.0, 1.0, 64)]


def test_velocity_emitted_only_when_bin_changes():
    ids = notes_to_ids([(0.0, 0.1, 60, 100), (0.1, 0.2, 62, 99), (0.2, 0.3, 64, 40)])
    velocity_events = [int(i) for i in ids if 356 <= i < 388]
    assert velocity_events == [356 + ev.velocity_to_bin(100) - 1, 356 + ev.velocity_to_bin(40) - 1]
    assert [n[3] for n in ids_to_notes(ids)] == [ev.bin_to_velocity(ev.velocity_to_bin(v)) for v in (100, 99, 40)]


def test_ids_to_midi_writes_tempo_and_scales_time(tmp_path):
    ids = notes_to_ids([(0.0, 0.5, 60, 64), (0.5, 1.0, 62, 64)])
    pm = ids_to_midi(ids, program=73, tempo_bpm=90.0, time_scale=1.5)
    pm.write(str(tmp_path / "t.mid"))
    back = pretty_midi.PrettyMIDI(str(tmp_path / "t.mid"))
    assert back.get_tempo_changes()[1][0] == pytest.approx(90.0, abs=1e-3)  # microseconds per beat are integers
    assert back.instruments[0].program == 73
    got = [t for n in back.instruments[0].notes for t in (n.start, n.end)]
    assert got == pytest.approx([0.0, 0.75, 0.75, 1.5], abs=0.004)  # ticks at 90 bpm are ~3 ms
    for bad in ({"program": 128}, {"tempo_bpm": 0.0}, {"time_scale": -1.0}):
        with pytest.raises(ValueError):
            ids_to_midi(ids, **bad)


def test_midi_bytes_and_bad_pitch():
    data = (FIX / "c_major_scale.mid").read_bytes()
    np.testing.assert_array_equal(midi_to_ids(data), midi_to_ids(FIX / "c_major_scale.mid"))
    with pytest.raises(ValueError, match="MIDI data: not a readable MIDI file"):
        midi_to_ids(b"\x00" * 40)
    with pytest.raises(ValueError, match="pitch 128"):
        notes_to_ids([(0.0, 1.0, 128, 64)])
