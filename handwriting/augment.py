"""Pure numpy transforms that make font strokes look handwritten.

A line is `list[np.ndarray (n_i, 2)]`, one array per pen-down stroke, x right, y down, baseline y=0,
capitals ~20 units tall. Every transform returns new arrays (the input is never modified) and takes
its randomness from an explicit `np.random.Generator`. Per-stroke id arrays (`char_ids`, `word_ids`)
say which character / word each stroke belongs to; word-level transforms use them.
"""
from __future__ import annotations

import numpy as np

Strokes = list  # list[np.ndarray (n_i, 2)]


def _concat(strokes: Strokes) -> tuple[np.ndarray, np.ndarray]:
    """All points as one float64 copy (N, 2) plus the stroke index of every point (N,)."""
    if not strokes:
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    pts = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in strokes])  # (N, 2)
    sid = np.repeat(np.arange(len(strokes)), [len(s) for s in strokes])  # (N,)
    return pts, sid


def _split(pts: np.ndarray, sid: np.ndarray, n_strokes: int) -> Strokes:
    """Inverse of `_concat`: cut (N, 2) points back into `n_strokes` arrays."""
    cuts = [0, *np.searchsorted(sid, np.arange(1, n_strokes)).tolist(), len(pts)]
    return [pts[a:b] for a, b in zip(cuts[:-1], cuts[1:])]


def stretch(strokes: Strokes, sx: float, sy: float) -> Strokes:
    """Scale x by `sx` and y by `sy` about the origin (line start on the baseline)."""
    pts, sid = _concat(strokes)
    return _split(pts * (sx, sy), sid, len(strokes))


def slant(strokes: Strokes, degrees: float) -> Strokes:
    """Shear so that upright strokes lean right by `degrees` (y is down, so x -= y * tan)."""
    pts, sid = _concat(strokes)
    pts[:, 0] -= pts[:, 1] * np.tan(np.radians(degrees))
    return _split(pts, sid, len(strokes))


def rotate(strokes: Strokes, degrees: float, center=(0.0, 0.0)) -> Strokes:
    """Rotate by `degrees` about `center` (positive = counter-clockwise on screen, i.e. rising to the right)."""
    a = np.radians(degrees)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])  # y down: screen-CCW
    c = np.asarray(center, np.float64)
    pts, sid = _concat(strokes)
    return _split((pts - c) @ rot.T + c, sid, len(strokes))


def spacing_jitter(strokes: Strokes, char_ids: np.ndarray, word_ids: np.ndarray, rng: np.random.Generator,
                   letter_sigma: float = 0.5, word_gap: float = 0.0, word_sigma: float = 1.5) -> Strokes:
    """Shift each character right by the running sum of random letter gaps (and word gaps between words)."""
    char_ids, word_ids = np.asarray(char_ids), np.asarray(word_ids)
    chars, first = np.unique(char_ids, return_index=True)  # chars in reading order
    new_word = np.r_[False, np.diff(word_ids[first]) != 0]
    gaps = np.clip(rng.standard_normal(len(chars)), -2.0, 2.0)
    gaps = np.where(new_word, word_gap + word_sigma * gaps, letter_sigma * gaps)
    gaps[0] = 0.0
    shift = np.cumsum(gaps)[np.searchsorted(chars, char_ids)]  # (S,) one shift per stroke
    pts, sid = _concat(strokes)
    pts[:, 0] += shift[sid]
    return _split(pts, sid, len(strokes))


def group_jitter(strokes: Strokes, group_ids: np.ndarray, rng: np.random.Generator,
                 scale_sigma: float = 0.04, rotate_deg: float = 1.0) -> Strokes:
    """Scale and rotate each group (a word, or a letter) about its baseline-left point; later groups move over.

    Groups are taken in increasing id order (reading order); each is shifted by the width change of the
    groups before it, so the gaps between groups are kept, as when a writer simply carries on.
    """
    group_ids = np.asarray(group_ids)
    pts, sid = _concat(strokes)
    gid = group_ids[sid]  # (N,)
    groups, inv = np.unique(gid, return_inverse=True)
    scale = np.exp(scale_sigma * np.clip(rng.standard_normal(len(groups)), -2.5, 2.5))
    ang = np.radians(rotate_deg * np.clip(rng.standard_normal(len(groups)), -2.5, 2.5))
    left, right = np.full(len(groups), np.inf), np.full(len(groups), -np.inf)
    np.minimum.at(left, inv, pts[:, 0])
    np.maximum.at(right, inv, pts[:, 0])
    grow = (scale - 1.0) * (right - left)
    carry = np.cumsum(grow) - grow  # width gained by all earlier groups
    rel = pts - np.column_stack([left[inv], np.zeros(len(pts))])  # about (group left, baseline)
    c, s = np.cos(ang)[inv], np.sin(ang)[inv]
    x = (c * rel[:, 0] + s * rel[:, 1]) * scale[inv] + left[inv] + carry[inv]
    y = (-s * rel[:, 0] + c * rel[:, 1]) * scale[inv]
    return _split(np.column_stack([x, y]), sid, len(strokes))


def baseline_drift(strokes: Strokes, rng: np.random.Generator, amplitude: float = 1.0,
                   wavelength: float = 200.0, tilt_deg: float = 0.0) -> Strokes:
    """Add a smooth low-frequency vertical wander (3 random sinusoids) plus a straight tilt of the line."""
    k = 2 * np.pi / (wavelength * rng.uniform(0.6, 1.6, 3))
    phase = rng.uniform(0, 2 * np.pi, 3)
    amp = amplitude * rng.standard_normal(3) / np.sqrt(3)
    pts, sid = _concat(strokes)
    pts[:, 1] += np.sin(pts[:, 0:1] * k + phase) @ amp - pts[:, 0] * np.tan(np.radians(tilt_deg))
    return _split(pts, sid, len(strokes))


def elastic_noise(strokes: Strokes, rng: np.random.Generator, amplitude: float = 0.6,
                  wavelength: float = 14.0, n_waves: int = 8) -> Strokes:
    """Displace points by a smooth random field: a sum of `n_waves` plane waves of about `wavelength` units."""
    theta = rng.uniform(0, 2 * np.pi, n_waves)
    k = 2 * np.pi / (wavelength * rng.uniform(0.7, 1.4, n_waves))
    wave = np.column_stack([np.cos(theta), np.sin(theta)]) * k[:, None]  # (K, 2) wave vectors
    phase = rng.uniform(0, 2 * np.pi, n_waves)
    amp = amplitude * rng.standard_normal((n_waves, 2)) / np.sqrt(n_waves / 2)  # (K, 2) per-axis weights
    pts, sid = _concat(strokes)
    pts += np.sin(pts @ wave.T + phase) @ amp  # (N, K) @ (K, 2)
    return _split(pts, sid, len(strokes))


def delay_marks(strokes: Strokes, word_ids: np.ndarray, is_mark: np.ndarray) -> tuple[Strokes, np.ndarray]:
    """Move flagged strokes (i-dots, t-bars) to the end of their word, as cursive writers do; returns new word ids."""
    word_ids, is_mark = np.asarray(word_ids), np.asarray(is_mark, bool)
    order = np.lexsort((is_mark, word_ids))  # stable: words in order, marks last within each word
    return [np.array(strokes[i], np.float64) for i in order], word_ids[order]


def join_strokes(strokes: Strokes, max_gap: float, word_ids: np.ndarray | None = None) -> Strokes:
    """Merge consecutive strokes whose end and next start are <= `max_gap` apart (within one word if ids given)."""
    if not strokes:
        return []
    ends = np.array([s[-1] for s in strokes], np.float64)
    starts = np.array([s[0] for s in strokes], np.float64)
    gap = np.linalg.norm(starts[1:] - ends[:-1], axis=1)  # (S-1,)
    join = gap <= max_gap
    if word_ids is not None:
        join &= np.diff(np.asarray(word_ids)) == 0
    out, cur = [], [np.asarray(strokes[0], np.float64)]
    for j, touch, s in zip(join.tolist(), (gap < 1e-9).tolist(), strokes[1:]):
        s = np.asarray(s, np.float64)
        if j:
            cur.append(s[1:] if touch else s)  # drop a duplicated touching point
        else:
            out.append(np.concatenate(cur))
            cur = [s]
    out.append(np.concatenate(cur))
    return out


def resample_by_speed(strokes: Strokes, spacing: float = 5.5, turn_cost: float = 0.3,
                      step: float = 0.5, smooth: float = 2.0) -> Strokes:
    """Resample like a pen digitiser at constant rate: `spacing` units apart on straight runs, denser on curves.

    The pen's time along a path is length / `spacing` plus `turn_cost` samples per radian turned (turning
    smoothed over `smooth` units), so sharp corners and tight curves collect extra points. Each stroke
    keeps its first and last point; zero-length strokes (dots) become one point.
    """
    if not strokes:
        return []
    pts, sid = _concat(strokes)
    # 1. densify every segment to <= `step` so that corners are localised.
    seg = np.diff(pts, axis=0)  # (N-1, 2)
    inside = sid[1:] == sid[:-1]
    length = np.where(inside, np.linalg.norm(seg, axis=1), 0.0)
    n_sub = np.where(inside, np.maximum(1, np.ceil(length / step)), 1).astype(np.int64)
    n_sub = np.r_[n_sub, 1]  # the last point of the line
    n_sub[np.r_[~inside, True]] = 1  # last point of every stroke: itself only
    step_vec = np.r_[np.where(inside[:, None], seg, 0.0), np.zeros((1, 2))]  # (N, 2)
    first = np.cumsum(n_sub) - n_sub
    frac = (np.arange(n_sub.sum()) - np.repeat(first, n_sub)) / np.repeat(n_sub, n_sub)
    fine = np.repeat(pts, n_sub, axis=0) + frac[:, None] * np.repeat(step_vec, n_sub, axis=0)  # (M, 2)
    fsid = np.repeat(sid, n_sub)
    # 2. turning angle at each fine vertex, smoothed along the path.
    d = np.diff(fine, axis=0)
    same = fsid[1:] == fsid[:-1]  # (M-1,) segment inside a stroke
    cross = d[:-1, 0] * d[1:, 1] - d[:-1, 1] * d[1:, 0]
    dot = (d[:-1] * d[1:]).sum(1)
    turn = np.where(same[:-1] & same[1:], np.abs(np.arctan2(cross, dot)), 0.0)  # (M-2,) at vertices 1..M-2
    turn = np.r_[0.0, turn, 0.0]
    width = max(1, int(round(smooth / step)))
    turn = np.convolve(np.pad(turn, width), np.ones(2 * width + 1) / (2 * width + 1), mode="valid")  # keeps the total
    # 3. time per fine segment; a gap of 1 between strokes keeps the global clock increasing.
    dl = np.linalg.norm(d, axis=1)
    dt = np.where(same, dl / spacing + turn_cost * 0.5 * (turn[:-1] + turn[1:]), 1.0)
    clock = np.r_[0.0, np.cumsum(dt)]  # (M,)
    n_strokes = len(strokes)
    lo = np.searchsorted(fsid, np.arange(n_strokes))
    hi = np.searchsorted(fsid, np.arange(n_strokes), side="right") - 1
    t0, t1 = clock[lo], clock[hi]
    path = np.bincount(fsid[1:][same], weights=dl[same], minlength=n_strokes)
    n_out = np.where(path > 1e-9, np.maximum(2, np.round(t1 - t0).astype(np.int64) + 1), 1)
    start = np.cumsum(n_out) - n_out
    k = np.arange(n_out.sum()) - np.repeat(start, n_out)
    t = np.repeat(t0, n_out) + np.repeat(t1 - t0, n_out) * k / np.repeat(np.maximum(n_out - 1, 1), n_out)
    out = np.column_stack([np.interp(t, clock, fine[:, 0]), np.interp(t, clock, fine[:, 1])])
    cuts = np.r_[0, np.cumsum(n_out)].tolist()
    return [out[a:b] for a, b in zip(cuts[:-1], cuts[1:])]
