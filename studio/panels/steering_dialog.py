"""A dialog to build your own steering direction from contrasting example pairs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engines.errors import SozoError
from engines.text import steering

START_ROWS = 4


class SteeringDialog(QDialog):
    """Name a direction, label its two ends, and give pairs of texts that differ only in
    that quality. The vector itself is built per model the first time its slider is used
    (the mean difference of the model's hidden states over the pairs)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("steeringDialog")
        self.setWindowTitle(self.tr("New steering direction"))
        self.resize(640, 420)
        self.definition: steering.SteeringDefinition | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Give pairs of texts that say the same thing and differ only in the quality you "
                "want a slider for, for example “Arr, the sea be calling me, matey!” and “The "
                "sea is calling me, friend.” Positive strengths move replies towards the left "
                "column. More pairs (5–20) make a steadier direction."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("pirate (letters, digits, - and _)"))
        self.positive_edit = QLineEdit()
        self.positive_edit.setPlaceholderText(self.tr("pirate"))
        self.negative_edit = QLineEdit()
        self.negative_edit.setPlaceholderText(self.tr("plain"))
        form.addRow(self.tr("Name"), self.name_edit)
        form.addRow(self.tr("Positive end"), self.positive_edit)
        form.addRow(self.tr("Negative end"), self.negative_edit)
        layout.addLayout(form)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Positive text"), self.tr("Negative text")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)
        rows = QHBoxLayout()
        add = QPushButton(self.tr("Add pair"))
        add.clicked.connect(lambda: self.add_pair("", ""))
        remove = QPushButton(self.tr("Remove selected"))
        remove.clicked.connect(self._remove_selected)
        rows.addWidget(add)
        rows.addWidget(remove)
        rows.addStretch(1)
        layout.addLayout(rows)
        self.error_label = QLabel("")
        self.error_label.setObjectName("steeringError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b")
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for _ in range(START_ROWS):
            self.add_pair("", "")

    def add_pair(self, positive: str, negative: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate((positive, negative)):
            self.table.setItem(row, column, QTableWidgetItem(text))

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def pairs(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in (0, 1)]
            a, b = ((cell.text().strip() if cell else "") for cell in cells)
            if a or b:
                out.append((a, b))
        return out

    def accept(self) -> None:
        """Save through the engine's rules; on bad input say why and stay open."""
        pairs = self.pairs()
        half = [i + 1 for i, (a, b) in enumerate(pairs) if not (a and b)]
        if half:
            self.error_label.setText(
                self.tr("Pair %1 has only one text: fill in both columns or remove it.").replace(
                    "%1", str(half[0])
                )
            )
            return
        positive = self.positive_edit.text().strip() or self.name_edit.text().strip()
        negative = self.negative_edit.text().strip() or f"not {positive}"
        try:
            self.definition = steering.save_user_steering(
                self.name_edit.text(), positive, negative, pairs
            )
        except SozoError as exc:
            self.error_label.setText(str(exc))
            return
        super().accept()
