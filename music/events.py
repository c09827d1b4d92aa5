"""Performance-RNN event vocabulary (Oore et al. 2018) as a range table, pure numpy.

    NOTE_ON    pitch 0..127            ids   0..127
    NOTE_OFF   pitch 0..127            ids 128..255
    TIME_SHIFT 1..100 steps of 10 ms   ids 256..355   (10 ms .. 1 s)
    VELOCITY   bin 1..32               ids 356..387   (MIDI velocity quantised to 32 bins)
    START      -                       id  388        (prepended to every piece)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

STEPS_PER_SECOND = 100
MAX_SHIFT_STEPS = 100
NUM_VELOCITY_BINS = 32

# (kind, min value, max value); ids are assigned in table order
RANGES: tuple[tuple[str, int, int], ...] = (
    ("NOTE_ON", 0, 127),
    ("NOTE_OFF", 0, 127),
    ("TIME_SHIFT", 1, MAX_SHIFT_STEPS),
    ("VELOCITY", 1, NUM_VELOCITY_BINS),
    ("START", 0, 0),
)


def _offsets() -> dict[str, int]:
    out, start = {}, 0
    for kind, lo, hi in RANGES:
        out[kind] = start
        start += hi - lo + 1
    return out


OFFSET = _offsets()
VOCAB_SIZE = sum(hi - lo + 1 for _, lo, hi in RANGES)  # 389
START = OFFSET["START"]
_BOUNDS = {kind: (lo, hi) for kind, lo, hi in RANGES}


class _EventFields(NamedTuple):
    kind: str
    value: int


class Event(_EventFields):
    """One validated event `(kind, value)`; ValueError for an unknown kind or an out-of-range value."""

    __slots__ = ()

    def __new__(cls, kind: str, value: int = 0) -> "Event":
        if kind not in _BOUNDS:
            raise ValueError(f"unknown event kind {kind!r}; expected one of {', '.join(_BOUNDS)}")
        lo, hi = _BOUNDS[kind]
        if not lo <= int(value) <= hi:
            raise ValueError(f"{kind} value {value} out of range {lo}..{hi}")
        return super().__new__(cls, kind, int(value))


def event(kind: str, value: int = 0) -> Event:
    """A validated Event (same as `Event(kind, value)`)."""
    return Event(kind, value)


def event_to_id(e: Event) -> int:
    """Event -> vocabulary id."""
    e = Event(*e)
    return OFFSET[e.kind] + e.value - _BOUNDS[e.kind][0]


def id_to_event(i: int) -> Event:
    """Vocabulary id -> Event; raises ValueError outside 0..VOCAB_SIZE-1."""
    i = int(i)
    if not 0 <= i < VOCAB_SIZE:
        raise ValueError(f"event id {i} out of range 0..{VOCAB_SIZE - 1}")
    for kind, lo, hi in reversed(RANGES):
        if i >= OFFSET[kind]:
            return Event(kind, lo + i - OFFSET[kind])
    raise AssertionError("unreachable")


def velocity_to_bin(velocity: int) -> int:
    """MIDI velocity 1..127 -> bin 1..32."""
    v = min(max(int(velocity), 1), 127)
    return min(NUM_VELOCITY_BINS, (v - 1) * NUM_VELOCITY_BINS // 127 + 1)


def bin_to_velocity(b: int) -> int:
    """Bin 1..32 -> the MIDI velocity at the bin's centre."""
    b = event("VELOCITY", b).value
    lo = int(np.ceil((b - 1) * 127 / NUM_VELOCITY_BINS)) + 1
    hi = int(np.ceil(b * 127 / NUM_VELOCITY_BINS))
    return (lo + hi) // 2


def is_pitch(ids: np.ndarray) -> np.ndarray:
    """Mask of NOTE_ON / NOTE_OFF ids."""
    ids = np.asarray(ids)
    return ids < OFFSET["TIME_SHIFT"]


def pitch_range(ids: np.ndarray) -> tuple[int, int] | None:
    """(lowest, highest) pitch among NOTE_ON/NOTE_OFF ids, or None if there are none."""
    ids = np.asarray(ids)
    pitches = ids[is_pitch(ids)] % 128
    return (int(pitches.min()), int(pitches.max())) if len(pitches) else None


def transpose(ids: np.ndarray, semitones: int) -> np.ndarray:
    """Copy of `ids` with every NOTE_ON/NOTE_OFF moved by `semitones`; ValueError if a pitch leaves 0..127."""
    ids = np.array(ids, copy=True)
    span = pitch_range(ids)
    if span is None or semitones == 0:
        return ids
    if span[0] + semitones < 0 or span[1] + semitones > 127:
        raise ValueError(f"transposing pitches {span[0]}..{span[1]} by {semitones} leaves the MIDI range 0..127")
    mask = is_pitch(ids)
    ids[mask] = ids[mask] + semitones
    return ids
