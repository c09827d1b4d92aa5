"""IAM-OnDB loader on small fixtures in the real layout (two good lines, malformed XML, bad text, no text)."""
import shutil
from pathlib import Path

import numpy as np
import pytest

from handwriting.iam import LoadSummary, load_iam, parse_line_strokes, read_transcription
from handwriting.strokes import bounding_box, estimate_slant, offsets_to_coords

ROOT = Path(__file__).parent / "fixtures" / "iam"
FORM = ROOT / "lineStrokes" / "a01" / "a01-000"


def test_loads_good_lines_and_counts_the_rest():
    samples, summary = load_iam(ROOT)
    assert [s.text for s in samples] == ["A move to stop Mr. Gaitskell", "from nominating any more"]
    assert isinstance(summary, LoadSummary) and summary.loaded == 2
    assert [name for name, _ in summary.skipped] == ["a01-000u-03.xml", "a01-000u-04.xml", "a01-000u-05.xml"]
    reasons = dict(summary.skipped)
    assert reasons["a01-000u-03.xml"].startswith("malformed XML: ")
    assert reasons["a01-000u-04.xml"] == "unsupported characters: 'ï'"
    assert reasons["a01-000u-05.xml"] == "missing transcription: line 5 of a01-000u.txt, which has 4"
    assert summary.reasons() == {"malformed XML": 1, "unsupported characters": 1, "missing transcription": 1}
    assert str(summary).startswith("loaded 2 lines, skipped 3: a01-000u-03.xml (malformed XML: ")


def test_summary_lists_a_few_and_counts_the_rest():
    summary = LoadSummary(loaded=1)
    for i in range(12):
        summary.skip(Path(f"x-{i:02d}.xml"), "no strokes" if i % 3 else "malformed XML", "detail")
    text = str(summary)
    assert text.startswith("loaded 1 lines, skipped 12: x-00.xml (malformed XML: detail), x-01.xml (no strokes: detail)")
    assert "x-09.xml" in text and "x-10.xml" not in text
    assert text.endswith("and 2 more (in all: 4 malformed XML, 8 no strokes)")


def test_lines_follow_the_conventions():
    samples, _ = load_iam(ROOT)
    for sample, xml in zip(samples, ["a01-000u-01.xml", "a01-000u-02.xml"]):
        raw = parse_line_strokes(FORM / xml)
        off = sample.offsets
        assert off.dtype == np.float32 and off.shape == (sum(map(len, raw)), 3)
        assert int(off[:, 2].sum()) == len(raw)  # one end-of-stroke bit per XML <Stroke>
        x0, top, x1, bottom = bounding_box(offsets_to_coords(off))
        assert abs(x0) < 1e-4 and -26 < top < -15 and 0 < bottom < 15  # capitals ~20 units, baseline ~0
        rx0, rtop, rx1, rbottom = bounding_box(raw)
        # one uniform scale, y still down (no flip, no distortion)
        assert (x1 - x0) / (rx1 - rx0) == pytest.approx((bottom - top) / (rbottom - rtop), rel=1e-4)
        first_raw, first = raw[0][0] - (rx0, rtop), off[0, :2] - (x0, top)
        np.testing.assert_allclose(first, first_raw * (x1 - x0) / (rx1 - rx0), atol=1e-3)


def test_limit_and_deslant():
    samples, summary = load_iam(ROOT, limit=1)
    assert len(samples) == 1 and summary.loaded == 1
    slanted = offsets_to_coords(samples[0].offsets)
    assert estimate_slant(slanted) > 0.1  # fixture line 1 leans right
    upright, _ = load_iam(ROOT, limit=1, deslant_lines=True)
    assert abs(estimate_slant(offsets_to_coords(upright[0].offsets))) < 0.02


def test_missing_ascii_folder_and_bad_root(tmp_path):
    shutil.copytree(ROOT / "lineStrokes", tmp_path / "lineStrokes")
    samples, summary = load_iam(tmp_path)
    assert samples == [] and summary.reasons() == {"missing transcription": 5}
    assert summary.skipped[0] == ("a01-000u-01.xml", "missing transcription: no readable ascii/a01/a01-000/a01-000u.txt")
    with pytest.raises(ValueError, match="no lineStrokes/ folder"):
        load_iam(tmp_path / "nowhere")
    with pytest.raises(ValueError, match="limit"):
        load_iam(ROOT, limit=-1)


def test_transcription_and_xml_errors(tmp_path):
    assert read_transcription(ROOT / "ascii" / "a01" / "a01-000" / "a01-000u.txt")[1] == "from nominating any more"
    (tmp_path / "x.txt").write_text("OCR:\nno csr here\n")
    with pytest.raises(ValueError, match="x.txt: no 'CSR:' line"):
        read_transcription(tmp_path / "x.txt")
    (tmp_path / "e.xml").write_text("<WhiteboardCaptureSession><StrokeSet/></WhiteboardCaptureSession>")
    with pytest.raises(ValueError, match="e.xml: no strokes"):
        parse_line_strokes(tmp_path / "e.xml")
    (tmp_path / "d.xml").write_text('<S><StrokeSet><Stroke><Point x="1" y="2"/><Point x="1" y="2"/><Point x="3" y="2"/>'
                                    '<Point x="1" y="2"/></Stroke><Stroke><Point x="5" y="5"/><Point x="5" y="5"/>'
                                    '</Stroke></StrokeSet></S>')
    dots = parse_line_strokes(tmp_path / "d.xml")  # consecutive repeats go; a revisit later in the stroke stays
    assert [s.tolist() for s in dots] == [[[1, 2], [3, 2], [1, 2]], [[5, 5]]]
    (tmp_path / "p.xml").write_text('<S><StrokeSet><Stroke><Point x="1" y="oops"/></Stroke></StrokeSet></S>')
    with pytest.raises(ValueError, match="p.xml: malformed XML"):
        parse_line_strokes(tmp_path / "p.xml")
