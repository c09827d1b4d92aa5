"""The studio's endpoints over HTTP with gradio_client: files come back and open, bad input gives a message."""
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")

PNG = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def client():
    import app
    import app_actions

    studio = app_actions.load_models()
    assert not studio.music_error and not studio.writer_error, (studio.music_error, studio.writer_error)
    demo = app.build_demo(studio)
    port = free_port()
    app.launch(demo, port=port, prevent_thread_lock=True, quiet=True)
    try:
        yield gradio_client.Client(f"http://127.0.0.1:{port}/", verbose=False)
    finally:
        demo.close()


def music(client, primer=None, n=2):
    # seconds, temperature, top_p, tempo, instrument, seed, primer, candidates
    return client.predict(5, 1.0, 0.95, 100, "Violin", 3, primer, n, api_name="/generate_music")


def write(client, text, color="#aa0000", style="none", prime=None):
    # text, bias, style, seed, colour, stroke width, animated, own-handwriting prime
    return client.predict(text, 1.0, style, 1, color, 2.0, False, prime, api_name="/write")


def test_generate_music_returns_playable_files_for_every_candidate(client):
    import pretty_midi

    status, candidates, audio, roll, score, files = music(client)
    assert status.startswith("Generated 2 candidate(s)")
    assert candidates["value"] == "Candidate 1" and len(candidates["choices"]) == 2
    assert Path(audio).read_bytes()[:4] == b"RIFF" and Path(audio).name == "song_seed3_1.wav"
    assert Path(roll).read_bytes()[:8] == PNG
    root = ET.fromstring(score)  # the score preview is well-formed XML with an engraved SVG inside
    assert root.find(f"{SVG_NS}svg") is not None
    suffixes = sorted(Path(f).suffix for f in files)
    assert suffixes == [".mid", ".mid", ".musicxml", ".musicxml", ".wav", ".wav"]
    for f in files:
        if f.endswith(".mid"):
            pm = pretty_midi.PrettyMIDI(f)
            assert [i.program for i in pm.instruments] in ([], [40])  # Violin is GM program 40
        elif f.endswith(".musicxml"):
            assert ET.parse(f).getroot().tag == "score-partwise"


def test_pick_candidate_switches_to_the_second_song(client):
    music(client)
    audio, roll, score = client.predict("Candidate 2", api_name="/pick_candidate")
    assert Path(audio).name == "song_seed3_2.wav" and Path(roll).name == "song_seed3_2.png"
    assert "<svg" in score


def test_corrupt_primer_gives_a_message_not_a_crash(client, tmp_path):
    bad = tmp_path / "broken.mid"
    bad.write_bytes(b"this is not a midi file")
    status, _, audio, roll, score, files = music(client, primer=gradio_client.handle_file(str(bad)), n=1)
    assert status.startswith("**Could not generate:**") and "not a readable MIDI file" in status
    assert audio is None and roll is None and not files


def test_write_returns_svg_png_and_attention_plot(client):
    status, preview, files, attention = write(client, "Hello there")
    assert status.startswith("Wrote 1 line(s)")
    assert ET.fromstring(preview).find(f"{SVG_NS}svg") is not None
    svg_file, png_file = sorted(files, key=lambda f: Path(f).suffix, reverse=True)
    svg = ET.parse(svg_file).getroot()
    paths = svg.findall(f".//{SVG_NS}path")
    assert len(paths) > 3 and svg.find(f"{SVG_NS}g").get("stroke") == "#aa0000"
    assert Path(png_file).read_bytes()[:8] == PNG and Path(attention).read_bytes()[:8] == PNG


def test_write_imitates_an_uploaded_prime(client, tmp_path):
    import json

    from handwriting.hershey_corpus import synth_line
    from handwriting.strokes import offsets_to_coords

    import numpy as np

    line = synth_line("my own hand", np.random.default_rng(5))
    prime = tmp_path / "mine.json"
    prime.write_text(json.dumps([{"text": line.text, "strokes": [(s * 7).tolist()  # canvas-like pixel units
                                                                for s in offsets_to_coords(line.offsets)]}]))
    status, preview, files, _ = write(client, "Hello there", prime=gradio_client.handle_file(str(prime)))
    assert status.startswith("Wrote 1 line(s)"), status
    assert preview != write(client, "Hello there")[1], "the prime changes the writing"
    styled = write(client, "Hello there", style="neat print", prime=gradio_client.handle_file(str(prime)))
    assert styled[0].startswith("Wrote 1 line(s)"), styled[0]
    assert styled[1] == preview, "an uploaded prime replaces the chosen style"
    prime.write_text('[{"text": "x", "strokes": "oops"}]')
    status, *_ = write(client, "Hello", prime=gradio_client.handle_file(str(prime)))
    assert status.startswith("**Could not write:**") and "mine.json" in status and "'strokes'" in status


@pytest.mark.parametrize("text, expected", [
    ("caf\u00e9 \u2713", "unsupported characters: '\u00e9', '\u2713'"),
    ("x" * 401, "text is 401 characters; the limit is 400"),
    ("   ", "nothing to write"),
])
def test_bad_text_gives_a_message_not_a_crash(client, text, expected):
    status, preview, files, attention = write(client, text)
    assert status.startswith("**Could not write:**") and expected in status
    assert preview == "" and files is None and attention is None


def test_load_checkpoint_reports_errors_and_reloads_the_shipped_model(client):
    from music.compose import DEFAULT_CHECKPOINT

    status, table, _ = client.predict("music", "no/such/checkpoint", api_name="/load_checkpoint")
    assert status.startswith("**Could not load:**") and "no/such/checkpoint.json" in status
    status, table, tempo = client.predict("music", f"{DEFAULT_CHECKPOINT}.safetensors", api_name="/load_checkpoint")
    assert status.startswith("Loaded music checkpoint") and "| music |" in table
    import json

    assert tempo == json.loads(DEFAULT_CHECKPOINT.with_suffix(".json").read_text())["data"].get("tempo_bpm", 120)
