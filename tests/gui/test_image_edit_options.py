"""The Edit tab's photo options (issue #15): padding, feather and scale boxes bound to
the Image panel's state both ways, and carried into the request of an edit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from studio.panels.image_edit_options import ImageEditOptionsWidget
from studio.panels.image_state import ImageState

pytestmark = pytest.mark.gui


def test_the_boxes_and_the_state_follow_each_other(qtbot: QtBot) -> None:
    state = ImageState()
    widget = ImageEditOptionsWidget()
    qtbot.addWidget(widget)
    bindings = widget.bind_to(state)
    assert (widget.padding.value(), widget.feather.value(), widget.scale.value()) == (32, 8.0, 1.0)
    seen: list[Any] = []
    state.mask_feather_changed.connect(seen.append)
    widget.feather.setValue(3.5)
    widget.padding.setValue(64)
    assert (state.mask_feather, state.mask_padding) == (3.5, 64) and seen == [3.5]
    state.scale = 2.0
    assert widget.scale.value() == 2.0
    state.scale = 99.0  # beyond the box: the state says what the box shows
    assert state.scale == widget.scale.value() == 4.0
    for binding in bindings:
        binding.disconnect()
    state.mask_padding = 8
    assert widget.padding.value() == 64  # unbound: no longer follows


def test_an_edit_request_carries_the_options(tmp_path: Path) -> None:
    state = ImageState()
    state.model_id = "emoji-ldm"
    state.mask_padding, state.mask_feather, state.scale = 48, 2.0, 0.5
    init, mask = tmp_path / "init.png", tmp_path / "mask.png"
    request = state.request(1, init_image=init, mask=mask)
    assert (request.mask_padding, request.mask_feather, request.scale) == (48, 2.0, 0.5)
    assert state.request(1).scale == 1.0  # no picture: nothing to scale against


def test_the_image_panel_shows_them_on_its_edit_tab(make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    window.show_panel("image")
    panel = window.panels["image"]
    panel.tabs.setCurrentIndex(1)  # Results, Edit, Explore
    assert panel.edit_options.isVisible()
    panel.edit_options.padding.setValue(80)
    assert panel.state.mask_padding == 80
    panel.grab().save("/tmp/photo-edit-tab.png")


def test_a_results_recipe_gives_back_its_edit_options() -> None:
    from engines.imagefile import Recipe

    state = ImageState()
    text = Recipe(prompt="a boat", mask_padding=16, mask_feather=2.5, scale=2.0).to_parameters()
    state.apply_edit_recipe(Recipe.from_parameters(text))
    assert (state.mask_padding, state.mask_feather, state.scale) == (16, 2.5, 2.0)
    state.apply_edit_recipe(Recipe(prompt="plain"))  # records none: nothing changes
    assert (state.mask_padding, state.mask_feather, state.scale) == (16, 2.5, 2.0)
