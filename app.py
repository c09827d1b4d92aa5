"""lstm-studio: a Gradio app with a Music tab, a Handwriting tab and a Models tab.

Run `python app.py` (then open http://127.0.0.1:7860). Models load once before the server starts; each button
calls one action in app_actions.py. Everything works offline: Gradio serves its own assets and fonts.
"""
from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no telemetry calls

import gradio as gr  # noqa: E402
import pretty_midi  # noqa: E402

import app_actions as actions  # noqa: E402
from handwriting.writer import DEFAULT_BIAS, DEFAULT_STYLE, MAX_TEXT_CHARS, style_names  # noqa: E402
from music.compose import MAX_PRIMER_BYTES  # noqa: E402

INSTRUMENTS = [pretty_midi.program_to_instrument_name(p) for p in range(128)]
EXAMPLE_TEXT = "The quick brown fox jumps over the lazy dog"
THEME = gr.themes.Soft(primary_hue="indigo", secondary_hue="amber").set(  # LocalFont: served by gradio, no CDN
    button_primary_background_fill="*primary_600", button_primary_background_fill_hover="*primary_700",
    button_primary_text_color="white")
CSS = """
.preview-box { background: #fff; border: 1px solid var(--border-color-primary); border-radius: 8px;
               padding: 12px; min-height: 120px; overflow: auto; }
.preview-box svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.preview-box.ink svg { width: 100%; max-height: 480px; }
.score-box { max-height: 520px; }
.status { min-height: 1.5em; }
"""


def _music_status(cands, seconds, elapsed):
    return f"Generated {len(cands)} candidate(s) of {seconds:g} s in {elapsed:.1f} s. Listen, then download below."


def _error(prefix: str, err: Exception) -> str:
    gr.Warning(f"{prefix}: {err}")
    return f"**{prefix}:** {err}"


def build_demo(studio: actions.Studio) -> gr.Blocks:
    """The studio's Blocks, wired to `studio` (whose models the Models tab may replace while serving)."""

    def on_generate(seconds, temperature, top_p, tempo, instrument, seed, primer, n):
        start = time.perf_counter()
        try:
            cands = actions.generate_music(studio, seconds=seconds, temperature=temperature, top_p=top_p,
                                           tempo_bpm=tempo, instrument=instrument, seed=int(seed or 0),
                                           primer=primer, n=int(n))
        except ValueError as e:
            return (_error("Could not generate", e), gr.Dropdown(choices=[], value=None), None, None, "", None, [])
        names = [f"Candidate {i}" for i in range(1, len(cands) + 1)]
        files = [p for c in cands for p in (c.midi, c.musicxml, c.wav)]
        first = cands[0]
        state = [vars(c) for c in cands]
        return (_music_status(cands, seconds, time.perf_counter() - start), gr.Dropdown(choices=names, value=names[0]),
                first.wav, first.roll, first.score_svg, files, state)

    def on_pick(choice, state):
        if not state or not choice:
            return None, None, ""
        index = int(str(choice).split()[-1]) - 1
        if not 0 <= index < len(state):
            return None, None, ""
        c = state[index]
        return c["wav"], c["roll"], c["score_svg"]

    def on_write(text, bias, style, seed, color, width, animate, prime=None):
        start = time.perf_counter()
        try:
            w = actions.write_handwriting(studio, text, bias=bias, style=style, seed=int(seed or 0), color=color,
                                          stroke_width=width, animate=animate, prime=prime)
        except ValueError as e:
            return _error("Could not write", e), "", None, None
        status = f"Wrote {len(w.lines)} line(s) in {time.perf_counter() - start:.1f} s."
        return status, f'<div class="preview-box ink">{w.svg}</div>', [w.svg_path, w.png_path], w.attention_path

    def on_load(kind, path):
        try:
            msg = actions.replace_checkpoint(studio, kind, path)
        except ValueError as e:
            return _error("Could not load", e), actions.models_markdown(studio), gr.skip()
        return msg, actions.models_markdown(studio), actions.corpus_tempo(studio)

    with gr.Blocks(title="lstm-studio", analytics_enabled=False) as demo:
        gr.Markdown("# lstm-studio\nSymbolic music and handwriting from small LSTMs, running on this machine.")
        with gr.Tabs():
            with gr.Tab("Music", id="music"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=300):
                        seconds = gr.Slider(5, 120, value=30, step=1, label="Length (seconds)")
                        temperature = gr.Slider(0.5, 1.5, value=1.0, step=0.05, label="Temperature",
                                                info="lower = safer, higher = more surprising")
                        top_p = gr.Slider(0.5, 1.0, value=0.95, step=0.01, label="Top-p (nucleus)")
                        tempo = gr.Slider(40, 200, value=actions.corpus_tempo(studio), step=1, label="Tempo (BPM)")
                        instrument = gr.Dropdown(INSTRUMENTS, value=INSTRUMENTS[0], label="Instrument (General MIDI)")
                        with gr.Row():
                            seed = gr.Number(value=0, precision=0, minimum=0, label="Seed")
                            n = gr.Slider(1, actions.MAX_CANDIDATES, value=1, step=1, label="Candidates")
                        primer = gr.File(label=f"Primer MIDI (optional, up to {MAX_PRIMER_BYTES // 1000} kB)",
                                         file_types=[".mid", ".midi"], type="filepath", height=150)
                        generate = gr.Button("Generate", variant="primary", elem_id="generate-btn")
                    with gr.Column(scale=2):
                        music_status = gr.Markdown(elem_classes="status", elem_id="music-status")
                        candidate = gr.Dropdown(choices=[], label="Candidate", interactive=True)
                        audio = gr.Audio(label="Listen", type="filepath", interactive=False, elem_id="music-audio")
                        roll = gr.Image(label="Piano roll", type="filepath", interactive=False, height=260)
                        with gr.Accordion("Score (engraved with verovio)", open=True):
                            score = gr.HTML(elem_classes=["preview-box", "score-box"], elem_id="music-score")
                        music_files = gr.File(label="Downloads: .mid / .musicxml / .wav of every candidate",
                                              file_count="multiple", interactive=False)
                cands_state = gr.State([])

            with gr.Tab("Handwriting", id="handwriting"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=300):
                        text = gr.Textbox(value=EXAMPLE_TEXT, lines=4, max_length=MAX_TEXT_CHARS,
                                          label=f"Text (printable ASCII, up to {MAX_TEXT_CHARS} characters)",
                                          elem_id="hw-text")
                        bias = gr.Slider(0, 3, value=DEFAULT_BIAS, step=0.05, label="Neatness (bias)",
                                         info="0 = wild, 3 = tidy")
                        style = gr.Dropdown(["none"] + style_names(), value=DEFAULT_STYLE, label="Style",
                                            info="'none' lets the model pick its own hand")
                        with gr.Row():
                            hw_seed = gr.Number(value=0, precision=0, minimum=0, label="Seed")
                            color = gr.ColorPicker(value="#1a1a80", label="Ink colour")
                        with gr.Row():
                            stroke = gr.Slider(0.5, 6, value=1.6, step=0.1, label="Stroke width")
                            animate = gr.Checkbox(value=False, label="Animated SVG")
                        with gr.Accordion("Your own handwriting (optional)", open=False):
                            prime = gr.File(label="Strokes JSON: [{\"text\": ..., \"strokes\": [[[x, y], ...], ...]}]; "
                                                  "the first line's style is imitated (it replaces the Style above)",
                                            file_types=[".json"], type="filepath", height=120)
                        write = gr.Button("Write", variant="primary", elem_id="write-btn")
                    with gr.Column(scale=2):
                        hw_status = gr.Markdown(elem_classes="status", elem_id="hw-status")
                        preview = gr.HTML(elem_id="hw-preview")
                        hw_files = gr.File(label="Downloads: .svg / .png", file_count="multiple", interactive=False)
                        attention = gr.Image(label="Attention window over the first line (which character is "
                                                   "being written at each pen step)", type="filepath",
                                             interactive=False, height=420)

            with gr.Tab("Models", id="models"):
                models_md = gr.Markdown(actions.models_markdown(studio))
                with gr.Row(equal_height=False):
                    with gr.Column():
                        with gr.Accordion("Music model card", open=False):
                            gr.Markdown(actions.model_card("music"))
                    with gr.Column():
                        with gr.Accordion("Handwriting model card", open=False):
                            gr.Markdown(actions.model_card("handwriting"))
                gr.Markdown("### Load your own checkpoint\nA `.safetensors` + `.json` pair written by "
                            "`studio train` (give either file or their common prefix). It replaces the model "
                            "of that tab for everyone using this server until it restarts.")
                with gr.Row():
                    kind = gr.Radio(["music", "handwriting"], value="music", label="Model", scale=1)
                    ckpt_path = gr.Textbox(label="Checkpoint path", placeholder="runs/music/best", scale=3)
                load = gr.Button("Load checkpoint")
                load_status = gr.Markdown(elem_classes="status")

        generate.click(on_generate, [seconds, temperature, top_p, tempo, instrument, seed, primer, n],
                       [music_status, candidate, audio, roll, score, music_files, cands_state],
                       api_name="generate_music")
        candidate.input(on_pick, [candidate, cands_state], [audio, roll, score], api_name="pick_candidate")
        write.click(on_write, [text, bias, style, hw_seed, color, stroke, animate, prime],
                    [hw_status, preview, hw_files, attention], api_name="write")
        load.click(on_load, [kind, ckpt_path], [load_status, models_md, tempo], api_name="load_checkpoint")
    demo.queue(default_concurrency_limit=2)  # two CPU workers at most; further requests wait their turn
    return demo


def launch(demo: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, **kwargs):
    """Start the server with the studio's theme, local-only defaults and the primer upload limit."""
    return demo.launch(server_name=host, server_port=port, share=False, theme=THEME, css=CSS, ssr_mode=False,
                       max_file_size=MAX_PRIMER_BYTES, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="lstm-studio: the Gradio app for music and handwriting generation.")
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to bind (default 127.0.0.1; use 0.0.0.0 to serve your network)")
    p.add_argument("--port", type=int, default=7860, help="port to serve on (default 7860)")
    p.add_argument("--music-checkpoint", default=None,
                   help="music checkpoint prefix or .safetensors/.json file (default: the shipped one)")
    p.add_argument("--handwriting-checkpoint", default=None,
                   help="handwriting checkpoint prefix or .safetensors/.json file (default: the shipped one)")
    return p


if __name__ == "__main__":
    args = build_parser().parse_args()
    t0 = time.perf_counter()
    STUDIO = actions.load_models(args.music_checkpoint, args.handwriting_checkpoint)
    for err in (STUDIO.music_error, STUDIO.writer_error):
        if err:
            print(f"warning: {err}")
    print(f"models loaded in {time.perf_counter() - t0:.2f} s")
    launch(build_demo(STUDIO), args.host, args.port)
