"""Steering vectors: their definitions, calibrated ranges and user pairs (no model here).

Latent steering is activation addition (Turner et al. 2023, "Activation Addition:
Steering Language Models Without Optimization"; Rimsky et al. 2024, "Steering Llama 2
via Contrastive Activation Addition"): a vector, the mean difference of the residual
stream between contrasting example texts, is added to one layer's output at every
position, scaled by the user's strength. Vectors are built at first use from the pairs
in ``steering_pairs.json`` (or the user's own pairs) and cached per model
(``LoadedModel.steering_vector``, whose hook adds them: ``llm.adder``). Past some strength the text breaks down;
``calibrate_steering.py`` measures each vector's range on a model (the strongest push
each way that keeps replies fluent) and stores it beside the pairs, and the panel's
sliders and the CLI keep to it (:meth:`SteeringDefinition.range_for`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines import paths, safe_write
from engines.errors import BadInput
from engines.messages import message
from engines.text.sources import DEFAULT_MODEL_ID

PAIRS_FILE = Path(__file__).with_name("steering_pairs.json")


# A vector no calibration covers (a user's own, or any vector on another model) offers
# this much each way: below every calibrated end of the shipped vectors on the bundled
# model (the narrowest, formal's casual end, is 0.6). calibrate_steering.py measures a
# vector's own range.
UNCALIBRATED_LIMIT = 0.5


@dataclass(frozen=True)
class SteeringRange:
    """The strengths one vector's slider offers on one model, ``low`` (<= 0) to ``high``."""

    low: float
    high: float
    calibrated: bool  # measured by calibrate_steering.py for this model and these pairs

    def describe(self) -> str:
        how = message("steering.calibrated" if self.calibrated else "steering.not_calibrated")
        return message("steering.range", low=f"{self.low:+.2f}", high=f"{self.high:+.2f}", how=how)

    def contains(self, strength: float) -> bool:
        return self.low - 1e-9 <= strength <= self.high + 1e-9


@dataclass(frozen=True)
class SteeringCalibration:
    """The measured range of a vector on one model, valid for the pairs it was built from
    (``fingerprint``): strengths beyond it made the model's replies lose fluency."""

    model_id: str
    fingerprint: str
    low: float
    high: float


@dataclass(frozen=True)
class SteeringDefinition:
    """A steering direction described by contrasting example texts.

    Positive strengths push towards ``positive`` (the first text of each pair), negative
    strengths towards ``negative``.
    """

    name: str
    positive: str  # label of the first text of each pair, e.g. "formal"
    negative: str  # label of the second, e.g. "casual"
    pairs: tuple[tuple[str, str], ...]
    description: str = ""
    layer_fraction: float = 0.4  # which layer, as a fraction of the depth (CAA: ~1/3 to 1/2)
    user: bool = False
    # Words typical of each end (positive, negative): calibration checks that steering
    # towards an end makes them likelier. "<end>" stands for the model's end of reply.
    words: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    calibrations: tuple[SteeringCalibration, ...] = ()

    def fingerprint(self) -> str:
        text = json.dumps([self.pairs, self.layer_fraction], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def range_for(self, model_id: str | None) -> SteeringRange:
        """The calibrated range on ``model_id`` (None: the default model); a vector whose
        pairs changed since, or a model never calibrated, gets the uncalibrated one."""
        model_id = model_id or DEFAULT_MODEL_ID
        for calibration in self.calibrations:
            if calibration.model_id == model_id and calibration.fingerprint == self.fingerprint():
                return SteeringRange(calibration.low, calibration.high, calibrated=True)
        return SteeringRange(-UNCALIBRATED_LIMIT, UNCALIBRATED_LIMIT, calibrated=False)


def _parse_definitions(data: Any, *, user: bool) -> list[SteeringDefinition]:
    out = []
    for name, item in (data or {}).items():
        pairs = tuple((str(a), str(b)) for a, b in item["pairs"])
        words = item.get("words") or {}
        calibrations = tuple(
            SteeringCalibration(
                model_id=str(model_id),
                fingerprint=str(entry["fingerprint"]),
                low=min(0.0, float(entry["low"])),
                high=max(0.0, float(entry["high"])),
            )
            for model_id, entry in (item.get("calibration") or {}).items()
        )
        out.append(
            SteeringDefinition(
                name=name,
                positive=item.get("positive", name),
                negative=item.get("negative", f"not {name}"),
                pairs=pairs,
                description=item.get("description", ""),
                layer_fraction=float(item.get("layer_fraction", 0.4)),
                user=user,
                words=(
                    tuple(str(w) for w in words.get("positive", ())),
                    tuple(str(w) for w in words.get("negative", ())),
                ),
                calibrations=calibrations,
            )
        )
    return out


def check_steering(strengths: dict[str, float], model_id: str | None) -> None:
    """A :class:`BadInput` naming the first unknown vector or strength outside its range
    on ``model_id`` (what the panel's sliders and the CLI offer)."""
    definitions = {d.name: d for d in steering_definitions()}
    for name, strength in strengths.items():
        definition = definitions.get(name)
        if definition is None:
            raise BadInput(
                message("steering.unknown", name=name, known=", ".join(sorted(definitions)))
            )
        allowed = definition.range_for(model_id)
        if not allowed.contains(strength):
            raise BadInput(
                message(
                    "steering.out_of_range",
                    name=name,
                    strength=f"{strength:g}",
                    model=model_id or DEFAULT_MODEL_ID,
                    range=allowed.describe(),
                )
            )


def user_pairs_file() -> Path:
    return paths.config_dir() / "text" / "steering_vectors.json"


def steering_definitions() -> list[SteeringDefinition]:
    """The shipped steering vectors, then the user's own."""
    shipped = _parse_definitions(json.loads(PAIRS_FILE.read_text(encoding="utf-8")), user=False)
    try:
        user_data = json.loads(user_pairs_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        user_data = {}
    try:
        users = _parse_definitions(user_data, user=True)
    except (KeyError, TypeError, ValueError):
        users = []  # a damaged file must not hide the shipped vectors
    names = {d.name for d in shipped}
    return shipped + [d for d in users if d.name not in names]


def save_user_steering(
    name: str, positive: str, negative: str, pairs: Sequence[tuple[str, str]]
) -> SteeringDefinition:
    """Keep a user-built steering vector (its pairs; vectors are computed per model)."""
    name = name.strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", name):
        raise BadInput(message("steering.bad_name"))
    clean = [(a.strip(), b.strip()) for a, b in pairs if a.strip() and b.strip()]
    if len(clean) < 2:
        raise BadInput(message("steering.two_pairs"))
    shipped = {d.name for d in steering_definitions() if not d.user}
    if name in shipped:
        raise BadInput(message("steering.shipped", name=name))
    file = user_pairs_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[name] = {"positive": positive, "negative": negative, "pairs": clean}
    file.parent.mkdir(parents=True, exist_ok=True)
    safe_write.write_text(file, json.dumps(data, indent=2, ensure_ascii=False), overwrite=True)
    return next(d for d in steering_definitions() if d.name == name)


def strength_of(strengths: dict[str, float], name: str) -> float:
    return float(strengths.get(name, 0.0))
