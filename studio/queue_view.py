"""The job queue view: every job with its state, progress, elapsed time and cancel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engines.jobs import Job, JobState
from studio.i18n import QT_TRANSLATE_NOOP, fill
from studio.i18n.engine_text import render
from studio.jobs import JobRunner

# English, translated where shown (context "JobQueue").
STATE_LABELS = {
    JobState.queued: QT_TRANSLATE_NOOP("JobQueue", "Queued"),
    JobState.running: QT_TRANSLATE_NOOP("JobQueue", "Running"),
    JobState.finished: QT_TRANSLATE_NOOP("JobQueue", "Finished"),
    JobState.failed: QT_TRANSLATE_NOOP("JobQueue", "Failed"),
    JobState.cancelled: QT_TRANSLATE_NOOP("JobQueue", "Cancelled"),
}
STATE_COLOURS = {
    JobState.queued: "#8a8d93",
    JobState.running: "#2d7dd2",
    JobState.finished: "#2e9e5b",
    JobState.failed: "#c0392b",
    JobState.cancelled: "#b7791f",
}


def format_elapsed(seconds: float) -> str:
    if seconds < 60:
        return QCoreApplication.translate("JobQueue", "%1 s").replace("%1", f"{seconds:.1f}")
    minutes, secs = divmod(int(seconds), 60)
    return fill(QCoreApplication.translate("JobQueue", "%1 min %2 s"), str(minutes), f"{secs:02d}")


class JobRowWidget(QFrame):
    """One job: title, state, progress bar, elapsed time, cancel, and the error if it failed."""

    def __init__(self, job: Job[Any], runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.setObjectName(f"jobRow{job.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)

        top = QHBoxLayout()
        self.title = QLabel(job.title)
        self.title.setWordWrap(True)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.state_label = QLabel()
        self.state_label.setObjectName("jobState")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("✕")
        self.cancel_button.setToolTip(self.tr("Cancel this job"))
        self.cancel_button.setObjectName("jobCancel")
        self.cancel_button.clicked.connect(lambda: runner.cancel(job.id))
        top.addWidget(self.title, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)

        self.progress = QProgressBar()
        self.progress.setMaximumHeight(8)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)

        bottom = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("jobMessage")
        self.elapsed = QLabel()
        self.elapsed.setObjectName("jobElapsed")
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.elapsed)
        layout.addLayout(bottom)

        self.error = QLabel()
        self.error.setObjectName("jobError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        layout.addWidget(self.error)
        self.refresh()

    def refresh(self) -> None:
        job = self.job
        colour = STATE_COLOURS[job.state]
        self.state_label.setText(QCoreApplication.translate("JobQueue", STATE_LABELS[job.state]))
        self.state_label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.cancel_button.setEnabled(not job.state.is_final)
        progress = job.progress
        if job.state is JobState.finished:
            self.progress.setRange(0, 100)
            self.progress.setValue(100)
        elif progress is not None and progress.fraction is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(progress.fraction * 1000))
        elif job.state is JobState.running:
            self.progress.setRange(0, 0)  # busy indicator: amount of work unknown
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(0)
        text = ""
        if progress is not None:
            text = render(progress.message) or (
                f"{progress.step} / {progress.total}" if progress.total else f"{progress.step}"
            )
        self.message.setText(text)
        self.elapsed.setText(format_elapsed(job.elapsed) if job.started_at else "")
        if job.state is JobState.failed and job.error:
            self.error.setText(render(job.error))
            if job.log_file is not None:  # an unexpected fault: its traceback is there
                tip = self.tr("The details are in the log file {path}").format(path=job.log_file)
                self.error.setToolTip(tip)
            self.error.show()


class JobQueueWidget(QWidget):
    """All jobs of this session, newest first, with cancel-all and clear-finished."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jobQueue")
        self.runner = runner
        self.rows: dict[int, JobRowWidget] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        header = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("jobSummary")
        self.cancel_all_button = QPushButton(self.tr("Cancel all"))
        self.cancel_all_button.setObjectName("cancelAllJobs")
        self.cancel_all_button.clicked.connect(runner.cancel_all)
        self.clear_button = QPushButton(self.tr("Clear finished"))
        self.clear_button.clicked.connect(runner.clear_finished)
        header.addWidget(self.summary, 1)
        header.addWidget(self.cancel_all_button)
        header.addWidget(self.clear_button)
        layout.addLayout(header)

        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.setSpacing(4)
        self._list_layout.addStretch(1)
        self.empty_label = QLabel(self.tr("No jobs yet. Generations you start appear here."))
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._list_layout.insertWidget(0, self.empty_label)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._list)
        layout.addWidget(scroll, 1)

        self._ticker = QTimer(self)  # elapsed time of running jobs
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

        runner.job_added.connect(self._add_row)
        runner.job_changed.connect(self._update_row)
        runner.job_removed.connect(self._remove_row)
        for job in runner.jobs:
            self._add_row(job)
        self._update_summary()

    def _add_row(self, job: Job[Any]) -> None:
        row = JobRowWidget(job, self.runner)
        self.rows[job.id] = row
        self._list_layout.insertWidget(0, row)
        self.empty_label.hide()
        self._update_summary()

    def _update_row(self, job: Job[Any]) -> None:
        row = self.rows.get(job.id)
        if row is not None:
            row.refresh()
        self._update_summary()

    def _remove_row(self, job_id: int) -> None:
        row = self.rows.pop(job_id, None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        self.empty_label.setVisible(not self.rows)
        self._update_summary()

    def _tick(self) -> None:
        for row in self.rows.values():
            if not row.job.state.is_final:
                row.refresh()
        self._update_summary()

    def _update_summary(self) -> None:
        jobs = self.runner.jobs
        active = sum(1 for j in jobs if not j.state.is_final)
        failed = sum(1 for j in jobs if j.state is JobState.failed)
        parts = [
            self.tr("%1 active").replace("%1", str(active)) if active else self.tr("Idle"),
            self.tr("%1 in all").replace("%1", str(len(jobs))),
        ]
        if failed:
            parts.append(self.tr("%1 failed").replace("%1", str(failed)))
        self.summary.setText(" · ".join(parts))
        self.cancel_all_button.setEnabled(active > 0)
        if active and not self._ticker.isActive():
            self._ticker.start()
        elif not active and self._ticker.isActive():
            self._ticker.stop()
