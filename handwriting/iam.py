"""IAM-OnDB loader: lineStrokes XML + ascii transcriptions -> StrokeSamples in the corpus units.

Layout (as distributed):
    <root>/lineStrokes/a01/a01-000/a01-000u-01.xml   <WhiteboardDescription> ... <StrokeSet>
        <Stroke colour="black" start_time=".." end_time=".."><Point x="1073" y="1636" time=".."/> ...
    <root>/ascii/a01/a01-000/a01-000u.txt             text lines follow a line "CSR:"
Stroke file `<form>-NN.xml` is the NN-th non-blank line after "CSR:" in `<form>.txt` from the mirrored folder.

Units: IAM points are whiteboard units with y already pointing down. Each line is sized on its own by
`strokes.fit_line_units` (the middle 80% of the ink, by length, is matched to what it spans in the Hershey corpus, whose
capitals are 20 units; one line lands within ~15% of that), moved to start at x=0 with its baseline near y=0.
A per-line estimate is used rather than one fixed factor because writers and the whiteboard resolution vary.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .alphabet import unsupported
from .strokes import StrokeSample, coords_to_offsets, deslant, fit_line_units

_LINE_FILE = re.compile(r"^(?P<form>.+)-(?P<line>\d+)\.xml$")
MAX_LISTED = 10  # skipped files named in str(summary); the rest are counted per reason


@dataclass
class LoadSummary:
    """What load_iam read: lines loaded and (file name, "reason: detail") for every skipped file."""

    loaded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, path: Path, reason: str, detail: str = "") -> None:
        self.skipped.append((path.name, f"{reason}: {detail}" if detail else reason))

    def reasons(self) -> Counter:
        """Number of skipped files per reason (the text before the first ':')."""
        return Counter(why.split(":", 1)[0] for _, why in self.skipped)

    def __str__(self) -> str:
        text = f"loaded {self.loaded} lines"
        if self.skipped:
            listed = ", ".join(f"{name} ({why})" for name, why in self.skipped[:MAX_LISTED])
            text += f", skipped {len(self.skipped)}: {listed}"
            if len(self.skipped) > MAX_LISTED:
                counts = ", ".join(f"{n} {r}" for r, n in sorted(self.reasons().items()))
                text += f", and {len(self.skipped) - MAX_LISTED} more (in all: {counts})"
        return text


def parse_line_strokes(path) -> list[np.ndarray]:
    """Pen-down strokes (n, 2) of one lineStrokes XML file, exact repeats of the previous point dropped;
    ValueError when it is malformed or empty."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError(f"{path.name}: malformed XML ({e})") from None
    strokes = []
    for i, stroke in enumerate(root.iter("Stroke")):
        try:
            pts = [(float(p.attrib["x"]), float(p.attrib["y"])) for p in stroke.iter("Point")]
        except (KeyError, ValueError) as e:
            raise ValueError(f"{path.name}: malformed XML (stroke {i}: bad or missing Point coordinate {e})") from None
        if pts:
            a = np.array(pts, dtype=np.float64)  # (n, 2)
            keep = np.r_[True, np.any(np.diff(a, axis=0) != 0, axis=1)]  # the pen often reports a point twice
            strokes.append(a[keep])
    if not strokes:
        raise ValueError(f"{path.name}: no strokes (no <Stroke> with <Point> elements)")
    return strokes


def read_transcription(path) -> list[str]:
    """Text lines after 'CSR:' in an IAM ascii file, blank lines skipped, whitespace collapsed."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()
    try:
        start = next(i for i, ln in enumerate(lines) if ln.strip() == "CSR:") + 1
    except StopIteration:
        raise ValueError(f"{Path(path).name}: no 'CSR:' line") from None
    return [" ".join(ln.split()) for ln in lines[start:] if ln.strip()]


def _detail(message: str, reason: str) -> str:
    """'reason (detail)' -> 'detail'."""
    rest = message.removeprefix(reason).strip()
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest


def _transcription_for(root: Path, xml_path: Path, cache: dict) -> str:
    """The text of one stroke file, or ValueError('missing transcription ...')."""
    m = _LINE_FILE.match(xml_path.name)
    if m is None:
        raise ValueError("missing transcription (file name is not <form>-<line>.xml)")
    rel = xml_path.parent.relative_to(root / "lineStrokes")
    txt = root / "ascii" / rel / f"{m['form']}.txt"
    if txt not in cache:
        try:
            cache[txt] = read_transcription(txt) if txt.is_file() else None
        except ValueError:
            cache[txt] = None
    lines, n = cache[txt], int(m["line"])
    if lines is None:
        raise ValueError(f"missing transcription (no readable {txt.relative_to(root)})")
    if not 1 <= n <= len(lines):
        raise ValueError(f"missing transcription (line {n} of {txt.name}, which has {len(lines)})")
    return lines[n - 1]


def load_iam(root, limit: int | None = None, *, deslant_lines: bool = False,
             cap_height: float = 20.0) -> tuple[list[StrokeSample], LoadSummary]:
    """All (or the first `limit`) IAM-OnDB lines under `root`, in file-name order, plus a LoadSummary.

    Files with malformed XML, no (measurable) strokes, no transcription line or characters outside the
    alphabet are skipped and counted. `deslant_lines` shears each line upright before sizing it.
    """
    root = Path(root).expanduser()
    if not (root / "lineStrokes").is_dir():
        raise ValueError(f"{root}: no lineStrokes/ folder (expected an IAM-OnDB root holding lineStrokes/ and ascii/)")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0 or None, got {limit}")
    files = sorted((root / "lineStrokes").rglob("*.xml"))
    if not files:
        raise ValueError(f"{root / 'lineStrokes'}: no .xml stroke files")
    samples, summary, cache = [], LoadSummary(), {}
    for path in files:
        if limit is not None and len(samples) >= limit:
            break
        try:
            text = _transcription_for(root, path, cache)
        except ValueError as e:
            summary.skip(path, "missing transcription", _detail(str(e), "missing transcription"))
            continue
        bad = unsupported(text)
        if bad:
            summary.skip(path, "unsupported characters", ", ".join(repr(c) for c in bad))
            continue
        try:
            strokes = parse_line_strokes(path)
        except ValueError as e:
            msg = str(e).removeprefix(f"{path.name}: ")
            reason = "malformed XML" if msg.startswith("malformed XML") else "no strokes"
            summary.skip(path, reason, _detail(msg, reason))
            continue
        try:
            strokes = fit_line_units(deslant(strokes) if deslant_lines else strokes, cap_height)
        except ValueError as e:  # e.g. a line of dots: nothing to measure its size on
            summary.skip(path, "unusable strokes", str(e))
            continue
        samples.append(StrokeSample(text, coords_to_offsets(strokes)))
    summary.loaded = len(samples)
    return samples, summary
