"""Model cards are written from the checkpoint JSON and the run log, and the shipped ones match their checkpoints."""
import json
from pathlib import Path

import pytest

from samples.model_cards import CARDS, curve_table, handwriting_card, music_card, train_command, val_curve


def test_val_curve_keeps_the_last_entry_of_a_resumed_step(tmp_path):
    lines = [{"step": 10, "loss": 3.0}, {"step": 250, "val_loss": 2.0}, {"step": 250, "val_loss": 1.9},
             {"step": 500, "val_loss": 1.5}]
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    assert val_curve(tmp_path) == [(250, 1.9), (500, 1.5)]
    assert val_curve(tmp_path / "missing") == []


def test_curve_table_samples_evenly_and_keeps_the_last_point():
    curve = [(250 * i, 3.0 - 0.1 * i) for i in range(1, 21)]
    table = curve_table(curve, "nats/event", rows=5)
    rows = [r for r in table.splitlines() if r.startswith("| ") and r[2].isdigit()]
    assert len(rows) == 5
    assert rows[0].startswith("| 250 |") and rows[-1].startswith("| 5000 | 1.0000 |")
    assert "No training log" in curve_table([], "nats/event")


@pytest.mark.parametrize("kind", ["music", "handwriting"])
def test_shipped_card_states_its_checkpoints_step_and_val_nll(kind):
    meta = json.loads((CARDS / f"{kind}.json").read_text())
    card = (CARDS / f"{kind}.md").read_text()
    assert f"step {meta['step']} of {meta['train_config']['max_steps']}" in card
    assert f"{meta['metrics']['best_val_loss']:.4f}" in card
    assert train_command(kind, meta) in card
    if kind == "handwriting":
        assert "synthetic" in card.lower() and "HERSHEY_NOTICE" in card


def test_cards_render_from_a_minimal_meta_without_a_log_or_bench():
    music = json.loads((CARDS / "music.json").read_text())
    text = music_card(music, [], None, None)
    assert "No training log" in text and "Benchmark" not in text
    hw = json.loads((CARDS / "handwriting.json").read_text())
    text = handwriting_card(hw, [(100, 0.5)], None, 12.0)
    assert "| 100 | 0.5000 |" in text and "12 minutes" in text
    assert str(Path.home()) not in text  # no paths of the machine that wrote the card
