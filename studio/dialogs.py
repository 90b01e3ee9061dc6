"""The Settings dialog, the Models dialog and the About box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engines import APP_NAME, __version__
from engines.catalogue import Catalogue, ModelEntry, Source, Task, format_size
from engines.device import logical_cpu_count
from engines.errors import SozoError
from studio.context import DeviceState
from studio.settings import THEMES, StudioSettings


class SettingsDialog(QDialog):
    """Device, threads, output folder and theme. Changes apply on OK and persist."""

    def __init__(
        self, settings: StudioSettings, device: DeviceState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.settings = settings
        form = QFormLayout()

        self.device_box = QComboBox()
        self.device_box.setObjectName("deviceBox")
        for value, label in (
            ("auto", "Automatic (GPU when available)"),
            ("cuda", "GPU (CUDA)"),
            ("cpu", "CPU"),
        ):
            self.device_box.addItem(label, value)
        self.device_box.setCurrentIndex(self.device_box.findData(settings.device))
        form.addRow("Compute device", self.device_box)

        self.threads_box = QSpinBox()
        self.threads_box.setObjectName("threadsBox")
        self.threads_box.setRange(0, max(1, logical_cpu_count()))
        self.threads_box.setSpecialValueText("Automatic")
        self.threads_box.setValue(settings.threads)
        form.addRow("CPU threads", self.threads_box)

        why = QLabel(device.choice.threads_reason if device.choice else "")
        why.setWordWrap(True)
        why.setObjectName("threadsReason")
        form.addRow("", why)

        self.output_edit = QLineEdit(settings.output_dir)
        self.output_edit.setObjectName("outputDirEdit")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.output_edit, 1)
        row.addWidget(browse)
        form.addRow("Output folder", row)

        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeBox")
        for value in THEMES:
            label = "Follow the system" if value == "system" else value.capitalize()
            self.theme_box.addItem(label, value)
        self.theme_box.setCurrentIndex(self.theme_box.findData(settings.theme))
        form.addRow("Theme", self.theme_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Output folder", self.output_edit.text())
        if folder:
            self.output_edit.setText(folder)

    def accept(self) -> None:
        self.settings.device = str(self.device_box.currentData())
        self.settings.threads = self.threads_box.value()
        self.settings.output_dir = self.output_edit.text().strip() or self.settings.output_dir
        self.settings.theme = str(self.theme_box.currentData())
        super().accept()


IMPORT_KINDS = {
    "Language model (GGUF file or Hugging Face folder)": (
        Task.text,
        "transformer",
        "engines.text.llm",
    ),
    "Stable Diffusion checkpoint (.safetensors or diffusers folder)": (
        Task.image,
        "diffusion",
        "engines.image.sd",
    ),
    "Piper voice (.onnx with its .onnx.json)": (Task.speech, "tts (VITS)", "engines.speech.piper"),
}


class ModelsDialog(QDialog):
    """Every model in the catalogue with licence, size, source and availability."""

    COLUMNS = ("Model", "Task", "Family", "Licence", "Source", "Size", "Status")

    def __init__(self, catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.setObjectName("modelsDialog")
        self.resize(980, 520)
        self.catalogue = catalogue
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("modelsTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.details = QTextBrowser()
        self.details.setObjectName("modelDetails")
        self.details.setOpenExternalLinks(False)
        self.details.setMaximumHeight(170)

        self.import_button = QPushButton("Import a model…")
        self.import_button.clicked.connect(self._import)
        self.remove_button = QPushButton("Remove from list")
        self.remove_button.clicked.connect(self._remove)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.refresh()

    def refresh(self) -> None:
        self._entries: list[ModelEntry] = self.catalogue.all()
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            state = entry.availability()
            if not state.available:
                status = "Missing"
            elif not entry.engine_ready:
                status = "Installed · engine not built yet"
            else:
                status = "Ready" + (" (opt-in)" if entry.opt_in else "")
            values = (
                entry.name,
                entry.task.value,
                entry.family,
                entry.licence,
                entry.source.value,
                format_size(state.size_bytes) if state.available else "—",
                status,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(state.message if col == 6 else value)
                self.table.setItem(row, col, item)
        if self._entries:
            self.table.selectRow(0)
        self._show_details()

    def _selected(self) -> ModelEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self._entries[rows[0].row()] if rows else None

    def _show_details(self) -> None:
        entry = self._selected()
        self.remove_button.setEnabled(entry is not None and entry.source is Source.user)
        if entry is None:
            self.details.clear()
            return
        state = entry.availability()
        parts = [f"<b>{entry.name}</b> <code>{entry.id}</code><br>{entry.description}"]
        parts.append(f"<br><b>Licence:</b> {entry.licence}")
        if entry.licence_note:
            parts.append(f"<br><b>Please note:</b> {entry.licence_note}")
        if entry.data_provenance:
            parts.append(f"<br><b>Training data:</b> {entry.data_provenance}")
        if state.available:
            files = "<br>".join(str(p) for p in state.paths)
            parts.append(f"<br><b>Files:</b><br><small>{files}</small>")
        else:
            parts.append(f"<br><b>Missing:</b> {state.message}")
        self.details.setHtml("".join(parts))

    def _import(self) -> None:
        kind, ok = QInputDialog.getItem(
            self, "Import a model", "What kind of model?", list(IMPORT_KINDS), 0, False
        )
        if not ok:
            return
        task, _family, engine_module = IMPORT_KINDS[kind]
        if task in (Task.text, Task.image):  # a file, or (cancel) a folder
            path, _ = QFileDialog.getOpenFileName(
                self,
                "Choose the model file (or cancel to pick a folder)",
                "",
                "Models (*.gguf *.safetensors *.json);;All files (*)",
            )
            if not path:
                path = QFileDialog.getExistingDirectory(self, "Choose the model folder")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Choose the model file")
        if not path:
            return
        from engines.imports import import_user_model, kind_for_module

        try:  # the same checks as the CLI's and the panels' imports
            import_user_model(path, kind_for_module(engine_module), self.catalogue)
        except SozoError as exc:
            QMessageBox.warning(self, "Import a model", str(exc))
            return
        self.refresh()

    def _remove(self) -> None:
        entry = self._selected()
        if entry is None or entry.source is not Source.user:
            return
        self.catalogue.remove_model(entry.id)
        self.refresh()


def about_html(catalogue: Catalogue) -> str:
    from html import escape

    from engines.licences import COMPONENTS

    rows = "".join(
        f"<tr><td>{escape(m.name)}</td><td>{escape(m.licence)}</td></tr>" for m in catalogue.all()
    )
    parts = "".join(
        f"<tr><td>{escape(c.name)}</td><td>{escape(c.licence)}</td><td>{escape(c.use)}</td></tr>"
        for c in COMPONENTS
    )
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>創造 — a desktop studio for generative AI that runs on your own machine.</p>"
        "<p>Licensed under Apache-2.0. Models and their licences (Tools → Models shows "
        "each model's training data):</p>"
        f"<table cellpadding='3'>{rows}</table>"
        "<p>Data sets and components:</p>"
        f"<table cellpadding='3'>{parts}</table>"
    )


def show_about(parent: QWidget, catalogue: Catalogue) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(f"About {APP_NAME}")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(catalogue))
    box.exec()
