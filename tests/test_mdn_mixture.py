"""MDN maths against torch.distributions, sampling statistics, bias limit, numerical robustness."""
import math

import pytest
import torch
from torch import distributions as D

from mdn.mixture import MixtureParams, n_outputs, nll, sample, split_params

torch.set_num_threads(1)


def reference_nll(p: MixtureParams, targets: torch.Tensor) -> torch.Tensor:
    """Per-point NLL from torch.distributions: MixtureSameFamily(MultivariateNormal) + Bernoulli."""
    sx, sy = p.log_sigma_x.exp(), p.log_sigma_y.exp()
    cov = torch.stack([torch.stack([sx**2, p.rho * sx * sy], -1), torch.stack([p.rho * sx * sy, sy**2], -1)], -2)
    mix = D.MixtureSameFamily(D.Categorical(logits=p.log_pi),
                              D.MultivariateNormal(torch.stack([p.mu_x, p.mu_y], -1), covariance_matrix=cov))
    return -(mix.log_prob(targets[..., :2]) + D.Bernoulli(logits=p.eos_logit).log_prob(targets[..., 2]))


def random_case(B=4, T=5, M=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    y_hat = torch.randn(B, T, n_outputs(M), generator=g, dtype=torch.float64)
    targets = torch.cat([torch.randn(B, T, 2, generator=g, dtype=torch.float64),
                         (torch.rand(B, T, 1, generator=g) < 0.3).double()], -1)
    return y_hat, targets


def test_nll_matches_torch_distributions():
    y_hat, targets = random_case()
    p = split_params(y_hat)
    ref = reference_nll(p, targets).mean()
    torch.testing.assert_close(nll(p, targets).double(), ref, rtol=1e-5, atol=1e-5)


def test_mask_ignores_padding():
    y_hat, targets = random_case()
    mask = torch.ones(4, 5)
    mask[:, 3:] = 0
    p = split_params(y_hat)
    expected = reference_nll(p, targets)[:, :3].mean()
    torch.testing.assert_close(nll(p, targets, mask).double(), expected, rtol=1e-5, atol=1e-5)
    targets[:, 3:] = 1e6  # garbage in padding changes nothing
    torch.testing.assert_close(nll(p, targets, mask).double(), expected, rtol=1e-5, atol=1e-5)


def test_split_shapes_and_bias():
    y_hat = torch.randn(2, n_outputs(20))
    p = split_params(y_hat)
    assert p.log_pi.shape == (2, 20) and p.eos_logit.shape == (2,)
    torch.testing.assert_close(p.log_pi.exp().sum(-1), torch.ones(2))
    pb = split_params(y_hat, bias=2.0)
    torch.testing.assert_close(pb.log_sigma_x, p.log_sigma_x - 2.0)
    assert (pb.log_pi.max(-1).values >= p.log_pi.max(-1).values).all()  # sharper mixture weights
    with pytest.raises(ValueError, match="6M\\+1"):
        split_params(torch.randn(2, 10))


def one_component(mx, my, sx, sy, rho, eos_p, B):
    t = lambda v: torch.full((B, 1), float(v))  # noqa: E731
    return MixtureParams(t(0.0), t(mx), t(my), t(math.log(sx)), t(math.log(sy)), t(rho),
                         torch.full((B,), math.log(eos_p / (1 - eos_p))))


def test_sample_moments_match_parameters():
    B = 200_000
    p = one_component(1.0, -2.0, 0.5, 2.0, 0.6, 0.25, B)
    s = sample(p, torch.Generator().manual_seed(0))
    assert s.shape == (B, 3)
    torch.testing.assert_close(s[:, :2].mean(0), torch.tensor([1.0, -2.0]), atol=0.02, rtol=0)
    cov = torch.cov(s[:, :2].T)
    want = torch.tensor([[0.25, 0.6 * 0.5 * 2.0], [0.6 * 0.5 * 2.0, 4.0]])
    torch.testing.assert_close(cov, want, atol=0.03, rtol=0.02)
    assert abs(s[:, 2].mean().item() - 0.25) < 0.01


def test_large_bias_collapses_to_the_mode():
    g = torch.Generator().manual_seed(1)
    y_hat = torch.randn(1, n_outputs(5), generator=g)
    y_hat[0, 1:6] = torch.tensor([0.0, 1.0, 0.2, -0.5, 0.3])  # pi_hat: component 1 is the most likely
    y_hat = y_hat.expand(5000, -1)
    p = split_params(y_hat, bias=12.0)
    s = sample(p, torch.Generator().manual_seed(2))
    best = p.log_pi[0].argmax()
    assert best == 1
    assert s[:, 0].std() < 1e-3 and s[:, 1].std() < 1e-3
    torch.testing.assert_close(s[:, 0].mean(), p.mu_x[0, best], atol=1e-3, rtol=0)


def test_seeded_sampling_is_reproducible():
    p = split_params(torch.randn(8, n_outputs(4)))
    a = sample(p, torch.Generator().manual_seed(7))
    b = sample(p, torch.Generator().manual_seed(7))
    assert torch.equal(a, b)
    with pytest.raises(ValueError, match="temperature"):
        sample(p, torch.Generator(), temperature=0.0)


def test_extreme_inputs_give_finite_loss_and_gradients():
    y_hat = torch.randn(3, 7, n_outputs(2)) * 60  # saturated tanh (rho = +-1), huge logits and sigmas
    y_hat.requires_grad_(True)
    targets = torch.cat([torch.randn(3, 7, 2) * 100, torch.ones(3, 7, 1)], -1)
    loss = nll(split_params(y_hat), targets)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(y_hat.grad).all()


@pytest.mark.parametrize("device, dtype", [("cpu", torch.bfloat16), ("cuda", torch.float16)])
def test_nll_is_float32_under_autocast(device, dtype):
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    y_hat, targets = random_case()
    y_hat, targets = y_hat.float().to(device), targets.float().to(device)
    want = nll(split_params(y_hat), targets)
    with torch.autocast(device_type=device, dtype=dtype):
        got = nll(split_params(y_hat.to(dtype)), targets)  # half-precision network output
    assert got.dtype == torch.float32
    torch.testing.assert_close(got, want, atol=0.05, rtol=0.02)  # only the inputs were rounded


def test_sampling_on_cuda_matches_cpu():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    p = split_params(torch.randn(8, n_outputs(4), generator=torch.Generator().manual_seed(3)))
    cpu = sample(p, torch.Generator().manual_seed(5))
    gpu = sample(MixtureParams(*(t.cuda() for t in p)), torch.Generator().manual_seed(5))
    assert gpu.device.type == "cuda"
    torch.testing.assert_close(gpu.cpu(), cpu)
