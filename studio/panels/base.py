"""What every panel has: a header, a prompt area, an output area, generate and cancel.

A panel whose engine is not built yet says so in plain words, lists the models it will
run (with their real availability) and offers no Generate action: it never shows
placeholder results.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engines.catalogue import Task, format_size
from studio.context import StudioContext
from studio.i18n import fill
from studio.i18n.names import task_name


class PanelBase(QWidget):
    """Base of the four panels. Subclasses fill ``prompt_area`` and ``output_area``.

    ``notice_changed`` carries what the main window's status bar should say for this
    panel whichever panel is in view (one line; "" clears it): lasting states a person
    must not miss, such as a model running on a slower fallback path.
    """

    notice_changed = Signal(str)
    task: Task
    title: str = ""
    subtitle: str = ""
    icon_text: str = ""

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        # A subclass names its title in English (QT_TRANSLATE_NOOP with its class as the
        # context); from here on the panel's title is the translated one.
        self.title = self.tr(type(self).title)
        self.subtitle = self.tr(type(self).subtitle)
        self.setObjectName(f"{self.task.value}Panel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)

        header = QWidget()
        header.setObjectName("panelHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(0, 0, 0, 4)
        title = QLabel(self.title)
        title.setObjectName("panelTitle")
        subtitle = QLabel(self.subtitle)
        subtitle.setObjectName("panelSubtitle")
        subtitle.setWordWrap(True)
        header_layout.addWidget(title)
        header_layout.addWidget(subtitle)
        outer.addWidget(header)

        self.prompt_area = QWidget()
        self.prompt_area.setObjectName("promptArea")
        self.output_area = QWidget()
        self.output_area.setObjectName("outputArea")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.prompt_area)
        splitter.addWidget(self.output_area)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        outer.addWidget(splitter, 1)

    # -- actions the window's shortcuts call -----------------------------------------
    def generate(self) -> None:
        """Start this panel's generation (Ctrl+Enter)."""

    def cancel(self) -> None:
        """Cancel this panel's running and queued jobs (Esc)."""
        for job in self.context.runner.active_jobs(self.task.value):
            job.cancel()

    def shutdown(self) -> None:
        """The window is closing: stop this panel's own threads (jobs are stopped for it)."""


class EngineNotBuiltPanel(PanelBase):
    """A panel for a task whose engine is not part of this version yet."""

    prompt_placeholder: str = ""
    coming: str = ""  # one sentence on what the panel will do

    def __init__(self, context: StudioContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        prompt_layout = QVBoxLayout(self.prompt_area)
        prompt_layout.setContentsMargins(0, 0, 0, 0)
        self.prompt = QPlainTextEdit()
        self.prompt.setObjectName("prompt")
        self.prompt.setPlaceholderText(self.tr(self.prompt_placeholder))
        prompt_layout.addWidget(self.prompt, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setEnabled(False)
        self.generate_button.setToolTip(self.tr("This panel's engine is not built yet."))
        row.addWidget(self.generate_button)
        prompt_layout.addLayout(row)

        out_layout = QVBoxLayout(self.output_area)
        out_layout.setContentsMargins(0, 8, 0, 0)
        notice = QFrame()
        notice.setObjectName("engineNotice")
        notice_layout = QVBoxLayout(notice)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("engineNotBuilt")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label.setText(self._notice_html())
        notice_layout.addWidget(self.notice_label)
        out_layout.addWidget(notice)
        out_layout.addStretch(1)

    def _notice_html(self) -> str:
        lines = [
            fill(
                self.tr("<p><b>The %1 engine is not built yet.</b> %2</p>"),
                task_name(self.task),
                self.tr(self.coming),
            ),
            self.tr("<p>Nothing is generated here until it is. The models it will run:</p>"),
            "<ul>",
        ]
        for entry in self.context.catalogue.for_task(self.task):
            state = entry.availability()
            where = (
                self.tr("installed, %1").replace("%1", format_size(state.size_bytes))
                if state.available
                else self.tr("not installed")
            )
            lines.append(f"<li>{entry.name} — {entry.licence} — {where}</li>")
        if not self.context.catalogue.for_task(self.task):
            lines.append(
                self.tr("<li>weights trained by the project, shipped with the studio</li>")
            )
        lines.append("</ul>")
        return "".join(lines)
