"""One inference step of a (multi-layer, unidirectional) nn.LSTM with plain matmuls.

At batch 1 on a CPU, calling nn.LSTM for a single time step spends most of its time setting up the
mkldnn kernel (~0.7 ms per layer here); this computes the same cell from the module's own weights:
    i, f, g, o = split(W_ih x + b_ih + W_hh h + b_hh);  c' = sig(f) c + sig(i) tanh(g);  h' = sig(o) tanh(c')
"""
from __future__ import annotations

import torch
from torch import nn


def lstm_step(lstm: nn.LSTM, x: torch.Tensor, state=None):
    """x (B, I), state (h, c) each (L, B, H) or None -> (top-layer h (B, H), (h, c) each (L, B, H))."""
    if lstm.bidirectional or lstm.proj_size:
        raise ValueError("lstm_step supports unidirectional nn.LSTM without projections only")
    B, H, L = x.shape[0], lstm.hidden_size, lstm.num_layers
    if state is None:
        zeros = x.new_zeros(L, B, H)
        state = (zeros, zeros)
    h0, c0 = state
    hs, cs = [], []
    for layer in range(L):
        w_ih, w_hh = getattr(lstm, f"weight_ih_l{layer}"), getattr(lstm, f"weight_hh_l{layer}")
        gates = x @ w_ih.t() + h0[layer] @ w_hh.t()  # (B, 4H)
        if lstm.bias:
            gates = gates + getattr(lstm, f"bias_ih_l{layer}") + getattr(lstm, f"bias_hh_l{layer}")
        i, f, g, o = gates.chunk(4, dim=1)
        c = torch.sigmoid(f) * c0[layer] + torch.sigmoid(i) * torch.tanh(g)
        x = torch.sigmoid(o) * torch.tanh(c)  # (B, H)
        hs.append(x)
        cs.append(c)
    return x, (torch.stack(hs), torch.stack(cs))
