"""Handwriting to SVG (smooth Bezier paths, optional drawing animation), PNG, and attention heatmaps."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .strokes import offsets_to_coords

_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|rgba?\([0-9., %]+\)")
LINE_GAP = 0.25  # default spacing between lines, as a fraction of the median line height
_KEYFRAMES = ("@keyframes lstm-draw { from { stroke-dasharray: 1 1; stroke-dashoffset: 1; } "
              "to { stroke-dasharray: 1 1; stroke-dashoffset: 0; } }")


def _num(v: float) -> str:
    """Compact coordinate: two decimals, no trailing zeros."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def smooth_path_d(points: np.ndarray) -> str:
    """SVG path data through (n, 2) points: quadratic Beziers with control points at the samples and
    on-curve points at the midpoints between them (a smooth curve, not a polyline); a dot for n = 1."""
    p = np.asarray(points, dtype=np.float64)
    if len(p) > 1:
        keep = np.r_[True, np.any(np.diff(p, axis=0) != 0, axis=1)]  # repeated samples add nothing
        p = p[keep]
    pt = lambda q: f"{_num(q[0])},{_num(q[1])}"  # noqa: E731
    if len(p) == 1:
        return f"M{pt(p[0])} l0.01,0"  # round caps turn this into a dot
    if len(p) == 2:
        return f"M{pt(p[0])} L{pt(p[1])}"
    mids = (p[:-1] + p[1:]) / 2  # (n-1, 2)
    parts = [f"M{pt(p[0])} L{pt(mids[0])}"]
    parts += [f"Q{pt(p[i])} {pt(mids[i])}" for i in range(1, len(p) - 1)]
    parts.append(f"L{pt(p[-1])}")
    return " ".join(parts)


def _line_strokes(offsets, i: int) -> list[np.ndarray]:
    try:
        return offsets_to_coords(offsets)
    except ValueError as e:
        raise ValueError(f"line {i}: {e}") from None


def _layout(lines: list[list[np.ndarray]], line_height: float | None) -> list[float]:
    """Vertical shift of each line's origin: even spacing, by default just enough that lines never overlap."""
    boxes = [(min(s[:, 1].min() for s in ln), max(s[:, 1].max() for s in ln)) if ln else None for ln in lines]
    if line_height is None:
        drawn = [b for b in boxes if b is not None]
        gap = LINE_GAP * float(np.median([b[1] - b[0] for b in drawn])) if drawn else 0.0
        pairs = [(a[1] - b[0]) for a, b in zip(drawn[:-1], drawn[1:])]  # bottom of one minus top of the next
        line_height = max(pairs, default=0.0) + gap
    elif not line_height > 0:
        raise ValueError(f"line_height must be > 0, got {line_height}")
    return [i * float(line_height) for i in range(len(lines))]


def lines_to_svg(lines, *, color: str = "#1a1a80", stroke_width: float = 1.6, line_height: float | None = None,
                 margin: float = 20.0, scale: float = 1.0, animate: bool = False,
                 seconds_per_line: float = 2.0) -> str:
    """Lines of offsets (N, 3) -> SVG text, one line below the other, each line's left edge at the margin,
    cropped to the ink plus `margin`.

    Coordinates, `stroke_width` and `line_height` are in stroke units and multiplied by `scale`; `margin` is
    in output pixels. Default line spacing is the smallest even pitch at which no two lines overlap, plus
    a quarter of the median line height. `animate=True` draws the strokes in writing order with CSS
    keyframes (pathLength=1 dash animation, `seconds_per_line` per line); renderers that ignore CSS
    animation (cairosvg, Inkscape) show the finished drawing.
    """
    import svgwrite

    if not _COLOR.fullmatch(color):
        raise ValueError(f"color must be '#rrggbb', a colour name or rgb(...), got {color!r}")
    for name, v in (("stroke_width", stroke_width), ("scale", scale), ("seconds_per_line", seconds_per_line)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be > 0, got {v}")
    if not margin >= 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    strokes = [_line_strokes(off, i) for i, off in enumerate(lines)]
    shifts = _layout(strokes, line_height)
    lefts = [min(s[:, 0].min() for s in ln) if ln else 0.0 for ln in strokes]  # each line starts at the margin
    placed = [[(s + (-x0, dy)) * scale for s in ln] for ln, x0, dy in zip(strokes, lefts, shifts)]
    pts = [s for ln in placed for s in ln]
    if pts:
        allp = np.concatenate(pts)
        lo, hi = allp.min(0), allp.max(0)
    else:
        lo = hi = np.zeros(2)
    origin = lo - margin
    width, height = float(hi[0] - lo[0] + 2 * margin), float(hi[1] - lo[1] + 2 * margin)
    dwg = svgwrite.Drawing(size=(f"{width:.1f}px", f"{height:.1f}px"), profile="full", debug=False)
    dwg.viewbox(0, 0, round(width, 1), round(height, 1))
    if animate:
        dwg.defs.add(dwg.style(_KEYFRAMES))
    group = dwg.g(fill="none", stroke=color, stroke_width=_num(stroke_width * scale),
                  stroke_linecap="round", stroke_linejoin="round")
    for i, ln in enumerate(placed):
        lengths = np.array([np.hypot(*np.diff(s, axis=0).T).sum() for s in ln]) + 1e-9
        start = i * seconds_per_line
        durations = 0.9 * seconds_per_line * lengths / lengths.sum() if ln else []
        for s, dur in zip(ln, durations):
            attrs = {"d": smooth_path_d(s - origin)}
            if animate:
                attrs["pathLength"] = "1"
                attrs["style"] = f"animation: lstm-draw {max(dur, 0.01):.3f}s linear {start:.3f}s both"
                start += float(dur)
            group.add(dwg.path(**attrs))
    dwg.add(group)
    return dwg.tostring()


def svg_to_png(svg: str, path, scale: float = 2.0, background: str = "white") -> Path:
    """Rasterise SVG text to a PNG on an opaque background (OCR and thumbnails need one); returns the path."""
    import cairosvg

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(path), scale=scale, background_color=background)
    return path


def attention_plot_png(phi: np.ndarray, text: str, path, dpi: int = 100) -> Path:
    """Heatmap of the attention window phi (T, U) over the characters of `text` (extra columns: 'end')."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    phi = np.asarray(phi, dtype=np.float64)
    if phi.ndim != 2 or phi.shape[0] == 0:
        raise ValueError(f"phi must have shape (T, U) with T > 0, got {phi.shape}")
    if phi.shape[1] < len(text):
        raise ValueError(f"phi has {phi.shape[1]} character columns but the text has {len(text)} characters")
    labels = [c if c != " " else "\u2423" for c in text] + ["end"] * (phi.shape[1] - len(text))
    fig = Figure(figsize=(min(14.0, 3.0 + 0.02 * phi.shape[0]), min(10.0, 1.5 + 0.22 * len(labels))), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    im = ax.imshow(phi.T, aspect="auto", origin="upper", cmap="viridis", interpolation="nearest")
    ax.set_yticks(range(len(labels)), labels, fontsize=8, family="monospace")
    ax.set_xlabel("pen step t")
    ax.set_ylabel("character u")
    ax.set_title("attention window $\\phi(t, u)$")
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
