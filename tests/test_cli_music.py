"""`studio train music` / `studio generate music` end to end on a tiny folder of MIDI files."""
import json

import numpy as np
import pretty_midi
import pytest

from studio_cli import main


def random_midis(folder, n=24, seed=0):
    rng = np.random.default_rng(seed)
    folder.mkdir()
    for i in range(n):
        pm = pretty_midi.PrettyMIDI()
        inst = pretty_midi.Instrument(0)
        t = 0.0
        for _ in range(30):
            d = float(rng.choice([0.25, 0.5]))
            inst.notes.append(pretty_midi.Note(80, int(rng.integers(55, 75)), t, t + d))
            t += d
        pm.instruments.append(inst)
        pm.write(str(folder / f"piece{i:02d}.mid"))
    (folder / "broken.mid").write_bytes(b"MThd garbage")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    random_midis(root / "midis")
    run = root / "run"
    args = ["train", "music", "--data", str(root / "midis"), "--steps", "4", "--seq-len", "16", "--batch-size", "4",
            "--hidden", "16", "--embed", "8", "--out", str(run), "--eval-every", "2", "--save-every", "2",
            "--warmup", "1", "--ship", str(root / "shipped")]
    assert main(args) == 0
    return root


def test_training_writes_resumable_checkpoints(trained, capsys):
    run = trained / "run"
    for name in ("best.safetensors", "best.json", "last.safetensors", "last.json", "last.state.safetensors"):
        assert (run / name).is_file(), name
    meta = json.loads((run / "last.json").read_text())
    assert meta["step"] == 4 and meta["kind"] == "music" and "skipped 1: broken.mid" in meta["data"]["source"]
    shipped = json.loads((trained / "shipped.json").read_text())
    assert "train_state" not in shipped and not (trained / "shipped.state.safetensors").exists()
    # re-running the finished command resumes at step 4 and has nothing left to do
    args = ["train", "music", "--data", str(trained / "midis"), "--steps", "4", "--seq-len", "16",
            "--batch-size", "4", "--hidden", "16", "--embed", "8", "--out", str(run)]
    assert main(args) == 0
    assert "resumed from" in capsys.readouterr().out


def test_generate_same_seed_same_file(trained, tmp_path):
    ck = str(trained / "shipped")
    base = ["generate", "music", "--checkpoint", ck, "--seconds", "3", "--seed", "1"]
    assert main(base + ["-o", str(tmp_path / "a.mid"), "--wav", "--png"]) == 0
    assert main(base + ["-o", str(tmp_path / "b.mid")]) == 0
    assert (tmp_path / "a.mid").read_bytes() == (tmp_path / "b.mid").read_bytes()
    pm = pretty_midi.PrettyMIDI(str(tmp_path / "a.mid"))
    assert pm.get_end_time() >= 2.5
    assert (tmp_path / "a.wav").stat().st_size > 1000 and (tmp_path / "a.png").is_file()


def test_generate_candidates_and_errors(trained, tmp_path, capsys):
    ck = str(trained / "shipped")
    assert main(["generate", "music", "--checkpoint", ck, "--events", "40", "--n", "2", "--instrument", "violin",
                 "-o", str(tmp_path / "c.mid")]) == 0
    for i in (1, 2):
        pm = pretty_midi.PrettyMIDI(str(tmp_path / f"c-{i}.mid"))
        assert pm.instruments[0].program == 40
    assert main(["generate", "music", "--checkpoint", ck, "--instrument", "kazoo-o-phone"]) == 2
    assert "unknown General MIDI instrument" in capsys.readouterr().err
    assert main(["generate", "music", "--checkpoint", str(tmp_path / "nope")]) == 2
    assert main(["generate", "music", "--checkpoint", ck, "--primer", str(tmp_path / "missing.mid")]) == 2
    assert "primer file not found" in capsys.readouterr().err
