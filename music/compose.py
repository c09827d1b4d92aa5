"""High-level song generation used by the CLI and the app: checkpoint + controls -> PrettyMIDI files."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

DEFAULT_CHECKPOINT = Path(__file__).resolve().parents[1] / "samples" / "checkpoints" / "music"
MAX_PRIMER_BYTES = 1_000_000  # a primer is a short MIDI clip; anything bigger is almost surely a mistake


def program_number(instrument: int | str) -> int:
    """GM program from a number (0-127) or a General MIDI name like 'Acoustic Grand Piano' / 'violin'."""
    import pretty_midi

    if isinstance(instrument, int) or str(instrument).strip().isdigit():
        program = int(instrument)
        if not 0 <= program <= 127:
            raise ValueError(f"GM program must be 0..127, got {program}")
        return program
    wanted = str(instrument).strip().lower()
    names = [pretty_midi.program_to_instrument_name(p) for p in range(128)]
    for p, name in enumerate(names):
        if name.lower() == wanted:
            return p
    for p, name in enumerate(names):
        if wanted in name.lower():
            return p
    raise ValueError(f"unknown General MIDI instrument {instrument!r}; e.g. {', '.join(names[:4])}, ...")


def read_primer(primer: str | Path | bytes | None) -> np.ndarray | None:
    """Event ids of a primer MIDI (path or bytes), with a size check; None passes through."""
    from .midi_io import midi_to_ids

    if primer is None:
        return None
    if isinstance(primer, (str, Path)):
        path = Path(primer)
        if not path.is_file():
            raise ValueError(f"primer file not found: {path}")
        if path.stat().st_size > MAX_PRIMER_BYTES:
            raise ValueError(f"primer {path.name} is {path.stat().st_size:,} bytes; the limit is {MAX_PRIMER_BYTES:,}")
        return midi_to_ids(path)
    if len(primer) > MAX_PRIMER_BYTES:
        raise ValueError(f"primer is {len(primer):,} bytes; the limit is {MAX_PRIMER_BYTES:,}")
    return midi_to_ids(primer)


def compose(
    model,
    meta: dict,
    *,
    seconds: float | None = 30.0,
    events: int | None = None,
    temperature: float = 1.0,
    top_p: float = 0.95,
    tempo_bpm: float | None = None,
    instrument: int | str = 0,
    seed: int = 0,
    primer: str | Path | bytes | None = None,
    n: int = 1,
):
    """Generate `n` candidate songs; same seed and controls -> identical files. Returns list[PrettyMIDI]."""
    from .midi_io import ids_to_midi
    from .sample import sample

    if n < 1 or n > 16:
        raise ValueError(f"number of candidates must be 1..16, got {n}")
    if seconds is not None and not 0 < seconds <= 600:
        raise ValueError(f"length must be between 0 and 600 seconds, got {seconds}")
    program = program_number(instrument)
    ref_tempo = float(meta.get("data", {}).get("tempo_bpm", 120.0))
    tempo = ref_tempo if tempo_bpm is None else float(tempo_bpm)
    if not 20 <= tempo <= 300:
        raise ValueError(f"tempo must be 20..300 BPM, got {tempo}")
    scale = ref_tempo / tempo
    gen = torch.Generator().manual_seed(int(seed))
    # the model runs in its own (reference) time; ask for enough of it to fill `seconds` at the new tempo
    model_seconds = None if seconds is None else seconds / scale
    ids = sample(model, gen, n=n, seconds=model_seconds, max_events=events, temperature=temperature,
                 top_p=top_p, primer=read_primer(primer))
    return [ids_to_midi(seq, program=program, tempo_bpm=tempo, time_scale=scale) for seq in ids]
