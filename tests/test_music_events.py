"""The event vocabulary: table-driven id round trips, validation, transposition."""
import numpy as np
import pytest

from music import events as ev

TABLE = [  # (kind, value, id)
    ("NOTE_ON", 0, 0), ("NOTE_ON", 127, 127),
    ("NOTE_OFF", 0, 128), ("NOTE_OFF", 127, 255),
    ("TIME_SHIFT", 1, 256), ("TIME_SHIFT", 100, 355),
    ("VELOCITY", 1, 356), ("VELOCITY", 32, 387),
    ("START", 0, 388),
]


@pytest.mark.parametrize("kind,value,i", TABLE)
def test_event_id_round_trip(kind, value, i):
    assert ev.event_to_id(ev.event(kind, value)) == i
    assert ev.id_to_event(i) == (kind, value)


def test_every_id_round_trips():
    assert ev.VOCAB_SIZE == 389
    for i in range(ev.VOCAB_SIZE):
        assert ev.event_to_id(ev.id_to_event(i)) == i


@pytest.mark.parametrize("kind,value", [("NOTE_ON", 128), ("NOTE_OFF", -1), ("TIME_SHIFT", 0),
                                        ("TIME_SHIFT", 101), ("VELOCITY", 33), ("CHORD", 1)])
def test_invalid_events_raise(kind, value):
    with pytest.raises(ValueError, match=kind if kind != "CHORD" else "unknown event kind"):
        ev.event(kind, value)


def test_id_out_of_range_raises():
    with pytest.raises(ValueError, match="out of range"):
        ev.id_to_event(389)


def test_velocity_bins_cover_midi_range():
    bins = [ev.velocity_to_bin(v) for v in range(1, 128)]
    assert bins[0] == 1 and bins[-1] == 32 and sorted(bins) == bins
    assert all(ev.velocity_to_bin(ev.bin_to_velocity(b)) == b for b in range(1, 33))


def test_transpose_moves_only_pitches_and_checks_range():
    ids = np.array([ev.START, 60, 256, 128 + 60, 360, 127 - 3], dtype=np.int16)
    up = ev.transpose(ids, 2)
    assert list(up) == [ev.START, 62, 256, 128 + 62, 360, 126]
    assert list(ids) == [ev.START, 60, 256, 188, 360, 124], "input must not be modified"
    assert ev.pitch_range(up) == (62, 126)
    with pytest.raises(ValueError, match="leaves the MIDI range"):
        ev.transpose(ids, 4)


def test_event_constructor_validates():
    assert ev.Event("TIME_SHIFT", 100) == ("TIME_SHIFT", 100)
    with pytest.raises(ValueError, match="VELOCITY value 0 out of range 1..32"):
        ev.Event("VELOCITY", 0)
    with pytest.raises(ValueError, match="unknown event kind 'PEDAL'"):
        ev.event_to_id(("PEDAL", 1))


def test_pitch_range_without_pitches_is_none():
    ids = np.array([ev.START, 300, 370], dtype=np.int16)
    assert ev.pitch_range(ids) is None
    np.testing.assert_array_equal(ev.transpose(ids, 7), ids)
