"""Event LSTM: embedding -> multi-layer nn.LSTM -> linear over the Performance-RNN vocabulary."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

from core.lstm_step import lstm_step


@dataclass
class MusicConfig:
    """Shape of the event LSTM; stored in every checkpoint and rebuilt with MusicLSTM(MusicConfig(**cfg))."""

    vocab_size: int = 389  # music.events.VOCAB_SIZE: 128 on + 128 off + 100 shifts + 32 velocities + START
    embed_dim: int = 128  # a 389-token vocabulary needs no wider embedding
    hidden: int = 256  # 2 x 256 keeps the shipped checkpoint ~5 MB and trains on a CPU in an hour
    layers: int = 2  # Performance RNN used 3 x 512; 2 layers already beat a 5-gram clearly
    dropout: float = 0.1  # between LSTM layers and before the head; chorales are a small corpus


class MusicLSTM(nn.Module):
    def __init__(self, config: MusicConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.embed_dim)
        self.lstm = nn.LSTM(
            config.embed_dim, config.hidden, config.layers, batch_first=True,
            dropout=config.dropout if config.layers > 1 else 0.0,
        )
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden, config.vocab_size)

    def forward(self, x: torch.Tensor, targets: torch.Tensor | None = None, state=None):
        """x: (B, T) event ids -> (logits (B, T, V), mean cross-entropy in nats/event or None)."""
        h, _ = self.lstm(self.embed(x), state)  # (B, T, H)
        logits = self.head(self.drop(h))  # (B, T, V)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.float().flatten(0, 1), targets.flatten())
        return logits, loss

    def step(self, tokens: torch.Tensor, state=None):
        """One or more steps with carried state: tokens (B, T) -> (last logits (B, V), new state)."""
        if tokens.shape[1] == 1 and state is not None and not self.training:
            return self._one_step(tokens[:, 0], state)
        h, state = self.lstm(self.embed(tokens), state)  # (B, T, H)
        return self.head(h[:, -1]), state  # (B, V)

    def _one_step(self, tokens: torch.Tensor, state):
        """Single inference step through core.lstm_step (same cell, ~10x faster than nn.LSTM at batch 1)."""
        h, state = lstm_step(self.lstm, self.embed(tokens), state)  # (B, H)
        return self.head(h), state  # (B, V)
