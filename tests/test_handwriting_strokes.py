"""Stroke transforms: exact round trips of each inverse pair, deslant, simplification, line units."""
import numpy as np
import pytest

from handwriting import strokes as S
from handwriting.strokes import StrokeSample


def random_strokes(seed=0, n=5):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(int(rng.integers(1, 9)), 2)) * 10 + (i * 30, 0) for i in range(n)]


def assert_same_strokes(a, b, atol=1e-4):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, atol=atol, rtol=0)


def test_offsets_round_trip_and_pen_bits():
    strokes = random_strokes()
    off = S.coords_to_offsets(strokes)
    assert off.dtype == np.float32 and off.shape == (sum(map(len, strokes)), 3)
    np.testing.assert_allclose(off[0, :2], strokes[0][0], rtol=1e-6)  # row 0 is relative to the origin
    ends = np.cumsum([len(s) for s in strokes]) - 1
    assert np.flatnonzero(off[:, 2]).tolist() == ends.tolist()
    assert_same_strokes(S.offsets_to_coords(off), strokes)
    np.testing.assert_array_equal(S.coords_to_offsets(S.offsets_to_coords(off)), off)


def test_open_last_stroke_and_empty_input():
    off = np.array([[1, 1, 0], [1, 0, 1], [5, 0, 0], [1, 0, 0]], np.float32)
    out = S.offsets_to_coords(off)
    assert [len(s) for s in out] == [2, 2]
    assert S.coords_to_offsets([]).shape == (0, 3) and S.offsets_to_coords(np.zeros((0, 3))) == []


def test_bad_shapes_are_named():
    with pytest.raises(ValueError, match="stroke 1: expected points of shape"):
        S.coords_to_offsets([np.zeros((2, 2)), np.zeros((3, 3))])
    with pytest.raises(ValueError, match="NaN"):
        S.coords_to_offsets([[[0, 0], [np.nan, 1]]])
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        S.offsets_to_coords(np.zeros((4, 2)))


def test_normalize_round_trip_copies_input():
    off = S.coords_to_offsets(random_strokes(1))
    before = off.copy()
    norm = S.normalize(off, 7.5)
    np.testing.assert_array_equal(off, before)
    np.testing.assert_array_equal(norm[:, 2], off[:, 2])
    np.testing.assert_allclose(S.denormalize(norm, 7.5), off, rtol=1e-6, atol=1e-5)
    with pytest.raises(ValueError, match="scale"):
        S.normalize(off, 0.0)


def test_measure_scale_is_std_of_deltas():
    a = StrokeSample("a", np.array([[100, 100, 0], [1, -1, 0], [3, 1, 1]], np.float32))
    b = StrokeSample("b", np.array([[5, 5, 1]], np.float32))  # first rows and one-point lines do not count
    assert S.measure_scale([a, b]) == pytest.approx(np.std([1, -1, 3, 1]))
    with pytest.raises(ValueError):
        S.measure_scale([b])


def test_translate_scale_round_trips_and_origin():
    strokes = random_strokes(2)
    assert_same_strokes(S.translate(S.translate(strokes, 3.5, -2.0), -3.5, 2.0), strokes, atol=1e-9)
    assert_same_strokes(S.scale_strokes(S.scale_strokes(strokes, 4.0), 0.25), strokes, atol=1e-9)
    x0, y0, x1, y1 = S.bounding_box(S.translate_to_origin(strokes))
    bx0, by0, bx1, by1 = S.bounding_box(strokes)
    assert (x0, y0) == (0.0, 0.0) and x1 == pytest.approx(bx1 - bx0) and y1 == pytest.approx(by1 - by0)


def upright_shape():
    """Block letters 'HIL' plus a dot: vertical stems and horizontal bars, y down, baseline at 0."""
    return [np.array([[0, 0], [0, -20.0]]), np.array([[0, -10], [12, -10.0]]), np.array([[12, 0], [12, -20.0]]),
            np.array([[20, 0], [20, -6], [20, -14], [20, -20.0]]),
            np.array([[28, -20], [28, 0], [40, 0.0]]), np.array([[46, -1.0]])]


def test_shear_round_trip_and_deslant_recovers_upright_shape():
    shape = upright_shape()
    sheared = S.shear(shape, 0.35)  # leans right: the top of each stem moves to +x
    assert sheared[0][1, 0] == pytest.approx(7.0)
    assert_same_strokes(S.shear(sheared, -0.35), shape, atol=1e-9)
    assert S.estimate_slant(sheared) == pytest.approx(0.35, abs=1e-6)
    assert_same_strokes(S.deslant(sheared), shape, atol=1e-6)
    assert S.estimate_slant(shape) == pytest.approx(0.0, abs=1e-9)


def test_deslant_with_curves_is_close():
    t = np.linspace(0, 2 * np.pi, 60)
    ring = np.column_stack([60 + 6 * np.cos(t), -8 + 8 * np.sin(t)])  # symmetric: adds no slant of its own
    shape = upright_shape() + [ring]
    fixed = S.deslant(S.shear(shape, -0.25))
    assert max(np.abs(a - b).max() for a, b in zip(fixed, shape)) < 0.2  # on letters 20 units tall


def test_deslant_recovers_sheared_hershey_text():
    from handwriting.hershey_corpus import render_text

    upright = render_text("The quick brown fox jumps over the lazy dog", "futural")  # an upright print face
    assert abs(S.estimate_slant(upright)) < 0.01
    sheared = S.shear(upright, 0.3)
    assert S.estimate_slant(sheared) > 0.15  # clearly leaning right before the correction
    fixed = S.deslant(sheared)
    assert abs(S.estimate_slant(fixed)) < 1e-3
    assert max(np.abs(a - b).max() for a, b in zip(fixed, upright)) < 0.3  # letters are 20 units tall


def test_simplify_thins_a_noisy_straight_line():
    rng = np.random.default_rng(3)
    x = np.linspace(0, 100, 400)
    noisy = np.column_stack([x, 0.5 * x + rng.normal(scale=0.05, size=x.size)])  # (400, 2)
    (out,) = S.simplify([noisy], tolerance=0.5)
    assert len(out) <= 5
    np.testing.assert_array_equal(out[[0, -1]], noisy[[0, -1]])


def test_simplify_keeps_endpoints_and_shape():
    x = np.linspace(0, 50, 200)
    wave = np.column_stack([x, 5 * np.sin(x / 5)])
    line = np.column_stack([np.linspace(0, 10, 11), np.zeros(11)])
    out = S.simplify([wave, line, np.array([[1.0, 2.0]])], tolerance=0.2)
    assert len(out[1]) == 2 and len(out[2]) == 1  # collinear points go, a single dot stays
    assert 10 < len(out[0]) < 100
    np.testing.assert_array_equal(out[0][[0, -1]], wave[[0, -1]])
    # every original point lies within the tolerance of the simplified polyline
    a, b = out[0][:-1], out[0][1:]  # (S, 2) segments
    t = np.clip((((wave[:, None] - a) * (b - a)).sum(-1) / ((b - a) ** 2).sum(-1)), 0, 1)  # (P, S)
    dist = np.linalg.norm(wave[:, None] - (a + t[..., None] * (b - a)), axis=-1).min(1)
    assert dist.max() <= 0.2 + 1e-9
    assert_same_strokes(S.simplify([wave], 0.0), [wave], atol=0)  # no tolerance: a smooth curve loses nothing


def test_split_long_strokes_round_trip():
    strokes = [np.arange(46, dtype=float).reshape(23, 2), np.zeros((1, 2))]
    parts = S.split_long_strokes(strokes, 5)
    assert all(len(p) <= 5 for p in parts)
    joined = np.concatenate([parts[0]] + [p[1:] for p in parts[1:-1]])
    np.testing.assert_array_equal(joined, strokes[0])
    np.testing.assert_array_equal(parts[-1], strokes[1])


def test_fit_line_units_is_invariant_to_size_and_position():
    shape = upright_shape()
    a = S.fit_line_units(shape)
    b = S.fit_line_units(S.translate(S.scale_strokes(shape, 6.3), 1000, 1600))
    assert_same_strokes(a, b, atol=1e-9)
    assert S.bounding_box(a)[0] == 0.0


def test_fit_line_units_gives_capitals_about_20_units():
    from handwriting.hershey_corpus import render_text
    from handwriting.texts import held_out_sentences

    ratios, shifts = [], []
    for text in held_out_sentences()[:8]:
        for font in ("scripts", "futural"):
            ref = render_text(text, font)  # capitals exactly 20 units, baseline y = 0
            fitted = S.fit_line_units(S.translate(S.scale_strokes(ref, 7.0), 900, 1500))
            _, top, _, bottom = S.bounding_box(fitted)
            _, ref_top, _, ref_bottom = S.bounding_box(ref)
            k = (bottom - top) / (ref_bottom - ref_top)
            ratios.append(k)
            shifts.append(top - k * ref_top)  # where the reference baseline y = 0 landed
    assert 0.7 < min(ratios) and max(ratios) < 1.3  # one line is sized within 30%...
    assert np.median(ratios) == pytest.approx(1.0, abs=0.1)  # ...and the estimator is unbiased
    assert max(np.abs(shifts)) < 1e-6  # baselines found exactly on these lines


def test_estimate_baseline_ignores_descenders_and_jitter():
    from handwriting.hershey_corpus import render_text

    ref = render_text("jolly gypsy quay", "scripts")  # many descenders below the baseline y = 0
    assert S.estimate_baseline(ref) == pytest.approx(0.0, abs=1e-9)
    rng = np.random.default_rng(0)
    dense = [np.concatenate([np.linspace(a, b, 8, endpoint=False) for a, b in zip(s[:-1], s[1:])] + [s[-1:]])
             for s in ref if len(s) > 1]
    noisy = [s + rng.normal(scale=0.15, size=s.shape) for s in dense]  # pen jitter on a dense trace
    assert abs(S.estimate_baseline(noisy)) < 1.5
