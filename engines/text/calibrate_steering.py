"""Calibrate the steering sliders: for each vector, the strongest push each way that keeps
the model's replies fluent while still showing the direction.

Added to the residual stream, a steering vector (``steering.py``, activation addition) shifts
what the model says, and past some strength it breaks the text ("the Discrepional and Im
Alert to the Services of the Pre-Fingeral…"). For each vector and each sign this searches
the largest strength at which, on every prompt of a fixed set,

- **fluency**: the unsteered model's perplexity of the steered greedy reply is at most
  ``PERPLEXITY_TARGET`` (1.75) times its perplexity of its own unsteered reply (the
  requirement is 2x, ``PERPLEXITY_LIMIT``; the headroom is for CPUs whose kernels round
  differently and so pick an occasional other greedy token), and
- **direction**: the probability the model gives the direction's characteristic words
  (``words`` in ``steering_pairs.json``; "<end>" is the end of the reply) rises: the mean,
  over the positions of the unsteered reply, of log P(any of those words next), steered
  minus unsteered, averaged over the prompts, is above zero. (Per prompt it can stay flat:
  a reply that is already cheerful gets no more cheerful words.)

The strengths are searched on a grid from small to large (the first failure ends it), then
refined by bisection; the range is stored with the vector's pairs, keyed by model id and
the pairs' fingerprint (changed pairs make it stale: the slider falls back to
``steering.UNCALIBRATED_LIMIT``). The panel's slider ends and ``sozo text --steer`` use it.

    python -m engines.text.calibrate_steering              # the shipped vectors
    python -m engines.text.calibrate_steering --vector pirate --model ID   # a user's own
    python -m engines.text.calibrate_steering --check      # measure the stored ends only

Replies are greedy (temperature 0, repetition penalty ``REPETITION_PENALTY``, fixed
here so that a change of the chat defaults does not move the stored ranges), so a run is
repeatable; about 10 minutes for the three shipped vectors on one CPU thread.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines import safe_write
from engines.text import llm, steering
from engines.text.types import ChatMessage, TextRequest

PROMPTS = (
    "How was your day?",
    "Tell me about your plans for the weekend.",
    "Describe the town you live in.",
    "What do you think of the new café on the corner?",
)
REPLY_TOKENS = 48
PERPLEXITY_LIMIT = 2.0  # what the slider's end must keep (tests check it)
REPETITION_PENALTY = 1.1  # what the stored ranges were measured with (see the docstring)
PERPLEXITY_TARGET = 1.75  # what the search asks for: headroom under the limit
GRID = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
BISECTIONS = 2
END_WORD = "<end>"  # in a ``words`` list: the model's end-of-reply token(s)
RESOLUTION = 0.05  # stored ranges are rounded towards zero to this


@dataclass(frozen=True)
class Reply:
    """A greedy reply to one prompt: its token ids and, per position, the log-probabilities
    the unsteered model gives the next token (rows: the reply's positions)."""

    prompt_ids: list[int]
    ids: list[int]
    text: str
    logprobs: Any  # torch.Tensor (len(ids), vocab)

    @property
    def perplexity(self) -> float:
        import torch

        picked = self.logprobs[torch.arange(len(self.ids)), torch.tensor(self.ids)]
        return math.exp(-float(picked.mean()))


@dataclass(frozen=True)
class Measure:
    """One vector at one strength over the prompt set."""

    strength: float
    perplexity_ratios: tuple[float, ...]  # per prompt: steered reply's / unsteered reply's
    word_shifts: tuple[float, ...]  # per prompt: log P(the pushed end's words), steered - not
    replies: tuple[str, ...]

    @property
    def worst_ratio(self) -> float:
        return max(self.perplexity_ratios)

    @property
    def word_shift(self) -> float:
        return sum(self.word_shifts) / len(self.word_shifts)

    def passes(self, limit: float = PERPLEXITY_TARGET) -> bool:
        return self.worst_ratio <= limit and self.word_shift > 0

    def line(self) -> str:
        mark = "ok  " if self.passes() else "FAIL"
        ratios = " ".join(f"{r:4.2f}" for r in self.perplexity_ratios)
        shifts = " ".join(f"{s:+5.2f}" for s in self.word_shifts)
        return (
            f"{mark} {self.strength:+5.2f}  ppl x [{ratios}]  "
            f"words [{shifts}] mean {self.word_shift:+.2f}"
        )


class Calibrator:
    """Measures steering on one loaded model over a prompt set (baselines computed once)."""

    def __init__(
        self,
        model: llm.LoadedModel,
        prompts: Sequence[str] = PROMPTS,
        reply_tokens: int = REPLY_TOKENS,
    ) -> None:
        self.model = model
        self.prompts = tuple(prompts)
        self.reply_tokens = reply_tokens
        self.baselines = [self.reply(prompt, {}) for prompt in self.prompts]

    def reply(self, prompt: str, steering: dict[str, float]) -> Reply:
        """The greedy reply under ``steering``, scored by the unsteered model."""
        messages = (ChatMessage("user", prompt),)
        request = TextRequest(
            messages=messages,
            max_new_tokens=self.reply_tokens,
            temperature=0.0,
            repetition_penalty=REPETITION_PENALTY,
            seed=0,
            steering=steering,
        )
        result = self.model.generate(request)
        tokenizer = self.model.tokenizer
        ids = list(tokenizer(result.text, add_special_tokens=False)["input_ids"])
        if not result.stopped_early:  # it ended itself: the end token is part of it
            ids.append(min(self.model.eos_ids))
        prompt_ids = self.model.render(messages)
        return Reply(prompt_ids, ids, result.text, self.logprobs(prompt_ids, ids))

    def logprobs(self, prompt_ids: list[int], ids: list[int]) -> Any:
        """(len(ids), vocab) log-probabilities of each next token along ``ids`` after the
        prompt, teacher-forced, with whatever steering is attached now."""
        import torch

        model = self.model
        rows = []
        with model.lock, torch.inference_mode():
            model._cached_ids, model._last_prompt = [], None  # this overwrites the cache
            model.decoder.reset(len(prompt_ids) + len(ids))
            logits = model.decoder(torch.tensor([prompt_ids], device=model.device_str()), 0)
            position = len(prompt_ids)
            for i, token in enumerate(ids):
                rows.append(torch.log_softmax(logits.float().cpu(), dim=-1))
                if i + 1 < len(ids):
                    step = torch.tensor([[token]], device=model.device_str())
                    logits = model.decoder(step, position)
                    position += 1
        return torch.stack(rows)

    def word_ids(self, words: Sequence[str]) -> list[int]:
        """First token of each word, bare and after a space (start of reply or mid-text)."""
        tokenizer = self.model.tokenizer
        found: set[int] = set()
        for word in words:
            if word == END_WORD:
                found |= set(self.model.eos_ids)
                continue
            for variant in (word, " " + word):
                tokens = tokenizer(variant, add_special_tokens=False)["input_ids"]
                if tokens:
                    found.add(int(tokens[0]))
        return sorted(found)

    def measure(self, definition: steering.SteeringDefinition, strength: float) -> Measure:
        import torch

        positive, negative = definition.words
        words = self.word_ids(positive if strength > 0 else negative)
        if not words:
            raise ValueError(f"'{definition.name}' lists no words for its ends: add 'words'")
        chosen = torch.tensor(words)
        ratios, shifts, texts = [], [], []
        for prompt, base in zip(self.prompts, self.baselines, strict=True):
            steered = self.reply(prompt, {definition.name: strength})
            ratios.append(steered.perplexity / base.perplexity)
            texts.append(steered.text)
            with self.model.steering({definition.name: strength}):
                pushed = self.logprobs(base.prompt_ids, base.ids)
            before = torch.logsumexp(base.logprobs[:, chosen], dim=-1).mean()
            after = torch.logsumexp(pushed[:, chosen], dim=-1).mean()
            shifts.append(float(after - before))
        return Measure(strength, tuple(ratios), tuple(shifts), tuple(texts))


def search(
    calibrator: Calibrator, definition: steering.SteeringDefinition, sign: int, log: Any = None
) -> tuple[float, list[Measure]]:
    """The largest strength (times ``sign``) that passes, with every smaller grid point
    passing too, and the measures taken on the way."""
    measures: list[Measure] = []

    def passes(strength: float) -> bool:
        measure = calibrator.measure(definition, sign * strength)
        measures.append(measure)
        if log is not None:
            log(f"  {definition.name:<10} {measure.line()}")
        return measure.passes()

    good, bad = 0.0, None
    for strength in GRID:
        if not passes(strength):
            bad = strength
            break
        good = strength
    if bad is not None:
        for _ in range(BISECTIONS):
            middle = round((good + bad) / 2, 3)
            if passes(middle):
                good = middle
            else:
                bad = middle
    limit = round(math.floor(good / RESOLUTION + 1e-9) * RESOLUTION, 3)
    if limit and limit != good and not passes(limit):  # rounding lands off the tested points
        limit = good
    return sign * limit, measures


def _pairs_file_for(definition: steering.SteeringDefinition) -> Path:
    return steering.user_pairs_file() if definition.user else steering.PAIRS_FILE


def store(
    definition: steering.SteeringDefinition,
    model_id: str,
    low: Measure | None,
    high: Measure | None,
    settings: dict[str, Any],
) -> Path:
    """Write the range (and the figures measured at its ends) beside the vector's pairs."""
    file = _pairs_file_for(definition)
    data = json.loads(file.read_text(encoding="utf-8"))
    entry = data[definition.name]

    def figures(measure: Measure | None) -> dict[str, Any]:
        if measure is None:
            return {"strength": 0.0}
        return {
            "strength": measure.strength,
            "worst_perplexity_ratio": round(measure.worst_ratio, 3),
            "word_shift": round(measure.word_shift, 3),
        }

    entry.setdefault("calibration", {})[model_id] = {
        "fingerprint": definition.fingerprint(),
        "low": low.strength if low else 0.0,
        "high": high.strength if high else 0.0,
        "measured": {"low": figures(low), "high": figures(high), **settings},
    }
    safe_write.write_text(file, format_pairs_file(data), overwrite=True)
    return file


def format_pairs_file(data: dict[str, Any]) -> str:
    """The pairs file as JSON with one pair a line (as it is written by hand)."""
    blocks = []
    for name, entry in data.items():
        lines = []
        for key, value in entry.items():
            if key == "pairs":
                pairs = ",\n".join(f"      {json.dumps(p, ensure_ascii=False)}" for p in value)
                lines.append(f'    "pairs": [\n{pairs}\n    ]')
            else:
                lines.append(f"    {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
        blocks.append(
            f"  {json.dumps(name, ensure_ascii=False)}: {{\n" + ",\n".join(lines) + "\n  }"
        )
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engines.text.calibrate_steering", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--model", default=None, help="catalogue id or path (default: bundled)")
    parser.add_argument("--vector", action="append", default=[], help="only this vector")
    parser.add_argument(
        "--check", action="store_true", help="measure the stored ends only; store nothing"
    )
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    model = llm.load(args.model)
    definitions = [
        d for d in steering.steering_definitions() if not args.vector or d.name in args.vector
    ]
    unknown = set(args.vector) - {d.name for d in definitions}
    if unknown:
        print(f"No steering vector named {', '.join(sorted(unknown))}.", file=sys.stderr)
        return 2
    print(
        f"{model.name}: {len(PROMPTS)} prompts, greedy replies of up to {REPLY_TOKENS} "
        f"tokens; worst perplexity ratio <= {PERPLEXITY_TARGET}, mean word shift > 0"
    )
    calibrator = Calibrator(model)
    for prompt, base in zip(PROMPTS, calibrator.baselines, strict=True):
        print(f"  unsteered  ppl {base.perplexity:5.2f}  {prompt!r}: {base.text[:70]!r}")
    settings = {"prompts": len(PROMPTS), "reply_tokens": REPLY_TOKENS}
    report = []
    for definition in definitions:
        if args.check:
            allowed = definition.range_for(model.model_id)
            ends = [s for s in (allowed.low, allowed.high) if s]
            measures = [calibrator.measure(definition, s) for s in ends]
            for measure in measures:
                print(f"  {definition.name:<10} {measure.line()}")
            report.append((definition.name, allowed.low, allowed.high, measures))
            continue
        print(f"{definition.name}: + {definition.positive} / - {definition.negative}")
        high, up = search(calibrator, definition, +1, print)
        low, down = search(calibrator, definition, -1, print)

        def at(strength: float, measures: list[Measure]) -> Measure | None:
            return next((m for m in reversed(measures) if m.strength == strength), None)

        high_measure, low_measure = at(high, up), at(low, down)
        file = store(definition, model.model_id, low_measure, high_measure, settings)
        print(f"  stored {low:+.2f} to {high:+.2f} in {file}")
        report.append((definition.name, low, high, [m for m in (low_measure, high_measure) if m]))

    print("\nvector       range            end     worst ppl ratio  word shift  reply")
    for name, low, high, measures in report:
        for measure in measures:
            print(
                f"{name:<12} {low:+.2f} to {high:+.2f}  {measure.strength:+5.2f}   "
                f"{measure.worst_ratio:14.2f}  {measure.word_shift:+10.2f}  "
                f"{measure.replies[0][:60]!r}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
