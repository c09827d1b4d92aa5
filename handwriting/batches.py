"""Training batches for the handwriting networks: padded stroke sequences + text, bucketed by length."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from .alphabet import encode_text


def collate(samples: Sequence, scale: float) -> tuple[dict, dict]:
    """StrokeSamples -> (x, targets) dicts of padded tensors; offsets divided by `scale`.

    x["strokes"] is the target sequence shifted right by one with a pen-up start token (0, 0, 1).
    """
    B = len(samples)
    T = max(len(s.offsets) for s in samples)
    U = max(len(s.text) for s in samples)
    strokes = np.zeros((B, T, 3), np.float32)
    mask = np.zeros((B, T), np.float32)
    chars = np.zeros((B, U), np.int64)
    for i, s in enumerate(samples):
        n = len(s.offsets)
        strokes[i, :n, :2] = s.offsets[:, :2] / scale
        strokes[i, :n, 2] = s.offsets[:, 2]
        mask[i, :n] = 1.0
        ids = encode_text(s.text)
        chars[i, : len(ids)] = ids
    inputs = np.concatenate([np.tile([[[0.0, 0.0, 1.0]]], (B, 1, 1)).astype(np.float32), strokes[:, :-1]], axis=1)
    x = {"strokes": torch.from_numpy(inputs), "chars": torch.from_numpy(chars)}  # (B, T, 3), (B, U)
    y = {"strokes": torch.from_numpy(strokes), "mask": torch.from_numpy(mask)}  # (B, T, 3), (B, T)
    return x, y


def make_train_batches(samples: Sequence, batch_size: int, scale: float, seed: int) -> Callable[[int, int], tuple]:
    """batch(step, rank): samples of similar length (less padding), a pure function of (seed, step, rank)."""
    order = np.argsort([len(s.offsets) for s in samples], kind="stable")
    window = min(len(order), batch_size * 8)

    def batch(step: int, rank: int) -> tuple[dict, dict]:
        rng = np.random.default_rng([seed, step, rank])
        start = int(rng.integers(0, len(order) - window + 1))
        pick = order[start + rng.choice(window, size=min(batch_size, window), replace=False)]
        return collate([samples[i] for i in pick], scale)

    return batch


def make_val_batches(samples: Sequence, batch_size: int, scale: float) -> list[tuple[dict, dict]]:
    """Deterministic validation batches, sorted by length."""
    order = np.argsort([len(s.offsets) for s in samples], kind="stable")
    return [collate([samples[i] for i in order[j : j + batch_size]], scale) for j in range(0, len(order), batch_size)]
