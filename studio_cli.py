"""`studio` command line: train and generate music, write handwriting."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _add_train_flags(p: argparse.ArgumentParser, out: str, steps: int, lr: float) -> None:
    p.add_argument("--out", default=out, help=f"run directory for checkpoints and log.jsonl (default {out})")
    p.add_argument("--steps", type=int, default=steps, help=f"optimizer steps (default {steps})")
    p.add_argument("--lr", type=float, default=lr, help=f"peak learning rate (default {lr})")
    p.add_argument("--warmup", type=int, default=200, help="linear warmup steps (default 200)")
    p.add_argument("--grad-accum", type=int, default=1, help="micro-batches per optimizer step (default 1)")
    p.add_argument("--clip", type=float, default=1.0, help="gradient clipping bound (default 1.0)")
    p.add_argument("--clip-mode", choices=["norm", "value", "none"], default="norm", help="clip by norm or value")
    p.add_argument("--eval-every", type=int, default=250, help="steps between validations (default 250)")
    p.add_argument("--save-every", type=int, default=250, help="steps between resumable checkpoints (default 250)")
    p.add_argument("--minutes", type=float, default=0.0, help="stop and save after this many minutes (0: no limit)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1 ... (default auto)")
    p.add_argument("--seed", type=int, default=0, help="seed for init and data order (default 0)")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch default)")
    p.add_argument("--no-resume", action="store_true", help="start fresh even if OUT/last exists")
    p.add_argument("--ship", default=None, help="after training, export the best checkpoint (no optimizer) here")


def _train_config(args):
    from core.config import TrainConfig

    return TrainConfig(
        out_dir=args.out, max_steps=args.steps, lr=args.lr, warmup_steps=args.warmup, grad_accum=args.grad_accum,
        grad_clip=args.clip, clip_mode=args.clip_mode, eval_every=args.eval_every, save_every=args.save_every,
        max_minutes=args.minutes, device=args.device, seed=args.seed, resume=not args.no_resume,
    )


def _report(result: dict, args, unit: str) -> None:
    """Print how training ended; export the best checkpoint with --ship once the run is complete."""
    best = result["best_val_loss"]
    best_text = f"best val {best:.4f} {unit}" if best != float("inf") else "no validation yet"
    if result["stopped_early"]:
        print(f"stopped at step {result['step']} of {args.steps} ({best_text}); run the same command to resume")
        return
    print(f"done: step {result['step']}, {best_text}")
    if args.ship:
        from core.checkpoint import export_weights

        dst = export_weights(Path(args.out) / "best", args.ship)
        print(f"shipped {dst}.safetensors + {dst}.json")


def cmd_train_music(args) -> None:
    from music.model import MusicConfig
    from music.training import train_music

    mcfg = MusicConfig(embed_dim=args.embed, hidden=args.hidden, layers=args.layers, dropout=args.dropout)
    result = train_music(args.data, mcfg, _train_config(args), args.batch_size, args.seq_len, args.limit)
    _report(result, args, "nats/event")


def cmd_generate_music(args) -> None:
    from music.compose import DEFAULT_CHECKPOINT, compose
    from music.export import piano_roll_png, write_midi, write_musicxml, write_wav
    from music.training import load_model

    model, meta = load_model(args.checkpoint or DEFAULT_CHECKPOINT)
    songs = compose(
        model, meta, seconds=None if args.events else args.seconds, events=args.events,
        temperature=args.temperature, top_p=args.top_p, tempo_bpm=args.tempo, instrument=args.instrument,
        seed=args.seed, primer=args.primer, n=args.n,
    )
    out = Path(args.output)
    for i, pm in enumerate(songs):
        base = out if len(songs) == 1 else out.with_name(f"{out.stem}-{i + 1}{out.suffix}")
        written = [write_midi(pm, base.with_suffix(".mid"))]
        if args.wav:
            written.append(write_wav(pm, base.with_suffix(".wav")))
        if args.musicxml:
            written.append(write_musicxml(pm, base.with_suffix(".musicxml")))
        if args.png:
            written.append(piano_roll_png(pm, base.with_suffix(".png")))
        notes = sum(len(inst.notes) for inst in pm.instruments)
        print(f"{', '.join(str(w) for w in written)}  ({notes} notes, {pm.get_end_time():.1f} s)")


def cmd_train_handwriting(args) -> None:
    from handwriting.training import train_handwriting

    data = None if args.synthetic else args.data
    result = train_handwriting(data, args.model, args.hidden, args.layers, args.mixtures, _train_config(args),
                               args.batch_size, args.lines)
    _report(result, args, "nats/point")


def cmd_write(args) -> None:
    from handwriting.render import lines_to_svg, svg_to_png
    from handwriting.writer import DEFAULT_CHECKPOINT, DEFAULT_STYLE, load_prime, load_writer, write_text

    writer = load_writer(args.checkpoint or DEFAULT_CHECKPOINT)
    prime = load_prime(args.prime) if args.prime else None
    style = args.style
    if style is None:  # not given: the default style, unless the user's own prime sets the style
        style = None if prime is not None else DEFAULT_STYLE
    lines = write_text(writer, args.text, bias=args.bias, style=style, seed=args.seed, width=args.line_width,
                       prime=prime)
    svg = lines_to_svg([ln.offsets for ln in lines], color=args.color, stroke_width=args.width,
                       animate=args.animate)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg)
    written = [out]
    if args.png:
        written.append(svg_to_png(svg, out.with_suffix(".png")))
    print(f"{', '.join(str(w) for w in written)}  ({len(lines)} line(s), {sum(len(l.offsets) for l in lines)} points)")


def cmd_styles(args) -> None:
    from handwriting.hershey_corpus import STYLES

    for name, spec in STYLES.items():
        print(f"{name!r:18} Hershey font {spec['font']}, slant {spec['style_params'].get('slant_deg', 0):g} deg")


def build_parser() -> argparse.ArgumentParser:
    from handwriting.writer import DEFAULT_BIAS, DEFAULT_STYLE  # plain constants: no torch import

    parser = argparse.ArgumentParser(prog="studio", description="lstm-studio: music and handwriting with LSTMs")
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train a model").add_subparsers(dest="domain", required=True)
    tm = train.add_parser("music", help="train the event LSTM on Bach chorales or a MIDI folder")
    tm.add_argument("--data", default=None, help="folder of .mid/.midi files (default: music21's Bach chorales)")
    tm.add_argument("--limit", type=int, default=None, help="use only the first N pieces (quick runs)")
    tm.add_argument("--batch-size", type=int, default=32, help="sequences per micro-batch (default 32)")
    tm.add_argument("--seq-len", type=int, default=256, help="events per training window (default 256)")
    tm.add_argument("--embed", type=int, default=128, help="embedding width (default 128)")
    tm.add_argument("--hidden", type=int, default=256, help="LSTM width (default 256)")
    tm.add_argument("--layers", type=int, default=2, help="LSTM layers (default 2)")
    tm.add_argument("--dropout", type=float, default=0.1, help="dropout (default 0.1)")
    _add_train_flags(tm, "runs/music", 6000, 3e-3)
    tm.set_defaults(func=cmd_train_music)

    th = train.add_parser("handwriting", help="train the Graves handwriting network")
    src = th.add_mutually_exclusive_group()
    src.add_argument("--data", default=None, help="IAM-OnDB root (lineStrokes/ + ascii/) or a strokes .json file")
    src.add_argument("--synthetic", action="store_true", help="the synthetic Hershey-font corpus (the default)")
    th.add_argument("--model", choices=["synthesis", "prediction"], default="synthesis",
                    help="synthesis (text-conditioned, section 5) or prediction (unconditional, section 4)")
    th.add_argument("--lines", type=int, default=20000, help="synthetic corpus size in lines (default 20000)")
    th.add_argument("--batch-size", type=int, default=32, help="lines per micro-batch (default 32)")
    th.add_argument("--hidden", type=int, default=256, help="LSTM width (default 256)")
    th.add_argument("--layers", type=int, default=3, help="LSTM layers (default 3)")
    th.add_argument("--mixtures", type=int, default=20, help="output mixture components (default 20)")
    _add_train_flags(th, "runs/handwriting", 4000, 2e-3)
    th.set_defaults(func=cmd_train_handwriting)

    gen = sub.add_parser("generate", help="generate with a trained model").add_subparsers(dest="domain", required=True)
    gm = gen.add_parser("music", help="generate songs as MIDI (+ WAV, MusicXML, piano-roll PNG)")
    gm.add_argument("-o", "--output", default="song.mid", help="output .mid path (default song.mid)")
    gm.add_argument("--seconds", type=float, default=30.0, help="length of new music in seconds (default 30)")
    gm.add_argument("--events", type=int, default=None, help="length in events instead of seconds")
    gm.add_argument("--temperature", type=float, default=1.0, help="softmax temperature (default 1.0)")
    gm.add_argument("--top-p", type=float, default=0.95, help="nucleus sampling mass (default 0.95)")
    gm.add_argument("--tempo", type=float, default=None, help="tempo in BPM (default: the corpus tempo)")
    gm.add_argument("--instrument", default="0", help="GM program number or name (default 0, piano)")
    gm.add_argument("--seed", type=int, default=0, help="random seed: same seed, same song (default 0)")
    gm.add_argument("--primer", default=None, help="MIDI file to continue")
    gm.add_argument("--n", type=int, default=1, help="number of candidates (default 1)")
    gm.add_argument("--wav", action="store_true", help="also render a .wav (GM soundfont)")
    gm.add_argument("--musicxml", action="store_true", help="also write a .musicxml score")
    gm.add_argument("--png", action="store_true", help="also draw a piano-roll .png")
    gm.add_argument("--checkpoint", default=None, help="checkpoint prefix (default: the shipped model)")
    gm.set_defaults(func=cmd_generate_music)

    wr = sub.add_parser("write", help="write typed text as handwriting (SVG, optional PNG)")
    wr.add_argument("text", help="the text to write; long text is wrapped into lines")
    wr.add_argument("-o", "--output", default="handwriting.svg", help="output .svg path (default handwriting.svg)")
    wr.add_argument("--bias", type=float, default=DEFAULT_BIAS,
                    help=f"neatness: 0 = free, 2+ = very neat (default {DEFAULT_BIAS:g})")
    wr.add_argument("--style", default=None,
                    help=f"writing style to imitate (default {DEFAULT_STYLE!r}, the most legible; 'none' lets the "
                         "model pick its own hand; list them with `studio styles`)")
    wr.add_argument("--prime", default=None, metavar="JSON",
                    help="imitate your own handwriting: a strokes JSON file (first line and its text)")
    wr.add_argument("--seed", type=int, default=0, help="random seed: same seed, same writing (default 0)")
    wr.add_argument("--color", default="#1a1a80", help="ink colour (default #1a1a80)")
    wr.add_argument("--width", type=float, default=1.6, help="stroke width (default 1.6)")
    wr.add_argument("--line-width", type=int, default=40, help="characters per line before wrapping (default 40)")
    wr.add_argument("--animate", action="store_true", help="animated SVG that draws itself")
    wr.add_argument("--png", action="store_true", help="also write a .png beside the .svg")
    wr.add_argument("--checkpoint", default=None, help="checkpoint prefix (default: the shipped model)")
    wr.set_defaults(func=cmd_write)

    st = sub.add_parser("styles", help="list the handwriting styles that `studio write --style` accepts")
    st.set_defaults(func=cmd_styles)

    ex = sub.add_parser("export", help="copy a run's checkpoint without optimizer state (for shipping)")
    ex.add_argument("src", help="checkpoint prefix, e.g. runs/music/best")
    ex.add_argument("dst", help="destination prefix, e.g. samples/checkpoints/music")
    ex.set_defaults(func=lambda a: print(_export(a.src, a.dst)))
    return parser


def _export(src: str, dst: str) -> str:
    from core.checkpoint import export_weights

    out = export_weights(src, dst)
    return f"wrote {out}.safetensors + {out}.json"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "threads", 0):
        import torch

        torch.set_num_threads(args.threads)
    try:
        args.func(args)
    except (ValueError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
