"""Benchmark of the shipped event LSTM: held-out NLL vs n-gram baselines, musical statistics, speed.

Run from the repository root:  python -m bench.music [--quick] [--json out.json]
Every figure is measured by this script in this run; see bench/README.md for what each one means.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: the repo root must come first so `music` is the package
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import tempfile
import time

import numpy as np
import torch

from bench.common import mean_std, median_seconds, print_table, write_json
from bench.music_stats import STATISTICS, piece_statistics
from bench.ngram import fit_kneser_ney, log_probs

GOAL_GENERATE_S = 0.5  # issue: 30 s of music at batch 1 on a CPU in under half a second


def parse_args(argv=None) -> argparse.Namespace:
    from music.compose import DEFAULT_CHECKPOINT

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=str(DEFAULT_CHECKPOINT),
                   help="music checkpoint prefix (safetensors + JSON); default: the shipped one")
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes for a smoke run (5 held-out pieces, 3 short generations, 3 training steps); "
                        "the figures are NOT the benchmark")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1: a single CPU core)")
    p.add_argument("--json", metavar="PATH", help="also write every figure to this JSON file")
    p.add_argument("--order", type=int, default=5, help="n-gram order of the Kneser-Ney baseline (default 5)")
    p.add_argument("--pieces", type=int, default=20, help="generated pieces for the musical statistics (seeds 0..N-1)")
    p.add_argument("--seconds", type=float, default=30.0, help="length of each generated piece in seconds")
    p.add_argument("--train-steps", type=int, default=20, help="optimizer steps timed in each training loop")
    return p.parse_args(argv)


def held_out_split(meta: dict):
    """(train, val, same_events): the checkpoint's chorale split (ValueError if its val pieces differ) and whether
    the event counts still match the checkpoint's (False after an encoding change; a warning is printed)."""
    from music.corpus import load_chorales, split_by_name

    train, val = split_by_name(load_chorales())
    want = meta.get("data", {}).get("val_names")
    if want is None:
        raise ValueError("checkpoint JSON has no data.val_names: cannot check the held-out split")
    if sorted(want) != sorted(p.name for p in val):
        missing = sorted(set(want) ^ {p.name for p in val})[:5]
        raise ValueError(f"the checkpoint's validation pieces differ from split_by_name(load_chorales()) "
                         f"(e.g. {missing}); was it trained on the chorales?")
    saved = (meta["data"].get("train_events"), meta["data"].get("val_events"))
    now = (sum(len(p.ids) for p in train), sum(len(p.ids) for p in val))
    if saved != now:
        print(f"WARNING: the checkpoint was trained on {saved[0]:,}/{saved[1]:,} train/val events but the chorale "
              f"cache now gives {now[0]:,}/{now[1]:,}: the event encoding changed since (retrain for fair figures)")
    return train, val, saved == now


@torch.inference_mode()
def lstm_nll(model, pieces) -> tuple[float, int]:
    """Exact NLL in nats/event of every event after START over whole pieces; returns (mean, events)."""
    total, n = 0.0, 0
    for p in pieces:
        ids = torch.from_numpy(np.asarray(p.ids, np.int64))[None]  # (1, T)
        _, loss = model(ids[:, :-1], ids[:, 1:])  # mean over T-1 events
        total += float(loss) * (ids.shape[1] - 1)
        n += ids.shape[1] - 1
    return total / n, n


def transpositions(pieces, low: int = -5, high: int = 6) -> list[np.ndarray]:
    """Every piece shifted by every interval in low..high that keeps its pitches in 0..127 (0 included)."""
    from music import events as ev

    out = []
    for p in pieces:
        span = ev.pitch_range(p.ids)
        for k in range(low, high + 1):
            if span is None and k != 0:
                continue
            if span is None or (span[0] + k >= 0 and span[1] + k <= 127):
                out.append(ev.transpose(p.ids, k).astype(np.int64))
    return out


def ngram_nll(train_seqs, val_pieces, order: int, vocab: int) -> tuple[float, float]:
    """(nats/event on the held-out pieces, seconds to fit) of an interpolated KN model of `order`."""
    t0 = time.perf_counter()
    model = fit_kneser_ney(train_seqs, vocab, order)
    fit_s = time.perf_counter() - t0
    lp = np.concatenate([log_probs(model, np.asarray(p.ids, np.int64)) for p in val_pieces])
    return float(-lp.mean()), fit_s


def nll_figures(model, train, val, order: int) -> dict:
    from music import events as ev

    lstm, n_events = lstm_nll(model, val)
    shifted = transpositions(train)
    plain = [np.asarray(p.ids, np.int64) for p in train]
    kn_t, fit_t = ngram_nll(shifted, val, order, ev.VOCAB_SIZE)
    kn_p, _ = ngram_nll(plain, val, order, ev.VOCAB_SIZE)
    uni, _ = ngram_nll(shifted, val, 1, ev.VOCAB_SIZE)
    return {"events": n_events, "val_pieces": len(val), "train_pieces": len(train),
            "train_sequences_transposed": len(shifted), "lstm": lstm, f"kn{order}_transposed": kn_t,
            f"kn{order}_untransposed": kn_p, "unigram_transposed": uni, "kn_fit_seconds": fit_t,
            "ratio_lstm_over_kn": lstm / kn_t, "uniform": float(np.log(ev.VOCAB_SIZE))}


def statistics_figures(model, val, n_pieces: int, seconds: float) -> dict:
    from music.midi_io import ids_to_notes
    from music.sample import sample

    generated = []
    for seed in range(n_pieces):
        ids = sample(model, torch.Generator().manual_seed(seed), n=1, seconds=seconds)[0]
        generated.append(piece_statistics(ids_to_notes(ids)))
    reference = [piece_statistics(ids_to_notes(p.ids)) for p in val]
    return {
        "generated": {k: mean_std([s[k] for s in generated]) for k in STATISTICS},
        "held_out": {k: mean_std([s[k] for s in reference]) for k in STATISTICS},
        "generated_pieces": n_pieces, "generated_seconds": seconds, "held_out_pieces": len(val),
    }


def speed_figures(model, seconds: float, runs: int) -> dict:
    from music.sample import sample

    def once():
        return sample(model, torch.Generator().manual_seed(0), n=1, seconds=seconds)[0]

    median, ids = median_seconds(once, runs, warmup=1)
    return {"seconds_of_music": seconds, "runs": runs, "median_s": median, "events": int(len(ids)),
            "events_per_s": len(ids) / median, "goal_s": GOAL_GENERATE_S}


def _bare_loop(model, batches, steps: int, lr: float, clip: float) -> float:
    """Tokens/s of a plain AdamW + clip_grad_norm_ loop (no schedule, logging, eval or checkpoints)."""
    opt = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    tokens, t0 = 0, time.perf_counter()
    for step in range(steps):
        x, y = batches(step, 0)
        _, loss = model(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        tokens += y.numel()
    return tokens / (time.perf_counter() - t0)


def training_figures(config, train, steps: int, batch: int, seq_len: int) -> dict:
    """Tokens/s of core.train.train vs a bare loop on the same model size and batches, this run."""
    import dataclasses

    from core.config import TrainConfig
    from core.train import train as core_train
    from music.batches import make_train_batches
    from music.model import MusicLSTM

    batches = make_train_batches(train, batch, seq_len, seed=0)
    x, y = batches(10_000, 0)
    val = [(x[:1, :16], y[:1, :16])]  # one tiny batch: train() evaluates once at the end
    torch.manual_seed(0)
    _bare_loop(MusicLSTM(config), batches, 1, 1e-3, 1.0)  # untimed warm-up of the kernels for both loops
    with tempfile.TemporaryDirectory() as tmp:
        cfg = TrainConfig(out_dir=tmp, max_steps=steps, warmup_steps=max(1, steps // 4), eval_every=steps,
                          save_every=steps, log_every=steps, device="cpu", resume=False, progress=False)
        torch.manual_seed(0)
        result = core_train(MusicLSTM(config), batches, val, cfg)
    torch.manual_seed(0)
    bare = _bare_loop(MusicLSTM(config), batches, steps, cfg.lr, cfg.grad_clip)
    core = float(result["tokens_per_s"])
    return {"steps": steps, "batch": batch, "seq_len": seq_len, "model_config": dataclasses.asdict(config),
            "core_tokens_per_s": core, "bare_tokens_per_s": bare, "ratio_core_over_bare": core / bare}


def report(fig: dict) -> None:
    n = fig["nll"]
    order = fig["order"]
    print_table(f"held-out NLL, nats/event ({n['val_pieces']} pieces, {n['events']:,} events after START)", [
        ("event LSTM (shipped checkpoint)", n["lstm"]),
        (f"{order}-gram Kneser-Ney, 12 transpositions ({n['train_sequences_transposed']} seqs)",
         n[f"kn{order}_transposed"]),
        (f"{order}-gram Kneser-Ney, untransposed ({n['train_pieces']} pieces)", n[f"kn{order}_untransposed"]),
        ("unigram, 12 transpositions", n["unigram_transposed"]),
        ("uniform over 389 ids", n["uniform"]),
        (f"ratio LSTM / {order}-gram (transposed)", n["ratio_lstm_over_kn"]),
    ])
    s = fig["stats"]
    print_table(f"musical statistics, mean +- std ({s['generated_pieces']} generated x {s['generated_seconds']:g} s "
                f"vs {s['held_out_pieces']} held-out chorales)",
                [(k, s["generated"][k], s["held_out"][k]) for k in STATISTICS],
                header=("statistic", "generated", "held-out"))
    g = fig["speed"]
    t = fig["train"]
    print_table("speed (CPU, batch 1 generation; training batch "
                f"{t['batch']} x {t['seq_len']}, {t['steps']} steps)", [
        (f"generate {g['seconds_of_music']:g} s of music, median of {g['runs']}",
         f"{g['median_s']:.3f} s (goal < {g['goal_s']} s)", f"{g['events']} events, {g['events_per_s']:,.0f} ev/s"),
        ("training, core.train.train", f"{t['core_tokens_per_s']:,.0f} tok/s"),
        ("training, bare nn.LSTM loop", f"{t['bare_tokens_per_s']:,.0f} tok/s"),
        ("ratio core / bare", f"{t['ratio_core_over_bare']:.3f}"),
    ])


def main(argv=None) -> dict:
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    from music.training import load_model

    model, meta = load_model(args.checkpoint)
    train, val, same_events = held_out_split(meta)
    quick = args.quick
    if quick:
        print("QUICK smoke run: tiny sizes, the figures below are not the benchmark")
        train, val = train[:40], val[:5]
    fig = {"checkpoint": str(args.checkpoint), "checkpoint_step": meta.get("step"), "quick": quick,
           "threads": args.threads, "order": args.order,
           "data_matches_checkpoint": same_events}
    t0 = time.perf_counter()
    fig["nll"] = nll_figures(model, train, val, args.order)
    fig["stats"] = statistics_figures(model, val, 3 if quick else args.pieces, 5.0 if quick else args.seconds)
    fig["speed"] = speed_figures(model, 30.0, 2 if quick else 5)
    batch, seq_len = (4, 64) if quick else (32, 256)
    fig["train"] = training_figures(model.config, train, 3 if quick else args.train_steps, batch, seq_len)
    fig["wall_seconds"] = time.perf_counter() - t0
    report(fig)
    print(f"\n(total {fig['wall_seconds']:.0f} s, {args.threads} thread(s), checkpoint step {fig['checkpoint_step']})")
    if args.json:
        write_json(args.json, fig)
    return fig


if __name__ == "__main__":
    main()
