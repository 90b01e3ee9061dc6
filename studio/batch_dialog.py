"""Tools → Batch…: run a batch file (engines.batch) from the window, here or on Ray.

The dialog reads the file at once and says what it will make (how many files, of what
kind, where, how many are there already), or the one line that is wrong with it. Start
queues one job in the Jobs dock whose progress counts the batch's outputs; the dialog can
close while it runs, and Cancel in the dock stops it (a later run goes on from there).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engines.errors import SozoError
from engines.jobs import Job, JobState
from studio.context import StudioContext
from studio.i18n.engine_text import render


class BatchDialog(QDialog):
    batch_started = Signal(object)  # the Job

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchDialog")
        self.setWindowTitle(self.tr("Batch"))
        self.context = context
        self.batch: Any = None
        self.job: Job[Any] | None = None

        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("batchFile")
        self.file_edit.setPlaceholderText(self.tr("a batch file (.toml)"))
        self.file_edit.editingFinished.connect(self._read)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)

        self.summary = QLabel(self.tr("Choose a batch file to see what it makes."))
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.here = QRadioButton(self.tr("On this machine"))
        self.on_ray = QRadioButton(self.tr("On a Ray cluster"))
        self.here.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.here)
        group.addButton(self.on_ray)
        self.address = QLineEdit("local")
        self.address.setObjectName("rayAddress")
        self.address.setToolTip(
            self.tr("'local' starts a cluster on this machine; or ray://host:10001, or auto")
        )
        self.workers = QSpinBox()
        self.workers.setRange(1, 1024)
        self.workers.setValue(2)
        for widget in (self.address, self.workers):
            widget.setEnabled(False)
            self.on_ray.toggled.connect(widget.setEnabled)

        form = QFormLayout()
        form.addRow(self.tr("File"), row)
        form.addRow(self.here)
        form.addRow(self.on_ray)
        form.addRow(self.tr("Ray address"), self.address)
        form.addRow(self.tr("Workers"), self.workers)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = self.buttons.addButton(
            self.tr("Start"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("startBatch")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(520, 0)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Batch file"), "", self.tr("Batch files (*.toml)")
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.file_edit.setText(str(path))
        self._read()

    def _read(self) -> None:
        from engines.batch.spec import load_batch

        self.batch = None
        self.start_button.setEnabled(False)
        text = self.file_edit.text().strip()
        if not text:
            return
        try:
            batch = load_batch(Path(text))
        except SozoError as exc:
            self.summary.setText(str(exc))
            return
        there = sum((batch.output / item.name).exists() for item in batch.items)
        message = self.tr("Makes %1 files (%2) in %3.").replace("%1", str(len(batch.items)))
        message = message.replace("%2", batch.kind).replace("%3", str(batch.output))
        if there:
            message += " " + self.tr("%1 are there already and are skipped.").replace(
                "%1", str(there)
            )
        self.summary.setText(message)
        self.batch = batch
        self.start_button.setEnabled(there < len(batch.items))

    def start(self) -> None:
        """Queue the batch as one job (it shows in the Jobs dock)."""
        from engines.batch.run import run_local, run_ray

        batch = self.batch
        if batch is None:
            return
        address = self.address.text().strip() or "local"
        workers = self.workers.value()
        on_ray = self.on_ray.isChecked()

        def work(ctx: Any) -> Any:
            if on_ray:
                return run_ray(batch, ctx, address=address, workers=workers)
            return run_local(batch, ctx)

        title = self.tr("Batch: %1").replace("%1", batch.source.name if batch.source else "")
        self.job = Job(title, work, task="batch")
        self.context.runner.submit(self.job, on_done=self._done)
        self.start_button.setEnabled(False)
        self.summary.setText(self.tr("Running: see the Jobs dock."))
        self.batch_started.emit(self.job)

    def _done(self, job: Job[Any]) -> None:
        if job.state is JobState.finished and job.result is not None:
            self.summary.setText(self.tr("Done: %1.").replace("%1", render(job.result.summary())))
        elif job.state is JobState.cancelled:
            self.summary.setText(self.tr("Cancelled. Start again to go on where it stopped."))
        else:
            self.summary.setText(render(job.error) or self.tr("The batch failed."))
        self._read_keep_message()

    def _read_keep_message(self) -> None:
        message = self.summary.text()
        self._read()
        self.summary.setText(message)
