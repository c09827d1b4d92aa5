"""Sampling from the event LSTM: determinism, length control, grammar guards, top-p."""
import numpy as np
import pytest
import torch

from music import events as ev
from music.midi_io import ids_to_notes
from music.model import MusicConfig, MusicLSTM
from music.sample import _Tracker, sample, top_p_filter

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return MusicLSTM(MusicConfig(embed_dim=16, hidden=32, layers=2)).eval()


def test_forward_shapes_and_loss(model):
    x = torch.randint(0, ev.VOCAB_SIZE, (2, 7))
    logits, loss = model(x, x)
    assert logits.shape == (2, 7, ev.VOCAB_SIZE)
    assert abs(loss.item() - np.log(ev.VOCAB_SIZE)) < 0.5  # untrained: near uniform
    step_logits, _ = model.step(x)
    torch.testing.assert_close(step_logits, logits[:, -1])


def test_same_seed_same_song(model):
    a = sample(model, torch.Generator().manual_seed(3), n=2, seconds=3.0)
    b = sample(model, torch.Generator().manual_seed(3), n=2, seconds=3.0)
    c = sample(model, torch.Generator().manual_seed(4), n=2, seconds=3.0)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0], a[1]), "candidates in a batch must differ"


def test_length_in_seconds_and_events(model):
    for seq in sample(model, torch.Generator().manual_seed(0), n=3, seconds=2.0):
        shifts = seq[(seq >= 256) & (seq < 356)]
        elapsed = (shifts - 255).sum() / ev.STEPS_PER_SECOND
        assert 2.0 <= elapsed < 3.0
    (seq,) = sample(model, torch.Generator().manual_seed(0), seconds=None, max_events=50)
    assert 51 <= len(seq) <= 51 + 128  # START + 50 events + closing NOTE_OFFs


def test_output_is_well_formed(model):
    (seq,) = sample(model, torch.Generator().manual_seed(1), seconds=8.0, temperature=1.5, top_p=1.0,
                    max_note_seconds=1.0)
    track = _Tracker(1)
    for t in seq:
        t = int(t)
        assert t != ev.START or track.time[0] == 0
        if 0 <= t < 128:
            assert not track.active[0, t], "NOTE_ON of a sounding pitch"
        if 128 <= t < 256:
            assert track.active[0, t - 128], "NOTE_OFF of a silent pitch"
        track.push(0, t)
    assert not track.active.any(), "every note is closed at the end"
    assert max(e - s for s, e, _, _ in ids_to_notes(seq)) <= 1.0 + 1.0  # held notes are ended


def test_primer_is_kept_and_continued(model):
    primer = np.array([ev.START, 370, 60, 280, 188, 64, 280, 192], dtype=np.int64)
    (seq,) = sample(model, torch.Generator().manual_seed(0), seconds=1.0, primer=primer)
    np.testing.assert_array_equal(seq[: len(primer)], primer)
    assert len(seq) > len(primer)


def test_top_p_keeps_the_nucleus():
    logits = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]]))
    kept = torch.isfinite(top_p_filter(logits, 0.75))
    assert kept.tolist() == [[True, True, False, False]]
    assert torch.isfinite(top_p_filter(logits, 0.01)).sum() == 1
    assert torch.equal(top_p_filter(logits, 1.0), logits)


def test_bad_controls_raise(model):
    g = torch.Generator()
    with pytest.raises(ValueError, match="temperature"):
        sample(model, g, temperature=0)
    with pytest.raises(ValueError, match="top_p"):
        sample(model, g, top_p=1.5)


def test_fast_single_step_matches_nn_lstm(model):
    x = torch.randint(0, ev.VOCAB_SIZE, (3, 6))
    _, state = model.step(x[:, :5])
    fast, (h1, c1) = model.step(x[:, 5:], state)  # the hand-written cell
    out, (h2, c2) = model.lstm(model.embed(x[:, 5:]), state)
    torch.testing.assert_close(fast, model.head(out[:, -1]))
    torch.testing.assert_close(h1, h2)
    torch.testing.assert_close(c1, c2)
