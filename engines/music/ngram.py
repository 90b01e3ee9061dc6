"""An interpolated Witten-Bell n-gram model of token sequences: the Transformer's baseline.

Witten and Bell (1991), as interpolated by Chen and Goodman (1998, section 2.5):
``P(w | h) = (c(h, w) + T(h) P(w | h')) / (c(h) + T(h))`` where ``T(h)`` is the number of
different tokens seen after ``h`` and ``h'`` is ``h`` without its oldest token; the
recursion ends in the uniform distribution. Counts are kept as sorted integer codes so
that training on millions of tokens and scoring are a few numpy calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class _Order:
    pair_keys: np.ndarray  # sorted codes of (context, token)
    pair_counts: np.ndarray
    context_keys: np.ndarray  # sorted codes of contexts
    context_counts: np.ndarray  # how often each context was followed by anything
    context_types: np.ndarray  # how many different tokens followed it


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    at = np.searchsorted(keys, queries)
    at = np.minimum(at, len(keys) - 1) if len(keys) else at
    found = (keys[at] == queries) if len(keys) else np.zeros(len(queries), dtype=bool)
    return np.where(found, values[at] if len(keys) else 0, 0)


@dataclass
class NGramModel:
    """Token n-gram model over a vocabulary of ``vocab`` tokens (``order`` 4: a 4-gram)."""

    vocab: int
    order: int = 4
    orders: list[_Order] = field(default_factory=list)

    @property
    def _base(self) -> int:
        return self.vocab + 1  # the extra symbol pads contexts before the first token

    def _grams(self, seq: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(context codes, pair codes) of every position's ``n``-gram, padded at the start."""
        pad = np.full(n - 1, self.vocab, dtype=np.int64)
        padded = np.concatenate([pad, np.asarray(seq, dtype=np.int64)])
        context = np.zeros(len(seq), dtype=np.int64)
        for k in range(n - 1):
            context = context * self._base + padded[k : k + len(seq)]
        return context, context * self._base + padded[n - 1 :]

    def fit(self, sequences: Sequence[np.ndarray]) -> NGramModel:
        self.orders = []
        for n in range(1, self.order + 1):
            contexts, pairs = [], []
            for seq in sequences:
                c, p = self._grams(seq, n)
                contexts.append(c)
                pairs.append(p)
            pair_keys, pair_counts = np.unique(np.concatenate(pairs), return_counts=True)
            pair_context = pair_keys // self._base
            context_keys, first = np.unique(pair_context, return_index=True)
            context_counts = np.add.reduceat(pair_counts, first)
            context_types = np.diff(np.append(first, len(pair_keys)))
            self.orders.append(
                _Order(pair_keys, pair_counts, context_keys, context_counts, context_types)
            )
        return self

    def token_log_probs(self, seq: np.ndarray) -> np.ndarray:
        """Natural-log probability of every token of ``seq`` given the ones before it."""
        prob = np.full(len(seq), 1.0 / self.vocab)
        for n, o in enumerate(self.orders, start=1):
            context, pair = self._grams(seq, n)
            c_hw = _lookup(o.pair_keys, o.pair_counts, pair)
            c_h = _lookup(o.context_keys, o.context_counts, context)
            t_h = _lookup(o.context_keys, o.context_types, context)
            seen = c_h > 0
            mixed = (c_hw + t_h * prob) / np.maximum(1, c_h + t_h)
            prob = np.where(seen, mixed, prob)
        return np.log(prob)

    def log_likelihood(self, seq: np.ndarray, prefix: int = 2) -> tuple[float, int]:
        """Summed log probability of ``seq[prefix:]`` and its token count."""
        logp = self.token_log_probs(np.asarray(seq))[prefix:]
        return float(logp.sum()), len(logp)
