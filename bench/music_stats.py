"""Musical statistics of a list of notes (start_s, end_s, pitch, velocity), pure numpy.

Pitch-class entropy follows Wu & Yang (2020, Jazz Transformer); scale consistency follows Mogren (2016,
C-RNN-GAN) / Dong et al. (2018, MuseGAN): the largest fraction of notes inside one of the 24 major or
natural-minor scales (a natural minor scale holds the same pitch classes as its relative major, so these
are 12 distinct sets).
"""
from __future__ import annotations

import numpy as np

MAJOR = (0, 2, 4, 5, 7, 9, 11)
NATURAL_MINOR = (0, 2, 3, 5, 7, 8, 10)
STEPS_PER_SECOND = 100  # the grid the polyphony is measured on (the event vocabulary's 10 ms)


def _arrays(notes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = np.asarray(notes, dtype=np.float64).reshape(-1, 4)
    if len(a) == 0:
        raise ValueError("no notes: the piece is silent")
    return a[:, 0], a[:, 1], a[:, 2].astype(np.int64)


def _entropy_bits(weights: np.ndarray) -> float:
    p = weights / weights.sum()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def pitch_class_entropy(notes, weight: str = "count") -> float:
    """Entropy in bits (0..log2 12 = 3.585) of the pitch-class histogram, weighted by note 'count' or 'duration'."""
    start, end, pitch = _arrays(notes)
    if weight not in ("count", "duration"):
        raise ValueError(f"weight must be 'count' or 'duration', got {weight!r}")
    w = np.ones(len(pitch)) if weight == "count" else np.maximum(end - start, 0.0)
    return _entropy_bits(np.bincount(pitch % 12, weights=w, minlength=12))


def scale_sets() -> list[tuple[str, frozenset[int]]]:
    """The 24 (name, pitch-class set) major and natural-minor scales."""
    names = "C C# D D# E F F# G G# A A# B".split()
    out = []
    for tonic in range(12):
        out.append((f"{names[tonic]} major", frozenset((tonic + s) % 12 for s in MAJOR)))
        out.append((f"{names[tonic]} minor", frozenset((tonic + s) % 12 for s in NATURAL_MINOR)))
    return out


def scale_consistency(notes) -> float:
    """Max over the 24 major/natural-minor scales of the fraction of notes (by count) whose pitch class is in it."""
    _, _, pitch = _arrays(notes)
    hist = np.bincount(pitch % 12, minlength=12)
    return max(float(hist[sorted(s)].sum()) for _, s in scale_sets()) / len(pitch)


def pitch_range(notes) -> int:
    """Highest minus lowest pitch, in semitones."""
    _, _, pitch = _arrays(notes)
    return int(pitch.max() - pitch.min())


def notes_per_second(notes) -> float:
    """Number of notes divided by the time from 0 to the last note's end."""
    _, end, pitch = _arrays(notes)
    return len(pitch) / max(float(end.max()), 1.0 / STEPS_PER_SECOND)


def mean_polyphony(notes) -> float:
    """Mean number of sounding notes over the 10 ms steps where at least one note sounds."""
    start, end, _ = _arrays(notes)
    s = np.round(start * STEPS_PER_SECOND).astype(np.int64)
    e = np.maximum(np.round(end * STEPS_PER_SECOND).astype(np.int64), s + 1)
    delta = np.zeros(int(e.max()) + 1, dtype=np.int64)
    np.add.at(delta, s, 1)
    np.add.at(delta, e, -1)
    sounding = np.cumsum(delta)[:-1]
    return float(sounding[sounding > 0].mean())


STATISTICS = {
    "pc_entropy_count_bits": lambda n: pitch_class_entropy(n, "count"),
    "pc_entropy_duration_bits": lambda n: pitch_class_entropy(n, "duration"),
    "scale_consistency": scale_consistency,
    "pitch_range_semitones": pitch_range,
    "notes_per_second": notes_per_second,
    "mean_polyphony": mean_polyphony,
}


def piece_statistics(notes) -> dict[str, float]:
    """Every statistic in STATISTICS for one piece."""
    return {name: float(fn(notes)) for name, fn in STATISTICS.items()}
