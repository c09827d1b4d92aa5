"""Launched by test_core_ddp.py under torchrun: trains the tiny model with 2 CPU ranks (gloo)."""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from core.config import TrainConfig  # noqa: E402
from core.train import train  # noqa: E402
from tests.test_core_train import Tiny, TinyConfig, pattern_batches  # noqa: E402

torch.set_num_threads(1)
out = sys.argv[1]
torch.manual_seed(0)
model = Tiny(TinyConfig())
val = [pattern_batches(seed=9)(0, 0)]
result = train(model, pattern_batches(), val, TrainConfig(out_dir=out, max_steps=6, eval_every=3, save_every=3,
                                                           log_every=1, progress=False, lr=1e-2, warmup_steps=1))
flat = torch.cat([p.detach().flatten() for p in model.parameters()])
with open(os.path.join(out, f"rank{os.environ['RANK']}.json"), "w") as f:
    json.dump({"step": result["step"], "params": flat.tolist()}, f)
