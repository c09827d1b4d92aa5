"""DDP through torchrun on CPU (gloo): ranks stay in sync and only rank 0 writes checkpoints."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.slow
def test_torchrun_two_ranks(tmp_path):
    worker = Path(__file__).with_name("ddp_worker.py")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MASTER_ADDR": "127.0.0.1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
           "--master_port", "29531", str(worker), str(tmp_path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    r0 = json.loads((tmp_path / "rank0.json").read_text())
    r1 = json.loads((tmp_path / "rank1.json").read_text())
    assert r0["step"] == r1["step"] == 6
    assert r0["params"] == pytest.approx(r1["params"], abs=1e-6), "DDP ranks diverged"
    meta = json.loads((tmp_path / "last.json").read_text())
    assert meta["step"] == 6
    losses = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert len([r for r in losses if "loss" in r]) == 6, "only rank 0 logs"
