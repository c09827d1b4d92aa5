"""Training configuration shared by every model in the studio."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TrainConfig:
    """Hyper-parameters of one training run; stored in every checkpoint."""

    out_dir: str = "runs/default"  # where last/best checkpoints and log.jsonl go
    max_steps: int = 2000  # optimizer steps (not micro-batches)
    lr: float = 3e-3  # peak LR; LSTMs this small tolerate a high AdamW LR
    min_lr_ratio: float = 0.1  # cosine decays to lr * min_lr_ratio
    warmup_steps: int = 100  # linear warmup avoids early LSTM gate saturation
    weight_decay: float = 0.01  # on matrices only, never on biases/embeddings of size 1-D
    beta1: float = 0.9
    beta2: float = 0.99  # shorter second-moment memory than 0.999: faster on small data
    grad_clip: float = 1.0  # Graves clips LSTM gradients; 1.0 is the usual norm bound
    clip_mode: str = "norm"  # "norm" (clip_grad_norm_), "value" (clip_grad_value_) or "none"
    grad_accum: int = 1  # micro-batches per optimizer step
    eval_every: int = 200  # steps between validation passes
    save_every: int = 200  # steps between resumable "last" checkpoints
    log_every: int = 10  # steps between progress-bar / log.jsonl updates
    seed: int = 0
    amp: bool = True  # bf16 autocast on CUDA; ignored on CPU
    device: str = "auto"  # "auto", "cpu", "cuda", "cuda:1", ...
    resume: bool = True  # continue from out_dir/last if it exists
    max_minutes: float = 0.0  # stop cleanly (and save) after this wall time; 0 = no limit
    progress: bool = True  # show a tqdm progress bar (rank 0 only)

    def __post_init__(self) -> None:
        if self.clip_mode not in ("norm", "value", "none"):
            raise ValueError(f"clip_mode must be 'norm', 'value' or 'none', got {self.clip_mode!r}")
        if self.grad_accum < 1:
            raise ValueError(f"grad_accum must be >= 1, got {self.grad_accum}")
        if self.max_steps < 1:
            raise ValueError(f"max_steps must be >= 1, got {self.max_steps}")
