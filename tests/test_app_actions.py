"""The studio's pure actions without a server: input checks, model table, model cards, output folders."""
import time

import pytest

import app_actions as A


@pytest.fixture(scope="module")
def studio():
    s = A.load_models()
    assert s.music is not None and s.writer is not None, (s.music_error, s.writer_error)
    return s


def test_missing_checkpoints_are_recorded_not_raised(tmp_path):
    s = A.load_models(tmp_path / "nope", tmp_path / "nada")
    assert s.music is None and "nope.json" in s.music_error
    assert s.writer is None and "nada.json" in s.writer_error
    table = A.models_markdown(s)
    assert "not loaded: music checkpoint not found" in table and "not loaded: handwriting checkpoint" in table
    with pytest.raises(ValueError, match="no music model is loaded"):
        A.generate_music(s, seconds=5)
    with pytest.raises(ValueError, match="no handwriting model is loaded"):
        A.write_handwriting(s, "hi")
    assert A.corpus_tempo(s) == 120.0


@pytest.mark.parametrize("kwargs, message", [
    ({"seconds": 2}, "length must be 5..120 seconds"),
    ({"seconds": 5, "n": 5}, "number of candidates must be 1..4"),
    ({"seconds": 5, "primer": "song.wav"}, "song.wav is not a MIDI file"),
    ({"seconds": 5, "instrument": "kazoo"}, "unknown General MIDI instrument 'kazoo'"),
])
def test_generate_music_rejects_bad_controls(studio, kwargs, message):
    with pytest.raises(ValueError, match=message):
        A.generate_music(studio, **kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"bias": 4.0}, "bias must be 0..3"),
    ({"stroke_width": 0.0}, "stroke width must be 0.1..20"),
    ({"style": "gothic"}, "unknown style 'gothic'"),
    ({"color": "url(#x)"}, "color must be"),
])
def test_write_handwriting_rejects_bad_controls(studio, kwargs, message):
    with pytest.raises(ValueError, match=message):
        A.write_handwriting(studio, "hi", **kwargs)


def test_replace_checkpoint_checks_path_and_kind(studio, tmp_path):
    with pytest.raises(ValueError, match="enter the path"):
        A.replace_checkpoint(studio, "music", "  ")
    with pytest.raises(ValueError, match="unknown model kind 'video'"):
        A.replace_checkpoint(studio, "video", "x")
    with pytest.raises(ValueError, match="not a music checkpoint"):  # a handwriting pair offered as music
        A.replace_checkpoint(studio, "music", studio.writer_path)
    assert studio.music is not None  # a failed load keeps the model that was there


def test_models_markdown_lists_step_params_and_val_loss(studio):
    table = A.models_markdown(studio).splitlines()
    music_row = next(r for r in table if r.startswith("| music |"))
    meta = studio.music[1]
    assert f"| {meta['step']} |" in music_row and f"{meta['n_params']:,}" in music_row
    assert "`samples/checkpoints/music`" in music_row  # shown relative to the repository


def test_model_card_reads_markdown_or_says_none(tmp_path):
    (tmp_path / "music.md").write_text("# Music model\nBach.")
    assert A.model_card("music", tmp_path) == "# Music model\nBach."
    assert "No model card for handwriting" in A.model_card("handwriting", tmp_path)


def test_output_dirs_are_fresh_and_old_ones_pruned(monkeypatch):
    first, second = A.output_dir(), A.output_dir()
    assert first != second and first.name.startswith("lstm-studio-") and first.is_dir()
    later = time.time() + A.OUTPUT_MAX_AGE_S + 10
    monkeypatch.setattr(A.time, "time", lambda: later)
    third = A.output_dir()
    assert not first.exists() and not second.exists() and third.is_dir()


def test_score_engraves_in_a_fresh_worker_thread(tmp_path):
    import threading

    import pretty_midi

    from music.export import write_musicxml

    pm = pretty_midi.PrettyMIDI()
    piano = pretty_midi.Instrument(0)
    piano.notes += [pretty_midi.Note(80, p, i * 0.5, i * 0.5 + 0.5) for i, p in enumerate((60, 64, 67, 72))]
    pm.instruments.append(piano)
    xml = write_musicxml(pm, tmp_path / "four.musicxml")
    results = [A._score_html(xml)]  # main thread first, then a new thread as gradio's pool would use
    worker = threading.Thread(target=lambda: results.append(A._score_html(xml)))
    worker.start()
    worker.join()
    assert all(r.startswith('<div class="score"><svg') for r in results), [r[:80] for r in results]
