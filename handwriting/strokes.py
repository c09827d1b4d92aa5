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


def as_strokes(strokes) -> list[np.ndarray]:
    """Copy strokes as float64 (n, 2) arrays, dropping empty ones; ValueError names a bad stroke."""
    out = []
    for i, s in enumerate(strokes):
        a = np.array(s, dtype=np.float64, copy=True)
        if a.size == 0:
            continue
        if a.ndim != 2 or a.shape[1] != 2:
            raise ValueError(f"stroke {i}: expected points of shape (n, 2), got {a.shape}")
        if not np.isfinite(a).all():
            raise ValueError(f"stroke {i}: contains NaN or infinite coordinates")
        out.append(a)
    return out


def coords_to_offsets(strokes) -> np.ndarray:
    """Strokes -> (N, 3) offsets with end-of-stroke bits."""
    strokes = as_strokes(strokes)
    if not strokes:
        return np.zeros((0, 3), np.float32)
    points = np.concatenate(strokes)  # (N, 2)
    pen = np.zeros(len(points))
    pen[np.cumsum([len(s) for s in strokes]) - 1] = 1.0
    deltas = np.diff(points, axis=0, prepend=np.zeros((1, 2)))
    return np.column_stack([deltas, pen]).astype(np.float32)


def offsets_to_coords(offsets) -> list[np.ndarray]:
    """(N, 3) offsets -> strokes (a final stroke without an end bit is kept)."""
    offsets = _as_offsets(offsets).astype(np.float64)
    if len(offsets) == 0:
        return []
    points = np.cumsum(offsets[:, :2], axis=0)
    ends = np.flatnonzero(offsets[:, 2] > 0.5) + 1
    return [s for s in np.split(points, ends) if len(s)]


def _as_offsets(offsets) -> np.ndarray:
    """Copy offsets as float32 (N, 3); ValueError for any other shape."""
    out = np.array(offsets, dtype=np.float32, copy=True)
    if out.size == 0:
        return np.zeros((0, 3), np.float32)
    if out.ndim != 2 or out.shape[1] != 3:
        raise ValueError(f"offsets must have shape (N, 3) = dx, dy, pen_up; got {out.shape}")
    return out


def _check_scale(scale: float) -> float:
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive finite number, got {scale}")
    return float(scale)


def normalize(offsets, scale: float) -> np.ndarray:
    """Divide dx, dy by `scale` (pen bits unchanged)."""
    scale = _check_scale(scale)
    out = _as_offsets(offsets)
    out[:, :2] /= scale
    return out


def denormalize(offsets, scale: float) -> np.ndarray:
    """Inverse of normalize."""
    scale = _check_scale(scale)
    out = _as_offsets(offsets)
    out[:, :2] *= scale
    return out


def measure_scale(samples) -> float:
    """Std of all dx, dy in a set of StrokeSamples (the training normaliser)."""
    parts = [np.asarray(s.offsets, dtype=np.float64)[1:, :2] for s in samples if len(s.offsets) > 1]
    if not parts:
        raise ValueError("measure_scale needs at least one sample with two or more points")
    return float(np.concatenate(parts).std())


def bounding_box(strokes) -> tuple[float, float, float, float]:
    """(min_x, min_y, max_x, max_y) of all points."""
    strokes = as_strokes(strokes)
    if not strokes:
        raise ValueError("bounding_box of an empty drawing (no points)")
    pts = np.concatenate(strokes)
    return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())


def translate_to_origin(strokes) -> list[np.ndarray]:
    """Strokes moved so that the bounding box's top-left corner is (0, 0)."""
    x0, y0, _, _ = bounding_box(strokes)
    return translate(strokes, -x0, -y0)


def translate(strokes, dx: float, dy: float) -> list[np.ndarray]:
    """Strokes moved by (dx, dy)."""
    return [s + (dx, dy) for s in as_strokes(strokes)]


def scale_strokes(strokes, factor: float) -> list[np.ndarray]:
    """Strokes multiplied by `factor` about the origin."""
    return [s * _check_scale(factor) for s in as_strokes(strokes)]


def shear(strokes, k: float) -> list[np.ndarray]:
    """x += k * (-y): positive k leans letters to the right (y is down)."""
    return [np.column_stack([s[:, 0] - k * s[:, 1], s[:, 1]]) for s in as_strokes(strokes)]


def estimate_slant(strokes) -> float:
    """Shear k that makes near-vertical pen-down segments upright, weighted by their length."""
    num = den = 0.0
    for s in as_strokes(strokes):
        d = np.diff(s, axis=0)
        length = np.hypot(d[:, 0], d[:, 1])
        steep = np.abs(d[:, 1]) > 2.0 * np.abs(d[:, 0])  # within ~27 degrees of vertical
        if steep.any():
            num += float((length[steep] * (-d[steep, 0] / d[steep, 1])).sum())
            den += float(length[steep].sum())
    return num / den if den else 0.0


def deslant(strokes, max_iterations: int = 10, tol: float = 1e-4) -> list[np.ndarray]:
    """Shear the slant measured by estimate_slant away, re-estimating until it is below `tol`.

    One estimate is biased by curves and misses stems leaning beyond the ~27 degree window; repeating
    the estimate on the corrected line converges in a few steps.
    """
    out = as_strokes(strokes)
    for _ in range(max_iterations):
        k = estimate_slant(out)
        out = shear(out, -k)
        if abs(k) < tol:
            break
    return out


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
    if not tolerance >= 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    return [_rdp(s, tolerance) for s in as_strokes(strokes)]


def split_long_strokes(strokes, max_points: int) -> list[np.ndarray]:
    """Cut strokes into pieces of at most `max_points`; consecutive pieces share their joining point."""
    if max_points < 2:
        raise ValueError(f"max_points must be >= 2, got {max_points}")
    out = []
    for s in as_strokes(strokes):
        start = 0
        while len(s) - start > max_points:
            out.append(s[start: start + max_points])
            start += max_points - 1
        out.append(s[start:])
    return out


def ink_quantiles(strokes, qs) -> np.ndarray:
    """Quantiles of y over the ink (each segment spread evenly over its length), independent of point density."""
    segs = [s for s in as_strokes(strokes) if len(s) > 1]
    if not segs:
        raise ValueError("ink_quantiles needs at least one pen-down segment")
    a = np.concatenate([s[:-1] for s in segs])  # (S, 2) segment starts
    b = np.concatenate([s[1:] for s in segs])  # (S, 2) segment ends
    w = np.hypot(*(b - a).T)  # (S,) ink length
    if w.sum() <= 0:
        raise ValueError("ink_quantiles needs a pen-down segment of non-zero length")
    lo, hi = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
    span = hi - lo
    breaks = np.unique(np.concatenate([lo, hi]))  # (K,) the ink's y CDF is piecewise linear between these
    i_lo, i_hi = np.searchsorted(breaks, lo), np.searchsorted(breaks, hi)
    slope, mass = np.zeros(len(breaks)), np.zeros(len(breaks))
    sloped = span > 0
    np.add.at(slope, i_lo[sloped], w[sloped] / span[sloped])
    np.add.at(slope, i_hi[sloped], -w[sloped] / span[sloped])
    np.add.at(mass, i_lo[~sloped], w[~sloped])  # horizontal segments: all their ink at one y
    rise = np.cumsum(slope)[:-1] * np.diff(breaks)  # ink between consecutive breaks
    left = np.concatenate([[0.0], np.cumsum(mass[:-1] + rise)])  # CDF just below each break
    cdf = np.column_stack([left, left + mass]).ravel()  # (2K,) non-decreasing
    ys = np.repeat(breaks, 2)
    return np.interp(np.asarray(qs, dtype=np.float64) * cdf[-1], cdf, ys)


# Calibrated on the Hershey corpus (capitals exactly 20 units; 80 lines in each of the four fonts): the
# middle 80% of the ink spans 20 / 1.54 units in script and print faces alike (one line varies by ~16%).
INK_SPREAD_Q = (0.1, 0.9)
INK_SPREAD_PER_CAP = 1.0 / 1.54


def estimate_baseline(strokes) -> float:
    """y of the baseline: median of the lower turning points below the ink median (descenders are few)."""
    q10, q50, q90 = ink_quantiles(strokes, [0.1, 0.5, 0.9])
    bottoms = []
    for s in simplify(strokes, 0.05 * (q90 - q10)):  # pen jitter would add spurious turning points
        y = s[:, 1]
        if len(y) >= 3:
            inner = y[1:-1]
            bottoms.append(inner[(inner >= y[:-2]) & (inner >= y[2:])])  # y is down: local maxima
    bottoms = np.concatenate(bottoms) if bottoms else np.zeros(0)
    bottoms = bottoms[bottoms > q50]
    if len(bottoms) == 0:  # only straight strokes: fall back to where the ink ends
        return float(ink_quantiles(strokes, [0.97])[0])
    return float(np.median(bottoms))


def fit_line_units(strokes, cap_height: float = 20.0) -> list[np.ndarray]:
    """Scale a line so capitals are ~`cap_height` tall, leftmost point at x=0, baseline near y=0."""
    lo, hi = ink_quantiles(strokes, INK_SPREAD_Q)
    if hi - lo <= 0:
        raise ValueError("cannot size a line whose ink has no vertical extent")
    scaled = scale_strokes(strokes, cap_height * INK_SPREAD_PER_CAP / (hi - lo))
    return translate(scaled, -bounding_box(scaled)[0], -estimate_baseline(scaled))
