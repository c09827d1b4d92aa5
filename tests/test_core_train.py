"""The shared training loop on a tiny synthetic next-token task."""
import json
import os
import signal
from dataclasses import dataclass

import pytest
import torch
from torch import nn

from core.checkpoint import load_checkpoint
from core.config import TrainConfig
from core.train import evaluate, train

torch.set_num_threads(1)


@dataclass
class TinyConfig:
    vocab: int = 8
    hidden: int = 16


class Tiny(nn.Module):
    def __init__(self, config: TinyConfig):
        super().__init__()
        self.config = config
        self.emb = nn.Embedding(config.vocab, config.hidden)
        self.lstm = nn.LSTM(config.hidden, config.hidden, batch_first=True)
        self.drop = nn.Dropout(0.2)  # makes resume depend on the restored RNG state
        self.head = nn.Linear(config.hidden, config.vocab)

    def forward(self, x, targets=None):
        h, _ = self.lstm(self.emb(x))  # (B, T, H)
        logits = self.head(self.drop(h))  # (B, T, V)
        loss = None if targets is None else nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())
        return logits, loss


def pattern_batches(batch=4, seq=12, seed=0):
    """Sequences counting up mod vocab from a random start: perfectly predictable."""

    def fn(step, rank):
        g = torch.Generator().manual_seed(seed * 100003 + step * 31 + rank)
        start = torch.randint(0, 8, (batch, 1), generator=g)
        seq_ = (start + torch.arange(seq + 1)) % 8  # (B, T+1)
        return seq_[:, :-1], seq_[:, 1:]

    return fn


def losses(out_dir):
    rows = [json.loads(l) for l in open(os.path.join(out_dir, "log.jsonl"))]
    return {r["step"]: r["loss"] for r in rows if "loss" in r}


def cfg(tmp_path, name, **kw):
    base = dict(out_dir=str(tmp_path / name), max_steps=6, lr=1e-2, warmup_steps=2, eval_every=3,
                save_every=100, log_every=1, progress=False)
    base.update(kw)
    return TrainConfig(**base)


def test_loss_decreases(tmp_path):
    torch.manual_seed(0)
    model = Tiny(TinyConfig())
    val = [pattern_batches(seed=9)(i, 0) for i in range(2)]
    before = evaluate(model, val, torch.device("cpu"))
    result = train(model, pattern_batches(), val, cfg(tmp_path, "run", max_steps=120, lr=3e-2, eval_every=60))
    assert result["step"] == 120
    assert result["val_loss"] < 0.25 * before, (before, result["history"])
    assert result["val_loss"] < 1.0  # ln(8) = 2.08 is chance
    weights, meta = load_checkpoint(tmp_path / "run" / "best")
    assert meta["model_config"] == {"vocab": 8, "hidden": 16}
    assert meta["step"] == 120 and set(weights) == set(model.state_dict())


def test_interrupt_then_resume_reproduces_next_losses(tmp_path):
    val = [pattern_batches(seed=9)(0, 0)]
    torch.manual_seed(1)
    straight = train(Tiny(TinyConfig()), pattern_batches(), val, cfg(tmp_path, "a"))
    assert straight["step"] == 6

    inner = pattern_batches()

    def interrupting(step, rank):  # Ctrl-C arrives while step 3 (index 2) is running
        if step == 2:
            os.kill(os.getpid(), signal.SIGINT)
        return inner(step, rank)

    torch.manual_seed(1)
    first = train(Tiny(TinyConfig()), interrupting, val, cfg(tmp_path, "b"))
    assert first["stopped_early"] and first["step"] == 3
    torch.manual_seed(123)  # a different init: everything must come from the checkpoint
    second = train(Tiny(TinyConfig()), inner, val, cfg(tmp_path, "b"))
    assert second["step"] == 6
    a, b = losses(tmp_path / "a"), losses(tmp_path / "b")
    for s in (4, 5, 6):
        torch.testing.assert_close(b[s], a[s], rtol=1e-6, atol=1e-7)


def test_grad_accumulation_matches_big_batch(tmp_path):
    micro = pattern_batches(batch=4)

    def big(step, rank):
        xs, ys = zip(*(micro(2 * step + i, rank) for i in range(2)))
        return torch.cat(xs), torch.cat(ys)

    val = [micro(0, 0)]
    models = []
    for name, fn, accum in (("acc", micro, 2), ("big", big, 1)):
        torch.manual_seed(5)
        m = Tiny(TinyConfig())
        m.drop.p = 0.0  # dropout masks differ between the two layouts
        m.double()  # float64: summation-order noise must not be what the comparison sees
        train(m, fn, val, cfg(tmp_path, name, grad_accum=accum, max_steps=5))
        models.append(m)
    for (k, p), q in zip(models[0].state_dict().items(), models[1].state_dict().values()):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6, msg=k)
    la, lb = losses(tmp_path / "acc"), losses(tmp_path / "big")
    for s in la:
        assert la[s] == pytest.approx(lb[s], rel=1e-5)


def test_bad_config_is_rejected():
    with pytest.raises(ValueError, match="clip_mode"):
        TrainConfig(clip_mode="sometimes")
