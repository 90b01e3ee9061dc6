"""Requests and results of the text engine. ``None`` means "the model's default"."""

from __future__ import annotations

from dataclasses import dataclass, field

# Sampling defaults: what a request's None stands for (kept here, not in sampling.py, so
# the Text panel shows them without importing the sampler). Chosen by
# tests/bench/bench_sampling.py (12 factual questions x 4 seeds answered on topic, 3
# stories x 4 seeds checked for loops, over temperature 0.2-0.7 x top-p 0.9/1.0 x
# repetition penalty 1.0/1.1/1.2): temperature 0.2, top-p 0.9 and no repetition penalty
# answered 32 of 48 on topic, as many as greedy decoding knows (8 of 12), with no story
# looping. A penalty of 1.1 cost 6-8 answers at every temperature (it also pushes down
# the prompt's own words, "The capital of France is ..."), 1.2 more.
DEFAULT_MAX_NEW_TOKENS = 512
DEFAULT_TEMPERATURE = 0.2
DEFAULT_TOP_P = 0.9
DEFAULT_TOP_K = 50
DEFAULT_REPETITION_PENALTY = 1.0


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class TextRequest:
    """One generation: a chat history (the last message is the prompt) and sampling settings."""

    messages: tuple[ChatMessage, ...]
    model_id: str | None = None
    max_new_tokens: int | None = None
    temperature: float | None = None  # 0: greedy (always the likeliest token)
    top_p: float | None = None
    top_k: int | None = None
    repetition_penalty: float | None = None
    seed: int | None = None  # None: a fresh random seed, reported in the result
    steering: dict[str, float] = field(default_factory=dict)  # steering vector -> strength


@dataclass(frozen=True)
class TextResult:
    text: str
    model_id: str
    tokens: int
    seconds: float
    stopped_early: bool = False  # cancelled, or the token limit was reached
    notices: tuple[str, ...] = ()  # e.g. "dropped the 2 oldest turns to fit the context"
    seed: int | None = None  # the seed the sampler used (give it back to repeat the text)
    prompt_tokens: int = 0  # tokens of the templated prompt (history included)
    tokens_per_second: float = 0.0  # decode speed, the prompt's own pass left out
    reused_tokens: int = 0  # prompt tokens whose keys/values the previous reply had cached
