"""Observable panel state and explicit bindings to widgets (after Krita AI Diffusion).

A panel's state class is a ``QObject`` whose values are :class:`StateProperty`
descriptors; each ``name`` has a ``name_changed`` signal declared beside it, emitted only
when the value really changes. It holds no widgets: a panel builds its requests from it,
and tests can drive it without any widget.

:func:`bind` ties one state value to one widget both ways. It needs no signal blocker:
each side is written only when its value differs, so a widget's change comes back from
the state as a no-op and a slider never echoes. A value the widget cannot show exactly
(0.667 on a slider of hundredths, an item a combo box lacks) becomes the one it shows,
so the state always says what the person sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

T = TypeVar("T")


def same(a: Any, b: Any) -> bool:
    """Equality that also works for numpy arrays (a melody, a latent)."""
    if a is b:  # a large picture or mask is not compared with itself pixel by pixel
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b))
        )
    return bool(a == b)


class StateProperty(Generic[T]):
    """A value of a state object; setting it emits ``<name>_changed(value)`` on change."""

    def __init__(self, default: T) -> None:
        self.default = default
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        if not hasattr(owner, f"{name}_changed"):
            raise TypeError(f"{owner.__name__} declares {name} but no {name}_changed signal")

    def __get__(self, obj: Any, objtype: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]  # the descriptor, on the class
        value: T = obj.__dict__.get(self.name, self.default)
        return value

    def __set__(self, obj: Any, value: T) -> None:
        if same(obj.__dict__.get(self.name, self.default), value):
            return
        obj.__dict__[self.name] = value
        getattr(obj, f"{self.name}_changed").emit(value)


@dataclass
class Binding:
    """A two-way link made by :func:`bind`; :meth:`disconnect` undoes it."""

    state: QObject
    name: str
    widget: QWidget
    _to_widget: Callable[[Any], None]
    _to_state: Callable[..., None]
    _widget_signal: Any

    def disconnect(self) -> None:
        getattr(self.state, f"{self.name}_changed").disconnect(self._to_widget)
        self._widget_signal.disconnect(self._to_state)


def find_data(box: QComboBox, value: Any) -> int:
    """The index of the item whose data equals ``value``, or -1. Not ``findData``: that
    matches Python values such as the tuple (256, 256) by identity, not equality."""
    return next((i for i in range(box.count()) if same(box.itemData(i), value)), -1)


# A widget value bind cannot name (a LoRA list, a canvas's mask): how to read it, how to
# write it, and the signal its changes come by.
Accessors = tuple[Callable[[], Any], Callable[[Any], None], Any]


def _accessors(widget: QWidget, kind: str | Accessors) -> Accessors:
    """(read, write, changed signal) of a widget's value of the given kind."""
    if not isinstance(kind, str):
        return kind
    if kind == "value" and isinstance(widget, QSpinBox | QDoubleSpinBox | QAbstractSlider):
        return widget.value, widget.setValue, widget.valueChanged
    if kind == "checked" and isinstance(widget, QAbstractButton):
        return widget.isChecked, widget.setChecked, widget.toggled
    if kind == "text" and isinstance(widget, QComboBox):
        return widget.currentText, widget.setCurrentText, widget.currentTextChanged
    if kind == "data" and isinstance(widget, QComboBox):
        box = widget

        def write(value: Any) -> None:
            index = find_data(box, value)
            if index >= 0:
                box.setCurrentIndex(index)

        return box.currentData, write, box.currentIndexChanged
    if kind == "text" and isinstance(widget, QLineEdit):
        return widget.text, widget.setText, widget.textChanged
    if kind == "text" and isinstance(widget, QPlainTextEdit):
        return widget.toPlainText, widget.setPlainText, widget.textChanged
    raise TypeError(f"cannot bind the {kind!r} of a {type(widget).__name__}")


def bind(
    state: QObject,
    name: str,
    widget: QWidget,
    kind: str | Accessors = "value",
    *,
    scale: float = 0.0,
) -> Binding:
    """Keep ``state.<name>`` and the widget's value (``kind``: "value", "checked",
    "text" or "data", or the (read, write, changed signal) of a value of the widget's
    own) the same, both ways. The widget takes the state's value now.

    ``scale``: an integer slider showing a float state value times ``scale`` (a speed of
    1.25 on a slider at 125).
    """
    read, write, widget_signal = _accessors(widget, kind)
    if scale:
        read_widget, write_widget = read, write

        def read() -> Any:
            return read_widget() / scale

        def write(value: Any) -> None:
            write_widget(round(value * scale))

    def to_state(*_: Any) -> None:
        setattr(state, name, read())

    def to_widget(value: Any) -> None:
        if not same(read(), value):
            write(value)
            if not same(read(), value):
                to_state()  # the widget cannot show it (0.667 on a slider of hundredths)

    to_widget(getattr(state, name))
    getattr(state, f"{name}_changed").connect(to_widget)
    widget_signal.connect(to_state)
    return Binding(state, name, widget, to_widget, to_state, widget_signal)
