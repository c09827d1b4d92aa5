"""Training batches for the event LSTM: random windows with transposition, a pure function of the step."""
from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from . import events as ev


def make_train_batches(pieces, batch_size: int, seq_len: int, seed: int,
                       transpose: tuple[int, int] = (-5, 6)) -> Callable[[int, int], tuple]:
    """batch(step, rank) -> (x, y) LongTensors (B, T); y is x shifted by one.

    Windows of seq_len+1 events are drawn from pieces in proportion to their length (pieces not longer
    than a window are skipped) and transposed by a random interval in `transpose` (inclusive; the default
    -5..+6 reaches all 12 keys) narrowed to keep every pitch in 0..127 (no shift if nothing is legal).
    The draw uses default_rng([seed, step, rank]), so a resumed run sees exactly the same batches.
    """
    usable = [p.ids for p in pieces if len(p.ids) > seq_len]
    if not usable:
        raise ValueError(f"no piece is longer than seq_len={seq_len} events; lower --seq-len")
    weights = np.array([len(ids) - seq_len for ids in usable], dtype=np.float64)
    weights /= weights.sum()
    lo, hi = transpose
    if lo > hi:
        raise ValueError(f"transpose range {transpose} is empty; give (low, high) with low <= high")

    def batch(step: int, rank: int) -> tuple[torch.Tensor, torch.Tensor]:
        rng = np.random.default_rng([seed, step, rank])
        rows = np.empty((batch_size, seq_len + 1), dtype=np.int64)
        for b, k in enumerate(rng.choice(len(usable), size=batch_size, p=weights)):
            start = int(rng.integers(0, len(usable[k]) - seq_len))
            window = usable[k][start : start + seq_len + 1]
            span = ev.pitch_range(window)
            if span is not None:
                low, high = max(lo, -span[0]), min(hi, 127 - span[1])
                shift = int(rng.integers(low, high + 1)) if low <= high else 0
                window = ev.transpose(window, shift)
            rows[b] = window
        t = torch.from_numpy(rows)
        return t[:, :-1], t[:, 1:]  # (B, T), (B, T)

    return batch


def make_val_batches(pieces, batch_size: int, seq_len: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Deterministic, non-overlapping, untransposed windows over every validation piece."""
    windows = [p.ids[s : s + seq_len + 1] for p in pieces for s in range(0, len(p.ids) - seq_len, seq_len)]
    if not windows:
        raise ValueError(f"no validation piece is longer than seq_len={seq_len} events; lower --seq-len")
    out = []
    for i in range(0, len(windows), batch_size):
        t = torch.from_numpy(np.stack(windows[i : i + batch_size]).astype(np.int64))
        out.append((t[:, :-1], t[:, 1:]))
    return out
