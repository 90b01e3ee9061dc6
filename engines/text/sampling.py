"""Sampling the next token: a request's settings with their defaults, and the draw itself.

Temperature, top-k and nucleus (top-p) sampling (Holtzman et al. 2020, "The Curious Case
of Neural Text Degeneration"), with CTRL's repetition penalty (Keskar et al. 2019).
The defaults (in ``types.py``) were chosen by measurement: ``tests/bench/bench_sampling.py``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from engines.errors import BadInput
from engines.messages import message
from engines.text.types import (
    DEFAULT_MAX_NEW_TOKENS,
    DEFAULT_REPETITION_PENALTY,
    DEFAULT_TEMPERATURE,
    DEFAULT_TOP_K,
    DEFAULT_TOP_P,
    TextRequest,
)

if TYPE_CHECKING:
    import torch

__all__ = [
    "DEFAULT_MAX_NEW_TOKENS",
    "DEFAULT_REPETITION_PENALTY",
    "DEFAULT_TEMPERATURE",
    "DEFAULT_TOP_K",
    "DEFAULT_TOP_P",
    "SamplingSettings",
    "sample_next",
]


@dataclass(frozen=True)
class SamplingSettings:
    """A request's sampling settings with every ``None`` replaced by the default."""

    max_new_tokens: int
    temperature: float
    top_p: float
    top_k: int
    repetition_penalty: float
    seed: int

    @classmethod
    def from_request(cls, request: TextRequest) -> SamplingSettings:
        def pick(value: Any, default: Any) -> Any:
            return default if value is None else value

        settings = cls(
            max_new_tokens=int(pick(request.max_new_tokens, DEFAULT_MAX_NEW_TOKENS)),
            temperature=float(pick(request.temperature, DEFAULT_TEMPERATURE)),
            top_p=float(pick(request.top_p, DEFAULT_TOP_P)),
            top_k=int(pick(request.top_k, DEFAULT_TOP_K)),
            repetition_penalty=float(pick(request.repetition_penalty, DEFAULT_REPETITION_PENALTY)),
            seed=int(request.seed) if request.seed is not None else random.randrange(2**31),
        )
        if settings.max_new_tokens < 1:
            raise BadInput(message("text.max_tokens"))
        if settings.temperature < 0:
            raise BadInput(message("text.temperature_negative"))
        if not 0 < settings.top_p <= 1:
            raise BadInput(message("text.top_p_range"))
        if settings.top_k < 0:
            raise BadInput(message("text.top_k_negative"))
        if settings.repetition_penalty <= 0:
            raise BadInput(message("text.repetition_penalty"))
        return settings


def sample_next(
    logits: torch.Tensor,
    settings: SamplingSettings,
    seen: torch.Tensor,
    generator: torch.Generator,
) -> int:
    """Pick the next token from ``logits`` (vocab,) float32.

    ``seen`` holds the ids already in the prompt and reply (for the repetition penalty,
    applied as in CTRL, Keskar et al. 2019: positive logits divided, negative multiplied).
    """
    import torch

    logits = logits.float().clone()
    if settings.repetition_penalty != 1.0 and seen.numel():
        picked = logits[seen]
        picked = torch.where(
            picked > 0, picked / settings.repetition_penalty, picked * settings.repetition_penalty
        )
        logits[seen] = picked
    if settings.temperature == 0:
        return int(torch.argmax(logits))
    logits = logits / settings.temperature
    if 0 < settings.top_k < logits.numel():
        # Sample among the top k only: sorting and drawing over the whole vocabulary cost
        # more per token (~5 ms for 49k entries here) than a small model's forward pass.
        values, candidates = torch.topk(logits, settings.top_k)  # sorted, largest first
        if settings.top_p < 1.0:
            probs = torch.softmax(values, dim=-1)
            # Keep the smallest set whose mass reaches top_p (the first token always stays).
            values[probs.cumsum(-1) - probs >= settings.top_p] = -math.inf
        pick = torch.multinomial(torch.softmax(values, dim=-1), 1, generator=generator)
        return int(candidates[pick])
    if settings.top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True)
        cumulative = torch.softmax(sorted_logits, dim=-1).cumsum(-1)
        # Keep the smallest set whose mass reaches top_p (the first token always stays).
        drop = cumulative - torch.softmax(sorted_logits, dim=-1) >= settings.top_p
        logits[order[drop]] = -math.inf
    probs = torch.softmax(logits, dim=-1)
    return int(torch.multinomial(probs.cpu(), 1, generator=generator))
