"""Synthetic handwriting corpus: Hershey single-stroke fonts + handwriting-like augmentation (see augment.py).

Units follow the handwriting conventions: y down, capitals ~20 units tall, baseline near y=0, the line
starting near x=0. Hershey data is drawn with a cap line at y=-12 and a base line at y=+9 (21 font
units), so font units are scaled by 20/21. The fonts are Dr. A. V. Hershey's (see HERSHEY_NOTICE.txt).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import augment
from .strokes import StrokeSample

# Curated by rendering every built-in font: the two script faces read as joined handwriting, the two
# simplex roman faces as neat print. scripts/cursive share their letters (cursive has upright digits and
# punctuation); futural/rowmans likewise differ only in a few punctuation glyphs.
FONTS = ("scripts", "cursive", "futural", "rowmans")
SCRIPT_FONTS = frozenset({"scripts", "cursive"})
CAP_HEIGHT = 20.0  # units from baseline to the top of a capital
_CAP_LINE, _BASE_LINE = -12, 9  # Hershey font units (same for all four fonts)
# Glyphs that are a different symbol in the source font: '^' is drawn as an up-arrow in scripts and rowmans.
_BORROWED = {("scripts", "^"): "futural", ("rowmans", "^"): "futural"}
# Strokes a cursive writer adds after finishing the word: (char, index of the stroke in the Hershey script glyph).
_SCRIPT_MARKS = {("i", 0), ("j", 0), ("t", 2), ("x", 1)}
CORPUS_VERSION = "hershey-v1"  # bump when rendering/augmentation changes so stale caches are not reused
_PRINTABLE = frozenset(chr(c) for c in range(32, 127))


@functools.lru_cache(maxsize=None)
def _glyphs(font: str) -> dict[str, tuple[tuple[np.ndarray, ...], float]]:
    """char -> (strokes in output units relative to the glyph's left edge, advance width) for one font."""
    from HersheyFonts import HersheyFonts

    if font not in FONTS:
        raise ValueError(f"unknown Hershey font {font!r}; choose one of: {', '.join(FONTS)}")
    hf = HersheyFonts()
    table = {}
    for name in {font} | {src for (f, _), src in _BORROWED.items() if f == font}:
        hf.load_default_font(name)
        table[name] = hf.all_glyphs
    s = CAP_HEIGHT / (_BASE_LINE - _CAP_LINE)
    out = {}
    for ch in sorted(_PRINTABLE):
        g = table[_BORROWED.get((font, ch), font)][ch]
        strokes = tuple(np.array([((x - g.left_offset) * s, (y - _BASE_LINE) * s) for x, y in st], np.float64)
                        for st in g.strokes)
        out[ch] = (strokes, g.char_width * s)
    return out


def _check_text(text: str) -> None:
    """Raise ValueError for text the fonts cannot draw (non-printable-ASCII or no visible character)."""
    bad = sorted(set(c for c in text if c not in _PRINTABLE), key=text.index)
    if bad:
        raise ValueError("unsupported characters: " + ", ".join(repr(c) for c in bad))
    if not text.strip():
        raise ValueError(f"text {text!r} has no visible characters")


def _layout(text: str, font: str) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Glyph strokes placed along the line -> (strokes, char_ids, word_ids, stroke index within its glyph)."""
    _check_text(text)
    glyphs = _glyphs(font)
    word_of_char = np.cumsum([c == " " for c in text])  # words separated by spaces
    strokes, cids, sidx = [], [], []
    x = 0.0
    for i, ch in enumerate(text):
        g_strokes, advance = glyphs[ch]
        for j, st in enumerate(g_strokes):
            strokes.append(st + (x, 0.0))
            cids.append(i)
            sidx.append(j)
        x += advance
    cids = np.array(cids, np.int64)
    return _to_left_edge(strokes), cids, word_of_char[cids], np.array(sidx, np.int64)


def _to_left_edge(strokes: list[np.ndarray]) -> list[np.ndarray]:
    """Shift strokes horizontally so that the leftmost point is at x=0."""
    left = np.concatenate(strokes)[:, 0].min()
    return [s - (left, 0.0) for s in strokes]


def _letter_runs(text: str) -> np.ndarray:
    """Per character: id of its run of consecutive letters; every non-letter is a run of its own."""
    alpha = np.array([c.isalpha() for c in text])
    return np.cumsum(~alpha | np.r_[True, ~alpha[:-1]])


def render_text(text: str, font: str) -> list[np.ndarray]:
    """Unaugmented Hershey strokes for `text` (y down, capitals ~20 units, baseline y=0, starting at x=0)."""
    return _layout(text, font)[0]


@dataclass
class StyleParams:
    """Augmentation parameters of one writing style (units: capital height = 20)."""
    slant_deg: float = 5.0            # forward lean; handwriting is mostly 0-25 degrees
    width: float = 1.0                # horizontal compression / extension of the whole line
    size: float = 1.0                 # overall letter size (keeps capitals near 20 units)
    letter_gap_sigma: float = 0.5     # sd of the random gap change between letters
    word_gap: float = 2.0             # extra space at each word gap
    word_gap_sigma: float = 1.5       # sd of that extra space
    letter_scale_sigma: float = 0.05  # per-letter size wobble (log scale)
    letter_rotate_deg: float = 2.0    # per-letter rotation sd
    word_scale_sigma: float = 0.04    # per-word size wobble (log scale)
    word_rotate_deg: float = 1.0      # per-word rotation sd
    drift_amp: float = 1.0            # baseline wander amplitude (5% of a capital)
    drift_wavelength: float = 250.0   # baseline wander period, several words long
    tilt_deg: float = 0.0             # straight rise (+) or fall (-) of the whole line
    elastic_amp: float = 1.0          # smooth shape noise, 5% of a capital
    elastic_wavelength: float = 14.0  # about one letter wide
    join_gap: float = 1.0             # merge strokes that (nearly) touch
    connect_gap: float = 0.0          # >0: cursive; join letters of a word across gaps up to this
    spacing: float = 5.5              # pen samples this far apart on straight runs (~10 points per char)
    turn_cost: float = 0.3            # extra samples per radian turned (slower on curves)


# Named writing styles: a font and fixed augmentation amplitudes (the random phases still come from the rng).
STYLES: dict[str, dict] = {
    "neat print": {"font": "futural", "style_params": {
        "slant_deg": 2.0, "letter_gap_sigma": 0.3, "word_gap": 2.0, "word_gap_sigma": 0.8,
        "letter_scale_sigma": 0.03, "letter_rotate_deg": 1.5, "drift_amp": 0.6, "elastic_amp": 0.6,
        "join_gap": 1.0, "spacing": 5.2, "turn_cost": 0.3}},
    "quick print": {"font": "rowmans", "style_params": {
        "slant_deg": 9.0, "width": 0.92, "letter_gap_sigma": 0.6, "word_gap": 0.5, "letter_scale_sigma": 0.05,
        "letter_rotate_deg": 3.0, "drift_amp": 1.4, "elastic_amp": 1.0, "join_gap": 2.0, "spacing": 5.8,
        "turn_cost": 0.25}},
    "quick cursive": {"font": "cursive", "style_params": {
        "slant_deg": 12.0, "width": 0.95, "letter_gap_sigma": 0.4, "word_gap": 3.0, "letter_scale_sigma": 0.03,
        "letter_rotate_deg": 1.0, "drift_amp": 1.2, "elastic_amp": 0.7, "join_gap": 3.5, "connect_gap": 12.0,
        "spacing": 6.2, "turn_cost": 0.3}},
    "slanted script": {"font": "scripts", "style_params": {
        "slant_deg": 22.0, "width": 1.05, "letter_gap_sigma": 0.3, "word_gap": 5.0, "letter_scale_sigma": 0.02,
        "letter_rotate_deg": 0.8, "drift_amp": 0.8, "elastic_amp": 0.5, "join_gap": 3.5, "connect_gap": 12.0,
        "spacing": 5.6, "turn_cost": 0.35}},
}
_PRIME_TEXT = "a quick brown fox jumps over it"  # 31 chars, all common letter shapes


def _as_params(style_params) -> StyleParams:
    """StyleParams from a StyleParams or a dict of its fields (ValueError naming unknown keys)."""
    if isinstance(style_params, StyleParams):
        return style_params
    known = {f.name for f in dataclasses.fields(StyleParams)}
    unknown = sorted(set(style_params) - known)
    if unknown:
        raise ValueError(f"unknown style parameters: {', '.join(unknown)}")
    return StyleParams(**style_params)


def sample_style(rng: np.random.Generator, font: str | None = None) -> tuple[str, StyleParams]:
    """A random (font, StyleParams) for corpus diversity: script fonts are usually written joined."""
    font = font or str(FONTS[int(rng.choice(len(FONTS), p=[0.3, 0.3, 0.2, 0.2]))])
    u = rng.uniform
    script = font in SCRIPT_FONTS
    p = StyleParams(
        slant_deg=u(5, 25) if script else u(-3, 14), width=u(0.85, 1.12), size=u(0.92, 1.08),
        letter_gap_sigma=u(0.2, 0.7), word_gap_sigma=u(0.5, 1.5),
        word_gap=u(2.0, 6.0) if script else u(0.0, 4.0),  # slanted ascenders/descenders eat into script gaps
        letter_scale_sigma=u(0.02, 0.05) if script else u(0.02, 0.06),  # joined letters wobble less
        letter_rotate_deg=u(0.5, 2.0) if script else u(0.5, 4.0),
        word_scale_sigma=u(0.01, 0.06), word_rotate_deg=u(0.3, 1.8),
        drift_amp=u(0.3, 1.8), drift_wavelength=u(150, 400), tilt_deg=rng.normal(0, 0.6),
        elastic_amp=u(0.4, 1.0) if script else u(0.5, 1.3),  # thin script loops distort sooner
        elastic_wavelength=u(10, 20),
        join_gap=u(2.5, 4.0) if script else u(0.5, 2.5),  # script glyphs retrace with ~3-unit pen lifts
        connect_gap=u(10, 14) if script and rng.random() < 0.85 else 0.0,
        # script glyphs have ~45 units of pen path and ~10 rad of turning per character, print ~33 and ~3.5:
        # these ranges give ~10 points per character on average (a budget for 1-CPU training).
        spacing=u(5.4, 6.4) if script else u(5.0, 6.0), turn_cost=u(0.25, 0.4) if script else u(0.2, 0.35))
    return font, p


def _coords_to_offsets(strokes: list[np.ndarray]) -> np.ndarray:
    """Absolute strokes -> (N, 3) float32 offsets (dx, dy, pen_up on each stroke's last point)."""
    from . import strokes as strokes_mod

    if hasattr(strokes_mod, "coords_to_offsets"):
        return np.asarray(strokes_mod.coords_to_offsets(strokes), np.float32)
    pts = np.concatenate(strokes)
    off = np.zeros((len(pts), 3), np.float32)
    off[:, :2] = np.diff(pts, axis=0, prepend=np.zeros((1, 2)))
    off[np.cumsum([len(s) for s in strokes]) - 1, 2] = 1.0
    return off


def synth_strokes(text: str, rng: np.random.Generator, font: str | None = None, style_params=None) -> list[np.ndarray]:
    """Render `text` and make it handwriting-like -> resampled absolute strokes (see synth_line)."""
    if style_params is None:
        font, params = sample_style(rng, font)
    else:
        params = _as_params(style_params)
        font = font or str(FONTS[int(rng.integers(len(FONTS)))])
    strokes, cids, wids, sidx = _layout(text, font)
    strokes = augment.spacing_jitter(strokes, cids, wids, rng, params.letter_gap_sigma, params.word_gap,
                                     params.word_gap_sigma)
    strokes = augment.stretch(strokes, params.width * params.size, params.size)
    strokes = augment.group_jitter(strokes, cids, rng, params.letter_scale_sigma, params.letter_rotate_deg)
    strokes = augment.group_jitter(strokes, wids, rng, params.word_scale_sigma, params.word_rotate_deg)
    runs = _letter_runs(text)[cids]  # joins stay inside runs of letters: no pen line into a comma or digit
    if params.connect_gap > 0:
        marks = np.array([(text[c], j) in _SCRIPT_MARKS for c, j in zip(cids, sidx)]) & (font in SCRIPT_FONTS)
        strokes, runs = augment.delay_marks(strokes, runs, marks)
    strokes = augment.join_strokes(strokes, max(params.join_gap, params.connect_gap), runs)
    strokes = augment.slant(strokes, params.slant_deg)
    strokes = augment.baseline_drift(strokes, rng, params.drift_amp, params.drift_wavelength, params.tilt_deg)
    strokes = augment.elastic_noise(strokes, rng, params.elastic_amp, params.elastic_wavelength)
    return _to_left_edge(augment.resample_by_speed(strokes, params.spacing, params.turn_cost))


def synth_line(text: str, rng: np.random.Generator, font: str | None = None, style_params=None) -> StrokeSample:
    """One synthetic handwritten line: render + augment + speed resampling -> StrokeSample(text, offsets)."""
    return StrokeSample(text, _coords_to_offsets(synth_strokes(text, rng, font, style_params)))


def style_prime(name: str) -> StrokeSample:
    """A fixed priming line (fixed text and seed) written in the named style, for style-primed sampling."""
    if name not in STYLES:
        raise ValueError(f"unknown style {name!r}; choose one of: {', '.join(STYLES)}")
    seed = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    return synth_line(_PRIME_TEXT, np.random.default_rng(seed), **STYLES[name])


def cache_root(cache_dir=None) -> Path:
    """Cache folder: `cache_dir`, else $LSTM_STUDIO_CACHE, else ~/.cache/lstm-studio."""
    if cache_dir is not None:
        return Path(cache_dir)
    return Path(os.environ.get("LSTM_STUDIO_CACHE") or Path.home() / ".cache" / "lstm-studio")


def build_corpus(n_lines: int, seed: int = 0, cache_dir=None, progress: bool = True) -> list[StrokeSample]:
    """`n_lines` synthetic lines (texts from texts.training_lines), cached as one .npz keyed by (n, seed, version)."""
    from .texts import training_lines

    if n_lines < 1:
        raise ValueError(f"n_lines must be >= 1, got {n_lines}")
    path = cache_root(cache_dir) / f"hershey_corpus_{CORPUS_VERSION}_n{n_lines}_s{seed}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as z:
            parts = np.split(z["offsets"], np.cumsum(z["lengths"])[:-1])
            return [StrokeSample(str(t), o) for t, o in zip(z["texts"], parts)]
    from tqdm import tqdm

    texts = training_lines(n_lines, seed)
    rng = np.random.default_rng([seed, 1])  # a stream separate from the text generator's
    samples = [synth_line(t, rng) for t in tqdm(texts, desc="hershey corpus", disable=not progress)]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + f".tmp{os.getpid()}.npz")
    np.savez_compressed(tmp, texts=np.array(texts), lengths=np.array([len(s.offsets) for s in samples]),
                        offsets=np.concatenate([s.offsets for s in samples]))
    os.replace(tmp, path)
    return samples


def save_preview(samples: list[StrokeSample], path, dpi: int = 80) -> None:
    """Draw samples one line under another (y down, as written) into a PNG for eyeballing."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 0.9 * len(samples) + 0.3))
    for row, s in enumerate(samples):
        pts = np.cumsum(s.offsets[:, :2], axis=0) + (0.0, 45.0 * row)  # (N, 2)
        for stroke in np.split(pts, np.flatnonzero(s.offsets[:, 2])[:-1] + 1):
            ax.plot(stroke[:, 0], stroke[:, 1], "-", color="#1a237e", lw=1.1)
    ax.set_aspect("equal")
    ax.invert_yaxis()  # data y is down
    ax.axis("off")
    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)


def main(argv=None) -> None:
    """CLI: build (or load) the cached corpus and optionally write a preview PNG of its first lines."""
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=20000, help="number of corpus lines to build")
    ap.add_argument("--seed", type=int, default=0, help="seed for texts and augmentation")
    ap.add_argument("--cache-dir", default=None,
                    help="cache folder (default: $LSTM_STUDIO_CACHE, else ~/.cache/lstm-studio)")
    ap.add_argument("--preview", default=None, help="write the first --preview-lines lines to this PNG")
    ap.add_argument("--preview-lines", type=int, default=6, help="how many lines the preview shows")
    args = ap.parse_args(argv)
    samples = build_corpus(args.lines, args.seed, args.cache_dir)
    points, chars = sum(len(s.offsets) for s in samples), sum(len(s.text) for s in samples)
    print(f"{len(samples)} lines, {points / chars:.2f} points per character")
    if args.preview:
        save_preview(samples[: args.preview_lines], args.preview)


if __name__ == "__main__":
    main()
