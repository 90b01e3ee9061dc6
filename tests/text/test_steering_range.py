"""Steering ranges: the calibration stored beside the shipped pairs, what it covers, and
the one-line error outside it. No model runs here (the real one: test_real_model.py)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from engines.errors import BadInput
from engines.text import calibrate_steering, steering


def shipped() -> dict[str, steering.SteeringDefinition]:
    return {d.name: d for d in steering.steering_definitions() if not d.user}


def test_every_shipped_vector_is_calibrated_on_the_bundled_model() -> None:
    for name, definition in shipped().items():
        allowed = definition.range_for(steering.DEFAULT_MODEL_ID)
        assert allowed.calibrated, f"{name}: run python -m engines.text.calibrate_steering"
        assert allowed.low < 0 < allowed.high, name
        # The old sliders went to 3 either way: gibberish ("the Discrepional and Im
        # Alert to the Services of the Pre-Fingeral…"). Calibrated ends sit well inside.
        assert allowed.low > -3 and allowed.high < 3, name
        assert definition.words[0] and definition.words[1], name
        assert definition.range_for(None) == allowed  # None: the default model


def test_a_calibration_is_for_its_model_and_its_pairs_only() -> None:
    formal = shipped()["formal"]
    calibrated = formal.range_for(steering.DEFAULT_MODEL_ID)
    other_model = formal.range_for("some-other-model")
    assert not other_model.calibrated
    assert (other_model.low, other_model.high) == (
        -steering.UNCALIBRATED_LIMIT,
        steering.UNCALIBRATED_LIMIT,
    )
    edited = replace(formal, pairs=formal.pairs[:-1])  # re-saved pairs: a new vector
    assert edited.range_for(steering.DEFAULT_MODEL_ID) == other_model
    assert calibrated.calibrated and "(calibrated)" in calibrated.describe()
    assert "not calibrated" in other_model.describe()


def test_strengths_outside_the_range_are_refused_in_one_line() -> None:
    allowed = shipped()["formal"].range_for(None)
    steering.check_steering({"formal": allowed.high, "positive": 0.0}, None)
    steering.check_steering({"formal": allowed.low}, steering.DEFAULT_MODEL_ID)
    for strength in (allowed.high + 0.01, allowed.low - 0.01, 3.0):
        with pytest.raises(BadInput) as info:
            steering.check_steering({"formal": strength}, None)
        message = str(info.value)
        assert "\n" not in message and allowed.describe() in message
    with pytest.raises(BadInput, match="No steering vector named 'nope'"):
        steering.check_steering({"nope": 0.1}, None)
    # Another model has no calibration: the narrower default range holds there.
    with pytest.raises(BadInput, match="not calibrated"):
        steering.check_steering({"formal": steering.UNCALIBRATED_LIMIT + 0.1}, "some-other-model")


def test_the_calibration_writer_keeps_the_pairs_file_as_written() -> None:
    """The script rewrites steering_pairs.json: its format is the file's own (one pair a
    line), so a calibration run changes only the calibration lines."""
    text = steering.PAIRS_FILE.read_text(encoding="utf-8")
    assert calibrate_steering.format_pairs_file(json.loads(text)) == text


def test_stored_calibration_records_what_was_measured() -> None:
    data = json.loads(steering.PAIRS_FILE.read_text(encoding="utf-8"))
    for name, definition in shipped().items():
        entry = data[name]["calibration"][steering.DEFAULT_MODEL_ID]
        assert entry["fingerprint"] == definition.fingerprint()
        for end in ("low", "high"):
            measured = entry["measured"][end]
            assert measured["strength"] == entry[end]
            assert measured["worst_perplexity_ratio"] <= calibrate_steering.PERPLEXITY_TARGET
            assert measured["word_shift"] > 0
