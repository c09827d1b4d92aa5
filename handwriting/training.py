"""Glue between handwriting data and the shared core: load samples, measure scale, build model + meta, train."""
from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from core.config import TrainConfig
from core.train import train

from .alphabet import ALPHABET
from .model import Prediction, PredictionConfig, Synthesis, SynthesisConfig


def load_samples(data: str | None, n_lines: int, seed: int = 0):
    """(samples, description): the synthetic Hershey corpus (data=None), an IAM-OnDB root, or a JSON file."""
    if data is None:
        from .hershey_corpus import build_corpus

        return build_corpus(n_lines, seed=seed), f"synthetic Hershey-font corpus ({n_lines} lines, seed {seed})"
    path = Path(data)
    if path.is_file() and path.suffix == ".json":
        from .user_strokes import load_json

        samples = load_json(path, fit_units=True)  # any units (canvas pixels...) -> capitals ~20 units, as IAM
        return samples, f"{path.name}: {len(samples)} user lines"
    if path.is_dir():
        from .iam import load_iam

        samples, summary = load_iam(path)
        print(summary, flush=True)
        return samples, f"IAM-OnDB at {path.name}: {summary}"
    raise ValueError(f"--data must be an IAM-OnDB folder or a .json strokes file, got {data}")


def split(samples, val_fraction: float = 0.05):
    """Fixed split by a hash of the text (stable across runs and machines)."""
    def is_val(s) -> bool:
        return int(hashlib.sha1(s.text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < val_fraction

    train_set = [s for s in samples if not is_val(s)]
    val_set = [s for s in samples if is_val(s)]
    return train_set, val_set


def build_model(kind: str, hidden: int, layers: int, mixtures: int):
    if kind == "synthesis":
        return Synthesis(SynthesisConfig(hidden=hidden, layers=layers, output_mixtures=mixtures))
    if kind == "prediction":
        return Prediction(PredictionConfig(hidden=hidden, layers=layers, output_mixtures=mixtures))
    raise ValueError(f"model must be 'synthesis' or 'prediction', got {kind!r}")


def train_handwriting(data: str | None, kind: str, hidden: int, layers: int, mixtures: int, cfg: TrainConfig,
                      batch_size: int = 32, n_lines: int = 20000, val_batches_max: int = 8) -> dict:
    """Train a handwriting network; checkpoints land in cfg.out_dir."""
    from .batches import make_train_batches, make_val_batches
    from .strokes import measure_scale

    samples, source = load_samples(data, n_lines, seed=cfg.seed)
    train_set, val_set = split(samples)
    if not train_set or not val_set:
        raise ValueError(f"need training and validation lines, got {len(train_set)}/{len(val_set)}")
    scale = float(measure_scale(train_set))
    points = sum(len(s.offsets) for s in train_set)
    chars = sum(len(s.text) for s in train_set)
    print(f"data: {source}; train {len(train_set)} lines / {points:,} points ({points / chars:.1f} per char), "
          f"val {len(val_set)} lines; offset scale {scale:.3f}", flush=True)
    model = build_model(kind, hidden, layers, mixtures)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {kind}, {n_params:,} parameters {dataclasses.asdict(model.config)}", flush=True)
    meta = {
        "kind": "handwriting",
        "model": kind,
        "scale": scale,
        "alphabet": ALPHABET,
        "data": {"source": source, "train_lines": len(train_set), "val_lines": len(val_set),
                 "points_per_char": points / chars, "batch_size": batch_size},
        "n_params": n_params,
    }
    batches = make_train_batches(train_set, batch_size, scale, seed=cfg.seed)
    val = make_val_batches(val_set, batch_size, scale)[:val_batches_max]
    return train(model, batches, val, cfg, meta)


def load_model(path, device: str = "cpu"):
    """Rebuild a handwriting network from a checkpoint prefix (safetensors + JSON)."""
    from core.checkpoint import load_checkpoint

    weights, meta = load_checkpoint(path)
    if meta.get("kind") != "handwriting":
        raise ValueError(f"{path}: not a handwriting checkpoint (kind={meta.get('kind')!r})")
    if meta.get("model", "synthesis") == "synthesis":
        model = Synthesis(SynthesisConfig(**meta["model_config"]))
    else:
        model = Prediction(PredictionConfig(**meta["model_config"]))
    model.load_state_dict(weights)
    return model.to(device).eval(), meta
