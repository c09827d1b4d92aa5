"""Music data sets: the Bach chorales bundled with music21 (cached to .npz) or a user's folder of MIDI files."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .midi_io import midi_to_ids

CACHE_VERSION = "chorales-v3"  # v3: unison doublings merged into one note
CHORALE_TEMPO_BPM = 120.0  # music21 writes chorales (no tempo marking) at 120 quarter notes per minute


class Piece(NamedTuple):
    name: str
    ids: np.ndarray  # int16 event ids, START first


@dataclass
class LoadSummary:
    loaded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    notes: list[str] = field(default_factory=list)  # non-fatal remarks, e.g. repeats not expanded

    def __str__(self) -> str:
        text = f"loaded {self.loaded} files"
        if self.skipped:
            text += f", skipped {len(self.skipped)}: " + ", ".join(f"{n} ({why})" for n, why in self.skipped)
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text


def cache_root(path: str | Path | None = None) -> Path:
    """The cache folder: `path`, else $LSTM_STUDIO_CACHE, else ~/.cache/lstm-studio."""
    if path is not None:
        return Path(path)
    return Path(os.environ.get("LSTM_STUDIO_CACHE", Path.home() / ".cache" / "lstm-studio"))


def save_pieces(pieces: list[Piece], path: Path) -> None:
    """Pieces -> one compact .npz (concatenated int16 ids + offsets + names), written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lengths = np.array([len(p.ids) for p in pieces], dtype=np.int64)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}.npz")
    np.savez_compressed(
        tmp,
        ids=np.concatenate([p.ids for p in pieces]).astype(np.int16) if pieces else np.zeros(0, np.int16),
        offsets=np.concatenate([[0], np.cumsum(lengths)]),
        names=np.array([p.name for p in pieces]),
    )
    os.replace(tmp, path)


def load_pieces_npz(path: Path) -> list[Piece]:
    """Inverse of save_pieces."""
    with np.load(path, allow_pickle=False) as z:
        ids, offsets, names = z["ids"], z["offsets"], z["names"]
    return [Piece(str(n), ids[offsets[i] : offsets[i + 1]]) for i, n in enumerate(names)]


def _chorale_ids(name: str, summary: LoadSummary) -> np.ndarray:
    from music21 import corpus, midi

    score = corpus.parse(name)
    try:
        score = score.expandRepeats()
    except Exception as e:  # bwv277's repeat marks do not nest: drop them and keep the music as written
        _strip_repeats(score)
        summary.notes.append(f"{name}: badly formed repeats removed, played once ({type(e).__name__})")
    return midi_to_ids(midi.translate.streamToMidiFile(score).writestr())


def _strip_repeats(score) -> None:
    """Replace repeat barlines with plain ones and drop repeat expressions, in place."""
    from music21 import bar, repeat

    for m in score.recurse().getElementsByClass("Measure"):
        for side in ("leftBarline", "rightBarline"):
            if isinstance(getattr(m, side), bar.Repeat):
                setattr(m, side, bar.Barline("regular"))
    for el in list(score.recurse().getElementsByClass(repeat.RepeatExpression)):
        el.activeSite.remove(el)


def load_chorales(cache_dir: str | Path | None = None, limit: int | None = None,
                  progress: bool = True) -> list[Piece]:
    """The Bach chorales in music21's corpus as event ids, built once and cached as .npz.

    Chorales whose repeats cannot be expanded are kept with the repeats removed (counted in the printed
    summary); chorales that fail to convert are skipped and counted.
    """
    from music21.corpus import chorales

    path = cache_root(cache_dir) / f"{CACHE_VERSION}{'' if limit is None else f'-first{limit}'}.npz"
    if path.is_file():
        return load_pieces_npz(path)
    names = list(dict.fromkeys(chorales.Iterator(returnType="filename")))  # Riemenschneider set, deduplicated
    names = names[:limit] if limit else names
    summary, pieces = LoadSummary(), []
    bar = names
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(names, desc="converting chorales (once)", unit="chorale")
    for name in bar:
        try:
            pieces.append(Piece(name, _chorale_ids(name, summary)))
            summary.loaded += 1
        except Exception as e:
            summary.skipped.append((name, f"{type(e).__name__}: {e}"))
    if progress:
        print(f"chorales: {summary}", flush=True)
    save_pieces(pieces, path)
    return pieces


def load_folder(path: str | Path) -> tuple[list[Piece], LoadSummary]:
    """Every .mid/.midi under `path` (recursive); unreadable or empty files are skipped and counted."""
    root = Path(path)
    if not root.is_dir():
        raise ValueError(f"MIDI folder not found: {root}")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".mid", ".midi") and p.is_file())
    summary, pieces = LoadSummary(), []
    for f in files:
        name = str(f.relative_to(root))
        try:
            pieces.append(Piece(name, midi_to_ids(f)))
            summary.loaded += 1
        except ValueError as e:
            summary.skipped.append((name, str(e).split(": ", 1)[-1]))
    if not pieces:
        raise ValueError(f"no usable MIDI files in {root} ({len(files)} found; {summary})")
    return pieces, summary


def split_by_name(pieces: list[Piece], val_fraction: float = 0.1) -> tuple[list[Piece], list[Piece]]:
    """Fixed train/val split by a SHA-1 of each piece's name (stable across runs and machines)."""
    def is_val(p: Piece) -> bool:
        return int(hashlib.sha1(p.name.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < val_fraction

    return [p for p in pieces if not is_val(p)], [p for p in pieces if is_val(p)]
