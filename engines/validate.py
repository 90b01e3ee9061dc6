"""The range of every number a person can type: one rule each, for the CLI and the settings.

A number from the command line or the settings file is checked here before it reaches a
library, so that a value torch, numpy or ONNX Runtime cannot take is one readable line
("--threads must be a whole number from 0 to 1024, not 99999999999"), not an overflow
deep inside. The CLI turns each rule into an argparse ``type=`` (:meth:`Rule.parse`), the
settings readers call :meth:`Rule.check` and fall back to the default of a bad key.

Seeds are whole numbers from 0 to 2**32 - 1: the widest range every generator the
engines use takes (numpy's legacy ``RandomState`` stops there; torch's ``manual_seed``
would take 2**64 - 1 but the engines reuse one seed across libraries).

The bounds of the engines' own checks (image steps, speech speed, music bars) are read
from here too where they are the same number, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Self

from engines.errors import BadInput
from engines.messages import message

SEED_MAX = 2**32 - 1


@dataclass(frozen=True)
class Rule:
    """A number's allowed range. ``whole`` numbers are integers; ``low_open`` excludes
    ``low`` itself (a speed or top-p above 0)."""

    name: str  # as the user types it: "--threads", "--top-p"
    low: float
    high: float
    whole: bool = False
    low_open: bool = False
    why: str = ""  # said after the range, e.g. "(0: automatic)"

    def describe(self) -> str:
        kind = "whole" if self.whole else "number"
        which = f"validate.{kind}_{'above' if self.low_open else 'from'}"
        return message(which, low=_show(self.low), high=_show(self.high), why=self.why)

    def named(self, name: str) -> Self:
        """The same rule under another name (a settings key rather than an option)."""
        return replace(self, name=name)

    def _refuse(self, value: object) -> BadInput:
        said = {"name": self.name, "value": _short(value), "range": self.describe()}
        if isinstance(value, str):  # not a number at all
            return BadInput(message("validate.not_a_number", **said))
        return BadInput(message("validate.out_of_range", **said))

    def parse(self, text: str) -> float:
        """The value of ``text``, else :class:`BadInput`. As an argparse ``type=`` the
        error passes through argparse (which catches only ValueError and TypeError) to
        ``studio.cli.main``: one line and exit status 1, like every other bad input."""
        cleaned = str(text).strip()
        try:
            value: float = int(cleaned) if self.whole else float(cleaned)
        except ValueError:
            raise self._refuse(repr(str(text))) from None
        return self.check(value)

    def check(self, value: object) -> float:
        """``value`` if it lies in the range, else :class:`BadInput` naming the range."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._refuse(repr(value))
        if self.whole and not isinstance(value, int):
            if not (math.isfinite(value) and float(value).is_integer()):
                raise self._refuse(value)
            value = int(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise self._refuse(value)
        too_low = value <= self.low if self.low_open else value < self.low
        if too_low or value > self.high:
            raise self._refuse(value)
        return value


def _short(value: object) -> str:
    """A value as the user typed it, cut short: a 5000-digit number is not echoed whole."""
    if isinstance(value, float):
        text = f"{value:g}"
    else:
        text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _show(bound: float) -> str:
    if float(bound).is_integer():
        number = int(bound)
        return "2**32 - 1" if number == SEED_MAX else str(number)
    return f"{bound:g}"


class IntRule(Rule):
    def parse(self, text: str) -> int:
        return int(super().parse(text))

    def check(self, value: object) -> int:
        return int(super().check(value))


def whole(name: str, low: int, high: int, why: str = "") -> IntRule:
    return IntRule(name, low, high, whole=True, why=why)


# -- everything ----------------------------------------------------------------------
# torch and ONNX Runtime take a C int; no machine this runs on has more cores than this.
THREADS = whole("--threads", 0, 1024, message("validate.why.threads"))
SEED = whole("--seed", 0, SEED_MAX)
PORT = whole("--port", 0, 65535, message("validate.why.port"))

# The hub answers at most 1000 results a page.
HUB_LIMIT = whole("--limit", 1, 1000)

# -- image ---------------------------------------------------------------------------
IMAGE_STEPS = whole("--steps", 1, 1000)
IMAGE_SIZE = whole("--size", 32, 1024, message("validate.why.pixels"))
GUIDANCE = Rule("--guidance", 0, 30)
STRENGTH = Rule("--strength", 0, 1, low_open=True)
# Photo edits: the bounds engines.image.compose checks requests against (MAX_PADDING,
# MAX_FEATHER, MIN_SCALE/MAX_SCALE), said here for the command line.
MASK_PADDING = whole("--mask-padding", 0, 1024, message("validate.why.pixels"))
MASK_FEATHER = Rule("--mask-feather", 0, 128, why=message("validate.why.mask_feather"))
SCALE = Rule("--scale", 0.1, 4, why=message("validate.why.scale"))

# -- batches -------------------------------------------------------------------------
WORKERS = whole("--workers", 1, 1024)

# -- music ---------------------------------------------------------------------------
MUSIC_BARS = whole("--bars", 1, 64)
# Each morph step decodes and renders one melody: a bound keeps a run to minutes.
MORPH_STEPS = whole("--steps", 2, 64, message("validate.why.morph_steps"))
MUSIC_TEMPERATURE = Rule("--temperature", 0, 3, why=message("validate.why.music_temperature"))
TEMPO = Rule("--tempo", 20, 300, why=message("validate.why.tempo"))

# -- text ----------------------------------------------------------------------------
MAX_TOKENS = whole("--max-tokens", 1, 16384)  # engines.text.llm.MAX_CONTEXT_TOKENS
TEXT_TEMPERATURE = Rule("--temperature", 0, 5, why=message("validate.why.text_temperature"))
TOP_P = Rule("--top-p", 0, 1, low_open=True)
TOP_K = whole("--top-k", 0, 100_000, message("validate.why.top_k"))
REPETITION_PENALTY = Rule(
    "--repetition-penalty", 0, 10, low_open=True, why=message("validate.why.repetition_penalty")
)

# -- speech --------------------------------------------------------------------------
SPEED = Rule("--speed", 0.25, 4, why=message("validate.why.speed"))
NOISE_SCALE = Rule("--noise-scale", 0, 2)
NOISE_W = Rule("--noise-w", 0, 2)
