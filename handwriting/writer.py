"""High-level handwriting used by the CLI and the app: load the shipped model once, write text in a style."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_CHECKPOINT = Path(__file__).resolve().parents[1] / "samples" / "checkpoints" / "handwriting"
MAX_TEXT_CHARS = 400  # about ten lines; longer requests would tie up a CPU worker for many seconds
# Defaults of the CLI and the app, chosen by `python -m bench.handwriting` on the shipped checkpoint: primed with
# 'quick print' it reads best (tesseract CER 0.028 at bias 1.5 vs 0.272 unprimed, where the model mostly picks a
# cursive hand that tesseract reads poorly even from the font itself). `write_text` itself stays unprimed.
DEFAULT_STYLE = "quick print"
DEFAULT_BIAS = 1.5


@dataclass
class Writer:
    model: object
    meta: dict

    @property
    def scale(self) -> float:
        return float(self.meta["scale"])


def load_writer(path=DEFAULT_CHECKPOINT, device: str = "cpu") -> Writer:
    """Load a synthesis checkpoint (safetensors + JSON) for writing."""
    from .training import load_model

    model, meta = load_model(path, device)
    if meta.get("model", "synthesis") != "synthesis":
        raise ValueError(f"{path}: an unconditional prediction network cannot write given text")
    return Writer(model, meta)


def style_names() -> list[str]:
    """Names accepted by write_text(style=...)."""
    from .hershey_corpus import STYLES

    return list(STYLES)


def load_prime(path):
    """The first line of a user strokes JSON file (see handwriting.user_strokes), sized like the corpus."""
    from .user_strokes import load_json

    samples = load_json(path, fit_units=True)
    if not samples or not samples[0].text.strip():
        raise ValueError(f"{path}: a style prime needs a line with its text")
    return samples[0]


def write_text(writer: Writer, text: str, bias: float = 1.0, style: str | None = None, seed: int = 0,
               width: int = 40, temperature: float = 1.0, prime=None):
    """Write `text` (wrapped at `width` characters) -> list[handwriting.sample.Line].

    Style comes from a shipped `style` name ('none' or None: unprimed) or from `prime`, a StrokeSample
    (strokes + their text; see load_prime), whose handwriting the model continues (Graves 2013, section 5.5).
    """
    from .sample import write

    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    if not 0.0 <= bias <= 10.0:
        raise ValueError(f"bias must be between 0 and 10, got {bias}")
    if style in ("", "none"):  # what the CLI and the app's dropdown call unprimed writing
        style = None
    if style and prime is not None:
        raise ValueError("give a style name or a prime, not both")
    if style:
        from .hershey_corpus import STYLES, style_prime

        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose one of: {', '.join(STYLES)}")
        prime = style_prime(style)
    return write(writer.model, text, writer.scale, seed=seed, bias=bias, temperature=temperature,
                 prime=prime, width=width)
