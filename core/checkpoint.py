"""Checkpoints as safetensors weights + a JSON sidecar, written atomically, loaded without unpickling.

A checkpoint named `prefix` is up to three files:
    prefix.safetensors        model weights (metadata: format, step)
    prefix.json               model config, train config, vocabulary/normalisation, metrics, step
    prefix.state.safetensors  optimizer tensors + torch RNG states (resumable checkpoints only)
The JSON is written last and carries the step; `load_checkpoint` refuses a pair whose steps differ
(a write that was interrupted between files).
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file

FORMAT = "lstm-studio/1"


def _default_mode() -> int:
    """The mode a plain new file gets under the current umask (0o644 for the usual umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _atomic(path: Path, write) -> None:
    """Call write(tmp_path) then rename tmp over `path` (same directory, so the rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        write(tmp)
        os.chmod(tmp, _default_mode())  # safetensors writes 0600; checkpoints are meant to be shared and shipped
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json(path: str | Path, obj: Any) -> None:
    """Write `obj` as indented JSON, atomically."""
    _atomic(Path(path), lambda p: p.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n"))


def write_tensors(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    """Write a dict of tensors as safetensors, atomically."""
    flat = {k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}
    _atomic(Path(path), lambda p: save_file(flat, str(p), metadata=metadata))


def read_tensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Read a safetensors file into CPU tensors plus its metadata."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint weights not found: {path}")
    if path.suffix != ".safetensors":
        raise ValueError(f"{path}: only .safetensors checkpoints are loaded (never pickles)")
    with safe_open(str(path), framework="pt", device="cpu") as f:
        return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})


def prefix_of(path: str | Path) -> Path:
    """Accept 'dir/name', 'dir/name.json' or 'dir/name.safetensors' and return 'dir/name'."""
    path = Path(path)
    for suffix in (".state.safetensors", ".safetensors", ".json"):
        if path.name.endswith(suffix):
            return path.with_name(path.name[: -len(suffix)])
    return path


def save_checkpoint(prefix: str | Path, model: torch.nn.Module, meta: dict, train_state: dict | None = None) -> Path:
    """Save weights (+ optional resumable state) and the JSON `meta`; returns the prefix."""
    prefix = prefix_of(prefix)
    step = int(meta.get("step", 0))
    if train_state is not None:
        tensors, state_json = _flatten_train_state(train_state)
        write_tensors(f"{prefix}.state.safetensors", tensors, {"format": FORMAT, "step": str(step)})
        meta = {**meta, "train_state": state_json}
    write_tensors(f"{prefix}.safetensors", model.state_dict(), {"format": FORMAT, "step": str(step)})
    write_json(f"{prefix}.json", {**meta, "format": FORMAT, "step": step})
    return prefix


def load_checkpoint(prefix: str | Path) -> tuple[dict[str, torch.Tensor], dict]:
    """Load (state_dict, meta) of a checkpoint; raises ValueError on a mismatched or foreign pair."""
    prefix = prefix_of(prefix)
    json_path = Path(f"{prefix}.json")
    if not json_path.is_file():
        raise FileNotFoundError(f"checkpoint config not found: {json_path}")
    try:
        meta = json.loads(json_path.read_text())
    except json.JSONDecodeError as e:
        raise ValueError(f"{json_path}: not valid JSON ({e})") from None
    weights, wmeta = read_tensors(f"{prefix}.safetensors")
    if wmeta.get("format") != FORMAT:
        raise ValueError(f"{prefix}.safetensors: not an lstm-studio checkpoint (format={wmeta.get('format')!r})")
    if int(wmeta.get("step", -1)) != int(meta.get("step", -2)):
        raise ValueError(
            f"{prefix}: weights are from step {wmeta.get('step')} but the config says step {meta.get('step')}"
            " (an interrupted write?)"
        )
    return weights, meta


def load_train_state(prefix: str | Path, meta: dict) -> dict:
    """Rebuild the resumable train state saved beside a checkpoint."""
    prefix = prefix_of(prefix)
    tensors, smeta = read_tensors(f"{prefix}.state.safetensors")
    if int(smeta.get("step", -1)) != int(meta["step"]):
        raise ValueError(f"{prefix}: train state is from step {smeta.get('step')}, weights from {meta['step']}")
    return _unflatten_train_state(tensors, meta["train_state"])


def capture_rng() -> dict:
    """Snapshot of python, numpy and torch (CPU + CUDA) RNG states."""
    state = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    """Inverse of capture_rng."""
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    kind, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def _flatten_train_state(state: dict) -> tuple[dict[str, torch.Tensor], dict]:
    """Split {optimizer, rng, extra} into safetensors tensors and JSON-able values."""
    tensors: dict[str, torch.Tensor] = {}
    opt = state["optimizer"]
    opt_json = {"param_groups": opt["param_groups"], "state": {}}
    for pid, pstate in opt["state"].items():
        opt_json["state"][str(pid)] = {}
        for name, value in pstate.items():
            if torch.is_tensor(value):
                tensors[f"optim.{pid}.{name}"] = value
                opt_json["state"][str(pid)][name] = {"tensor": f"optim.{pid}.{name}"}
            else:
                opt_json["state"][str(pid)][name] = value
    rng = state["rng"]
    tensors["rng.torch"] = rng["torch"]
    for i, s in enumerate(rng.get("cuda", [])):
        tensors[f"rng.cuda.{i}"] = s
    kind, keys, pos, has_gauss, cached = rng["numpy"]
    rng_json = {
        "python": [rng["python"][0], list(rng["python"][1]), rng["python"][2]],
        "numpy": [kind, np.asarray(keys).tolist(), int(pos), int(has_gauss), float(cached)],
        "n_cuda": len(rng.get("cuda", [])),
    }
    return tensors, {"optimizer": opt_json, "rng": rng_json, "extra": state.get("extra", {})}


def _unflatten_train_state(tensors: dict[str, torch.Tensor], js: dict) -> dict:
    """Inverse of _flatten_train_state."""
    opt_state = {}
    for pid, pstate in js["optimizer"]["state"].items():
        opt_state[int(pid)] = {
            name: tensors[v["tensor"]] if isinstance(v, dict) and "tensor" in v else v for name, v in pstate.items()
        }
    rng = {"python": js["rng"]["python"], "numpy": js["rng"]["numpy"], "torch": tensors["rng.torch"]}
    if js["rng"]["n_cuda"]:
        rng["cuda"] = [tensors[f"rng.cuda.{i}"] for i in range(js["rng"]["n_cuda"])]
    return {
        "optimizer": {"state": opt_state, "param_groups": js["optimizer"]["param_groups"]},
        "rng": rng,
        "extra": js.get("extra", {}),
    }


def export_weights(src: str | Path, dst: str | Path, extra_meta: dict | None = None) -> Path:
    """Copy a checkpoint without its train state (for shipping), optionally adding meta fields."""
    weights, meta = load_checkpoint(src)
    meta = {k: v for k, v in meta.items() if k != "train_state"}
    meta.update(extra_meta or {})
    dst = prefix_of(dst)
    write_tensors(f"{dst}.safetensors", weights, {"format": FORMAT, "step": str(meta["step"])})
    write_json(f"{dst}.json", meta)
    return dst
