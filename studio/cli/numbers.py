"""Every number option of every command, checked against its rule before any work starts.

argparse turns the text into an int or a float (a word where a number belongs is its
usage line, exit status 2); the value is then checked here against its range in
:mod:`engines.validate`, so that a value no library can take (``--threads 99999999999``,
``--seed -1``, ``--guidance nan``) is one line and exit status 1, not an overflow or an
"Internal error" from deep inside torch or numpy. A new number option is one line in
:data:`RULES`; ``tests/test_bad_inputs.py`` checks that none is left out.
"""

from __future__ import annotations

import argparse

from engines import validate
from engines.validate import Rule

# Options of the ``sozo`` command itself, before the subcommand.
GLOBAL_RULES: dict[str, Rule] = {"threads": validate.THREADS}

# Each subcommand's number options, by argparse ``dest``.
RULES: dict[str, dict[str, Rule]] = {
    "image": {
        "seed": validate.SEED,
        "steps": validate.IMAGE_STEPS,
        "guidance": validate.GUIDANCE,
        "size": validate.IMAGE_SIZE,
        "strength": validate.STRENGTH,
        "mask_padding": validate.MASK_PADDING,
        "mask_feather": validate.MASK_FEATHER,
        "scale": validate.SCALE,
    },
    "batch": {"workers": validate.WORKERS},
    "music": {
        "bars": validate.MUSIC_BARS,
        "seed": validate.SEED,
        "temperature": validate.MUSIC_TEMPERATURE,
        "tempo": validate.TEMPO,
        "steps": validate.MORPH_STEPS,
    },
    "text": {
        "max_tokens": validate.MAX_TOKENS,
        "seed": validate.SEED,
        "temperature": validate.TEXT_TEMPERATURE,
        "top_p": validate.TOP_P,
        "top_k": validate.TOP_K,
        "repetition_penalty": validate.REPETITION_PENALTY,
    },
    "speech": {
        "speed": validate.SPEED,
        "noise_scale": validate.NOISE_SCALE,
        "noise_w": validate.NOISE_W,
    },
    "serve": {"port": validate.PORT},
    "models": {"limit": validate.HUB_LIMIT},
}


def check_numbers(args: argparse.Namespace) -> None:
    """Raise :class:`engines.errors.BadInput` for the first number option out of range.
    Options left at ``None`` mean "the default" and are not checked."""
    rules = {**GLOBAL_RULES, **RULES.get(str(args.command), {})}
    for dest, rule in rules.items():
        value = getattr(args, dest, None)
        if value is not None:
            setattr(args, dest, rule.check(value))
