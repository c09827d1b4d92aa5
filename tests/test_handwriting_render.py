"""SVG rendering: parses, smooth Bezier paths, layout and cropping, animation, PNG and attention plot."""
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from handwriting.render import attention_plot_png, lines_to_svg, smooth_path_d, svg_to_png
from handwriting.strokes import coords_to_offsets

NS = "{http://www.w3.org/2000/svg}"


def wave_line(x0=0.0, n=30):
    """Two strokes in corpus units: a wave 20 units tall and a dot."""
    x = np.linspace(0, 60, n) + x0
    return coords_to_offsets([np.column_stack([x, -10 + 10 * np.sin(x / 6)]), np.array([[x0 + 70, -5.0]])])


def paths(svg):
    return ET.fromstring(svg).findall(f".//{NS}path")


def test_svg_parses_with_smooth_paths_and_round_caps():
    svg = lines_to_svg([wave_line(), wave_line(5)])
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    ps = paths(svg)
    assert len(ps) == 4  # one path per pen-down stroke
    assert re.search(r"[QC]", ps[0].get("d")) and "<path" in svg
    group = root.find(f"{NS}g")
    assert group.get("fill") == "none" and group.get("stroke-linecap") == "round"
    assert group.get("stroke-linejoin") == "round" and group.get("stroke") == "#1a1a80"


def test_smooth_path_passes_through_endpoints_and_midpoints():
    pts = np.array([[0, 0], [10, 0], [10, 10], [20, 10]], float)
    d = smooth_path_d(pts)
    assert d == "M0,0 L5,0 Q10,0 10,5 Q10,10 15,10 L20,10"
    assert smooth_path_d(pts[:1]).startswith("M0,0 l") and smooth_path_d(pts[:2]) == "M0,0 L10,0"


def numbers(d):
    return np.array([float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]).reshape(-1, 2)


def test_cropped_to_content_plus_margin_and_lines_stacked():
    svg = lines_to_svg([wave_line(), wave_line()], margin=10.0, scale=2.0)
    root = ET.fromstring(svg)
    w, h = float(root.get("width").removesuffix("px")), float(root.get("height").removesuffix("px"))
    pts = np.concatenate([numbers(p.get("d").split(" l")[0]) for p in paths(svg)])
    assert pts[:, 0].min() == pytest.approx(10.0, abs=0.02) and pts[:, 1].min() == pytest.approx(10.0, abs=0.3)
    assert pts[:, 0].max() == pytest.approx(w - 10.0, abs=0.02) and pts[:, 1].max() == pytest.approx(h - 10, abs=0.3)
    first, second = numbers(paths(svg)[0].get("d")), numbers(paths(svg)[2].get("d"))
    pitch = second[0, 1] - first[0, 1]
    assert pitch >= 2 * 20.0  # the second line sits fully below the first (20 units tall, scale 2)
    np.testing.assert_allclose(second[:, 0], first[:, 0])
    shifted = lines_to_svg([wave_line(), wave_line(x0=37.0)], margin=10.0)  # line 2 drawn further right...
    a, b = numbers(paths(shifted)[0].get("d")), numbers(paths(shifted)[2].get("d"))
    np.testing.assert_allclose(b[:, 0], a[:, 0], atol=0.02)  # ...still starts at the left margin
    fixed = lines_to_svg([wave_line(), wave_line()], line_height=50.0, scale=1.0)
    a, b = numbers(paths(fixed)[0].get("d")), numbers(paths(fixed)[2].get("d"))
    assert b[0, 1] - a[0, 1] == pytest.approx(50.0, abs=0.02)


def test_animated_svg_parses_and_orders_strokes():
    svg = lines_to_svg([wave_line(), wave_line()], animate=True, seconds_per_line=3.0)
    root = ET.fromstring(svg)
    assert "@keyframes lstm-draw" in root.find(f"{NS}defs/{NS}style").text
    delays = []
    for p in paths(svg):
        assert p.get("pathLength") == "1"
        dur, delay = map(float, re.findall(r"([\d.]+)s", p.get("style")))
        delays.append(delay)
    assert delays == sorted(delays) and delays[2] == pytest.approx(3.0)  # line 2 starts after line 1


def test_bad_arguments_are_reported():
    with pytest.raises(ValueError, match="color"):
        lines_to_svg([wave_line()], color='red" onload="x')
    with pytest.raises(ValueError, match="line 1:"):
        lines_to_svg([wave_line(), np.zeros((4, 2))])
    with pytest.raises(ValueError, match="scale"):
        lines_to_svg([wave_line()], scale=0)
    assert ET.fromstring(lines_to_svg([])).tag == f"{NS}svg"  # nothing to draw is still a valid SVG


def test_png_is_written_on_white_and_not_blank(tmp_path):
    svg = lines_to_svg([wave_line()])
    path = svg_to_png(svg, tmp_path / "out" / "line.png", scale=2.0)
    img = np.asarray(Image.open(path).convert("RGB"))
    root = ET.fromstring(svg)
    assert img.shape[1] == pytest.approx(2 * float(root.get("width").removesuffix("px")), abs=1)
    assert (img[0, 0] == 255).all()  # white background
    dark = (img.sum(-1) < 300).mean()
    assert 0.005 < dark < 0.3  # ink is there, and not everywhere
    animated = np.asarray(Image.open(svg_to_png(lines_to_svg([wave_line()], animate=True), tmp_path / "a.png"))
                          .convert("RGB"))
    assert np.abs(animated.astype(int) - img.astype(int)).mean() < 1.0  # static renderers show the finished line


def test_attention_plot(tmp_path):
    t = np.arange(40)[:, None]
    phi = np.exp(-0.5 * ((np.arange(6)[None] - t / 8) ** 2))  # (T=40, U=6) a window sliding along "hello"+end
    path = attention_plot_png(phi, "hello", tmp_path / "att.png")
    img = np.asarray(Image.open(path).convert("RGB"))
    assert img.shape[0] > 100 and img.std() > 10
    with pytest.raises(ValueError, match="5 character columns but the text has 6"):
        attention_plot_png(phi[:, :5], "hello!", tmp_path / "x.png")
