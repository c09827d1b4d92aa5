"""Mixture-density output: bivariate Gaussian mixture + end-of-stroke Bernoulli (Graves 2013, section 4.1).

The network output y_hat (..., 6M + 1) is split as
    (e_hat, pi_hat[M], mu_x[M], mu_y[M], s_x[M], s_y[M], rho_hat[M])
and mapped by eq. 18-23:  e = sigmoid(e_hat) (standard sign; Graves writes 1 / (1 + exp(e_hat))),
pi = softmax(pi_hat), mu = mu_hat, sigma = exp(s_hat), rho = tanh(rho_hat).
With the sampling bias b of section 5.4 (eq. 61-62): sigma = exp(s_hat - b), pi = softmax(pi_hat (1 + b)).
"""
from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch.nn import functional as F

RHO_FLOOR = 1e-6  # keeps log(1 - rho^2) finite when tanh saturates in float32; not a probability clip
LOG_SIGMA_MIN = -7.0  # sigma >= ~1e-3 of the offset scale: (x - mu) / sigma cannot overflow float32


class MixtureParams(NamedTuple):
    log_pi: torch.Tensor  # (..., M) log mixture weights
    mu_x: torch.Tensor  # (..., M)
    mu_y: torch.Tensor  # (..., M)
    log_sigma_x: torch.Tensor  # (..., M)
    log_sigma_y: torch.Tensor  # (..., M)
    rho: torch.Tensor  # (..., M) correlation in (-1, 1)
    eos_logit: torch.Tensor  # (...,) logit of the end-of-stroke probability


def n_outputs(num_mixtures: int) -> int:
    """Width of the network output for M mixtures: 6M + 1 (eq. 17)."""
    return 6 * num_mixtures + 1


def split_params(y_hat: torch.Tensor, bias: float = 0.0) -> MixtureParams:
    """Map raw outputs (..., 6M+1) to mixture parameters, eq. 18-23, with sampling bias b (eq. 61-62)."""
    m = (y_hat.shape[-1] - 1) // 6
    if y_hat.shape[-1] != n_outputs(m):
        raise ValueError(f"last dimension must be 6M+1, got {y_hat.shape[-1]}")
    e_hat, pi_hat, mu_x, mu_y, s_x, s_y, rho_hat = torch.split(y_hat, [1, m, m, m, m, m, m], dim=-1)
    return MixtureParams(
        log_pi=torch.log_softmax(pi_hat * (1.0 + bias), dim=-1),  # eq. 19 / 62
        mu_x=mu_x,  # eq. 20
        mu_y=mu_y,
        log_sigma_x=s_x.clamp_min(LOG_SIGMA_MIN) - bias,  # eq. 21 / 61 (in log space)
        log_sigma_y=s_y.clamp_min(LOG_SIGMA_MIN) - bias,
        rho=torch.tanh(rho_hat),  # eq. 22
        eos_logit=e_hat.squeeze(-1),  # eq. 18
    )


def log_density(p: MixtureParams, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """log N(x, y | mu, sigma, rho) per component, eq. 24-25; x, y (...,) -> (..., M)."""
    zx = (x.unsqueeze(-1) - p.mu_x) * torch.exp(-p.log_sigma_x)
    zy = (y.unsqueeze(-1) - p.mu_y) * torch.exp(-p.log_sigma_y)
    one_minus = (1.0 - p.rho**2).clamp_min(RHO_FLOOR)
    z = zx**2 + zy**2 - 2.0 * p.rho * zx * zy  # eq. 25
    return -z / (2.0 * one_minus) - p.log_sigma_x - p.log_sigma_y - 0.5 * torch.log(one_minus) - math.log(2 * math.pi)


def nll(p: MixtureParams, targets: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Mean negative log-likelihood per point in nats, eq. 26, in log space and float32.

    targets (..., 3) = (dx, dy, end_of_stroke); mask (...,) selects real (non-padding) points.
    Autocast is switched off inside, so half-precision network outputs are scored in float32.
    """
    with torch.autocast(device_type=targets.device.type, enabled=False):
        p = MixtureParams(*(t.float() for t in p))
        targets = targets.float()
        log_mix = torch.logsumexp(p.log_pi + log_density(p, targets[..., 0], targets[..., 1]), dim=-1)  # (...,)
        log_eos = -F.binary_cross_entropy_with_logits(p.eos_logit, targets[..., 2], reduction="none")  # (...,)
        point = -(log_mix + log_eos)  # (...,) eq. 26 per point
        if mask is None:
            return point.mean()
        mask = mask.float()
        return (point * mask).sum() / mask.sum().clamp_min(1.0)


def sample(p: MixtureParams, generator: torch.Generator, temperature: float = 1.0) -> torch.Tensor:
    """Draw one (dx, dy, eos) per row from parameters of shape (B, M) / (B,) -> (B, 3).

    `generator` is a CPU torch.Generator: all random draws happen on the CPU and are moved to the
    parameters' device, so one seed gives the same samples on every device.

    Temperature T divides the mixture logits by T and multiplies each sigma by sqrt(T); the
    end-of-stroke logit is divided by T. T = 1 samples the model as trained.
    """
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    p = MixtureParams(*(t.float() for t in p))
    device = p.mu_x.device
    probs = torch.softmax(p.log_pi / temperature, dim=-1)  # (B, M)
    k = torch.multinomial(probs.cpu(), 1, generator=generator).to(device)  # (B, 1)
    pick = lambda t: t.gather(-1, k).squeeze(-1)  # noqa: E731  (B,)
    mx, my, rho = pick(p.mu_x), pick(p.mu_y), pick(p.rho)
    sx = torch.exp(pick(p.log_sigma_x)) * math.sqrt(temperature)
    sy = torch.exp(pick(p.log_sigma_y)) * math.sqrt(temperature)
    z = torch.randn(mx.shape[0], 2, generator=generator).to(device)  # (B, 2)
    dx = mx + sx * z[:, 0]
    dy = my + sy * (rho * z[:, 0] + torch.sqrt((1.0 - rho**2).clamp_min(0.0)) * z[:, 1])
    eos_p = torch.sigmoid(p.eos_logit / temperature)
    eos = (torch.rand(eos_p.shape, generator=generator).to(device) < eos_p).float()
    return torch.stack([dx, dy, eos], dim=-1)  # (B, 3)
