"""Learning-rate schedule: linear warmup then cosine decay."""
from __future__ import annotations

import math


def lr_at(step: int, peak: float, warmup: int, total: int, min_ratio: float) -> float:
    """LR for optimizer step `step` (0-based): linear warmup to `peak`, cosine to `peak*min_ratio`."""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    span = max(1, total - warmup)
    progress = min(1.0, (step - warmup) / span)
    return peak * (min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress)))
