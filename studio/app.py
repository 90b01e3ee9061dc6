"""Starting the studio: ``create_main_window()`` for tests and embedders, ``main()`` for people."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from engines import APP_NAME, __version__, native, paths
from engines.catalogue import Catalogue
from studio.context import DeviceState, StudioContext
from studio.i18n import install_translators, register_fonts
from studio.import_hook import quiet_pyside_import_hook
from studio.jobs import JobRunner
from studio.main_window import MainWindow
from studio.settings import StudioSettings
from studio.single_instance import InstanceServer, hand_over
from studio.theme import apply_theme

PROBE_DELAY_MS = 300  # let the window paint before the device probe competes for the CPU
WARM_DELAY_MS = 400  # and torch's import after it


def app_icon() -> QIcon:
    icon = QIcon()
    icons = paths.assets_dir() / "icons"
    for size in (16, 32, 48, 64, 128, 256):
        png = icons / f"sozo-studio-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


class GuiThreadCollector(QObject):
    """Runs Python's cyclic garbage collector on the GUI thread only.

    Left automatic, the collector runs in whichever thread happens to allocate. A job's
    worker thread could then collect a cycle that holds Qt objects, and Qt objects
    deleted off the GUI thread can crash the process (a segfault seen once, in the
    image panel's tests, while a job loaded the VAE). So automatic collection is off
    while the application runs, and a timer collects on the GUI thread by the same
    thresholds (the oldest generation whose count is over its threshold).

    Once torch's warm-up import has ended (engines.native), everything alive is frozen
    (``gc.freeze``): torch's, transformers' and onnxruntime's 200,000-odd module-level
    objects live as long as the process, and a full collection that walks them held the
    GUI thread for 100-300 ms here; frozen, they are never walked again.
    """

    INTERVAL_MS = 100
    BURST = 20_000  # young survivors that are frozen rather than walked

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("gui-thread-collector")
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._frozen = False
        self._young = 0  # objects gen-0 collections have passed on since generation 1's
        self._timer.timeout.connect(self.collect_if_due)
        self._timer.start()
        gc.disable()
        app.aboutToQuit.connect(gc.enable)

    def collect_if_due(self) -> None:
        if not self._frozen and native.warmed():
            self._frozen = True
            gc.freeze()
            return
        counts, thresholds = gc.get_count(), gc.get_threshold()
        # Objects that survive young collections pile up in generation 1 until it is
        # collected: after a job's first imports (diffusers, transformers) or a model's
        # load that is 100,000 objects or more, which live as long as the model or the
        # process, and walking them held the GUI thread 25-60 ms. Past BURST of them they
        # are frozen instead: freed by reference counting as ever, only cycles among them
        # wait (for the process's end).
        due = [bool(t) and c > t for c, t in zip(counts, thresholds, strict=True)]
        if counts[0] > self.BURST or (due[1] and self._young + counts[0] > self.BURST):
            gc.freeze()
            self._young = 0
            return
        # While torch imports, its new objects would make every full collection walk them
        # all, only to freeze them moments later: the young generations only until then.
        for generation in (1, 0) if native.warming() else (2, 1, 0):
            if due[generation]:
                gc.collect(generation)
                self._young = self._young + counts[0] if generation == 0 else 0
                return


def ensure_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (made if there is none), with a :class:`GuiThreadCollector`."""
    quiet_pyside_import_hook()  # a job's first import torch must not stall the window
    app = QApplication.instance()
    if isinstance(app, QApplication):
        if app.findChild(GuiThreadCollector) is None:  # made by someone else (pytest-qt)
            GuiThreadCollector(app)
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    GuiThreadCollector(app)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Sozo Studio")
    app.setDesktopFileName("sozo-studio")
    app.setWindowIcon(app_icon())
    return app


def create_main_window(
    *,
    settings_file: Path | None = None,
    probe_device: bool = True,
    warm_torch: bool = True,
    catalogue: Catalogue | None = None,
    language: str | None = None,
) -> MainWindow:
    """Build the main window (a QApplication must exist). Does not show it.

    ``probe_device`` starts the device probe job shortly after the event loop runs.
    ``warm_torch`` imports torch on a background thread once the window has painted
    (engines.native: its libraries load with the GIL released), so no panel's first use
    waits for it or stalls the window.
    ``language`` ("system", "en" or "ja"; None: the setting) is the one it shows.
    """
    app = ensure_application()
    settings = StudioSettings(settings_file)
    # Before any widget is made: widgets translate their text as they are built.
    register_fonts()
    install_translators(app, settings.language if language is None else language)
    apply_theme(app, settings.theme)
    runner = JobRunner()
    device = DeviceState(runner, settings)
    context = StudioContext(
        runner=runner, settings=settings, catalogue=catalogue or Catalogue(), device=device
    )
    window = MainWindow(context)
    runner.setParent(window)
    if probe_device:
        QTimer.singleShot(PROBE_DELAY_MS, window, device.probe)
    if warm_torch:
        QTimer.singleShot(WARM_DELAY_MS, window, native.warm_in_background)
    return window


class _FirstPaintReporter(QObject):
    """For tests/bench/bench_startup.py: prints one line when the window first paints."""

    def __init__(self) -> None:
        super().__init__()
        self.done = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            print(f"first-paint {time.time():.6f}", flush=True)
        return False


def setup_logging() -> None:
    """Log records and tracebacks go to the rotating log file (engines.errorlog)."""
    from engines import errorlog

    errorlog.install()


def main(argv: list[str] | None = None) -> int:
    """Open the studio with the files named after the command (``sozo-studio FILE...``) and
    run until its window closes; if this user's studio already runs, hand the files to it
    and return at once (studio.single_instance)."""
    setup_logging()
    app = ensure_application(sys.argv if argv is None else argv)
    files = app.arguments()[1:]  # Qt has taken its own options (-platform...) out
    bench = bool(os.environ.get("SOZO_BENCH_FIRST_PAINT"))
    server = None
    if not bench:  # the startup bench times a fresh window, whatever else runs
        if hand_over(files):
            logging.getLogger(__name__).info("handed %d file(s) to the running studio", len(files))
            return 0
        server = InstanceServer(parent=app)
        server.listen()
    reporter = None
    if bench:
        reporter = _FirstPaintReporter()
        app.installEventFilter(reporter)
    window = create_main_window()
    if server is not None:
        server.files_received.connect(window.take_handed_files)
    window.show()
    if files:
        QTimer.singleShot(0, window, lambda: window.open_files(files))
    code = app.exec()
    if window.restart_requested:  # a new language (Settings): start again, files and all
        if server is not None:
            server.close()  # or the new process would hand itself over to this one
        restart()
    return code


def restart() -> bool:
    """Start the studio again as it was started (the same Python and arguments)."""
    from PySide6.QtCore import QProcess

    started, _pid = QProcess.startDetached(sys.executable, sys.orig_argv[1:])
    return bool(started)


if __name__ == "__main__":
    raise SystemExit(main())
