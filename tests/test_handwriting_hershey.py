"""Synthetic Hershey handwriting corpus: glyph coverage, units, offsets, density, styles, cache."""
import numpy as np
import pytest

from handwriting import hershey_corpus as H
from handwriting.strokes import StrokeSample
from handwriting.texts import PRINTABLE


def test_fonts_cover_printable_ascii():
    for font in H.FONTS:
        glyphs = H._glyphs(font)
        missing = [c for c in PRINTABLE if c != " " and not glyphs[c][0]]
        assert not missing, f"{font} has no strokes for {missing}"
        assert glyphs[" "][1] > 0  # space advances


def test_render_text_units_and_orientation():
    for font in H.FONTS:
        strokes = H.render_text("HH", font)
        pts = np.concatenate(strokes)
        assert pts[:, 0].min() == pytest.approx(0.0)  # starts at x=0
        assert pts[:, 1].max() == pytest.approx(0.0, abs=0.5)  # 'H' sits on the baseline y=0
        assert pts[:, 1].min() == pytest.approx(-20.0, abs=0.5)  # capital 20 units tall, y down
        x = np.concatenate(H.render_text("x", font))
        assert -15 < x[:, 1].min() < -5  # lower case is shorter


def test_borrowed_caret_is_a_caret():
    caret = np.concatenate(H.render_text("^", "scripts"))
    assert caret[:, 1].max() < -3  # a raised mark, not the source font's full-height up-arrow


def test_script_marks_are_the_dots_and_bars():
    for font in H.SCRIPT_FONTS:
        for ch, j in H._SCRIPT_MARKS:
            strokes = H._glyphs(font)[ch][0]
            mark = strokes[j]
            length = np.linalg.norm(np.diff(mark, axis=0), axis=1).sum()
            assert length < 18 and length < max(np.linalg.norm(np.diff(st, axis=0), axis=1).sum() for st in strokes)
            if ch in "ijt":
                assert mark[:, 1].max() < -2  # the dot / bar floats above the baseline


def test_render_text_rejects_bad_input():
    with pytest.raises(ValueError, match=r"unsupported characters: 'é', '\\t'"):
        H.render_text("café\tau lait é", "futural")
    with pytest.raises(ValueError, match="unknown Hershey font 'comic'"):
        H.render_text("hi", "comic")
    with pytest.raises(ValueError, match="no visible characters"):
        H.render_text("   ", "futural")


def check_sample(s: StrokeSample, text: str):
    assert isinstance(s, StrokeSample) and s.text == text
    off = s.offsets
    assert off.dtype == np.float32 and off.ndim == 2 and off.shape[1] == 3
    assert np.isfinite(off).all()
    assert set(np.unique(off[:, 2])) <= {0.0, 1.0} and off[-1, 2] == 1.0  # last point ends a stroke


@pytest.mark.parametrize("font", H.FONTS)
def test_synth_line_offsets_and_density(font):
    text = "Hello there, 42 cats!"
    s = H.synth_line(text, np.random.default_rng(0), font=font)
    check_sample(s, text)
    assert 6 <= len(s.offsets) / len(text) <= 16
    pts = np.cumsum(s.offsets[:, :2], axis=0)
    assert abs(pts[:, 0].min()) < 1e-3 and pts[:, 0].max() > 150  # starts at x~0, runs to the right
    assert -35 < pts[:, 1].min() < -12 and abs(np.median(pts[:, 1])) < 10  # baseline near 0, y down


def test_synth_line_offsets_round_trip_strokes():
    strokes = H.synth_strokes("jolly quiz", np.random.default_rng(7), font="scripts")
    s = H.synth_line("jolly quiz", np.random.default_rng(7), font="scripts")
    np.testing.assert_allclose(np.cumsum(s.offsets[:, :2].astype(np.float64), axis=0), np.concatenate(strokes), atol=1e-3)
    ends = np.flatnonzero(s.offsets[:, 2]) + 1
    np.testing.assert_array_equal(ends, np.cumsum([len(st) for st in strokes]))  # pen-up on each stroke end


def test_synth_line_deterministic_and_varied():
    a = H.synth_line("same text", np.random.default_rng(1))
    b = H.synth_line("same text", np.random.default_rng(1))
    c = H.synth_line("same text", np.random.default_rng(2))
    np.testing.assert_array_equal(a.offsets, b.offsets)
    assert a.offsets.shape != c.offsets.shape or not np.allclose(a.offsets, c.offsets)


def test_average_density_is_in_budget():
    from handwriting.texts import training_lines

    texts = training_lines(40, seed=5)
    rng = np.random.default_rng(5)
    n_points = sum(len(H.synth_line(t, rng).offsets) for t in texts)
    assert 8 <= n_points / sum(map(len, texts)) <= 12


def test_style_params_validation():
    with pytest.raises(ValueError, match="unknown style parameters: wobble"):
        H.synth_line("hi", np.random.default_rng(0), "futural", {"wobble": 1.0})
    s = H.synth_line("hi there", np.random.default_rng(0), "futural", H.StyleParams(slant_deg=0.0))
    check_sample(s, "hi there")


def test_styles_and_primes():
    assert 3 <= len(H.STYLES) <= 5
    for name, style in H.STYLES.items():
        assert style["font"] in H.FONTS
        H._as_params(style["style_params"])  # every key is a StyleParams field
        prime = H.style_prime(name)
        check_sample(prime, H._PRIME_TEXT)
        np.testing.assert_array_equal(prime.offsets, H.style_prime(name).offsets)  # fixed seed
    with pytest.raises(ValueError, match="unknown style 'gothic'"):
        H.style_prime("gothic")


def test_build_corpus_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("LSTM_STUDIO_CACHE", str(tmp_path / "env"))
    first = H.build_corpus(5, seed=3, progress=False)  # no cache_dir: the env variable decides
    files = list((tmp_path / "env").glob("*.npz"))
    assert len(files) == 1 and H.CORPUS_VERSION in files[0].name and "n5_s3" in files[0].name
    again = H.build_corpus(5, seed=3, progress=False)
    assert [s.text for s in again] == [s.text for s in first]
    for a, b in zip(first, again):
        check_sample(b, a.text)
        np.testing.assert_array_equal(a.offsets, b.offsets)
    other = H.build_corpus(5, seed=4, cache_dir=tmp_path / "explicit", progress=False)
    assert (tmp_path / "explicit").is_dir() and [s.text for s in other] != [s.text for s in first]
    with pytest.raises(ValueError, match="n_lines"):
        H.build_corpus(0, cache_dir=tmp_path)
