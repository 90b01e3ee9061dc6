"""MusicState driven directly (no widget): its values signal only on change, and every
request the panel sends is built from it; and one widget test that the attribute and
morph sliders are bound to it both ways."""

from __future__ import annotations

import numpy as np
import pytest

from engines.music.types import (
    AttributeRequest,
    ContinueRequest,
    InterpolateRequest,
    MusicRequest,
    RenderRequest,
    VariationsRequest,
)
from studio.panels.music_state import ATTRIBUTES, STRIP_MELODIES, MusicState


def _record(state: MusicState, name: str) -> list[object]:
    seen: list[object] = []
    getattr(state, f"{name}_changed").connect(seen.append)
    return seen


def test_values_signal_only_when_they_change() -> None:
    state = MusicState(seed=0)
    density, morph, slot = (_record(state, n) for n in ("density_amount", "morph", "melody_a"))
    state.density_amount = 0.0  # the default: no change
    state.density_amount = 1.5
    state.density_amount = 1.5
    state.morph = 0.25
    state.morph = 0.25
    tokens = np.arange(32, dtype=np.int64)
    state.set_slot("A", tokens)
    state.set_slot("A", tokens.copy())  # equal arrays are no change
    assert density == [1.5] and morph == [0.25] and len(slot) == 1
    state.reset_attributes()
    assert density == [1.5, 0.0]


def test_requests_are_built_from_the_state() -> None:
    state = MusicState(seed=10)
    state.bars, state.temperature = 4, 0.5
    state.melody = np.array([30] * 16 + [0] * 16, dtype=np.int64)
    sample = state.sample_request()
    assert sample == MusicRequest(bars=4, seed=11, temperature=0.5)
    assert state.sample_request(2).bars == 2 and state.seed == 12
    cont = state.continue_request()
    assert isinstance(cont, ContinueRequest) and (cont.bars, cont.seed) == (4, 13)
    assert np.array_equal(cont.tokens, state.melody) and cont.tokens is not state.melody
    variations = state.variations_request()
    assert isinstance(variations, VariationsRequest) and variations.count == STRIP_MELODIES

    assert state.strip_request() is None and state.morph_request() is None  # no A and B
    state.latent_a = np.ones((2, 4), np.float32)
    state.latent_b = -np.ones((1, 4), np.float32)
    strip = state.strip_request()
    assert isinstance(strip, InterpolateRequest) and len(strip.fractions) == STRIP_MELODIES
    assert strip.a.shape == strip.b.shape == (1, 4)  # cut to the shorter melody
    state.morph = 0.3
    morph = state.morph_request()
    assert morph is not None and morph.fractions == (0.3,)

    assert state.attribute_request() is None  # no base code yet
    state.base_latent = np.zeros((1, 4), np.float32)
    state.range_amount = -1.0
    edit = state.attribute_request()
    assert isinstance(edit, AttributeRequest)
    assert dict(edit.amounts) == {name: (-1.0 if name == "range" else 0.0) for name in ATTRIBUTES}

    state.instrument, state.tempo, state.accompaniment = "cello", 90, True
    render = state.render_request()
    assert isinstance(render, RenderRequest)
    arrangement = render.arrangement
    assert (arrangement.instrument, arrangement.tempo_bpm, arrangement.accompaniment) == (
        "cello",
        90.0,
        True,
    )


@pytest.mark.gui
def test_the_sliders_and_the_state_follow_each_other(qtbot) -> None:  # type: ignore[no-untyped-def]
    from studio.panels.music_controls import MusicControls
    from studio.state import bind

    controls = MusicControls()
    qtbot.addWidget(controls)
    state = MusicState(seed=0)
    bind(state, "density_amount", controls.attribute_sliders["density"], scale=50)
    bind(state, "morph", controls.morph_slider, scale=100)
    seen = _record(state, "density_amount")
    controls.attribute_sliders["density"].setValue(75)  # a widget edit reaches the state
    assert state.density_amount == 1.5 and seen == [1.5]
    state.density_amount = -2.0  # a state change reaches the widget, and does not echo
    assert controls.attribute_sliders["density"].value() == -100 and seen == [1.5, -2.0]
    controls.morph_slider.setValue(40)
    assert state.morph == pytest.approx(0.4)
    state.morph = 1.0
    assert controls.morph_slider.value() == 100
