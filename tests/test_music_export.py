"""Exported files open in real tools: MIDI (pretty_midi), MusicXML (music21), WAV (wave), PNG, verovio SVG."""
import io
import wave
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pretty_midi
import pytest

from music.export import musicxml_to_svg, piano_roll_png, wav_bytes, write_midi, write_musicxml, write_wav
from music.midi_io import ids_to_midi, midi_to_ids

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def song():
    return ids_to_midi(midi_to_ids(FIX / "c_major_scale.mid"), program=0)


def test_midi(song, tmp_path):
    path = write_midi(song, tmp_path / "out" / "song.mid")
    back = pretty_midi.PrettyMIDI(str(path))
    assert [n.pitch for n in back.instruments[0].notes] == [60, 62, 64, 65, 67, 69, 71, 72]


def test_musicxml_parses_back_with_notes(song, tmp_path):
    from music21 import converter

    path = write_musicxml(song, tmp_path / "song.musicxml")
    root = ET.parse(path).getroot()
    assert root.tag == "score-partwise"
    score = converter.parse(str(path))
    starts = [n for n in score.recurse().notes if n.tie is None or n.tie.type == "start"]  # tied halves once
    pitches = [p.midi for n in starts for p in n.pitches]
    assert sorted(pitches) == [60, 62, 64, 65, 67, 69, 71, 72]


def test_wav_is_readable_and_not_silent(song, tmp_path):
    path = write_wav(song, tmp_path / "song.wav")
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        assert w.getsampwidth() == 2 and w.getnframes() / w.getframerate() >= 2.0
    audio = np.frombuffer(frames, dtype="<i2")
    assert np.abs(audio).max() > 1000


def test_wav_fallback_synthesiser(song, monkeypatch):
    import midirenderer

    def broken(*a, **k):
        raise RuntimeError("no renderer")

    monkeypatch.setattr(midirenderer, "render_wave_from", broken)
    data = wav_bytes(song, sample_rate=8000)
    assert data[:4] == b"RIFF" and len(data) > 8000


def test_piano_roll_png(song, tmp_path):
    path = piano_roll_png(song, tmp_path / "roll.png", title="scale")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_verovio_engraves_the_score(song, tmp_path):
    path = write_musicxml(song, tmp_path / "song.musicxml")
    svg = musicxml_to_svg(path)
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:300]
    ET.fromstring(svg)  # well-formed


def test_wav_sample_rate_is_honoured(song):
    with wave.open(io.BytesIO(wav_bytes(song, sample_rate=22050))) as w:
        assert w.getframerate() == 22050 and 2.0 <= w.getnframes() / 22050 <= 6.0
    with pytest.raises(ValueError, match="sample_rate"):
        wav_bytes(song, sample_rate=10)


def test_writers_are_atomic_and_make_folders(song, tmp_path):
    path = write_midi(song, tmp_path / "a" / "b" / "song.mid")
    write_midi(song, path)  # overwrite in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["song.mid"]  # no temp files left behind


def test_svg_from_missing_file_raises(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        musicxml_to_svg(tmp_path / "nope.musicxml")


def test_verovio_engraves_in_a_worker_thread(song, tmp_path):
    """Gradio runs requests in pool threads; verovio must find its fonts there too."""
    from concurrent.futures import ThreadPoolExecutor

    import verovio  # noqa: F401  imported here, in the main thread, as the app does

    path = write_musicxml(song, tmp_path / "t.musicxml")
    with ThreadPoolExecutor(1) as pool:
        svg = pool.submit(musicxml_to_svg, path).result()
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert len(svg) > 5000  # glyphs were drawn, not an empty page
