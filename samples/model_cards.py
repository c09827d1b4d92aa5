"""Write the model cards samples/checkpoints/{music,handwriting}.md from what was measured.

Every figure in a card comes from a file: the checkpoint JSON (config, data, step, val NLL), the run's
log.jsonl (the validation curve) and, when given, the JSON a benchmark wrote. Run from the repository root:

    python samples/model_cards.py --music-run runs/music --music-bench bench-music.json \
        --handwriting-run runs/handwriting --handwriting-bench bench-handwriting.json \
        --music-minutes 40 --handwriting-minutes 80

`--only handwriting` (or `music`) rewrites one card and leaves the other as it is.
"""
from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARDS = ROOT / "samples" / "checkpoints"


def _read(path) -> dict | None:
    return json.loads(Path(path).read_text()) if path and Path(path).is_file() else None


def val_curve(run_dir) -> list[tuple[int, float]]:
    """(step, val_loss) pairs from a run's log.jsonl; the last entry for a step wins (resumed runs)."""
    path = Path(run_dir or "") / "log.jsonl"
    if not run_dir or not path.is_file():
        return []
    curve: dict[int, float] = {}
    for line in path.read_text().splitlines():
        rec = json.loads(line)
        if "val_loss" in rec:
            curve[int(rec["step"])] = float(rec["val_loss"])
    return sorted(curve.items())


def curve_table(curve: list[tuple[int, float]], unit: str, rows: int = 8) -> str:
    """A Markdown table of at most `rows` evenly spaced points of the validation curve (last one kept)."""
    if not curve:
        return "_No training log was given when this card was written._\n"
    keep = sorted({round(i * (len(curve) - 1) / max(rows - 1, 1)) for i in range(rows)})
    lines = [f"| step | val NLL ({unit}) |", "|---:|---:|"]
    lines += [f"| {curve[i][0]} | {curve[i][1]:.4f} |" for i in keep]
    return "\n".join(lines) + "\n"


def train_command(kind: str, meta: dict) -> str:
    """The `studio train` command line that the checkpoint's stored configs correspond to."""
    t, m = meta["train_config"], meta["model_config"]
    flags = [f"--steps {t['max_steps']}", f"--lr {t['lr']:g}", f"--warmup {t['warmup_steps']}",
             f"--eval-every {t['eval_every']}", f"--save-every {t['save_every']}", f"--seed {t['seed']}"]
    if kind == "music":
        d = meta["data"]
        head = "studio train music"
        flags = [f"--embed {m['embed_dim']}", f"--hidden {m['hidden']}", f"--layers {m['layers']}",
                 f"--dropout {m['dropout']:g}", f"--batch-size {d['batch_size']}", f"--seq-len {d['seq_len']}"] + flags
    else:
        d = meta["data"]
        lines = d["source"].split("(")[1].split()[0] if "(" in d["source"] else "?"
        head = f"studio train handwriting --synthetic --lines {lines}"
        flags = [f"--hidden {m['hidden']}", f"--layers {m['layers']}", f"--mixtures {m['output_mixtures']}",
                 f"--batch-size {d['batch_size']}"] + flags
    return f"{head} {' '.join(flags)} --threads 1 --out runs/{kind} --ship samples/checkpoints/{kind}"


def training_section(kind: str, meta: dict, minutes: float | None) -> list[str]:
    """Card lines: how the checkpoint was trained (command, optimiser, which step was shipped)."""
    t = meta["train_config"]
    return [
        "## Training",
        "Trained by this repository's code on a 2-core CPU (one torch thread) with:",
        "",
        "```bash",
        train_command(kind, meta),
        "```",
        "",
        f"AdamW, warmup + cosine LR, gradient-norm clipping {t['grad_clip']:g}. "
        f"Shipped: the best validation checkpoint, step {meta['step']} of {t['max_steps']}"
        + (f", {minutes:.0f} minutes of wall time." if minutes else "."),
        "",
    ]


def _fmt(x, nd=3) -> str:
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def music_card(meta: dict, curve, bench: dict | None, minutes: float | None) -> str:
    d, m = meta["data"], meta["model_config"]
    best = meta["metrics"]["best_val_loss"]
    out = [
        "# Model card: music event LSTM (`samples/checkpoints/music`)",
        "",
        "## What it is",
        f"An embedding ({m['embed_dim']}) -> {m['layers']}-layer LSTM ({m['hidden']} units, dropout {m['dropout']:g}) "
        f"-> linear softmax over the {meta['vocab']['size']}-id Performance-RNN vocabulary (NOTE_ON 128, NOTE_OFF 128, "
        f"TIME_SHIFT {meta['vocab']['max_shift_steps']} x 10 ms, VELOCITY {meta['vocab']['velocity_bins']} bins, "
        f"+ START/END). {meta['n_params']:,} parameters, float32 safetensors.",
        "",
        "## Data",
        f"{d['source']}, converted to MIDI by music21 and then to events. Fixed split by piece name: "
        f"{d['train_pieces']} training pieces ({d['train_events']:,} events), {d['val_pieces']} validation pieces "
        f"({d['val_events']:,} events; their names are in `music.json`). Training windows of {d['seq_len']} events, "
        f"batch {d['batch_size']}, each window transposed by a random interval in -5..+6 semitones.",
        "",
        *training_section("music", meta, minutes),
        f"**Validation NLL: {best:.4f} nats/event** (teacher-forced windows of {d['seq_len']} events).",
        "",
        curve_table(curve, "nats/event"),
    ]
    if bench:
        n, s, g = bench["nll"], bench["stats"], bench["speed"]
        order = bench["order"]
        out += [
            "## Benchmark (`python -m bench.music --json bench-music.json`, one CPU thread)",
            "",
            "| held-out NLL, whole pieces (nats/event) | |",
            "|---|---:|",
            f"| event LSTM | {n['lstm']:.3f} |",
            f"| {order}-gram Kneser-Ney, 12 transpositions | {n[f'kn{order}_transposed']:.3f} |",
            f"| {order}-gram Kneser-Ney, untransposed | {n[f'kn{order}_untransposed']:.3f} |",
            f"| uniform | {n['uniform']:.3f} |",
            f"| ratio LSTM / {order}-gram | {n['ratio_lstm_over_kn']:.3f} |",
            "",
            f"| statistic ({s['generated_pieces']} generated x {s['generated_seconds']:g} s vs "
            f"{s['held_out_pieces']} held-out chorales) | generated | held-out |",
            "|---|---:|---:|",
        ]
        for k in s["generated"]:
            gm, hm = s["generated"][k], s["held_out"][k]
            out.append(f"| {k} | {_fmt(gm['mean'], 2)} +- {_fmt(gm['std'], 2)} | "
                       f"{_fmt(hm['mean'], 2)} +- {_fmt(hm['std'], 2)} |")
        out += ["", f"Generating 30 s of music (batch 1, CPU): median {g['median_s']:.3f} s.", ""]
    out += [
        "## Limits",
        "- Four-part chorale texture only: it has never seen other styles, drums or dense piano writing.",
        "- The corpus is small (350 pieces): at temperature 1 phrases wander and cadences are not planned.",
        "- It learned the chorales' timing as music21 renders them to MIDI (one tempo, 120 BPM); `--tempo` "
        "stretches the generated time grid rather than changing how the model phrases.",
        "",
    ]
    return "\n".join(out)


def handwriting_card(meta: dict, curve, bench: dict | None, minutes: float | None) -> str:
    d, m = meta["data"], meta["model_config"]
    best = meta["metrics"]["best_val_loss"]
    out = [
        "# Model card: handwriting synthesis network (`samples/checkpoints/handwriting`)",
        "",
        "## What it is",
        f"Graves (2013) section 5 synthesis network: {m['layers']} LSTM layers of {m['hidden']} units with skip "
        f"connections, a soft attention window of {m['window_mixtures']} Gaussians over the one-hot text "
        f"({m['alphabet_size'] - 1} printable ASCII characters), and a mixture-density output of "
        f"{m['output_mixtures']} bivariate Gaussians + an end-of-stroke Bernoulli. "
        f"{meta['n_params']:,} parameters, float32 safetensors. Pen offsets are divided by {meta['scale']:.3f} "
        "(stored in the JSON).",
        "",
        "## Data: synthetic, not real handwriting",
        f"**This model learned from synthetic strokes, not from people's handwriting.** {d['source']}: text lines "
        "(standard-library prose, template sentences, dates/prices/addresses) drawn with the single-stroke Hershey "
        "fonts of the `hershey-fonts` package, made handwriting-like by slant, per-word scale, baseline drift, "
        "letter-spacing jitter, smooth elastic noise, speed-dependent resampling and joined cursive letters. "
        f"{d['train_lines']:,} training lines, {d['val_lines']:,} validation lines (split by a hash of the text), "
        f"{d['points_per_char']:.1f} pen points per character. The 20 benchmark sentences are excluded from training. "
        "Its letters therefore look like Hershey letters with jitter; it will not write like a person until it is "
        "trained on real data such as IAM-OnDB (`studio train handwriting --data iam-ondb/`). "
        "The Hershey font data's acknowledgement is in `handwriting/HERSHEY_NOTICE.txt`.",
        "",
        *training_section("handwriting", meta, minutes),
        f"**Validation NLL: {best:.4f} nats per pen point** (offsets in the scaled units above; it can be "
        "negative, as it is a density).",
        "",
        curve_table(curve, "nats/point"),
    ]
    if bench:
        flags = f"--biases {' '.join(bench['model'])}"
        if bench.get("styled"):
            flags += " --styles " + " ".join(f"'{st}'" for st in bench["styled"])
        out += [
            f"## Benchmark (`python -m bench.handwriting {flags} --json bench-handwriting.json`, one CPU thread)",
            "",
            f"Character error rate of tesseract ({bench['tesseract']}, `--psm 13`) on the {bench['sentences']} "
            "held-out sentences, each written as one line:",
            "",
            "| writer | CER --psm 13 | CER --psm 7 |",
            "|---|---:|---:|",
        ]
        for font, r in bench["reference"].items():
            out.append(f"| Hershey '{font}' drawn directly (reference) | {r['cer_psm13']['mean']:.3f} | "
                       f"{r['cer_psm7']['mean']:.3f} |")
        for b, r in bench["model"].items():
            out.append(f"| this model, bias {b} | {r['cer_psm13']['mean']:.3f} | {r['cer_psm7']['mean']:.3f} |")
        for st, by_bias in bench.get("styled", {}).items():
            for b, r in by_bias.items():
                out.append(f"| this model, bias {b}, style '{st}' | {r['cer_psm13']['mean']:.3f} | "
                           f"{r['cer_psm7']['mean']:.3f} |")
        s = bench["speed"]
        out += ["", f"Writing one {s['chars']}-character line (batch 1, CPU): median {s['median_s']:.3f} s.", "",
                "Unprimed, the model mostly picks a joined cursive hand, which tesseract reads poorly even when "
                "drawn straight from the font (the cursive references above). `studio write` and the studio "
                "therefore default to the style and bias in `handwriting/writer.py` (`DEFAULT_STYLE`, "
                "`DEFAULT_BIAS`), chosen from this table; `--style none` writes unprimed.", ""]
    out += [
        "## Limits",
        "- Synthetic training data (above): letter shapes come from a few fonts; no real personal style.",
        "- One line holds at most about 40 characters; longer text is wrapped into lines by the writer.",
        "- Rare characters (`{`, `~`, `|` ...) are seen less often than letters and come out less reliably.",
        "- Punctuation of several strokes (`?`, `!`, `;`) sometimes gets a stray extra stroke, most often unprimed "
        "and at the end of a line.",
        "- Primed with a style, a long line can drift back into the model's own cursive hand part-way through.",
        "",
    ]
    return "\n".join(out)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--music-run", help="the music run directory (for log.jsonl)")
    p.add_argument("--music-bench", help="JSON written by bench.music --json")
    p.add_argument("--music-minutes", type=float, help="wall-clock minutes the music training took")
    p.add_argument("--handwriting-run", help="the handwriting run directory (for log.jsonl)")
    p.add_argument("--handwriting-bench", help="JSON written by bench.handwriting --json")
    p.add_argument("--handwriting-minutes", type=float, help="wall-clock minutes the handwriting training took")
    p.add_argument("--only", choices=["music", "handwriting"],
                   help="rewrite just this card (the other one keeps figures from a run that may be gone)")
    args = p.parse_args(argv)
    music = _read(CARDS / "music.json") if args.only in (None, "music") else None
    if music:
        text = music_card(music, val_curve(args.music_run), _read(args.music_bench), args.music_minutes)
        (CARDS / "music.md").write_text(text)
        print(f"wrote {CARDS / 'music.md'}")
    hw = _read(CARDS / "handwriting.json") if args.only in (None, "handwriting") else None
    if hw:
        text = handwriting_card(hw, val_curve(args.handwriting_run), _read(args.handwriting_bench),
                                args.handwriting_minutes)
        (CARDS / "handwriting.md").write_text(text)
        print(f"wrote {CARDS / 'handwriting.md'}")


if __name__ == "__main__":
    main()
