"""The Edit tab's photo options: how much context goes around the mask, how soft its
edge is where the redrawn part meets the photo, and the result's size against the
picture. Bound to :class:`~studio.panels.image_state.ImageState`; the engine side is
:mod:`engines.image.compose`."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QHBoxLayout, QSpinBox, QWidget

from engines.image import compose
from studio.panels.image_state import ImageState
from studio.state import Binding, bind


class ImageEditOptionsWidget(QWidget):
    """Mask padding, mask feather and result scale for img2img and inpainting."""

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
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for label, box in (
            (self.tr("Mask padding"), self.padding),
            (self.tr("Mask feather"), self.feather),
            (self.tr("Result scale"), self.scale),
        ):
            form = QFormLayout()
            form.addRow(label, box)
            row.addLayout(form)
        row.addStretch(1)

    def bind_to(self, state: ImageState) -> list[Binding]:
        """Tie the three boxes to the state both ways; disconnect them to swap states."""
        return [
            bind(state, "mask_padding", self.padding),
            bind(state, "mask_feather", self.feather),
            bind(state, "scale", self.scale),
        ]
