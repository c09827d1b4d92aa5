"""Exporters: .mid, .musicxml (MuseScore), .wav (GM soundfont), piano-roll .png, and a verovio SVG preview."""
from __future__ import annotations

import io
import os
import wave
from pathlib import Path

import numpy as np


def _atomic_bytes(path: str | Path, data: bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def midi_bytes(pm) -> bytes:
    """A PrettyMIDI as standard MIDI file bytes."""
    buf = io.BytesIO()
    pm.write(buf)
    return buf.getvalue()


def write_midi(pm, path) -> Path:
    """Standard MIDI file (opens in any DAW / MuseScore / pretty_midi)."""
    return _atomic_bytes(path, midi_bytes(pm))


def soundfont_path() -> Path:
    """The General MIDI soundfont (TimGM6mb) that ships inside pretty_midi."""
    import pretty_midi

    return Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"


def _pcm_wav(pcm: np.ndarray, sample_rate: int) -> bytes:
    """(frames, channels) int16 -> WAV bytes."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(np.ascontiguousarray(pcm, dtype="<i2").tobytes())
    return buf.getvalue()


def _resample_wav(data: bytes, sample_rate: int) -> bytes:
    """16-bit WAV bytes at any rate -> the same audio at `sample_rate` (linear interpolation)."""
    with wave.open(io.BytesIO(data)) as w:
        rate, channels = w.getframerate(), w.getnchannels()
        if w.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit audio from the renderer, got {8 * w.getsampwidth()}-bit")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").reshape(-1, channels)
    if rate == sample_rate:
        return data
    n_out = int(round(len(pcm) * sample_rate / rate))
    t_out = np.arange(n_out) * (rate / sample_rate)
    t_in = np.arange(len(pcm))
    out = np.stack([np.interp(t_out, t_in, pcm[:, c]) for c in range(channels)], axis=1)
    return _pcm_wav(np.round(out).astype("<i2"), sample_rate)


def wav_bytes(pm, sample_rate: int = 44100) -> bytes:
    """16-bit WAV via midirenderer + the GM soundfont, resampled to `sample_rate`.

    Falls back to pretty_midi's sine synthesis (mono) when midirenderer is missing or fails.
    """
    if not 8000 <= int(sample_rate) <= 192000:
        raise ValueError(f"sample_rate must be 8000..192000 Hz, got {sample_rate}")
    try:
        import midirenderer

        data = midirenderer.render_wave_from(soundfont_path().read_bytes(), midi_bytes(pm))  # 48 kHz stereo
        if data[:4] == b"RIFF" and len(data) > 44:
            return _resample_wav(data, int(sample_rate))
    except Exception:  # no wheel for this platform, or a render failure: use the plain synthesiser
        pass
    audio = pm.synthesize(fs=int(sample_rate))
    peak = float(np.abs(audio).max()) or 1.0
    return _pcm_wav((audio / peak * 0.8 * 32767).astype("<i2")[:, None], int(sample_rate))


def write_wav(pm, path, sample_rate: int = 44100) -> Path:
    """A .wav of the song (16-bit PCM)."""
    return _atomic_bytes(path, wav_bytes(pm, sample_rate))


def musicxml_string(pm) -> str:
    """Quantised MusicXML of the song via music21 (opens in MuseScore)."""
    from music21 import converter

    score = converter.parse(midi_bytes(pm), format="midi", quantizePost=True)
    from music21.musicxml.m21ToXml import GeneralObjectExporter

    return GeneralObjectExporter(score).parse().decode("utf-8")


def write_musicxml(pm, path) -> Path:
    """A .musicxml score."""
    return _atomic_bytes(path, musicxml_string(pm).encode("utf-8"))


def musicxml_to_svg(musicxml: str | Path, page: int = 1, width: int = 2100) -> str:
    """First page (or `page`) of the engraved score (a .musicxml path or its text) as SVG, via verovio."""
    import verovio

    if isinstance(musicxml, Path) or not str(musicxml).lstrip().startswith("<"):
        if not Path(musicxml).is_file():
            raise ValueError(f"MusicXML file not found: {musicxml}")
        text = Path(musicxml).read_text(encoding="utf-8")
    else:
        text = str(musicxml)
    # verovio sets its resource (font) path only in the thread that imported it; set it here so engraving
    # also works in worker threads (e.g. gradio's request pool)
    from importlib.resources import files

    tk = verovio.toolkit()
    tk.setResourcePath(str(files("verovio") / "data"))
    tk.setOptions({"pageWidth": width, "scale": 35, "adjustPageHeight": True, "footer": "none", "header": "none"})
    if not tk.loadData(text):
        raise ValueError("verovio could not read the MusicXML")
    return tk.renderToSVG(page)


def piano_roll_png(pm, path, title: str | None = None) -> Path:
    """Piano roll (time vs pitch, colour = velocity) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    notes = [n for inst in pm.instruments for n in inst.notes]
    fig, ax = plt.subplots(figsize=(10, 4), dpi=100)
    if notes:
        rects = [Rectangle((n.start, n.pitch - 0.4), n.end - n.start, 0.8) for n in notes]
        coll = PatchCollection(rects, cmap="viridis", edgecolor="none")
        coll.set_array(np.array([n.velocity for n in notes], dtype=float))
        coll.set_clim(0, 127)
        ax.add_collection(coll)
        lo, hi = min(n.pitch for n in notes), max(n.pitch for n in notes)
        ax.set_xlim(0, max(n.end for n in notes))
        ax.set_ylim(lo - 2, hi + 2)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("MIDI pitch")
    ax.grid(alpha=0.25)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return _atomic_bytes(path, buf.getvalue())
