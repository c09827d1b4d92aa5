"""The shared training loop: AdamW, warmup+cosine, clipping, accumulation, AMP, DDP, checkpoints, resume.

The core knows nothing of music or handwriting. A model is any nn.Module with
`forward(x, targets) -> (out, loss)` (loss: mean over the batch's tokens/points) and a `config`
dataclass attribute. Data comes as
    train_batches(step_index, rank) -> (x, targets)   # a pure function of its arguments
    val_batches: iterable of (x, targets)
so a resumed run sees exactly the batches an uninterrupted run would (the data position is the step).
x / targets may be tensors, or tuples/dicts of tensors; they are moved to the device recursively.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import signal
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import torch
from torch import nn

from . import distributed
from .checkpoint import capture_rng, load_checkpoint, load_train_state, restore_rng, save_checkpoint
from .config import TrainConfig
from .schedule import lr_at

Batch = tuple[Any, Any]


def to_device(obj: Any, device: torch.device) -> Any:
    """Move a tensor or a (nested) tuple/list/dict of tensors to `device`."""
    if torch.is_tensor(obj):
        return obj.to(device, non_blocking=True)
    if isinstance(obj, dict):
        return {k: to_device(v, device) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj


def count_tokens(targets: Any) -> int:
    """Tokens/points a loss averages over: mask.sum() for dict targets with a mask, else B*T."""
    if isinstance(targets, dict):
        if "mask" in targets:
            return int(targets["mask"].sum().item())
        targets = next(iter(targets.values()))
    if isinstance(targets, (list, tuple)):
        targets = targets[0]
    return int(targets.shape[0] * targets.shape[1]) if targets.dim() >= 2 else int(targets.numel())


def make_optimizer(model: nn.Module, cfg: TrainConfig) -> torch.optim.AdamW:
    """AdamW with weight decay on matrices only (biases and 1-D params are not decayed)."""
    decay = [p for p in model.parameters() if p.requires_grad and p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.requires_grad and p.dim() < 2]
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=cfg.lr, betas=(cfg.beta1, cfg.beta2))


def autocast_for(device: torch.device, enabled: bool):
    """bf16 autocast on CUDA when enabled; a no-op context on CPU."""
    if enabled and device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


@torch.no_grad()
def evaluate(model: nn.Module, batches: Iterable[Batch], device: torch.device, amp: bool = True) -> float:
    """Token-weighted mean loss over `batches`."""
    was_training = model.training
    model.eval()
    total, n = 0.0, 0
    for x, y in batches:
        x, y = to_device(x, device), to_device(y, device)
        with autocast_for(device, amp):
            _, loss = model(x, y)
        k = count_tokens(y)
        total += float(loss.float().item()) * k
        n += k
    model.train(was_training)
    return total / max(n, 1)


class _StopFlag:
    """First SIGINT/SIGTERM asks the loop to finish its step and save; a second one aborts."""

    def __init__(self) -> None:
        self.requested = False
        self._old: dict[int, Any] = {}

    def __enter__(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                self._old[sig] = signal.signal(sig, self._handle)
            except ValueError:  # not the main thread (e.g. inside a Gradio worker)
                pass
        return self

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc):
        for sig, old in self._old.items():
            signal.signal(sig, old)


def train(
    model: nn.Module,
    train_batches: Callable[[int, int], Batch],
    val_batches: Iterable[Batch],
    cfg: TrainConfig,
    meta: dict | None = None,
) -> dict:
    """Train `model` in place; returns final metrics. Checkpoints go to cfg.out_dir/{last,best}.*"""
    info = distributed.setup(cfg.device)
    device, out = info.device, Path(cfg.out_dir)
    torch.manual_seed(cfg.seed + info.rank)
    model.to(device)
    opt = make_optimizer(model, cfg)
    meta = dict(meta or {})
    step, best_val, history = 0, math.inf, []

    last = out / "last"
    if cfg.resume and (out / "last.json").is_file():
        weights, saved = load_checkpoint(last)
        model.load_state_dict(weights)
        state = load_train_state(last, saved)
        opt.load_state_dict(state["optimizer"])
        restore_rng(state["rng"])
        step = int(saved["step"])
        best_val = float(state["extra"].get("best_val", math.inf))
        if info.is_main:
            print(f"resumed from {last} at step {step} (best val {best_val:.4f})", flush=True)

    ddp_model = model
    if info.world_size > 1:
        ddp_model = nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None
        )

    def checkpoint_meta(val: float | None) -> dict:
        return {
            **meta,
            "step": step,
            "model_config": dataclasses.asdict(model.config),
            "train_config": dataclasses.asdict(cfg),
            "metrics": {"val_loss": val, "best_val_loss": best_val if math.isfinite(best_val) else None},
        }

    def save_last(val: float | None) -> None:
        if info.is_main:
            state = {"optimizer": opt.state_dict(), "rng": capture_rng(), "extra": {"best_val": best_val}}
            save_checkpoint(last, model, checkpoint_meta(val), state)
        distributed.barrier()

    if info.is_main:
        out.mkdir(parents=True, exist_ok=True)
    log = (out / "log.jsonl").open("a") if info.is_main else None
    bar = None
    if info.is_main and cfg.progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=cfg.max_steps, initial=step, desc="train", unit="step", dynamic_ncols=True)

    t0, tok_window, t_window = time.time(), 0, time.time()
    val, train_loss, tok_per_s = None, math.nan, 0.0
    model.train()
    with _StopFlag() as stop:
        while step < cfg.max_steps:
            lr = lr_at(step, cfg.lr, cfg.warmup_steps, cfg.max_steps, cfg.min_lr_ratio)
            for group in opt.param_groups:
                group["lr"] = lr
            loss_sum = 0.0
            for micro in range(cfg.grad_accum):
                x, y = train_batches(step * cfg.grad_accum + micro, info.rank)
                x, y = to_device(x, device), to_device(y, device)
                sync = micro == cfg.grad_accum - 1 or info.world_size == 1
                ctx = contextlib.nullcontext() if sync else ddp_model.no_sync()
                with ctx:
                    with autocast_for(device, cfg.amp):
                        _, loss = ddp_model(x, y)
                    (loss / cfg.grad_accum).backward()
                loss_sum += float(loss.detach().float().item())
                tok_window += count_tokens(y) * info.world_size
            if cfg.clip_mode == "norm":
                nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
            elif cfg.clip_mode == "value":
                nn.utils.clip_grad_value_(model.parameters(), cfg.grad_clip)
            opt.step()
            opt.zero_grad(set_to_none=True)
            step += 1
            train_loss = loss_sum / cfg.grad_accum

            if step % cfg.log_every == 0 or step == cfg.max_steps:
                now = time.time()
                tok_per_s = tok_window / max(now - t_window, 1e-9)
                tok_window, t_window = 0, now
                if bar is not None:
                    bar.set_postfix(loss=f"{train_loss:.3f}", lr=f"{lr:.2e}", tok_s=f"{tok_per_s:,.0f}")
                if log is not None:
                    log.write(json.dumps({"step": step, "loss": train_loss, "lr": lr, "tok_per_s": tok_per_s}) + "\n")
                    log.flush()
            if bar is not None:
                bar.update(1)

            timed_out = cfg.max_minutes > 0 and (time.time() - t0) > cfg.max_minutes * 60
            stopping = stop.requested or timed_out
            if step % cfg.eval_every == 0 or step == cfg.max_steps:
                val = distributed.mean_across(evaluate(model, val_batches, device, cfg.amp), device)
                history.append({"step": step, "val_loss": val})
                if log is not None:
                    log.write(json.dumps({"step": step, "val_loss": val}) + "\n")
                    log.flush()
                if bar is not None:
                    bar.write(f"step {step}: train {train_loss:.4f}  val {val:.4f}")
                if val < best_val:
                    best_val = val
                    if info.is_main:
                        save_checkpoint(out / "best", model, checkpoint_meta(val))
            if step % cfg.save_every == 0 or step == cfg.max_steps or stopping:
                save_last(val)
            if stopping:
                if info.is_main:
                    why = "time limit reached" if timed_out else "interrupted"
                    print(f"\n{why}: saved {last} at step {step}; run the same command again to resume", flush=True)
                break

    if bar is not None:
        bar.close()
    if log is not None:
        log.close()
    distributed.teardown()
    return {
        "step": step,
        "train_loss": train_loss,
        "val_loss": val,
        "best_val_loss": best_val,
        "tokens_per_s": tok_per_s,
        "history": history,
        "stopped_early": step < cfg.max_steps,
    }
