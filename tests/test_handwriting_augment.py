"""Stroke augmentations on toy strokes: copies, round trips, shape preservation, determinism, density."""
import numpy as np
import pytest

from handwriting import augment as A


def toy():
    """Two 'letters' (a box-ish 3-stroke char and a vertical bar) in two words, plus a dot."""
    t = np.linspace(0, 1, 11)[:, None]
    return [np.hstack([t * 10, np.zeros_like(t)]),  # baseline bar of char 0
            np.array([[0.0, 0.0], [0.0, -20.0]]),  # stem of char 0
            np.array([[16.0, 0.0], [16.0, -20.0], [26.0, -20.0]]),  # char 1 (word 1)
            np.array([[21.0, -25.0]])]  # a dot of char 1


CHAR = np.array([0, 0, 1, 1])
WORD = np.array([0, 0, 1, 1])


def same(a, b, tol=1e-9):
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y, atol=tol) for x, y in zip(a, b))


@pytest.mark.parametrize("fn", [
    lambda s: A.stretch(s, 1.2, 0.9),
    lambda s: A.slant(s, 15),
    lambda s: A.rotate(s, 5, (3, 0)),
    lambda s: A.spacing_jitter(s, CHAR, WORD, np.random.default_rng(0)),
    lambda s: A.group_jitter(s, WORD, np.random.default_rng(0), 0.1, 3),
    lambda s: A.baseline_drift(s, np.random.default_rng(0), 2.0, 50.0, 1.0),
    lambda s: A.elastic_noise(s, np.random.default_rng(0), 1.0, 10.0),
    lambda s: A.delay_marks(s, WORD, np.array([0, 1, 0, 0]))[0],
    lambda s: A.join_strokes(s, 100.0),
    lambda s: A.resample_by_speed(s, 2.0, 0.5),
])
def test_transforms_copy_their_input(fn):
    s = toy()
    before = [x.copy() for x in s]
    out = fn(s)
    assert same(s, before)  # input untouched
    assert all(not np.shares_memory(o, x) for o in out for x in s)
    assert all(o.ndim == 2 and o.shape[1] == 2 and np.isfinite(o).all() for o in out)


def test_affine_round_trips():
    s = toy()
    assert same(A.slant(A.slant(s, 17), -17), s)
    assert same(A.rotate(A.rotate(s, 8, (5, -3)), -8, (5, -3)), s)
    assert same(A.stretch(A.stretch(s, 1.3, 0.8), 1 / 1.3, 1 / 0.8), s)


def test_slant_leans_tops_right_and_keeps_baseline():
    out = A.slant([np.array([[0.0, 0.0], [0.0, -20.0]])], 45)[0]
    np.testing.assert_allclose(out, [[0, 0], [20, -20]], atol=1e-9)  # y is down: the top moves right


def test_rotate_preserves_distances():
    s = toy()[2]
    r = A.rotate([s], 30, (1, 2))[0]
    d = lambda p: np.linalg.norm(np.diff(p, axis=0), axis=1)  # noqa: E731
    np.testing.assert_allclose(d(r), d(s))


def test_spacing_jitter_only_translates_whole_characters():
    s = toy()
    out = A.spacing_jitter(s, CHAR, WORD, np.random.default_rng(1), letter_sigma=0.5, word_gap=3.0, word_sigma=1.0)
    shifts = [o - x for o, x in zip(out, s)]
    assert all(np.allclose(d[:, 1], 0) and np.allclose(d[:, 0], d[0, 0]) for d in shifts)
    assert np.allclose(shifts[0], 0) and np.allclose(shifts[1], 0)  # first character stays put
    assert np.isclose(shifts[2][0, 0], shifts[3][0, 0])  # a character's strokes move together
    assert abs(shifts[2][0, 0] - 3.0) <= 2.0 + 1e-9  # word gap = 3 +- 2 sd
    assert same(out, A.spacing_jitter(s, CHAR, WORD, np.random.default_rng(1), 0.5, 3.0, 1.0))


def test_group_jitter_is_a_similarity_per_group_and_deterministic():
    s = toy()
    out = A.group_jitter(s, WORD, np.random.default_rng(2), scale_sigma=0.1, rotate_deg=5)
    assert same(out, A.group_jitter(s, WORD, np.random.default_rng(2), 0.1, 5))
    assert same(A.group_jitter(s, WORD, np.random.default_rng(2), 0.0, 0.0), s)
    p, q = np.concatenate(s[2:]), np.concatenate(out[2:])  # word 1: distances all scale by one factor
    ratio = np.linalg.norm(q[1:] - q[0], axis=1) / np.linalg.norm(p[1:] - p[0], axis=1)
    np.testing.assert_allclose(ratio, ratio[0])
    assert 0.7 < ratio[0] < 1.3


def test_group_jitter_keeps_gaps_between_groups():
    s = toy()
    out = A.group_jitter(s, WORD, np.random.default_rng(3), scale_sigma=0.2, rotate_deg=0.0)
    gap = lambda st: np.concatenate(st[2:])[:, 0].min() - np.concatenate(st[:2])[:, 0].max()  # noqa: E731
    assert gap(out) == pytest.approx(gap(s))  # the second word moved over by the first word's growth
    assert not same(out, s)


def test_baseline_drift_is_smooth_vertical_and_bounded():
    line = [np.column_stack([np.linspace(0, 400, 401), np.zeros(401)])]
    out = A.baseline_drift(line, np.random.default_rng(3), amplitude=2.0, wavelength=150.0)[0]
    dy = out[:, 1]
    np.testing.assert_array_equal(out[:, 0], line[0][:, 0])  # x untouched
    assert 0 < np.abs(dy).max() < 10.0
    assert np.abs(np.diff(dy, 2)).max() < 0.01  # smooth: tiny second differences per unit
    tilted = A.baseline_drift(line, np.random.default_rng(3), amplitude=0.0, tilt_deg=2.0)[0]
    assert tilted[-1, 1] == pytest.approx(-400 * np.tan(np.radians(2.0)))  # rising line: y decreases


def test_elastic_noise_is_small_smooth_and_seeded():
    s = toy()
    out = A.elastic_noise(s, np.random.default_rng(4), amplitude=0.6, wavelength=12.0)
    disp = np.concatenate(out) - np.concatenate(s)
    assert 0 < np.linalg.norm(disp, axis=1).max() < 4 * 0.6  # a few % of a 20-unit letter
    d_bar = disp[:11]  # the 10-unit bar sampled every unit: neighbours move almost alike
    assert np.abs(np.diff(d_bar, axis=0)).max() < 0.6
    assert same(out, A.elastic_noise(s, np.random.default_rng(4), 0.6, 12.0))
    assert not same(out, A.elastic_noise(s, np.random.default_rng(5), 0.6, 12.0))


def test_delay_marks_moves_flagged_strokes_to_word_end():
    s = toy()
    out, words = A.delay_marks(s, WORD, np.array([True, False, False, False]))
    assert same(out, [s[1], s[0], s[2], s[3]])
    np.testing.assert_array_equal(words, [0, 0, 1, 1])


def test_join_strokes_merges_close_strokes_within_words():
    s = [np.array([[0.0, 0], [5, 0]]), np.array([[5.0, 0], [5, 5]]), np.array([[6.0, 5], [9, 5]]),
         np.array([[30.0, 0], [31, 0]])]
    out = A.join_strokes(s, max_gap=1.5)
    assert len(out) == 2
    np.testing.assert_array_equal(out[0], [[0, 0], [5, 0], [5, 5], [6, 5], [9, 5]])  # touching point not doubled
    assert len(A.join_strokes(s, max_gap=1.5, word_ids=np.array([0, 0, 1, 1]))) == 3  # no join across words
    assert len(A.join_strokes(s, max_gap=0.5)) == 3


def _dist_to_polyline(p, poly):
    a, b = poly[:-1], poly[1:]
    ab = b - a
    t = np.clip(((p[:, None] - a) * ab).sum(-1) / (ab ** 2).sum(-1), 0, 1)
    return np.linalg.norm(p[:, None] - (a + t[..., None] * ab), axis=-1).min(1)


def test_resample_density_on_straight_line():
    out = A.resample_by_speed([np.array([[0.0, 0.0], [100.0, 0.0]])], spacing=5.0, turn_cost=1.0)[0]
    assert len(out) == 21
    np.testing.assert_allclose(np.diff(out[:, 0]), 5.0)
    np.testing.assert_allclose(out[[0, -1]], [[0, 0], [100, 0]])


def test_resample_slows_down_on_curves_and_corners():
    th = np.linspace(0, 2 * np.pi, 60)
    circle = np.column_stack([8 * np.cos(th), 8 * np.sin(th)])
    fast = A.resample_by_speed([circle], spacing=4.0, turn_cost=0.0)[0]
    slow = A.resample_by_speed([circle], spacing=4.0, turn_cost=1.0)[0]
    assert len(fast) == pytest.approx(2 * np.pi * 8 / 4 + 1, abs=1)
    assert len(slow) == pytest.approx(len(fast) + 2 * np.pi, abs=1.5)  # ~1 extra sample per radian
    assert _dist_to_polyline(slow, circle).max() < 1e-6  # samples lie on the original path
    corner = np.array([[0.0, 0.0], [30.0, 0.0], [30.0, 30.0]])
    out = A.resample_by_speed([corner], spacing=5.0, turn_cost=2.0)[0]
    gaps = np.linalg.norm(np.diff(out, axis=0), axis=1)
    near = np.linalg.norm((out[:-1] + out[1:]) / 2 - corner[1], axis=1) < 3
    assert gaps[near].max() < gaps[~near].min()  # denser at the corner than on the straight runs


def test_resample_keeps_dots_and_stroke_ends():
    s = toy()
    out = A.resample_by_speed(s, spacing=3.0, turn_cost=0.5)
    assert len(out) == len(s)
    assert len(out[3]) == 1 and np.allclose(out[3], s[3])
    for o, x in zip(out, s):
        assert np.allclose(o[0], x[0]) and np.allclose(o[-1], x[-1])
