"""The Edit tab's photo options: how much context goes around the mask, how soft its
edge is where the redrawn part meets the photo, the result's size against the
picture, and pixels to add on each side (outpainting: the new strips are drawn). Bound
to :class:`~studio.panels.image_state.ImageState`; the engine side is
:mod:`engines.image.compose`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engines.image import compose
from studio.panels.image_state import ImageState
from studio.state import Binding, bind


class ImageEditOptionsWidget(QWidget):
    """Mask padding, mask feather and result scale for img2img and inpainting, and the
    pixels outpainting adds left, top, right and bottom."""

    outpaint_changed = Signal(object)  # (left, top, right, bottom)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.padding = QSpinBox()
        self.padding.setObjectName("maskPadding")
        self.padding.setRange(0, compose.MAX_PADDING)
        self.padding.setSingleStep(8)
        self.padding.setSuffix(self.tr(" px"))
        self.padding.setToolTip(
            self.tr(
                "Pixels of the photo around the painted part that the model sees, so what "
                "it draws fits in"
            )
        )
        self.feather = QDoubleSpinBox()
        self.feather.setObjectName("maskFeather")
        self.feather.setRange(0.0, compose.MAX_FEATHER)
        self.feather.setDecimals(1)
        self.feather.setSingleStep(1.0)
        self.feather.setSuffix(self.tr(" px"))
        self.feather.setToolTip(
            self.tr("How softly the redrawn part blends into the photo (0: a hard edge)")
        )
        self.scale = QDoubleSpinBox()
        self.scale.setObjectName("resultScale")
        self.scale.setRange(compose.MIN_SCALE, compose.MAX_SCALE)
        self.scale.setDecimals(2)
        self.scale.setSingleStep(0.25)
        self.scale.setSuffix(self.tr("×"))
        self.scale.setToolTip(
            self.tr("The result's size against the picture (1×: the picture's own size)")
        )
        self.sides: list[QSpinBox] = []
        for name, tip in (
            ("outpaintLeft", self.tr("Pixels added on the left")),
            ("outpaintTop", self.tr("Pixels added at the top")),
            ("outpaintRight", self.tr("Pixels added on the right")),
            ("outpaintBottom", self.tr("Pixels added at the bottom")),
        ):
            side = QSpinBox()
            side.setObjectName(name)
            side.setRange(0, compose.MAX_OUTPAINT)
            side.setSingleStep(32)
            side.setSuffix(self.tr(" px"))
            side.setToolTip(tip)
            side.valueChanged.connect(lambda *_: self.outpaint_changed.emit(self.outpaint()))
            self.sides.append(side)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        row = self._first_row = QHBoxLayout()
        outer.addLayout(row)
        for label, box in (
            (self.tr("Mask padding"), self.padding),
            (self.tr("Mask feather"), self.feather),
        ):
            form = QFormLayout()
            form.addRow(label, box)
            row.addLayout(form)
        row.addStretch(1)
        grow = QHBoxLayout()
        outer.addLayout(grow)
        form = QFormLayout()
        form.addRow(self.tr("Result scale"), self.scale)
        grow.addLayout(form)
        grow.addSpacing(12)
        extend = QLabel(self.tr("Extend canvas:"))
        extend.setToolTip(
            self.tr(
                "Outpainting: grow the picture by these pixels on each side; the model draws "
                "the new strips and the photo is kept as it is"
            )
        )
        grow.addWidget(extend)
        for label, box in zip(
            (self.tr("Left"), self.tr("Top"), self.tr("Right"), self.tr("Bottom")),
            self.sides,
            strict=True,
        ):
            form = QFormLayout()
            form.addRow(label, box)
            grow.addLayout(form)
        grow.addStretch(1)

    def add_leading(self, widget: QWidget) -> None:
        """Put ``widget`` at the start of the first row (the panel's "Generate from this
        picture"), so the Edit tab keeps its height for the canvas."""
        self._first_row.insertWidget(0, widget)
        self._first_row.insertSpacing(1, 12)

    def outpaint(self) -> tuple[int, int, int, int]:
        """The pixels to add left, top, right, bottom."""
        left, top, right, bottom = (box.value() for box in self.sides)
        return left, top, right, bottom

    def set_outpaint(self, sides: tuple[int, int, int, int]) -> None:
        for box, value in zip(self.sides, sides, strict=True):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self.outpaint_changed.emit(self.outpaint())

    def bind_to(self, state: ImageState) -> list[Binding]:
        """Tie the boxes to the state both ways; disconnect them to swap states."""
        return [
            bind(state, "mask_padding", self.padding),
            bind(state, "mask_feather", self.feather),
            bind(state, "scale", self.scale),
            bind(
                state,
                "outpaint",
                self,
                (self.outpaint, self.set_outpaint, self.outpaint_changed),
            ),
        ]
