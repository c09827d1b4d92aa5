"""Checkpoint files: safetensors + JSON, atomic, never unpickled."""
import json

import pytest
import torch

from core.checkpoint import (
    capture_rng, export_weights, load_checkpoint, load_train_state, restore_rng, save_checkpoint,
)


def test_round_trip_with_train_state(tmp_path):
    model = torch.nn.LSTM(3, 5)
    opt = torch.optim.AdamW(model.parameters())
    model(torch.randn(2, 1, 3))[0].sum().backward()
    opt.step()
    rng = capture_rng()
    expected = torch.rand(3)
    state = {"optimizer": opt.state_dict(), "rng": rng, "extra": {"best_val": 1.5}}
    save_checkpoint(tmp_path / "ck", model, {"step": 7, "vocab": ["a", "b"]}, state)

    weights, meta = load_checkpoint(tmp_path / "ck.json")
    assert meta["step"] == 7 and meta["vocab"] == ["a", "b"]
    for k, v in model.state_dict().items():
        torch.testing.assert_close(weights[k], v)
    back = load_train_state(tmp_path / "ck", meta)
    opt2 = torch.optim.AdamW(torch.nn.LSTM(3, 5).parameters())
    opt2.load_state_dict(back["optimizer"])
    for s1, s2 in zip(opt.state_dict()["state"].values(), opt2.state_dict()["state"].values()):
        torch.testing.assert_close(s1["exp_avg"], s2["exp_avg"])
    restore_rng(back["rng"])
    torch.testing.assert_close(torch.rand(3), expected)
    assert back["extra"]["best_val"] == 1.5
    assert not list(tmp_path.glob(".*tmp*")), "temporary files left behind"


def test_mismatched_step_is_refused(tmp_path):
    save_checkpoint(tmp_path / "ck", torch.nn.Linear(2, 2), {"step": 3})
    meta = json.loads((tmp_path / "ck.json").read_text())
    meta["step"] = 4
    (tmp_path / "ck.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="step 3 but the config says step 4"):
        load_checkpoint(tmp_path / "ck")


def test_pickles_and_foreign_files_are_refused(tmp_path):
    (tmp_path / "evil.json").write_text(json.dumps({"step": 0}))
    torch.save({"w": torch.zeros(1)}, tmp_path / "evil.pt")
    with pytest.raises(ValueError, match="only .safetensors"):
        from core.checkpoint import read_tensors

        read_tensors(tmp_path / "evil.pt")
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "evil")


def test_export_drops_train_state(tmp_path):
    model = torch.nn.Linear(2, 2)
    opt = torch.optim.AdamW(model.parameters())
    save_checkpoint(tmp_path / "ck", model, {"step": 1}, {"optimizer": opt.state_dict(), "rng": capture_rng()})
    export_weights(tmp_path / "ck", tmp_path / "ship", {"card": "x"})
    _, meta = load_checkpoint(tmp_path / "ship")
    assert "train_state" not in meta and meta["card"] == "x"
    assert not (tmp_path / "ship.state.safetensors").exists()


def test_checkpoint_files_get_the_mode_of_a_plain_new_file(tmp_path):
    """safetensors writes 0600 on its own; shipped and shared checkpoints must be readable like any file."""
    import os
    import stat

    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    want = stat.S_IMODE(os.stat(plain).st_mode)
    model = torch.nn.Linear(2, 2)
    opt = torch.optim.AdamW(model.parameters())
    save_checkpoint(tmp_path / "ck", model, {"step": 1}, {"optimizer": opt.state_dict(), "rng": capture_rng(),
                                                          "extra": {}})
    export_weights(tmp_path / "ck", tmp_path / "shipped")
    for name in ("ck.safetensors", "ck.state.safetensors", "ck.json", "shipped.safetensors", "shipped.json"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == want, name
