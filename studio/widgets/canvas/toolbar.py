"""The canvas's own actions: the rectangle tool, invert, the zoom, and the result layer's
opacity, compare, keep, discard and drag-out handle. The brush controls stay in the panel's
tool row; this row follows the canvas (its signals) and never echoes back into it."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSlider, QToolButton, QWidget

from studio.widgets.canvas.base import CanvasTool
from studio.widgets.canvas.layer_stack import live_opacity
from studio.widgets.canvas.results import CanvasResults
from studio.widgets.file_drag import FileDragLabel


class CanvasActions(QWidget):
    """A row of buttons bound to one canvas."""

    def __init__(self, canvas: CanvasResults, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.rectangle = QToolButton()
        self.rectangle.setText(self.tr("Rectangle"))
        self.rectangle.setToolTip(self.tr("Drag a rectangle to mask (right button: unmask)"))
        self.rectangle.setCheckable(True)
        self.rectangle.toggled.connect(
            lambda on: setattr(canvas, "tool", CanvasTool.rectangle if on else CanvasTool.brush)
        )
        self.load_mask = QToolButton()
        self.load_mask.setText(self.tr("Load mask…"))
        self.load_mask.setToolTip(
            self.tr("A black-and-white picture: white is repainted (or drop one on the picture)")
        )
        self.load_mask.clicked.connect(self._choose_mask)
        self.invert = QToolButton()
        self.invert.setText(self.tr("Invert mask"))
        self.invert.clicked.connect(canvas.invert_mask)
        self.fit = QToolButton()
        self.fit.setText(self.tr("Fit"))
        self.fit.setToolTip(self.tr("Show the whole picture (Ctrl+0)"))
        self.fit.clicked.connect(canvas.fit)
        self.actual = QToolButton()
        self.actual.setText(self.tr("100%"))
        self.actual.setToolTip(self.tr("One picture pixel per screen pixel (Ctrl+1)"))
        self.actual.clicked.connect(canvas.actual_size)
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("canvasZoom")
        self.zoom_label.setToolTip(
            self.tr("Wheel or Ctrl+= / Ctrl+- zoom; space + drag or the middle button pans")
        )
        self.result_label = QLabel(self.tr("Result:"))
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setObjectName("resultOpacity")
        self.opacity.setRange(0, 100)
        self.opacity.setValue(100)
        self.opacity.setMaximumWidth(120)
        self.opacity.setToolTip(self.tr("The result's opacity over the picture"))
        self.opacity.valueChanged.connect(lambda v: canvas.set_result_opacity(v / 100))
        self.original = QToolButton()
        self.original.setText(self.tr("Original"))
        self.original.setToolTip(self.tr("Hide the result to compare with the picture"))
        self.original.setCheckable(True)
        self.original.toggled.connect(canvas.set_show_original)
        self.keep = QToolButton()
        self.keep.setText(self.tr("Keep"))
        self.keep.setToolTip(self.tr("Make the result the picture to edit further"))
        self.keep.clicked.connect(canvas.keep_result)
        self.discard = QToolButton()
        self.discard.setText(self.tr("Discard"))
        self.discard.clicked.connect(canvas.discard_result)
        self.drag = FileDragLabel(self.tr("Drag out"), canvas.write_flattened)
        self.drag.setToolTip(
            self.tr("Drag the result (as shown) into a file manager: a PNG with its recipe")
        )
        view_widgets: tuple[QWidget, ...] = (
            self.rectangle,
            self.load_mask,
            self.invert,
            self.fit,
            self.actual,
            self.zoom_label,
        )
        for widget in view_widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self.result_widgets: tuple[QWidget, ...] = (
            self.result_label,
            self.opacity,
            self.original,
            self.keep,
            self.discard,
            self.drag,
        )
        for result_widget in self.result_widgets:
            layout.addWidget(result_widget)
        canvas.tool_changed.connect(self._show_tool)
        canvas.view_changed.connect(self._show_zoom)
        canvas.result_changed.connect(self._show_result)
        self._show_zoom()
        self._show_result()

    def _choose_mask(self) -> None:
        if self.canvas.source is None:
            self.canvas.message.emit(self.tr("Open a picture first, then its mask."))
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a mask"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)"),
        )
        if path:
            self.canvas.load_mask_file(path)

    def _show_tool(self, tool: CanvasTool) -> None:
        with QSignalBlocker(self.rectangle):
            self.rectangle.setChecked(tool is CanvasTool.rectangle)

    def _show_zoom(self) -> None:
        percent = round(self.canvas.view.zoom * 100)
        self.zoom_label.setText(self.tr("%1%").replace("%1", str(percent)))

    def _show_result(self) -> None:
        result = self.canvas.result
        for widget in self.result_widgets:
            widget.setEnabled(result is not None)
        self.opacity.setTracking(live_opacity(self.canvas.stack))
        with QSignalBlocker(self.opacity):
            self.opacity.setValue(round((result.opacity if result else 1.0) * 100))
        with QSignalBlocker(self.original):
            self.original.setChecked(result is not None and not result.visible)
