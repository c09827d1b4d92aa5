"""Graves (2013) handwriting networks: the prediction network (section 4) and the synthesis network (section 5).

Both are LSTM stacks with skip connections (every layer sees the input, the output layer sees every
layer) feeding a mixture-density head (mdn.mixture, eq. 18-26). The synthesis network adds a soft
window over the one-hot characters of the text (eq. 46-51), computed from the first layer's state.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from core.lstm_step import lstm_step
from mdn.mixture import n_outputs, nll, split_params

from .alphabet import ALPHABET


@dataclass
class SynthesisConfig:
    """Shape of the synthesis network; stored in every checkpoint."""

    alphabet_size: int = len(ALPHABET) + 1  # printable ASCII + padding id 0
    hidden: int = 256  # Graves used 3 x 400; 3 x 256 trains on a CPU in about an hour
    layers: int = 3  # layer 1 drives the window; layers 2..L read it
    window_mixtures: int = 10  # K Gaussians in the soft window (Graves: 10)
    output_mixtures: int = 20  # M bivariate Gaussians in the MDN (Graves: 20)
    kappa_scale: float = 0.1  # kappa step = kappa_scale * exp(k_hat): ~10 pen points per character at init


@dataclass
class PredictionConfig:
    """Shape of the unconditional prediction network (section 4)."""

    hidden: int = 256
    layers: int = 3
    output_mixtures: int = 20


def window_weights(alpha: torch.Tensor, beta: torch.Tensor, kappa: torch.Tensor, length: int) -> torch.Tensor:
    """phi(t, u) = sum_k alpha_k exp(-beta_k (kappa_k - u)^2), eq. 46; (B, K) x3 -> (B, length)."""
    u = torch.arange(length, device=kappa.device, dtype=kappa.dtype)  # (U,)
    return (alpha.unsqueeze(2) * torch.exp(-beta.unsqueeze(2) * (kappa.unsqueeze(2) - u) ** 2)).sum(1)  # (B, U)


class Synthesis(nn.Module):
    """Handwriting synthesis: strokes + text -> MDN parameters for the next pen offset."""

    def __init__(self, config: SynthesisConfig):
        super().__init__()
        self.config = config
        H, V, K = config.hidden, config.alphabet_size, config.window_mixtures
        self.input_proj = nn.Linear(3, 4 * H)  # x_t part of layer-1 gates, precomputed for all t
        self.recurrent = nn.Linear(V + H, 4 * H, bias=False)  # [w_{t-1}, h_{t-1}] part of layer-1 gates
        self.window = nn.Linear(H, 3 * K)  # (alpha_hat, beta_hat, kappa_hat), eq. 48-51
        self.upper = nn.ModuleList(nn.LSTM(3 + V + H, H, batch_first=True) for _ in range(config.layers - 1))
        self.head = nn.Linear(config.layers * H, n_outputs(config.output_mixtures))
        with torch.no_grad():  # forget-gate bias 1 (standard), gentle window at init
            self.input_proj.bias[H : 2 * H].fill_(1.0)
            self.window.bias.zero_()

    def init_state(self, batch: int, device) -> dict:
        H, V, K = self.config.hidden, self.config.alphabet_size, self.config.window_mixtures
        z = lambda *s: torch.zeros(*s, device=device)  # noqa: E731
        return {"h1": z(batch, H), "c1": z(batch, H), "w": z(batch, V), "kappa": z(batch, K), "upper": None}

    def attend(self, x: torch.Tensor, onehot: torch.Tensor, state: dict, extra_positions: int = 0):
        """Run layer 1 and the window over x (B, T, 3); returns h1 (B,T,H), w (B,T,V), phi (B,T,U+extra), state."""
        H = self.config.hidden
        B, T, _ = x.shape
        U = onehot.shape[1]
        gx = self.input_proj(x).unbind(1)  # T x (B, 4H); unbind, not gx[:, t]: its backward is O(T) per step
        h, c, w, kappa = state["h1"], state["c1"], state["w"], state["kappa"]
        hs, ws, phis = [], [], []
        for t in range(T):
            gates = gx[t] + self.recurrent(torch.cat([w, h], dim=1))  # (B, 4H)
            i, f, g, o = gates.split(H, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)  # (B, H)
            a_hat, b_hat, k_hat = self.window(h).chunk(3, dim=1)  # (B, K) each
            alpha, beta = torch.exp(a_hat), torch.exp(b_hat)  # eq. 48, 49
            kappa = kappa + self.config.kappa_scale * torch.exp(k_hat)  # eq. 51: monotone position
            phi = window_weights(alpha, beta, kappa, U + extra_positions)  # (B, U+extra), eq. 46
            w = torch.bmm(phi[:, None, :U], onehot).squeeze(1)  # (B, V), eq. 47
            hs.append(h)
            ws.append(w)
            phis.append(phi)
        new_state = {**state, "h1": h, "c1": c, "w": w, "kappa": kappa}
        return torch.stack(hs, 1), torch.stack(ws, 1), torch.stack(phis, 1), new_state

    def run(self, x: torch.Tensor, onehot: torch.Tensor, state: dict, extra_positions: int = 0):
        """Full stack over x (B, T, 3): returns (y_hat (B, T, 6M+1), phi (B, T, U+extra), state)."""
        h1, w, phi, state = self.attend(x, onehot, state, extra_positions)
        outs, h = [h1], h1
        upper_states = state["upper"] or [None] * len(self.upper)
        new_upper = []
        single = x.shape[1] == 1 and not self.training  # sampling: skip nn.LSTM's per-call kernel set-up
        for lstm, s in zip(self.upper, upper_states):
            inp = torch.cat([x, h, w], dim=-1)  # (B, T, 3 + H + V)
            if single:
                h, s = lstm_step(lstm, inp[:, 0], s)
                h = h.unsqueeze(1)  # (B, 1, H)
            else:
                h, s = lstm(inp, s)  # (B, T, H)
            outs.append(h)
            new_upper.append(s)
        y_hat = self.head(torch.cat(outs, dim=-1))  # (B, T, 6M+1), eq. 17 with skip connections
        return y_hat, phi, {**state, "upper": new_upper}

    def forward(self, x: dict, targets: dict | None = None):
        """x: {"strokes": (B,T,3) inputs, "chars": (B,U) ids}; targets: {"strokes": (B,T,3), "mask": (B,T)}."""
        chars = x["chars"]
        onehot = nn.functional.one_hot(chars, self.config.alphabet_size).float()  # (B, U, V)
        onehot[..., 0] = 0.0  # padding attends to nothing
        y_hat, _, _ = self.run(x["strokes"], onehot, self.init_state(chars.shape[0], chars.device))
        if targets is None:
            return y_hat, None
        return y_hat, nll(split_params(y_hat.float()), targets["strokes"], targets["mask"])


class Prediction(nn.Module):
    """Unconditional handwriting prediction network (section 4): strokes -> next-offset mixture."""

    def __init__(self, config: PredictionConfig):
        super().__init__()
        self.config = config
        H = config.hidden
        self.layers = nn.ModuleList(nn.LSTM(3 + (H if i else 0), H, batch_first=True) for i in range(config.layers))
        self.head = nn.Linear(config.layers * H, n_outputs(config.output_mixtures))

    def run(self, x: torch.Tensor, states=None):
        """x (B, T, 3) -> (y_hat (B, T, 6M+1), states)."""
        outs, h, new_states = [], None, []
        for i, lstm in enumerate(self.layers):
            inp = x if i == 0 else torch.cat([x, h], dim=-1)  # skip connection from the input, eq. 1-2
            h, s = lstm(inp, None if states is None else states[i])
            outs.append(h)
            new_states.append(s)
        return self.head(torch.cat(outs, dim=-1)), new_states

    def forward(self, x: dict, targets: dict | None = None):
        y_hat, _ = self.run(x["strokes"])
        if targets is None:
            return y_hat, None
        return y_hat, nll(split_params(y_hat.float()), targets["strokes"], targets["mask"])
