"""Flattening kept results over a photo: exact bytes at 0, 1 and 0.5 opacity."""

from __future__ import annotations

import numpy as np
import pytest

from engines.errors import BadInput
from engines.image import layers
from engines.image.layers import Layer, flatten


def _pictures(height: int = 300, width: int = 70) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(15)
    photo = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    result = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    return photo, result


def test_opacity_zero_one_and_half_are_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layers, "BAND_ROWS", 64)  # several bands, one partial
    photo, result = _pictures()
    before = photo.copy()
    assert np.array_equal(flatten(photo, [Layer(result, 0.0)]), photo)
    assert np.array_equal(flatten(photo, [Layer(result, 1.0)]), result)
    mean = (photo.astype(np.int32) + result.astype(np.int32) + 1) // 2  # half up
    assert np.array_equal(flatten(photo, [Layer(result, 0.5)]), mean.astype(np.uint8))
    assert np.array_equal(photo, before)  # the photo is never written to


def test_hidden_layers_are_left_out_and_order_counts() -> None:
    photo, result = _pictures()
    other = 255 - result
    assert np.array_equal(flatten(photo, [Layer(result, 1.0, visible=False)]), photo)
    assert np.array_equal(flatten(photo, [Layer(result), Layer(other)]), other)
    assert np.array_equal(flatten(photo, [Layer(other), Layer(result)]), result)
    assert np.array_equal(flatten(photo, [Layer(result), Layer(other, 0.0)]), result)


def test_a_layer_of_another_size_is_one_clear_message() -> None:
    photo, result = _pictures()
    with pytest.raises(BadInput) as caught:
        flatten(photo, [Layer(result[:10])])
    assert caught.value.message_id == "image.layer_size"
    assert "70x10" in str(caught.value) and "70x300" in str(caught.value)
