"""Glue between the music data layer and the shared core: build data, model and meta, then core.train."""
from __future__ import annotations

import dataclasses

import torch

from core.config import TrainConfig
from core.train import train

from . import events as ev
from .model import MusicConfig, MusicLSTM


def load_pieces(data_dir: str | None, limit: int | None = None):
    """Chorales from music21 (default) or every .mid/.midi under data_dir; returns (pieces, description)."""
    from .corpus import load_chorales, load_folder

    if data_dir is None:
        pieces = load_chorales(limit=limit)
        return pieces, f"music21 Bach chorales ({len(pieces)} pieces)"
    pieces, summary = load_folder(data_dir)
    print(summary, flush=True)
    return pieces[:limit] if limit else pieces, f"{data_dir}: {summary}"


def train_music(
    data_dir: str | None,
    model_cfg: MusicConfig,
    train_cfg: TrainConfig,
    batch_size: int = 32,
    seq_len: int = 256,
    limit: int | None = None,
) -> dict:
    """Train an event LSTM on chorales or a MIDI folder; checkpoints land in train_cfg.out_dir."""
    from .batches import make_train_batches, make_val_batches
    from .corpus import split_by_name

    pieces, source = load_pieces(data_dir, limit)
    train_set, val_set = split_by_name(pieces)
    if not train_set or not val_set:
        raise ValueError(f"need at least one training and one validation piece, got {len(train_set)}/{len(val_set)}")
    n_train = sum(len(p.ids) for p in train_set)
    n_val = sum(len(p.ids) for p in val_set)
    print(f"data: {source}; train {len(train_set)} pieces / {n_train:,} events, "
          f"val {len(val_set)} pieces / {n_val:,} events", flush=True)
    batches = make_train_batches(train_set, batch_size, seq_len, seed=train_cfg.seed)
    val_batches = make_val_batches(val_set, batch_size, seq_len)
    model = MusicLSTM(model_cfg)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params:,} parameters {dataclasses.asdict(model_cfg)}", flush=True)
    meta = {
        "kind": "music",
        "data": {
            "source": source,
            "train_pieces": len(train_set),
            "val_pieces": len(val_set),
            "train_events": n_train,
            "val_events": n_val,
            "val_names": [p.name for p in val_set],
            "batch_size": batch_size,
            "seq_len": seq_len,
        },
        "vocab": {"size": ev.VOCAB_SIZE, "steps_per_second": ev.STEPS_PER_SECOND,
                  "max_shift_steps": ev.MAX_SHIFT_STEPS, "velocity_bins": ev.NUM_VELOCITY_BINS},
        "n_params": n_params,
    }
    return train(model, batches, val_batches, train_cfg, meta)


def load_model(path, device: str = "cpu") -> tuple[MusicLSTM, dict]:
    """Rebuild a MusicLSTM from a checkpoint prefix (safetensors + JSON, never a pickle)."""
    from core.checkpoint import load_checkpoint

    weights, meta = load_checkpoint(path)
    if meta.get("kind") != "music":
        raise ValueError(f"{path}: not a music checkpoint (kind={meta.get('kind')!r})")
    model = MusicLSTM(MusicConfig(**meta["model_config"]))
    model.load_state_dict(weights)
    return model.to(device).eval(), meta
