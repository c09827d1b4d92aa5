"""User-provided handwriting as JSON: [{"text": "hello", "strokes": [[[x, y], [x, y], ...], ...]}, ...].

Coordinates are absolute, x to the right, y down; one inner list per pen-down stroke. Other keys in an
entry (e.g. "writer") are ignored. Errors name the file, the entry (index and text) and what is wrong.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from .alphabet import unsupported
from .strokes import StrokeSample, coords_to_offsets, fit_line_units, offsets_to_coords


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _parse_strokes(strokes, where: str) -> list[np.ndarray]:
    """Validated list of (n, 2) float arrays from the JSON 'strokes' value."""
    if not isinstance(strokes, list) or not strokes:
        raise ValueError(f"{where}: 'strokes' must be a non-empty list of strokes, got {type(strokes).__name__}"
                         + ("" if strokes else " (empty)"))
    out = []
    for i, stroke in enumerate(strokes):
        if not isinstance(stroke, list) or not stroke:
            raise ValueError(f"{where}: stroke {i} must be a non-empty list of [x, y] points")
        for j, p in enumerate(stroke):
            if not (isinstance(p, list) and len(p) == 2 and all(map(_is_number, p))):
                raise ValueError(f"{where}: stroke {i} point {j} must be [x, y] with two finite numbers, "
                                 f"got {json.dumps(p)[:40]}")
        out.append(np.array(stroke, dtype=np.float64))
    return out


def samples_from_json(data, source: str = "<json>", fit_units: bool = False) -> list[StrokeSample]:
    """Parsed JSON (a list of entries) -> StrokeSamples; `fit_units` sizes each line like the corpus."""
    if not isinstance(data, list):
        raise ValueError(f"{source}: expected a JSON list of {{\"text\", \"strokes\"}} entries, "
                         f"got {type(data).__name__}")
    samples = []
    for i, entry in enumerate(data):
        where = f"{source}: entry {i}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected an object with 'text' and 'strokes', got {type(entry).__name__}")
        missing = [k for k in ("text", "strokes") if k not in entry]
        if missing:
            raise ValueError(f"{where}: missing key(s) {', '.join(repr(k) for k in missing)}")
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: 'text' must be a non-empty string, got {json.dumps(text)[:40]}")
        where = f"{source}: entry {i} ({text[:30]!r})"
        bad = unsupported(text)
        if bad:
            raise ValueError(f"{where}: unsupported characters: " + ", ".join(repr(c) for c in bad))
        strokes = _parse_strokes(entry["strokes"], where)
        if fit_units:
            try:
                strokes = fit_line_units(strokes)
            except ValueError as e:
                raise ValueError(f"{where}: {e}") from None
        samples.append(StrokeSample(text, coords_to_offsets(strokes)))
    return samples


def load_json(path, fit_units: bool = False) -> list[StrokeSample]:
    """Read a strokes JSON file; `fit_units=True` rescales lines (e.g. canvas pixels) to capitals ~20 units."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path.name}: not valid JSON ({e})") from None
    except FileNotFoundError:
        raise ValueError(f"{path}: no such strokes file") from None
    return samples_from_json(data, path.name, fit_units)


def samples_to_json(samples, decimals: int | None = None) -> list[dict]:
    """StrokeSamples -> JSON-ready entries with absolute stroke coordinates (optionally rounded)."""
    def num(v: float) -> float:
        return float(v) if decimals is None else round(float(v), decimals)

    return [{"text": s.text, "strokes": [[[num(x), num(y)] for x, y in st] for st in offsets_to_coords(s.offsets)]}
            for s in samples]


def save_json(samples, path, decimals: int | None = None) -> Path:
    """Write samples in the load_json format; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(samples_to_json(samples, decimals), separators=(",", ":")), encoding="utf-8")
    return path
