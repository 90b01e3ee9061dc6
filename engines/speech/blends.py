"""Kokoro's five Japanese voices and the blends of them the user saves: voice information
and management, not the model (:mod:`engines.speech.kokoro` runs it). A blend is a
weighted sum of voices' style tables; here it is only data: parsed, checked, normalised
and saved as a named voice (``blend:<name>``) in ``speech_blends.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

from engines import paths, safe_write
from engines.errors import BadInput
from engines.messages import message

VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
BLENDS_FILE = "speech_blends.json"


def normalise_blend(weights: Mapping[str, float]) -> dict[str, float]:
    """Check a blend and scale its weights to sum to 1 (so A:2,B:2 equals A:1,B:1)."""
    if not weights:
        raise BadInput(message("blend.empty"))
    unknown = [v for v in weights if v not in VOICES]
    if unknown:
        raise BadInput(
            message("blend.unknown_voice", voice=repr(unknown[0]), voices=", ".join(VOICES))
        )
    bad = [v for v, w in weights.items() if not (w >= 0 and math.isfinite(w))]
    if bad:
        raise BadInput(message("blend.bad_weight", voice=bad[0]))
    total = float(sum(weights.values()))
    if total <= 0:
        raise BadInput(message("blend.zero"))
    return {v: float(w) / total for v, w in weights.items()}


def parse_blend(text: str) -> dict[str, float]:
    """``"jf_alpha:0.7,jm_kumo:0.3"`` -> {voice: weight} (names may carry ``kokoro:``)."""
    weights: dict[str, float] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.strip().rpartition(":")
        if not sep or not name:
            raise BadInput(message("blend.bad_part", part=repr(part.strip())))
        try:
            weight = float(value)
        except ValueError:
            raise BadInput(message("blend.not_a_number", part=repr(part.strip()))) from None
        name = name.removeprefix("kokoro:")
        weights[name] = weights.get(name, 0.0) + weight
    return normalise_blend(weights)


# -- saved blends (named voices) -------------------------------------------------------


def _blends_path() -> Path:
    return paths.config_dir() / BLENDS_FILE


def saved_blends() -> dict[str, dict[str, float]]:
    """Blends the user saved, by name. A damaged file reads as no blends."""
    try:
        raw = json.loads(_blends_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, dict[str, float]] = {}
    for name, weights in raw.items() if isinstance(raw, dict) else []:
        try:
            out[str(name)] = normalise_blend({str(k): float(v) for k, v in weights.items()})
        except (BadInput, AttributeError, TypeError, ValueError):
            continue
    return out


_NAME_RE = re.compile(r"^[\w][\w .\-]{0,47}$")


def save_blend(name: str, weights: Mapping[str, float]) -> dict[str, float]:
    """Save a blend as a named voice (``blend:<name>``); returns the normalised weights."""
    name = name.strip()
    if not _NAME_RE.match(name):
        raise BadInput(message("blend.bad_name"))
    blend = normalise_blend(weights)
    every = saved_blends()
    every[name] = blend
    path = _blends_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_write.write_text(path, json.dumps(every, indent=2, ensure_ascii=False), overwrite=True)
    return blend
