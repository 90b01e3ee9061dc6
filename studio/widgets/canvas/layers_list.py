"""The layers list beside the Edit tab's canvas: a view over the canvas's
:class:`~studio.widgets.canvas.layer_stack.LayerStack`.

Rows run top to bottom as the layers lie, the photo last. Each result's row has an eye
(its check box: shown or hidden) and can be renamed (double-click); the slider sets the
selected layer's opacity; Up and Down reorder, Delete removes, Undo and Redo step through
those edits. Save… and the drag handle give the flattened picture as a PNG with its
recipe. The list follows the stack's ``changed`` signal and never echoes back into it.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.widgets.canvas.layer_stack import LayerStack, live_opacity
from studio.widgets.canvas.results import CanvasResults
from studio.widgets.file_drag import FileDragLabel


class LayersList(QWidget):
    """The stack's layers, their eyes, the selected one's opacity and the buttons."""

    save_requested = Signal()  # Save…: the panel asks where

    def __init__(self, canvas: CanvasResults, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("layersList")
        self.canvas = canvas
        self.stack: LayerStack = canvas.stack
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("Layers"))
        layout.addWidget(self.title)
        self.rows = QListWidget()
        self.rows.setObjectName("layerRows")
        self.rows.setMinimumWidth(210)
        self.rows.setMinimumHeight(64)  # three rows at least
        self.rows.setToolTip(
            self.tr("Tick to show a layer, untick to hide it; double-click to rename it")
        )
        self.rows.itemChanged.connect(self._on_item_changed)
        self.rows.currentRowChanged.connect(self._on_row)
        layout.addWidget(self.rows, 1)
        self.opacity_label = QLabel()
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setObjectName("layerOpacity")
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip(self.tr("The selected layer's opacity over the layers below"))
        self.opacity.valueChanged.connect(self._on_opacity)
        widest = self.tr("Opacity %1%").replace("%1", "100")
        self.opacity_label.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest) + 6)
        opacity_row = QHBoxLayout()
        opacity_row.addWidget(self.opacity_label)
        opacity_row.addWidget(self.opacity, 1)
        layout.addLayout(opacity_row)
        grid = QGridLayout()
        grid.setSpacing(2)
        self.up = self._button(self.tr("Up"), self.tr("Move the layer up"), lambda: self._move(1))
        self.down = self._button(
            self.tr("Down"), self.tr("Move the layer down"), lambda: self._move(-1)
        )
        self.delete = self._button(self.tr("Delete"), self.tr("Delete the layer"), self._delete)
        self.undo = self._button(self.tr("Undo"), self.tr("Undo the last layer edit"), self._undo)
        self.redo = self._button(self.tr("Redo"), self.tr("Redo the layer edit"), self._redo)
        self.save = self._button(
            self.tr("Save…"),
            self.tr("Save the flattened picture as a PNG with its recipe"),
            self.save_requested.emit,
        )
        self.drag = FileDragLabel(self.tr("Drag out"), canvas.write_flattened)
        self.drag.setToolTip(
            self.tr("Drag the flattened picture into a file manager: a PNG with its recipe")
        )
        for n, button in enumerate((self.up, self.down, self.undo, self.redo, self.delete)):
            grid.addWidget(button, n // 4, n % 4)
        grid.addWidget(self.save, 1, 1)
        grid.addWidget(self.drag, 1, 2, 1, 2)
        layout.addLayout(grid)
        self.stack.changed.connect(self.refresh)
        canvas.result_changed.connect(self.refresh)
        self.refresh()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- rows and layers ---------------------------------------------------------------
    def layer_at(self, row: int) -> int | None:
        """The layer index of a row (None: the photo's row, or no row)."""
        count = len(self.stack.layers)
        return count - 1 - row if 0 <= row < count else None

    def row_of(self, index: int) -> int:
        return len(self.stack.layers) - 1 - index

    def refresh(self) -> None:
        stack = self.stack
        with QSignalBlocker(self.rows):
            self.rows.clear()
            for layer in reversed(stack.layers):
                item = QListWidgetItem(layer.name)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsEditable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(
                    Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
                )
                item.setToolTip(self.tr("%1% opacity").replace("%1", str(layer.percent)))
                self.rows.addItem(item)
            if stack.size is not None:
                base = QListWidgetItem(
                    self.tr("%1 (photo)").replace("%1", stack.base_name or self.tr("picture"))
                )
                base.setFlags(Qt.ItemFlag.ItemIsEnabled)
                base.setToolTip(self.tr("The opened picture: always shown, never changed"))
                self.rows.addItem(base)
            if stack.selected is not None:
                self.rows.setCurrentRow(self.row_of(stack.selected))
        current = stack.current
        self.opacity.setTracking(live_opacity(stack))
        with QSignalBlocker(self.opacity):
            self.opacity.setValue(current.percent if current is not None else 100)
        self.opacity.setEnabled(current is not None)
        self.opacity_label.setText(
            self.tr("Opacity %1%").replace("%1", str(current.percent).rjust(3))
            if current is not None
            else self.tr("Opacity")
        )
        chosen = stack.selected
        self.up.setEnabled(chosen is not None and chosen < len(stack.layers) - 1)
        self.down.setEnabled(chosen is not None and chosen > 0)
        self.delete.setEnabled(chosen is not None)
        self.undo.setEnabled(stack.can_undo)
        self.redo.setEnabled(stack.can_redo)
        has_picture = self.canvas.flattened_recipe() is not None
        self.save.setEnabled(has_picture)
        self.drag.setEnabled(has_picture)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        index = self.layer_at(self.rows.row(item))
        if index is None:
            return
        layer = self.stack.layers[index]
        visible = item.checkState() == Qt.CheckState.Checked
        if visible != layer.visible:
            self.stack.set_visible(index, visible)
        elif item.text() != layer.name:
            self.stack.rename(index, item.text())
            self.refresh()  # an empty name was refused: show the old one

    def _on_row(self, row: int) -> None:
        index = self.layer_at(row)
        if index is not None:
            self.stack.select(index)

    def _on_opacity(self, value: int) -> None:
        if self.stack.selected is not None:
            self.stack.set_opacity(self.stack.selected, value)

    def _move(self, delta: int) -> None:
        if self.stack.selected is not None:
            self.stack.move(self.stack.selected, delta)

    def _delete(self) -> None:
        if self.stack.selected is not None:
            self.stack.remove(self.stack.selected)

    def _undo(self) -> None:
        self.stack.undo()

    def _redo(self) -> None:
        self.stack.redo()
