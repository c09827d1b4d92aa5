"""`studio train handwriting` on a user JSON file, then `studio write` with the checkpoint."""
import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from handwriting.hershey_corpus import synth_line
from handwriting.strokes import offsets_to_coords
from studio_cli import main


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("hw")
    rng = np.random.default_rng(0)
    texts = [f"line {i} abc" for i in range(40)]
    entries = [{"text": t, "strokes": [s.tolist() for s in offsets_to_coords(synth_line(t, rng).offsets)]}
               for t in texts]
    (root / "strokes.json").write_text(json.dumps(entries))
    args = ["train", "handwriting", "--data", str(root / "strokes.json"), "--steps", "3", "--hidden", "16",
            "--layers", "2", "--mixtures", "3", "--batch-size", "4", "--eval-every", "3", "--save-every", "3",
            "--warmup", "1", "--out", str(root / "run"), "--ship", str(root / "shipped")]
    assert main(args) == 0
    return root


def test_checkpoint_carries_its_normalisation(trained):
    meta = json.loads((trained / "shipped.json").read_text())
    assert meta["kind"] == "handwriting" and meta["model"] == "synthesis" and meta["scale"] > 0
    assert meta["model_config"]["hidden"] == 16 and len(meta["alphabet"]) == 95


def test_write_svg_and_png(trained, tmp_path):
    out = tmp_path / "note.svg"
    args = ["write", "Hi there", "-o", str(out), "--checkpoint", str(trained / "shipped"), "--png", "--seed", "3",
            "--color", "#aa0000", "--width", "2.5"]
    assert main(args) == 0
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    svg = out.read_text()
    assert "<path" in svg and "#aa0000" in svg
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    again = tmp_path / "again.svg"
    assert main(args[:2] + ["-o", str(again)] + args[4:]) == 0
    assert again.read_text() == svg, "same seed, same handwriting"


def test_write_reports_unsupported_characters(trained, tmp_path, capsys):
    args = ["write", "na\u00efve caf\u00e9", "-o", str(tmp_path / "x.svg"), "--checkpoint", str(trained / "shipped")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "unsupported characters: '\u00ef', '\u00e9'" in err
    assert not (tmp_path / "x.svg").exists()


def test_write_primed_with_own_strokes(trained, tmp_path, capsys):
    """--prime takes a user's strokes JSON: the output differs from the unprimed one; errors are named."""
    base = ["write", "Hi there", "--checkpoint", str(trained / "shipped"), "--seed", "3"]
    assert main(base + ["-o", str(tmp_path / "plain.svg")]) == 0
    assert main(base + ["-o", str(tmp_path / "primed.svg"), "--prime", str(trained / "strokes.json")]) == 0
    primed = (tmp_path / "primed.svg").read_text()
    ET.fromstring(primed)
    assert primed != (tmp_path / "plain.svg").read_text()
    assert main(base + ["-o", str(tmp_path / "x.svg"), "--prime", str(trained / "strokes.json"),
                        "--style", "neat print"]) == 2
    assert "style name or a prime, not both" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "hi", "strokes": [[[0, 0], [1]]]}]))
    assert main(base + ["-o", str(tmp_path / "y.svg"), "--prime", str(bad)]) == 2
    assert "stroke 0 point 1" in capsys.readouterr().err


def test_styles_lists_every_style_write_accepts(capsys):
    from handwriting.writer import style_names

    assert main(["styles"]) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == len(style_names())
    for name in style_names():
        assert repr(name) in out


def test_write_defaults_to_the_legible_style_and_none_writes_unprimed(trained, tmp_path):
    """No --style means DEFAULT_STYLE (the bench's most legible); --style none is the model's own hand."""
    from handwriting.writer import DEFAULT_STYLE

    base = ["write", "Hi there", "--checkpoint", str(trained / "shipped"), "--seed", "2"]
    outs = {}
    for name, extra in [("default", []), ("explicit", ["--style", DEFAULT_STYLE]), ("none", ["--style", "none"])]:
        assert main(base + extra + ["-o", str(tmp_path / f"{name}.svg")]) == 0
        outs[name] = (tmp_path / f"{name}.svg").read_text()
    assert outs["default"] == outs["explicit"]
    assert outs["none"] != outs["default"]
    assert main(base + ["--prime", str(trained / "strokes.json"), "-o", str(tmp_path / "p.svg")]) == 0, \
        "a prime without --style must not clash with the default style"
