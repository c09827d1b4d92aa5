"""Pure actions behind the Gradio studio (no gradio import): load checkpoints, compose songs, write text.

Each action takes the loaded model plus plain values and returns plain values (paths, strings), so it can be
tested without a server. Output files go to a fresh temp directory per request, never into the repository.
"""
from __future__ import annotations

import html
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent
CARDS = REPO / "samples" / "checkpoints"
MAX_CANDIDATES = 4  # each candidate is sampled, rendered to audio and engraved: 4 keeps a request under ~a minute
SECONDS_RANGE = (5.0, 120.0)  # the UI slider range; longer songs are a job for the CLI
OUTPUT_MAX_AGE_S = 3600.0  # request folders older than this are removed when a new request starts
_OUTPUT_DIRS: list[tuple[float, Path]] = []  # folders this process created, oldest first


@dataclass
class Studio:
    """The models the server uses: one per tab, with where they came from or why they failed to load."""

    music: tuple | None = None  # (MusicLSTM, meta)
    music_path: str = ""
    music_error: str = ""
    writer: object | None = None  # handwriting.writer.Writer
    writer_path: str = ""
    writer_error: str = ""


@dataclass
class Candidate:
    """Files of one generated song."""

    midi: str
    musicxml: str
    wav: str
    roll: str
    score_svg: str  # engraved first page, or an HTML note saying why there is none


@dataclass
class Writing:
    """Files of one handwriting request."""

    svg: str  # SVG text for the inline preview
    svg_path: str
    png_path: str
    attention_path: str
    lines: list[str] = field(default_factory=list)


def output_dir() -> Path:
    """A fresh per-request folder under the system temp dir; this process's folders older than an hour are removed."""
    now = time.time()
    while _OUTPUT_DIRS and now - _OUTPUT_DIRS[0][0] > OUTPUT_MAX_AGE_S:
        shutil.rmtree(_OUTPUT_DIRS.pop(0)[1], ignore_errors=True)
    path = Path(tempfile.mkdtemp(prefix="lstm-studio-"))
    _OUTPUT_DIRS.append((now, path))
    return path


def load_music(path) -> tuple:
    """(model, meta) of a music checkpoint prefix; ValueError with the path when it is missing or foreign."""
    from music.training import load_model

    try:
        return load_model(path, device="cpu")
    except FileNotFoundError as e:
        raise ValueError(f"music checkpoint not found: {e}") from None
    except (KeyError, TypeError, RuntimeError) as e:  # a JSON/weights pair that does not fit the model
        raise ValueError(f"{path}: not a usable music checkpoint ({type(e).__name__}: {e})") from None


def load_handwriting(path):
    """A handwriting Writer from a synthesis checkpoint prefix; ValueError with the path when unusable."""
    from handwriting.writer import load_writer

    try:
        return load_writer(path)
    except FileNotFoundError as e:
        raise ValueError(f"handwriting checkpoint not found: {e}") from None
    except (KeyError, TypeError, RuntimeError) as e:
        raise ValueError(f"{path}: not a usable handwriting checkpoint ({type(e).__name__}: {e})") from None


def load_models(music_path=None, handwriting_path=None) -> Studio:
    """Load both shipped (or given) checkpoints once; a failure is recorded, not raised, so the other tab works."""
    from handwriting.writer import DEFAULT_CHECKPOINT as HW_DEFAULT
    from music.compose import DEFAULT_CHECKPOINT as MUSIC_DEFAULT

    studio = Studio(music_path=str(music_path or MUSIC_DEFAULT), writer_path=str(handwriting_path or HW_DEFAULT))
    try:
        studio.music = load_music(studio.music_path)
    except ValueError as e:
        studio.music_error = str(e)
    try:
        studio.writer = load_handwriting(studio.writer_path)
    except ValueError as e:
        studio.writer_error = str(e)
    return studio


def replace_checkpoint(studio: Studio, kind: str, path: str) -> str:
    """Load a user checkpoint (safetensors + JSON) into `studio` for `kind`; returns a one-line confirmation."""
    path = (path or "").strip()
    if not path:
        raise ValueError("enter the path of a checkpoint (a .safetensors or .json file, or their common prefix)")
    if kind == "music":
        studio.music, studio.music_path, studio.music_error = load_music(path), path, ""
        meta = studio.music[1]
    elif kind == "handwriting":
        studio.writer, studio.writer_path, studio.writer_error = load_handwriting(path), path, ""
        meta = studio.writer.meta
    else:
        raise ValueError(f"unknown model kind {kind!r}; choose music or handwriting")
    return f"Loaded {kind} checkpoint {path} (step {meta.get('step', '?')})."


def corpus_tempo(studio: Studio) -> float:
    """Tempo (BPM) of the music corpus, the default of the tempo slider."""
    if studio.music is None:
        return 120.0
    return float(studio.music[1].get("data", {}).get("tempo_bpm", 120))


def _score_html(musicxml_path: Path) -> str:
    """Engraved first page of a MusicXML file as inline SVG, or a short note when engraving fails."""
    from music.export import musicxml_to_svg

    try:
        return f'<div class="score">{musicxml_to_svg(musicxml_path)}</div>'
    except Exception as e:  # verovio rejects odd scores now and then; the downloads still work
        return f"<p>No score preview: {html.escape(str(e))}</p>"


@torch.inference_mode()
def generate_music(studio: Studio, seconds: float = 30.0, temperature: float = 1.0, top_p: float = 0.95,
                   tempo_bpm: float | None = None, instrument: int | str = 0, seed: int = 0,
                   primer: str | None = None, n: int = 1) -> list[Candidate]:
    """Compose `n` candidates and export each as .mid, .musicxml, .wav, piano roll .png and score SVG."""
    from music.compose import compose
    from music.export import piano_roll_png, write_midi, write_musicxml, write_wav

    if studio.music is None:
        raise ValueError(f"no music model is loaded: {studio.music_error or 'load one on the Models tab'}")
    if not SECONDS_RANGE[0] <= float(seconds) <= SECONDS_RANGE[1]:
        raise ValueError(f"length must be {SECONDS_RANGE[0]:g}..{SECONDS_RANGE[1]:g} seconds, got {seconds}")
    if not 1 <= int(n) <= MAX_CANDIDATES:
        raise ValueError(f"number of candidates must be 1..{MAX_CANDIDATES}, got {n}")
    if primer and Path(primer).suffix.lower() not in (".mid", ".midi"):
        raise ValueError(f"primer {Path(primer).name} is not a MIDI file (.mid or .midi)")
    model, meta = studio.music
    songs = compose(model, meta, seconds=float(seconds), temperature=float(temperature), top_p=float(top_p),
                    tempo_bpm=tempo_bpm, instrument=instrument, seed=int(seed), primer=primer or None, n=int(n))
    out = output_dir()
    candidates = []
    for i, pm in enumerate(songs, start=1):
        stem = out / f"song_seed{int(seed)}_{i}"
        xml = write_musicxml(pm, stem.with_suffix(".musicxml"))
        candidates.append(Candidate(
            midi=str(write_midi(pm, stem.with_suffix(".mid"))),
            musicxml=str(xml),
            wav=str(write_wav(pm, stem.with_suffix(".wav"))),
            roll=str(piano_roll_png(pm, stem.with_suffix(".png"), title=f"candidate {i} (seed {int(seed)})")),
            score_svg=_score_html(xml),
        ))
    return candidates


@torch.inference_mode()
def write_handwriting(studio: Studio, text: str, bias: float = 1.0, style: str | None = None, seed: int = 0,
                      color: str = "#000000", stroke_width: float = 2.0, animate: bool = False,
                      prime: str | None = None) -> Writing:
    """Write `text` and export the .svg, .png and the attention-window plot of the first line.

    `prime` is an optional strokes JSON file (handwriting.user_strokes format) whose first line's style the
    model continues; it replaces the shipped `style`.
    """
    from handwriting.render import attention_plot_png, lines_to_svg, svg_to_png
    from handwriting.writer import load_prime, write_text

    if studio.writer is None:
        raise ValueError(f"no handwriting model is loaded: {studio.writer_error or 'load one on the Models tab'}")
    if not 0.0 <= float(bias) <= 3.0:
        raise ValueError(f"bias must be 0..3, got {bias}")
    if not 0.1 <= float(stroke_width) <= 20.0:
        raise ValueError(f"stroke width must be 0.1..20, got {stroke_width}")
    prime_sample = load_prime(prime) if prime else None
    style = None if prime_sample is not None else style  # an upload replaces the chosen style
    lines = write_text(studio.writer, text or "", bias=float(bias), style=style, seed=int(seed), prime=prime_sample)
    if not lines:
        raise ValueError("nothing to write: the text is empty")
    svg = lines_to_svg([ln.offsets for ln in lines], color=color or "#000000", stroke_width=float(stroke_width),
                       animate=bool(animate))
    out = output_dir()
    svg_path = out / "handwriting.svg"
    svg_path.write_text(svg, encoding="utf-8")
    png_path = svg_to_png(svg, out / "handwriting.png")
    att_path = attention_plot_png(lines[0].phi, lines[0].text, out / "attention.png")
    return Writing(svg=svg, svg_path=str(svg_path), png_path=str(png_path), attention_path=str(att_path),
                   lines=[ln.text for ln in lines])


def display_path(path: str) -> str:
    """`path` relative to the repository when it lies inside it (shorter, and no home folder on screen)."""
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def _meta_row(kind: str, path: str, meta: dict | None, error: str) -> str:
    path = display_path(path)
    if meta is None:
        return f"| {kind} | `{path}` | – | – | – | not loaded: {error} |"
    metrics = meta.get("metrics", {})
    val = metrics.get("best_val_loss", metrics.get("val_loss"))
    val_s = f"{val:.4f}" if isinstance(val, (int, float)) else "–"
    params = meta.get("n_params")
    params_s = f"{params:,}" if isinstance(params, int) else "–"
    source = meta.get("data", {}).get("source", "")
    return f"| {kind} | `{path}` | {meta.get('step', '–')} | {params_s} | {val_s} | {source} |"


def models_markdown(studio: Studio) -> str:
    """A Markdown table of the loaded checkpoints: path, step, parameters, validation loss, data."""
    rows = [
        "| model | checkpoint | step | parameters | val loss | data |",
        "|---|---|---|---|---|---|",
        _meta_row("music", studio.music_path, studio.music[1] if studio.music else None, studio.music_error),
        _meta_row("handwriting", studio.writer_path, studio.writer.meta if studio.writer else None,
                  studio.writer_error),
    ]
    return "\n".join(rows)


def model_card(name: str, cards_dir: Path = CARDS) -> str:
    """The Markdown model card `samples/checkpoints/<name>.md`, or a line saying there is none yet."""
    path = Path(cards_dir) / f"{name}.md"
    if not path.is_file():
        return f"*No model card for {name} yet ({path.name}).*"
    return path.read_text(encoding="utf-8")
