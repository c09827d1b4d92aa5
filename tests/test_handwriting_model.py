"""Graves synthesis / prediction networks: shapes, loss, attention window, sampling rules."""
import numpy as np
import pytest
import torch

from handwriting.batches import collate, make_train_batches
from handwriting.hershey_corpus import synth_line
from handwriting.model import Prediction, PredictionConfig, Synthesis, SynthesisConfig, window_weights
from handwriting.sample import MAX_LINE_CHARS, POINTS_PER_CHAR_CAP, wrap_text, write, write_line
from handwriting.strokes import StrokeSample

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def samples():
    rng = np.random.default_rng(0)
    return [synth_line(t, rng) for t in ("hi there", "a b", "Zebra 42!", "ok")]


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return Synthesis(SynthesisConfig(hidden=16, layers=2, window_mixtures=3, output_mixtures=4)).eval()


def test_collate_shifts_inputs_and_masks_padding(samples):
    x, y = collate(samples, scale=2.0)
    B, T = len(samples), max(len(s.offsets) for s in samples)
    assert x["strokes"].shape == y["strokes"].shape == (B, T, 3)
    assert x["chars"].shape == (B, max(len(s.text) for s in samples))
    torch.testing.assert_close(x["strokes"][:, 0], torch.tensor([[0.0, 0.0, 1.0]] * B))
    torch.testing.assert_close(x["strokes"][:, 1:], y["strokes"][:, :-1])
    n = len(samples[3].offsets)
    assert y["mask"][3, :n].all() and not y["mask"][3, n:].any()
    torch.testing.assert_close(y["strokes"][3, :n, :2], torch.from_numpy(samples[3].offsets[:, :2] / 2.0))


def test_batches_are_deterministic(samples):
    fn = make_train_batches(samples, batch_size=2, scale=1.0, seed=3)
    a, b = fn(4, 0), fn(4, 0)
    assert torch.equal(a[0]["strokes"], b[0]["strokes"]) and torch.equal(a[0]["chars"], b[0]["chars"])


def test_synthesis_forward_and_loss(net, samples):
    x, y = collate(samples, scale=5.0)
    out, loss = net(x, y)
    assert out.shape == (*y["strokes"].shape[:2], 6 * 4 + 1)
    assert torch.isfinite(loss)
    loss.backward()
    assert all(torch.isfinite(p.grad).all() for p in net.parameters() if p.grad is not None)


def test_padding_does_not_change_the_loss(net, samples):
    x1, y1 = collate(samples[:1], scale=5.0)
    x2, y2 = collate(samples[:2], scale=5.0)  # sample 0 padded to sample 1's length
    _, l1 = net(x1, y1)
    out2, _ = net(x2, y2)
    from mdn.mixture import nll, split_params

    n = int(y1["mask"].sum())
    l2 = nll(split_params(out2[:1, :n]), y2["strokes"][:1, :n])
    torch.testing.assert_close(l1, l2, rtol=1e-4, atol=1e-5)


def test_window_is_monotone_and_normalised_shape(net, samples):
    x, _ = collate(samples[:1], scale=5.0)
    onehot = torch.nn.functional.one_hot(x["chars"], net.config.alphabet_size).float()
    _, _, phi, state = net.attend(x["strokes"], onehot, net.init_state(1, "cpu"), extra_positions=1)
    assert phi.shape == (1, x["strokes"].shape[1], len(samples[0].text) + 1)
    kappas = []
    st = net.init_state(1, "cpu")
    for t in range(5):
        _, _, _, st = net.attend(x["strokes"][:, t : t + 1], onehot, st)
        kappas.append(st["kappa"].clone())
    assert all((b >= a).all() for a, b in zip(kappas, kappas[1:])), "kappa must never move backwards"


def test_window_weights_formula():
    alpha, beta, kappa = torch.tensor([[2.0]]), torch.tensor([[0.5]]), torch.tensor([[1.0]])
    phi = window_weights(alpha, beta, kappa, 3)
    torch.testing.assert_close(phi, 2.0 * torch.exp(-0.5 * (1.0 - torch.arange(3.0)) ** 2).unsqueeze(0))


def test_prediction_network(samples):
    net = Prediction(PredictionConfig(hidden=8, layers=2, output_mixtures=3))
    x, y = collate(samples, scale=5.0)
    out, loss = net(x, y)
    assert out.shape[-1] == 19 and torch.isfinite(loss)


def test_write_is_seeded_and_capped(net):
    a = write(net, "hi you", scale=5.0, seed=1)
    b = write(net, "hi you", scale=5.0, seed=1)
    c = write(net, "hi you", scale=5.0, seed=2)
    assert np.array_equal(a[0].offsets, b[0].offsets)
    assert not np.array_equal(a[0].offsets, c[0].offsets)
    line = a[0]
    assert 1 < len(line.offsets) <= POINTS_PER_CHAR_CAP * len("hi you")
    assert line.phi.shape == (len(line.offsets), len("hi you"))
    assert line.offsets[-1, 2] == 1.0


def test_style_priming_runs(net, samples):
    prime = StrokeSample(samples[0].text, samples[0].offsets)
    (line,) = write(net, "ok", scale=5.0, seed=0, prime=prime)
    assert line.phi.shape[1] == 2 and np.isfinite(line.offsets).all()


def test_text_checks(net):
    with pytest.raises(ValueError, match="unsupported characters: 'é', '\\\\t'"):
        write(net, "caf\xe9\tt\xe9", scale=1.0)
    with pytest.raises(ValueError, match="empty"):
        write(net, "  \n ", scale=1.0)
    with pytest.raises(ValueError, match="split it"):
        write_line(net, "x" * (MAX_LINE_CHARS + 1), 1.0, torch.Generator())


def test_wrap_text_never_exceeds_width():
    text = "The quick brown fox jumps over the lazy dog 0123456789?! " * 3 + "\nnew paragraph"
    lines = wrap_text(text, 40)
    assert all(len(l) <= 40 for l in lines) and lines[-1] == "new paragraph"
    assert " ".join(lines).split() == text.split()


def test_single_step_sampling_path_matches_full_sequence(net, samples):
    x, _ = collate(samples[:1], scale=5.0)
    onehot = torch.nn.functional.one_hot(x["chars"], net.config.alphabet_size).float()
    full, _, _ = net.run(x["strokes"][:, :4], onehot, net.init_state(1, "cpu"))
    state, steps = net.init_state(1, "cpu"), []
    for t in range(4):
        y, _, state = net.run(x["strokes"][:, t : t + 1], onehot, state)
        steps.append(y)
    torch.testing.assert_close(torch.cat(steps, 1), full, rtol=1e-4, atol=1e-5)
