"""Observable panel state and ``bind``: ``<name>_changed`` only on a real change, both
ways between state and widget, no echo, and undone by ``disconnect``."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QListWidget, QSlider
from pytestqt.qtbot import QtBot

from studio.state import StateProperty, bind

pytestmark = pytest.mark.gui


class DemoState(QObject):
    strength_changed = Signal(int)
    sharp_changed = Signal(bool)
    flavour_changed = Signal(str)
    tokens_changed = Signal(object)

    strength: StateProperty[int] = StateProperty(10)
    sharp: StateProperty[bool] = StateProperty(False)
    flavour: StateProperty[str] = StateProperty("plain")
    tokens: StateProperty[np.ndarray] = StateProperty(np.zeros(4, np.int64))


def test_changed_is_emitted_only_on_a_real_change() -> None:
    state = DemoState()
    seen: list[object] = []
    state.strength_changed.connect(seen.append)
    state.tokens_changed.connect(seen.append)
    state.strength = 10  # the default: no change
    state.strength = 11
    state.strength = 11
    state.tokens = np.zeros(4, np.int64)  # equal array: no change
    state.tokens = np.array([0, 3, 1, 0])
    assert seen[0] == 11 and len(seen) == 2
    assert np.array_equal(seen[1], [0, 3, 1, 0])  # type: ignore[arg-type]
    assert DemoState().strength == 10  # each state object has its own values


def test_a_property_without_its_signal_is_refused() -> None:
    # Python before 3.12 wraps an error of __set_name__ in a RuntimeError.
    with pytest.raises((TypeError, RuntimeError)) as raised:

        class Broken(QObject):
            level: StateProperty[int] = StateProperty(0)

    error = raised.value if isinstance(raised.value, TypeError) else raised.value.__cause__
    assert "Broken declares level but no level_changed signal" in str(error)


def test_bind_goes_both_ways_without_echo_and_disconnects(qtbot: QtBot) -> None:
    state = DemoState()
    slider, check, combo = QSlider(), QCheckBox(), QComboBox()
    for widget in (slider, check, combo):
        qtbot.addWidget(widget)
    slider.setRange(0, 100)
    combo.addItems(["plain", "salty", "sweet"])
    emitted: list[int] = []
    state.strength_changed.connect(emitted.append)
    moves: list[int] = []
    slider.valueChanged.connect(moves.append)

    bindings = [
        bind(state, "strength", slider),
        bind(state, "sharp", check, "checked"),
        bind(state, "flavour", combo, "text"),
    ]
    assert slider.value() == 10  # the widget takes the state's value
    slider.setValue(42)  # a user's move reaches the state once
    assert state.strength == 42 and emitted == [42] and moves == [10, 42]
    state.strength = 7  # the state's change reaches the widget once, and does not echo
    assert slider.value() == 7 and emitted == [42, 7] and moves == [10, 42, 7]
    check.setChecked(True)
    combo.setCurrentText("sweet")
    assert state.sharp is True and state.flavour == "sweet"
    state.flavour = "salty"
    assert combo.currentText() == "salty"

    for binding in bindings:
        binding.disconnect()
    slider.setValue(99)
    state.flavour = "plain"
    assert state.strength == 7 and combo.currentText() == "salty"


class SizeState(QObject):
    size_changed = Signal(object)
    size: StateProperty[tuple[int, int]] = StateProperty((256, 256))


def test_a_combo_of_python_values_is_matched_by_equality(qtbot: QtBot) -> None:
    """QComboBox.findData matches a tuple only if it is the very same object."""
    combo = QComboBox()
    qtbot.addWidget(combo)
    for side in (64, 128, 256):
        combo.addItem(f"{side}×{side}", (side, side))
    state = SizeState()
    bind(state, "size", combo, "data")
    assert combo.currentData() == (256, 256)
    side = int("128")  # a tuple made now: equal to the item's, not the same object
    state.size = (side, side)
    assert combo.currentData() == (128, 128) and state.size == (128, 128)


class ListWidget(QListWidget):
    """A widget value bind has no name for: the list's texts, as a tuple."""

    texts_changed = Signal(object)

    def texts(self) -> tuple[str, ...]:
        return tuple(self.item(i).text() for i in range(self.count()))

    def set_texts(self, texts: tuple[str, ...]) -> None:
        self.clear()
        self.addItems(list(texts))
        self.texts_changed.emit(self.texts())


def test_bind_takes_a_widgets_own_read_write_and_signal(qtbot: QtBot) -> None:
    state = DemoState()
    state.tokens = np.array([1, 2])
    widget = ListWidget()
    qtbot.addWidget(widget)
    writes: list[object] = []
    widget.texts_changed.connect(writes.append)

    def show(tokens: np.ndarray) -> None:
        widget.set_texts(tuple(str(t) for t in tokens))

    def read() -> np.ndarray:
        return np.array([int(t) for t in widget.texts()], np.int64)

    bind(state, "tokens", widget, (read, show, widget.texts_changed))
    assert widget.texts() == ("1", "2") and writes == [("1", "2")]
    state.tokens = np.array([3])  # to the widget once, no echo back
    assert widget.texts() == ("3",) and len(writes) == 2
    widget.set_texts(("4", "5"))  # the widget's own change reaches the state
    assert np.array_equal(state.tokens, [4, 5]) and len(writes) == 3
