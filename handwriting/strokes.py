"""Stroke data and pure numpy transforms. Strokes: list of (n, 2) arrays, x right, y down.

Offsets: (N, 3) float32 rows (dx, dy, pen_up) with pen_up = 1 on the last point of each stroke;
row 0 is the first point relative to the origin. Each transform copies its input.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class StrokeSample(NamedTuple):
    """One handwritten line: its text and pen offsets (N, 3) float32 = dx, dy, pen_up (end of stroke)."""

    text: str
    offsets: np.ndarray


def coords_to_offsets(strokes) -> np.ndarray:
    """Strokes -> (N, 3) offsets with end-of-stroke bits."""
    strokes = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]
    if not strokes:
        return np.zeros((0, 3), np.float32)
    points = np.concatenate(strokes)  # (N, 2)
    pen = np.zeros(len(points))
    pen[np.cumsum([len(s) for s in strokes]) - 1] = 1.0
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2)))
    return np.column_stack([deltas, pen]).astype(np.float32)


def offsets_to_coords(offsets) -> list[np.ndarray]:
    """(N, 3) offsets -> strokes (a final stroke without an end bit is kept)."""
    offsets = np.asarray(offsets, dtype=np.float64)
    if len(offsets) == 0:
        return []
    points = np.cumsum(offsets[:, :2], axis=0)
    ends = np.flatnonzero(offsets[:, 2] > 0.5) + 1
    return [s for s in np.split(points, ends) if len(s)]


def normalize(offsets, scale: float) -> np.ndarray:
    """Divide dx, dy by `scale` (pen bits unchanged)."""
    out = np.array(offsets, dtype=np.float32, copy=True)
    out[:, :2] /= scale
    return out


def denormalize(offsets, scale: float) -> np.ndarray:
    """Inverse of normalize."""
    out = np.array(offsets, dtype=np.float32, copy=True)
    out[:, :2] *= scale
    return out


def measure_scale(samples) -> float:
    """Std of all dx, dy in a set of StrokeSamples (the training normaliser)."""
    deltas = np.concatenate([np.asarray(s.offsets)[1:, :2] for s in samples if len(s.offsets) > 1])
    return float(deltas.std())


def bounding_box(strokes) -> tuple[float, float, float, float]:
    """(min_x, min_y, max_x, max_y) of all points."""
    pts = np.concatenate([np.asarray(s, dtype=np.float64) for s in strokes])
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())


def translate(strokes, dx: float, dy: float) -> list[np.ndarray]:
    """Strokes moved by (dx, dy)."""
    return [np.asarray(s, dtype=np.float64) + (dx, dy) for s in strokes]


def shear(strokes, k: float) -> list[np.ndarray]:
    """x += k * (-y): positive k leans letters to the right (y is down)."""
    return [np.column_stack([s[:, 0] - k * s[:, 1], s[:, 1]]) for s in (np.asarray(s, float) for s in strokes)]


def estimate_slant(strokes) -> float:
    """Shear k that makes near-vertical pen-down segments upright, weighted by their length."""
    num = den = 0.0
    for s in strokes:
        d = np.diff(np.asarray(s, dtype=np.float64), axis=0)
        length = np.hypot(d[:, 0], d[:, 1])
        steep = np.abs(d[:, 1]) > 2.0 * np.abs(d[:, 0])  # within ~27 degrees of vertical
        if steep.any():
            num += float((length[steep] * (-d[steep, 0] / d[steep, 1])).sum())
            den += float(length[steep].sum())
    return num / den if den else 0.0


def deslant(strokes) -> list[np.ndarray]:
    """Shear the slant measured by estimate_slant away."""
    return shear(strokes, -estimate_slant(strokes))


def _rdp(points: np.ndarray, tol: float) -> np.ndarray:
    if len(points) < 3:
        return points
    a, b = points[0], points[-1]
    ab = b - a
    norm = np.hypot(*ab)
    rel = points - a
    dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / norm if norm > 0 else np.hypot(rel[:, 0], rel[:, 1])
    i = int(np.argmax(dist))
    if dist[i] <= tol:
        return np.stack([a, b])
    return np.concatenate([_rdp(points[: i + 1], tol)[:-1], _rdp(points[i:], tol)])


def simplify(strokes, tolerance: float) -> list[np.ndarray]:
    """Ramer-Douglas-Peucker per stroke; endpoints are kept."""
    return [_rdp(np.asarray(s, dtype=np.float64), tolerance) for s in strokes]
