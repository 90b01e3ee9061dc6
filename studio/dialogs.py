"""The Settings dialog, the Models dialog and the About box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
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
from studio.i18n import QT_TRANSLATE_NOOP, current_language, resolve_language
from studio.i18n.engine_text import render
from studio.i18n.names import source_name, task_name
from studio.jobs import JobRunner
from studio.qt_server import new_api_key, server_problem
from studio.settings import LANGUAGES, MAX_PORT, THEMES, StudioSettings

translate = QCoreApplication.translate


class SettingsDialog(QDialog):
    """Device, threads, output folder, theme, language, and where the API server listens.
    Changes apply on OK and persist; a new language shows after a restart, which the
    dialog offers. A host other than this machine without an API key is refused."""

    def __init__(
        self, settings: StudioSettings, device: DeviceState, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setObjectName("settingsDialog")
        self.settings = settings
        form = QFormLayout()

        self.device_box = QComboBox()
        self.device_box.setObjectName("deviceBox")
        for value, label in (
            ("auto", self.tr("Automatic (GPU when available)")),
            ("cuda", self.tr("GPU (CUDA)")),
            ("cpu", self.tr("CPU")),
        ):
            self.device_box.addItem(label, value)
        self.device_box.setCurrentIndex(self.device_box.findData(settings.device))
        form.addRow(self.tr("Compute device"), self.device_box)

        self.threads_box = QSpinBox()
        self.threads_box.setObjectName("threadsBox")
        self.threads_box.setRange(0, max(1, logical_cpu_count()))
        self.threads_box.setSpecialValueText(self.tr("Automatic"))
        self.threads_box.setValue(settings.threads)
        form.addRow(self.tr("CPU threads"), self.threads_box)

        why = QLabel(render(device.choice.threads_reason) if device.choice else "")
        why.setWordWrap(True)
        why.setObjectName("threadsReason")
        form.addRow("", why)

        self.output_edit = QLineEdit(settings.output_dir)
        self.output_edit.setObjectName("outputDirEdit")
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.output_edit, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Output folder"), row)

        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeBox")
        theme_names = {
            "system": self.tr("Follow the system"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for value in THEMES:
            self.theme_box.addItem(theme_names[value], value)
        self.theme_box.setCurrentIndex(self.theme_box.findData(settings.theme))
        form.addRow(self.tr("Theme"), self.theme_box)

        self.language_box = QComboBox()
        self.language_box.setObjectName("languageBox")
        language_names = {
            "system": self.tr("Follow the system"),
            "en": "English",  # each language by its own name, as language pickers do
            "ja": "日本語",
        }
        for value in LANGUAGES:
            self.language_box.addItem(language_names[value], value)
        self.language_box.setCurrentIndex(self.language_box.findData(settings.language))
        form.addRow(self.tr("Language"), self.language_box)
        self.restart_wanted = False  # the user chose to restart for a new language
        self._add_server_rows(form)
        self.watermark_box = QCheckBox(
            self.tr("Mark saved pictures, melodies and speech with an invisible watermark")
        )
        self.watermark_box.setObjectName("watermarkBox")
        self.watermark_box.setChecked(settings.watermark)
        self.watermark_box.setToolTip(
            self.tr(
                "A mark that says the picture or clip was made with Sōzō Studio (the "
                "command line's verify reads it)."
            )
        )
        form.addRow(self.tr("Provenance"), self.watermark_box)
        self.sign_box = QCheckBox(
            self.tr("Sign saved pictures, sound and walks with content credentials (C2PA)")
        )
        self.sign_box.setObjectName("signBox")
        self.sign_box.setChecked(settings.sign)
        form.addRow("", self.sign_box)
        self.fingerprint_label = QLabel(self.tr("Key fingerprint: made on first signing"))
        self.fingerprint_label.setObjectName("fingerprintLabel")
        self.fingerprint_label.setWordWrap(True)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from engines.credentials import key_files

        if key_files().chain.exists():
            from engines.credentials import fingerprint

            self.fingerprint_label.setText(
                self.tr("Key fingerprint: %1").replace("%1", fingerprint())
            )
        form.addRow("", self.fingerprint_label)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _add_server_rows(self, form: QFormLayout) -> None:
        """Where the window's API server listens (#17): host, port and the API key."""
        title = QLabel(self.tr("API server"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        form.addRow(title)
        self.host_edit = QLineEdit(self.settings.server_host)
        self.host_edit.setObjectName("serverHostEdit")
        self.host_edit.setToolTip(
            self.tr("127.0.0.1: this machine only; 0.0.0.0: every network this machine is on")
        )
        self.port_box = QSpinBox()
        self.port_box.setObjectName("serverPortBox")
        self.port_box.setRange(1, MAX_PORT)
        self.port_box.setValue(self.settings.server_port)
        row = QHBoxLayout()
        row.addWidget(self.host_edit, 1)
        row.addWidget(QLabel(self.tr("Port")))
        row.addWidget(self.port_box)
        form.addRow(self.tr("Listen on"), row)
        self.key_edit = QLineEdit(self.settings.server_api_key)
        self.key_edit.setObjectName("serverKeyEdit")
        self.key_edit.setPlaceholderText(self.tr("None (only for 127.0.0.1)"))
        generate = QPushButton(self.tr("Generate"))
        generate.setObjectName("generateKeyButton")
        generate.setToolTip(self.tr("Make a new random key (clients must then use the new one)"))
        generate.clicked.connect(lambda: self.key_edit.setText(new_api_key()))
        row = QHBoxLayout()
        row.addWidget(self.key_edit, 1)
        row.addWidget(generate)
        form.addRow(self.tr("API key"), row)
        hint = QLabel(
            self.tr(
                "Clients send the key as “Authorization: Bearer KEY”. Changes apply the next "
                "time Serve API (in the Jobs dock) starts the server."
            )
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.server_error = QLabel()
        self.server_error.setObjectName("serverError")
        self.server_error.setWordWrap(True)
        self.server_error.setStyleSheet("color: #c0392b;")
        self.server_error.hide()
        form.addRow("", self.server_error)
        for edit in (self.host_edit, self.key_edit):
            edit.textChanged.connect(self.server_error.hide)  # fixed, or about to be

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Output folder"), self.output_edit.text()
        )
        if folder:
            self.output_edit.setText(folder)

    def accept(self) -> None:
        host, key = self.host_edit.text().strip(), self.key_edit.text().strip()
        problem = server_problem(host, key)
        if problem is not None:  # one clear line; nothing is saved until it is fixed
            self.server_error.setText(problem)
            self.server_error.show()
            self.adjustSize()  # room for the line
            self.host_edit.setFocus()
            return
        self.settings.server_host = host
        self.settings.server_port = self.port_box.value()
        self.settings.server_api_key = key
        self.settings.device = str(self.device_box.currentData())
        self.settings.threads = self.threads_box.value()
        self.settings.output_dir = self.output_edit.text().strip() or self.settings.output_dir
        self.settings.theme = str(self.theme_box.currentData())
        self.settings.watermark = self.watermark_box.isChecked()
        self.settings.sign = self.sign_box.isChecked()
        language = str(self.language_box.currentData())
        self.settings.language = language
        if resolve_language(language) != current_language():
            self.restart_wanted = self.ask_restart()
        super().accept()

    def ask_restart(self) -> bool:
        """The new language shows after a restart: ask whether to restart now."""
        answer = QMessageBox.question(
            self,
            self.tr("Language"),
            self.tr(
                "The new language is shown when the studio starts again. Restart now? "
                "Running jobs are stopped."
            ),
        )
        return answer == QMessageBox.StandardButton.Yes


# Keyed by the English label; the dialog shows each translated (context "ModelsDialog").
IMPORT_KINDS = {
    QT_TRANSLATE_NOOP("ModelsDialog", "Language model (GGUF file or Hugging Face folder)"): (
        Task.text,
        "transformer",
        "engines.text.llm",
    ),
    QT_TRANSLATE_NOOP(
        "ModelsDialog", "Stable Diffusion checkpoint (.safetensors or diffusers folder)"
    ): (
        Task.image,
        "diffusion",
        "engines.image.sd",
    ),
    QT_TRANSLATE_NOOP("ModelsDialog", "Piper voice (.onnx with its .onnx.json)"): (
        Task.speech,
        "tts (VITS)",
        "engines.speech.piper",
    ),
}


class ModelsDialog(QDialog):
    """Every model in the catalogue with licence, size, source and availability."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("ModelsDialog", "Model"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Task"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Family"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Licence"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Source"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Size"),
        QT_TRANSLATE_NOOP("ModelsDialog", "Status"),
    )

    def __init__(
        self, catalogue: Catalogue, parent: QWidget | None = None, runner: JobRunner | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner  # None: no downloads (nothing to run them on)
        self.setWindowTitle(self.tr("Models"))
        self.setObjectName("modelsDialog")
        self.resize(980, 520)
        self.catalogue = catalogue
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("modelsTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
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

        self.import_button = QPushButton(self.tr("Import a model…"))
        self.import_button.clicked.connect(self._import)
        self.remove_button = QPushButton(self.tr("Remove from list"))
        self.remove_button.clicked.connect(self._remove)
        self.hub_button = QPushButton(self.tr("Download from the hub…"))
        self.hub_button.setObjectName("modelsHub")
        self.hub_button.setEnabled(runner is not None)
        self.hub_button.clicked.connect(self.show_hub)
        self.folder_button = QPushButton(self.tr("Add a shared folder…"))
        self.folder_button.setObjectName("modelsSharedFolder")
        self.folder_button.clicked.connect(self._add_folder)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.hub_button)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._show_details)
        self.setAcceptDrops(True)  # drop a .gguf, .safetensors or Piper voice to import it
        self.drop_report: list[str] = []
        self.refresh()

    def refresh(self) -> None:
        self._entries: list[ModelEntry] = self.catalogue.all()
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
            state = entry.availability()
            if not state.available:
                status = self.tr("Missing")
            elif not entry.engine_ready:
                status = self.tr("Installed · engine not built yet")
            else:
                status = self.tr("Ready (opt-in)") if entry.opt_in else self.tr("Ready")
            values = (
                entry.name,
                task_name(entry.task),
                entry.family,
                entry.licence,
                source_name(entry.source),
                format_size(state.size_bytes) if state.available else "—",
                status,
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(render(state.message) if col == 6 else value)
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
        parts = [f"<b>{entry.name}</b> <code>{entry.id}</code><br>{render(entry.description)}"]
        parts.append(self.tr("<br><b>Licence:</b> %1").replace("%1", entry.licence))
        if entry.licence_note:
            parts.append(
                self.tr("<br><b>Please note:</b> %1").replace("%1", render(entry.licence_note))
            )
        if entry.data_provenance:
            parts.append(
                self.tr("<br><b>Training data:</b> %1").replace("%1", render(entry.data_provenance))
            )
        if state.available:
            files = "<br>".join(str(p) for p in state.paths)
            parts.append(
                self.tr("<br><b>Files:</b><br>%1").replace("%1", f"<small>{files}</small>")
            )
        else:
            parts.append(self.tr("<br><b>Missing:</b> %1").replace("%1", render(state.message)))
        self.details.setHtml("".join(parts))

    def _import(self) -> None:
        kind, ok = QInputDialog.getItem(
            self,
            self.tr("Import a model"),
            self.tr("What kind of model?"),
            [self.tr(k) for k in IMPORT_KINDS],
            0,
            False,
        )
        if not ok:
            return
        by_label = {self.tr(k): v for k, v in IMPORT_KINDS.items()}
        task, _family, engine_module = by_label[kind]
        if task in (Task.text, Task.image):  # a file, or (cancel) a folder
            path, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("Choose the model file (or cancel to pick a folder)"),
                "",
                self.tr("Models (*.gguf *.safetensors *.json);;All files (*)"),
            )
            if not path:
                path = QFileDialog.getExistingDirectory(self, self.tr("Choose the model folder"))
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the model file"))
        if not path:
            return
        from engines.imports import import_user_model, kind_for_module

        try:  # the same checks as the CLI's and the panels' imports
            import_user_model(path, kind_for_module(engine_module), self.catalogue)
        except SozoError as exc:
            QMessageBox.warning(self, self.tr("Import a model"), str(exc))
            return
        self.refresh()

    def _remove(self) -> None:
        entry = self._selected()
        if entry is None or entry.source is not Source.user:
            return
        from studio.models_actions import remove_model

        if remove_model(self, self.catalogue, entry):
            self.refresh()

    @staticmethod
    def _dropped(event: Any) -> list[Path]:
        mime = event.mimeData()
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: Any) -> None:
        if self._dropped(event):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:
        """Each dropped model is imported; the details pane says what it was taken for."""
        from studio.models_actions import import_dropped

        dropped = self._dropped(event)
        if not dropped:
            return
        event.acceptProposedAction()
        self.drop_report = import_dropped(self.catalogue, dropped)
        self.refresh()
        from html import escape

        self.details.setHtml("<br>".join(escape(line) for line in self.drop_report))

    def show_hub(self) -> QDialog | None:
        if self.runner is None:
            return None
        from studio.hub_dialog import HubDialog

        dialog = self.findChild(HubDialog) or HubDialog(self.catalogue, self.runner, self)
        dialog.installed.connect(lambda entry: self.refresh())
        dialog.show()
        return dialog

    def _add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose a models folder (ComfyUI, AUTOMATIC1111, LM Studio…)")
        )
        if folder:
            from studio.models_actions import add_shared_folder

            add_shared_folder(self, self.catalogue, folder)
            self.refresh()


def about_html(catalogue: Catalogue) -> str:
    from html import escape

    from engines.licences import COMPONENTS

    rows = "".join(
        f"<tr><td>{escape(m.name)}</td><td>{escape(m.licence)}</td></tr>" for m in catalogue.all()
    )
    parts = "".join(
        f"<tr><td>{escape(c.name)}</td><td>{escape(c.licence)}</td><td>{escape(render(c.use))}</td></tr>"
        for c in COMPONENTS
    )
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        + translate(
            "About",
            "<p>創造 — a desktop studio for generative AI that runs on your own machine.</p>",
        )
        + translate(
            "About",
            "<p>Licensed under Apache-2.0. Models and their licences (Tools → Models shows "
            "each model's training data):</p>",
        )
        + f"<table cellpadding='3'>{rows}</table>"
        + translate("About", "<p>Data sets and components:</p>")
        + f"<table cellpadding='3'>{parts}</table>"
    )


def show_about(parent: QWidget, catalogue: Catalogue) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(translate("About", "About %1").replace("%1", APP_NAME))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html(catalogue))
    box.exec()
