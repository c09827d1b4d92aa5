"""Sampling from the event LSTM: temperature, top-p, primer, length, and guards against degenerate output."""
from __future__ import annotations

import numpy as np
import torch

from . import events as ev

NOTE_ON, NOTE_OFF, TIME_SHIFT, VELOCITY = 0, 128, 256, 356  # first id of each range (music.events table)


def top_p_filter(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """Keep the smallest set of tokens whose probability mass reaches top_p (nucleus sampling)."""
    if top_p >= 1.0:
        return logits
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)  # (B, V)
    probs = torch.softmax(sorted_logits, dim=-1)
    cum = torch.cumsum(probs, dim=-1)
    drop = cum - probs >= top_p  # mass before this token already reaches top_p; never drops the first
    sorted_logits = sorted_logits.masked_fill(drop, float("-inf"))
    return torch.empty_like(logits).scatter_(-1, order, sorted_logits)


class _Tracker:
    """Per-candidate note state: which pitches sound, since when, and elapsed time (in 10 ms steps)."""

    def __init__(self, batch: int):
        self.active = np.zeros((batch, 128), dtype=bool)
        self.started = np.zeros((batch, 128), dtype=np.int64)
        self.time = np.zeros(batch, dtype=np.int64)

    def push(self, row: int, token: int) -> None:
        if NOTE_ON <= token < NOTE_OFF:
            self.active[row, token] = True
            self.started[row, token] = self.time[row]
        elif NOTE_OFF <= token < TIME_SHIFT:
            self.active[row, token - NOTE_OFF] = False
        elif TIME_SHIFT <= token < VELOCITY:
            self.time[row] += token - TIME_SHIFT + 1

    def grammar_mask(self, vocab: int) -> torch.Tensor:
        """(B, V) bool of forbidden tokens: START, NOTE_ON of a sounding pitch, NOTE_OFF of a silent one."""
        mask = np.zeros((self.active.shape[0], vocab), dtype=bool)
        mask[:, ev.START] = True
        mask[:, NOTE_ON:NOTE_OFF] = self.active
        mask[:, NOTE_OFF:TIME_SHIFT] = ~self.active
        return torch.from_numpy(mask)


@torch.inference_mode()
def sample(
    model,
    generator: torch.Generator,
    n: int = 1,
    seconds: float | None = 30.0,
    max_events: int | None = None,
    temperature: float = 1.0,
    top_p: float = 0.95,
    primer: np.ndarray | None = None,
    max_primer_events: int = 512,
    max_note_seconds: float = 4.0,
) -> list[np.ndarray]:
    """Generate `n` event-id sequences (primer included) of `seconds` of new music or `max_events` events.

    Guards: grammar masking (no NOTE_OFF of a silent pitch, no double NOTE_ON), notes held longer than
    `max_note_seconds` are ended, and every note still sounding at the end is closed.
    """
    if seconds is None and max_events is None:
        raise ValueError("give seconds or max_events")
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if not 0.0 < top_p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1], got {top_p}")
    device = next(model.parameters()).device
    vocab = model.config.vocab_size
    prefix = np.asarray([ev.START] if primer is None or len(primer) == 0 else primer[-max_primer_events:], np.int64)
    track = _Tracker(n)
    for t in prefix:
        for row in range(n):
            track.push(row, int(t))
    start_time = track.time.copy()
    target = None if seconds is None else start_time + int(round(seconds * ev.STEPS_PER_SECOND))
    limit = max_events if max_events is not None else int(seconds * ev.STEPS_PER_SECOND * 8) + 64
    max_hold = int(max_note_seconds * ev.STEPS_PER_SECOND)

    was_training = model.training
    model.eval()
    logits, state = model.step(torch.from_numpy(prefix).to(device).expand(n, -1), None)  # (B, V)
    out: list[list[int]] = [[] for _ in range(n)]
    done = np.zeros(n, dtype=bool)
    for _ in range(limit):
        logits = logits.float().cpu() / temperature
        logits = logits.masked_fill(track.grammar_mask(vocab), float("-inf"))
        probs = torch.softmax(top_p_filter(logits, top_p), dim=-1)  # (B, V)
        tokens = torch.multinomial(probs, 1, generator=generator).squeeze(1).numpy()  # (B,)
        for row in range(n):
            held = track.active[row] & (track.time[row] - track.started[row] >= max_hold)
            if held.any():  # a hanging note: end it instead of what was drawn
                tokens[row] = NOTE_OFF + int(np.flatnonzero(held)[0])
            if not done[row]:
                out[row].append(int(tokens[row]))
            track.push(row, int(tokens[row]))
            if target is not None and track.time[row] >= target[row]:
                done[row] = True
        if done.all():
            break
        logits, state = model.step(torch.from_numpy(tokens).to(device).view(n, 1), state)
    model.train(was_training)

    results = []
    for row in range(n):
        seq = list(prefix) + out[row]
        sounding = _Tracker(1)
        for t in seq:
            sounding.push(0, t)
        seq += [NOTE_OFF + int(p) for p in np.flatnonzero(sounding.active[0])]  # close every note
        results.append(np.asarray(seq, dtype=np.int64))
    return results
