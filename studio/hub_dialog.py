"""Tools → Models → Download from the hub: search a Hugging Face-compatible hub, see a
repository's licence, size and files, pick a GGUF quantisation, and download it as a job
in the Jobs dock (cancellable there; a new download of the same files resumes).

Every hub call runs as a job on the runner's worker, so the window never waits on the
network; the engine half is :mod:`engines.hub`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from engines.catalogue import Catalogue, format_size
from engines.jobs import Job, JobState
from studio.i18n import QT_TRANSLATE_NOOP
from studio.jobs import NETWORK_TASK, JobRunner

# Search kinds: (engines.hub search kind, label).
KINDS = (
    ("gguf", QT_TRANSLATE_NOOP("HubDialog", "Text models (GGUF)")),
    ("text", QT_TRANSLATE_NOOP("HubDialog", "Text models (Hugging Face folders)")),
    ("image", QT_TRANSLATE_NOOP("HubDialog", "Stable Diffusion models")),
    ("voice", QT_TRANSLATE_NOOP("HubDialog", "Piper voices")),
)


def hub_address(base: str | None = None) -> str:
    """The hub's address as shown: its host and path, without the scheme."""
    from urllib.parse import urlsplit

    from engines.hub.client import endpoint

    parts = urlsplit(base or endpoint())
    return (parts.netloc + parts.path).rstrip("/")


class HubDialog(QDialog):
    """Search, inspect and download models from the hub at ``HF_ENDPOINT``."""

    installed = Signal(object)  # the new catalogue entry

    def __init__(
        self, catalogue: Catalogue, runner: JobRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from engines.hub.client import HubClient

        self.setWindowTitle(self.tr("Download models"))
        self.setObjectName("hubDialog")
        self.resize(900, 560)
        self.catalogue = catalogue
        self.runner = runner
        self.client = HubClient()
        self._results: list[Any] = []
        self._plan: Any = None
        self._details: Any = None
        self._asked: dict[str, int] = {}

        self.kind = QComboBox()
        self.kind.setObjectName("hubKind")
        for key, label in KINDS:
            self.kind.addItem(self.tr(label), key)
        self.query = QLineEdit()
        self.query.setObjectName("hubQuery")
        self.query.setPlaceholderText(self.tr("Search the hub (a name, or a language for voices)"))
        self.query.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.query, 1)
        top.addWidget(self.search_button)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("hubResults")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._inspect)
        self.details = QTextBrowser()
        self.details.setObjectName("hubDetails")
        self.details.setMaximumHeight(190)

        self.quant = QComboBox()
        self.quant.setObjectName("hubQuantisation")
        self.quant.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.quant.setMinimumContentsLength(16)
        self.quant.currentIndexChanged.connect(self._plan_changed)
        self.status = QLabel()
        self.status.setObjectName("hubStatus")
        self.status.setWordWrap(True)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setObjectName("hubDownload")
        self.download_button.setEnabled(False)
        self.download_button.clicked.connect(self.download)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("Quantisation:")))
        bottom.addWidget(self.quant)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.download_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        address = QLabel(self.tr("Hub: %1").replace("%1", hub_address(self.client.base)))
        address.setToolTip(self.tr("Set HF_ENDPOINT to use a mirror."))
        layout.addWidget(address)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        self._headers()

    def _headers(self) -> None:
        if self.kind.currentData() == "voice":
            labels = [self.tr("Voice"), self.tr("Language"), self.tr("Quality"), self.tr("Rate")]
        else:
            labels = [self.tr("Repository"), self.tr("Licence"), self.tr("Downloads"), ""]
        self.table.setHorizontalHeaderLabels(labels)

    def _run(self, title: str, work: Any, done: Any, purpose: str = "") -> Job[Any]:
        """Run ``work`` on a network thread; ``done(result)`` on success. Of two answers
        for one ``purpose`` (two searches, two quantisations picked quickly) only the
        last asked is shown: the network may answer them in either order."""
        asked = self._asked[purpose] = self._asked.get(purpose, 0) + 1

        def finished(job: Job[Any]) -> None:
            if purpose and self._asked.get(purpose) != asked:
                return
            if job.state is JobState.finished:
                done(job.result)
            elif job.state is JobState.failed:
                self.status.setText(job.error or "")

        return self.runner.run(title, work, task=NETWORK_TASK, on_done=finished)

    # -- search ----------------------------------------------------------------------
    def search(self) -> None:
        kind, text = self.kind.currentData(), self.query.text().strip()
        self.status.setText(self.tr("Searching…"))
        self._headers()
        work: Callable[[Any], Any]
        if kind == "voice":
            work = lambda ctx: self.client.piper_voices(text)  # noqa: E731
        else:
            work = lambda ctx: self.client.search(text, kind=kind)  # noqa: E731
        self._run(self.tr("Search the hub"), work, self._show_results, "search")

    def _show_results(self, results: list[Any]) -> None:
        self._results = results
        self.table.setRowCount(len(results))
        for row, r in enumerate(results):
            if hasattr(r, "sample_rate"):
                values = [r.key, r.language_name, r.quality, f"{r.sample_rate} Hz"]
            else:
                gated = self.tr("gated") if r.gated else ""
                values = [r.repo_id, r.licence or "?", str(r.downloads), gated]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        if results:
            self.status.setText(self.tr("%n result(s)", "", len(results)))
            self.table.selectRow(0)
        else:
            self.status.setText(self.tr("Nothing found."))

    # -- details and plan ------------------------------------------------------------
    def _inspect(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._plan = None
        self._details = None
        self.download_button.setEnabled(False)
        self.quant.blockSignals(True)
        self.quant.clear()
        self.quant.blockSignals(False)
        if not rows:
            return
        chosen = self._results[rows[0].row()]
        from engines.hub import manager
        from engines.hub.client import PIPER_REPO

        work: Callable[[Any], Any]
        if hasattr(chosen, "sample_rate"):
            work = lambda ctx: (  # noqa: E731
                None,
                manager.plan_download(self.client, PIPER_REPO, voice=chosen.key),
            )
        else:
            work = lambda ctx: (self.client.details(chosen.repo_id), None)  # noqa: E731
        self.status.setText(self.tr("Reading the repository…"))
        self._run(self.tr("Read a repository"), work, self._show_details, "inspect")

    def _show_details(self, found: tuple[Any, Any]) -> None:
        details, plan = found
        self._details = details
        if details is not None:
            quants = details.quantisations()
            self.quant.blockSignals(True)
            for q in sorted(quants):
                self.quant.addItem(f"{q} · {format_size(quants[q].size)}", q)
            self.quant.blockSignals(False)
            self.quant.setEnabled(bool(quants))
            files = "<br>".join(
                f"{escape(f.path)} <small>({format_size(f.size)})</small>" for f in details.files
            )
            licence = escape(details.licence or self.tr("none given"))
            gated = (
                self.tr(" · gated: the hub asks you to accept its terms") if details.gated else ""
            )
            self.details.setHtml(
                f"<b>{escape(details.repo_id)}</b> · {format_size(details.size)}<br>"
                + self.tr("<b>Licence:</b> %1").replace("%1", licence + gated)
                + self.tr("<br><b>Files:</b><br>%1").replace("%1", files)
            )
            self._plan_changed()
        else:
            self._set_plan(plan)

    def _plan_changed(self) -> None:
        details = getattr(self, "_details", None)
        if details is None:
            return
        from engines.hub import manager

        quant = self.quant.currentData()
        self._set_plan(None)
        work = lambda ctx: manager.plan_download(  # noqa: E731
            self.client, details.repo_id, quantisation=quant
        )
        self._run(self.tr("Read a repository"), work, self._set_plan, "plan")

    def _set_plan(self, plan: Any) -> None:
        if plan is not None and plan.repo_id != getattr(self._details, "repo_id", plan.repo_id):
            return  # an answer for a row no longer selected
        self._plan = plan
        self.download_button.setEnabled(plan is not None)
        if plan is not None:
            names = ", ".join(f.path.rsplit("/", 1)[-1] for f in plan.files[:4])
            self.status.setText(
                self.tr("%1 · %2 · licence: %3")
                .replace("%1", names)
                .replace("%2", format_size(plan.size))
                .replace("%3", plan.licence_text)
            )

    # -- download --------------------------------------------------------------------
    def download(self) -> None:
        plan = self._plan
        if plan is None:
            return
        from engines.hub import manager

        if not manager.licence_accepted(plan) and not self.ask_licence(plan):
            return
        manager.accept_licence(plan)
        title = self.tr("Download %1").replace("%1", plan.repo_id)
        self.status.setText(self.tr("Downloading: progress and Cancel are in the Jobs dock."))
        self._run(title, lambda ctx: manager.install(self.client, plan, ctx, self.catalogue),
                  self._installed)  # fmt: skip

    def ask_licence(self, plan: Any) -> bool:
        """The licence, before anything is fetched; True when the user accepts it."""
        answer = QMessageBox.question(
            self,
            self.tr("Licence"),
            self.tr("%1 is under %2.\n\nRead its terms on the hub. Do you accept them?")
            .replace("%1", plan.repo_id)
            .replace("%2", plan.licence_text),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _installed(self, entry: Any) -> None:
        self.status.setText(
            self.tr("Installed as %1: it is listed in its panel.").replace("%1", entry.name)
        )
        self.installed.emit(entry)
