"""What every panel and dialog shares: the job runner, settings, catalogue and device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from engines import device as engine_device
from engines.catalogue import Catalogue
from engines.device import DeviceChoice, HardwareReport, choose_device
from engines.errors import SozoError
from engines.jobs import Job, JobContext, JobState
from studio.jobs import JobRunner
from studio.settings import StudioSettings

if TYPE_CHECKING:
    from studio.history.recorder import HistoryRecorder


class DeviceState(QObject):
    """The compute device engines will use; observable (``choice_changed``).

    The hardware is probed once, in a child process run as a job (so the window opens
    without importing torch); Settings changes re-apply the policy without probing again.
    """

    choice_changed = Signal(object)  # DeviceChoice
    probe_failed = Signal(str)

    def __init__(self, runner: JobRunner, settings: StudioSettings) -> None:
        super().__init__()
        self._runner = runner
        self._settings = settings
        self.report: HardwareReport | None = None
        self.choice: DeviceChoice | None = None
        self.probe_job: Job[HardwareReport] | None = None
        self.error: str | None = None
        settings.device_changed.connect(self._reapply)
        settings.threads_changed.connect(self._reapply)
        engine_device.configure(settings.device, settings.threads)

    def probe(self) -> None:
        """Start the probe job (a slot: returns nothing, which PySide6 slots must)."""
        job: Job[HardwareReport] = Job(
            QCoreApplication.translate("DeviceState", "Detect compute device"),
            _probe_work,
            task="system",
        )
        self.probe_job = job
        self._runner.submit(job, on_done=self._on_probe_done)

    def _on_probe_done(self, job: Job[object]) -> None:
        if job.state is JobState.finished and isinstance(job.result, HardwareReport):
            self.report = job.result
            engine_device.set_report(job.result)
            self._reapply()
        else:
            self.error = job.error or "device detection was cancelled"
            self.probe_failed.emit(self.error)

    def _reapply(self, *_: object) -> None:
        engine_device.configure(self._settings.device, self._settings.threads)
        if self.report is None:
            return
        choice = choose_device(self.report, self._settings.device, self._settings.threads)
        if choice != self.choice:
            self.choice = choice
            self.choice_changed.emit(choice)


def _probe_work(ctx: JobContext) -> HardwareReport:
    import subprocess

    ctx.report(0, 1, message=QCoreApplication.translate("DeviceState", "Looking for GPUs…"))
    proc = subprocess.Popen(
        engine_device.probe_command(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while proc.poll() is None:
            ctx.wait(0.05)  # raises Cancelled at once on cancel
    finally:
        if proc.poll() is None:
            proc.kill()
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SozoError(
            QCoreApplication.translate("DeviceState", "The device probe failed: %1").replace(
                "%1", err.strip()[-300:]
            )
        )
    ctx.report(1, 1, message=QCoreApplication.translate("DeviceState", "Done"))
    return HardwareReport.from_json(out.strip().splitlines()[-1])


@dataclass
class StudioContext:
    runner: JobRunner
    settings: StudioSettings
    catalogue: Catalogue
    device: DeviceState
    history: HistoryRecorder | None = None  # None: nothing is recorded (the main window sets it)
