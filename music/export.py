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
    tmp.write_bytes(data)
    os.replace(tmp, path)
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


def wav_bytes(pm, sample_rate: int = 44100) -> bytes:
    """Render with midirenderer + the GM soundfont; fall back to pretty_midi's sine synthesis."""
    try:
        import midirenderer

        data = midirenderer.render_wave_from(soundfont_path().read_bytes(), midi_bytes(pm))
        if data[:4] == b"RIFF" and len(data) > 44:
            return data
    except Exception:  # no wheel for this platform, or a render failure: use the plain synthesiser
        pass
    audio = pm.synthesize(fs=sample_rate)
    peak = float(np.abs(audio).max()) or 1.0
    pcm = (audio / peak * 0.8 * 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


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
    """First page (or `page`) of the engraved score as SVG, via verovio."""
    import verovio

    text = Path(musicxml).read_text() if isinstance(musicxml, Path) or not str(musicxml).lstrip().startswith("<") \
        else str(musicxml)
    tk = verovio.toolkit()
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
