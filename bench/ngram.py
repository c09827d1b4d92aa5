"""Interpolated Kneser-Ney n-gram baseline over event ids, counted with numpy (no downloads, no pickles).

Chen & Goodman (1998) interpolated KN with one absolute discount per order, D = n1 / (n1 + 2 n2):
    P_n(w | h)  = max(c(h w) - D_n, 0) / c(h)  +  D_n N1+(h .) / c(h) * P_{n-1}(w | h')
where c is the raw count at the highest order and the continuation count N1+(. h w) (distinct left
extensions) at every lower order; the recursion ends in a uniform distribution over the vocabulary, so
every id (START included) has a non-zero probability and each P(. | h) sums to one. A context never
seen at some order passes the lower-order distribution through unchanged.

Each sequence is padded on the left with `order - 1` PAD ids (id = vocab) that only appear in contexts;
the first element of each sequence (START) is context only and is never predicted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class OrderTable:
    """Counts for one order k: sorted k-gram keys with counts, and per-context totals and type counts."""

    grams: np.ndarray  # sorted int64 keys of k-grams (context * base + word)
    counts: np.ndarray  # raw counts (highest order) or continuation counts (lower orders)
    contexts: np.ndarray  # sorted int64 keys of (k-1)-gram contexts
    totals: np.ndarray  # sum of counts over words, per context
    types: np.ndarray  # number of distinct words after each context
    discount: float


@dataclass
class KneserNey:
    """An interpolated Kneser-Ney model; build with fit_kneser_ney, query with log_probs / distribution."""

    order: int
    vocab: int
    tables: list[OrderTable] = field(default_factory=list)  # index k-1 holds order k

    @property
    def base(self) -> int:
        return self.vocab + 1  # ids 0..vocab-1 plus PAD = vocab


def _gram_keys(seqs: list[np.ndarray], n: int, vocab: int) -> np.ndarray:
    """int64 keys of every n-gram ending at a predicted position (index >= 1) of every sequence."""
    base, pad, out = vocab + 1, vocab, []
    for s in seqs:
        s = np.asarray(s, dtype=np.int64)
        if len(s) < 2:
            continue
        padded = np.concatenate([np.full(n - 1, pad, np.int64), s])  # s[i] is padded[i + n - 1]
        key = np.zeros(len(s) - 1, dtype=np.int64)
        for j in range(n):  # gram for target s[i], i = 1..len-1: padded[i .. i + n - 1]
            key = key * base + padded[1 + j : len(s) + j]
        out.append(key)
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def _discount(counts: np.ndarray) -> float:
    """D = n1 / (n1 + 2 n2), clipped to (0, 1); 0.5 when the counts say nothing."""
    n1, n2 = int((counts == 1).sum()), int((counts == 2).sum())
    return float(np.clip(n1 / (n1 + 2 * n2), 0.05, 0.95)) if n1 + n2 else 0.5


def _table(grams: np.ndarray, counts: np.ndarray, base: int) -> OrderTable:
    contexts, inverse = np.unique(grams // base, return_inverse=True)
    totals = np.bincount(inverse, weights=counts, minlength=len(contexts))
    types = np.bincount(inverse, minlength=len(contexts))
    return OrderTable(grams, counts.astype(np.float64), contexts, totals, types.astype(np.float64), _discount(counts))


def fit_kneser_ney(seqs: list[np.ndarray], vocab: int, order: int = 5) -> KneserNey:
    """Count every order 1..`order` from the id sequences `seqs` (each starting with its START id)."""
    if order < 1:
        raise ValueError(f"n-gram order must be >= 1, got {order}")
    if (vocab + 1) ** order >= 2**63:
        raise ValueError(f"order {order} over {vocab} ids overflows the int64 n-gram keys; use a lower order")
    for i, s in enumerate(seqs):
        s = np.asarray(s)
        if len(s) and (s.min() < 0 or s.max() >= vocab):
            raise ValueError(f"sequence {i} has ids outside 0..{vocab - 1}")
    model = KneserNey(order, vocab)
    base = model.base
    top, top_counts = np.unique(_gram_keys(seqs, order, vocab), return_counts=True)
    if len(top) == 0:
        raise ValueError("no n-grams to count: every sequence is shorter than 2 ids")
    tables = [_table(top, top_counts, base)]
    grams = top
    for k in range(order - 1, 0, -1):  # continuation counts: distinct left extensions of each k-gram
        lower, cont = np.unique(grams % base**k, return_counts=True)
        tables.insert(0, _table(lower, cont, base))
        grams = lower
    model.tables = tables
    return model


def _lookup(keys: np.ndarray, sorted_keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values[j] where sorted_keys[j] == key, else 0, for every key."""
    if len(sorted_keys) == 0:
        return np.zeros(len(keys))
    j = np.clip(np.searchsorted(sorted_keys, keys), 0, len(sorted_keys) - 1)
    return np.where(sorted_keys[j] == keys, values[j], 0.0)


def probs(model: KneserNey, contexts: np.ndarray, words: np.ndarray) -> np.ndarray:
    """P(words[i] | contexts[i]) for (N, order-1) context ids (PAD = vocab on the left) and (N,) words."""
    contexts = np.asarray(contexts, dtype=np.int64).reshape(len(words), model.order - 1)
    words = np.asarray(words, dtype=np.int64)
    base = model.base
    p = np.full(len(words), 1.0 / model.vocab)  # order 0: uniform over the vocabulary
    for k, t in enumerate(model.tables, start=1):
        ctx = np.zeros(len(words), dtype=np.int64)
        for j in range(model.order - k, model.order - 1):  # the last k-1 context ids
            ctx = ctx * base + contexts[:, j]
        total = _lookup(ctx, t.contexts, t.totals)
        types = _lookup(ctx, t.contexts, t.types)
        count = _lookup(ctx * base + words, t.grams, t.counts)
        seen = total > 0
        safe = np.where(seen, total, 1.0)
        mixed = np.maximum(count - t.discount, 0.0) / safe + t.discount * types / safe * p
        p = np.where(seen, mixed, p)
    return p


def log_probs(model: KneserNey, seq: np.ndarray) -> np.ndarray:
    """Natural-log probabilities of seq[1:] each given its preceding (order-1) ids (PAD before the start)."""
    seq = np.asarray(seq, dtype=np.int64)
    n = model.order - 1
    padded = np.concatenate([np.full(n, model.vocab, np.int64), seq])
    idx = np.arange(1, len(seq))[:, None] + np.arange(n)[None, :]  # context of seq[i] is padded[i : i + n]
    ctx = padded[idx] if n else np.zeros((len(seq) - 1, 0), np.int64)
    return np.log(probs(model, ctx, seq[1:]))


def distribution(model: KneserNey, context: np.ndarray) -> np.ndarray:
    """The full (vocab,) next-id distribution after `context` (its last order-1 ids are used)."""
    context = np.asarray(context, dtype=np.int64)[-(model.order - 1):] if model.order > 1 else np.zeros(0, np.int64)
    context = np.concatenate([np.full(model.order - 1 - len(context), model.vocab, np.int64), context])
    words = np.arange(model.vocab)
    return probs(model, np.tile(context, (model.vocab, 1)), words)
