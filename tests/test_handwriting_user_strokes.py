"""User strokes JSON: round trip through save/load, optional corpus sizing, errors naming entry and problem."""
import json

import numpy as np
import pytest

from handwriting.strokes import StrokeSample, bounding_box, coords_to_offsets, offsets_to_coords
from handwriting.user_strokes import load_json, save_json


def make_samples():
    rng = np.random.default_rng(0)
    return [StrokeSample("hello", coords_to_offsets([rng.normal(size=(7, 2)) * 5, rng.normal(size=(1, 2))])),
            StrokeSample("A b!", coords_to_offsets([rng.normal(size=(12, 2)) * 8 + (40, 0)]))]


def test_save_load_round_trip(tmp_path):
    samples = make_samples()
    path = save_json(samples, tmp_path / "sub" / "mine.json")
    loaded = load_json(path)
    assert [s.text for s in loaded] == ["hello", "A b!"]
    for a, b in zip(samples, loaded):
        assert b.offsets.dtype == np.float32
        np.testing.assert_array_equal(a.offsets[:, 2], b.offsets[:, 2])
        np.testing.assert_allclose(b.offsets, a.offsets, atol=1e-5, rtol=0)
    rounded = load_json(save_json(samples, tmp_path / "r.json", decimals=2))
    np.testing.assert_allclose(rounded[0].offsets, samples[0].offsets, atol=1e-2, rtol=0)


def test_reads_the_documented_format(tmp_path):
    path = tmp_path / "hi.json"
    path.write_text(json.dumps([{"text": "hi", "writer": "me",
                                 "strokes": [[[10, 10], [10, 30]], [[20, 10], [20, 30]], [[30, 5]]]}]))
    (sample,) = load_json(path)
    assert sample.text == "hi"
    np.testing.assert_array_equal(sample.offsets, [[10, 10, 0], [0, 20, 1], [10, -20, 0], [0, 20, 1], [10, -25, 1]])
    (fitted,) = load_json(path, fit_units=True)  # canvas pixels -> corpus units, x from 0, y about the baseline
    x0, top, _, bottom = bounding_box(offsets_to_coords(fitted.offsets))
    assert x0 == 0 and top < 0 < bottom + 1e-9 and fitted.offsets[:, 2].tolist() == [0, 1, 0, 1, 1]


@pytest.mark.parametrize("data, message", [
    ({"text": "a"}, "expected a JSON list"),
    ([["a"]], "entry 0: expected an object"),
    ([{"strokes": [[[0, 0]]]}], "entry 0: missing key\\(s\\) 'text'"),
    ([{"text": "", "strokes": [[[0, 0]]]}], "'text' must be a non-empty string"),
    ([{"text": "ok", "strokes": [[[0, 0]]]}, {"text": "café", "strokes": [[[0, 0]]]}],
     "entry 1 \\('café'\\): unsupported characters: 'é'"),
    ([{"text": "a", "strokes": []}], "entry 0 \\('a'\\): 'strokes' must be a non-empty list"),
    ([{"text": "a", "strokes": [[]]}], "stroke 0 must be a non-empty list"),
    ([{"text": "a", "strokes": [[[0, 0], [1, "2"]]]}], "stroke 0 point 1 must be \\[x, y\\]"),
    ([{"text": "a", "strokes": [[[0, 0]], [[1, 2, 3]]]}], "stroke 1 point 0 must be \\[x, y\\]"),
    ([{"text": "a", "strokes": [[[True, 0]]]}], "stroke 0 point 0"),
])
def test_errors_name_entry_and_problem(tmp_path, data, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as err:
        load_json(path)
    assert str(err.value).startswith("bad.json: ")


def test_invalid_json_and_missing_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"text": "a",')
    with pytest.raises(ValueError, match="broken.json: not valid JSON"):
        load_json(path)
    with pytest.raises(ValueError, match="no such strokes file"):
        load_json(tmp_path / "absent.json")
