"""Shared test set-up: Qt offscreen, and every studio folder moved into temporary ones so
tests never read or write the user's settings, models list, caches or outputs."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The gui marker's checks (collection and run time): see tests/gui_marker.py.
from tests.gui_marker import (  # noqa: F401
    _gui_marker_covers_qt_applications,
    pytest_collection_modifyitems,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests run in English whatever the machine's locale: the studio's "system" language
# follows the locale (studio.i18n.system_language), and tests that read English text
# must not get Japanese on a Japanese desktop. Tests of the Japanese studio ask for it.
for _name in ("LC_ALL", "LC_MESSAGES", "LANG"):
    os.environ[_name] = "C.UTF-8"
os.environ.pop("LANGUAGE", None)
# One torch thread: on the 2-core CI machine two threads are much slower under load.
os.environ.setdefault("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache shared by the whole run (converted model copies are slow to rebuild)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path: Path, session_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    config = tmp_path / "config"
    monkeypatch.setenv("SOZO_CONFIG_DIR", str(config))
    monkeypatch.setenv("SOZO_CACHE_DIR", str(session_cache_dir))
    monkeypatch.setenv("SOZO_OUTPUT_DIR", str(tmp_path / "outputs"))
    monkeypatch.setenv("SOZO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SOZO_LOG_FILE", str(tmp_path / "sozo.log"))
    yield config
    # Collect a test's garbage here, on the main thread. Left for later, a cycle holding
    # Qt widgets may be collected by a job's worker thread in another test, and Qt objects
    # deleted off the GUI thread crash the process (seen once: a segfault while loading
    # the VAE in the image panel's job).
    gc.collect()


@pytest.fixture
def audio_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths the one audio writer (``engines.audio.AudioWriter``) opened during the
    test: an export that wrote its file some other way is missing from it."""
    from engines import audio

    opened: list[Path] = []
    original = audio.AudioWriter.__init__

    def recording_init(
        self: audio.AudioWriter, path: str | Path, *args: object, **kw: object
    ) -> None:
        original(self, path, *args, **kw)  # type: ignore[arg-type]
        opened.append(Path(path))

    monkeypatch.setattr(audio.AudioWriter, "__init__", recording_init)
    return opened
