"""PySide6's import hook no longer reads the sources of libraries that are not ours
(studio.import_hook, issue #21): an import after PySide6 reads no source file."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import PySide6.QtCore  # noqa: F401  (installs the hook under test)
import pytest

from studio.import_hook import quiet_pyside_import_hook


def _count_source_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = inspect.getsource

    def counting(obj: Any) -> str:
        read.append(getattr(obj, "__name__", "?"))
        return original(obj)

    monkeypatch.setattr(inspect, "getsource", counting)
    return read


def _import_fresh(tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    (tmp_path / f"{name}.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return __import__(name)  # through builtins.__import__, where PySide6 hooks in


def test_pyside6s_hook_reads_every_imported_module_unless_quieted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shibokensupport import feature

    # The installed PySide6 has the hook this module quiets (if a release moves it, this
    # fails, and studio.import_hook needs a look).
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)
    original = feature._mod_uses_pyside
    if getattr(original, "sozo_quiet", False):  # an earlier test's window quieted it
        monkeypatch.setattr(feature, "_mod_uses_pyside", original.__closure__[0].cell_contents)
    read = _count_source_reads(monkeypatch)
    _import_fresh(tmp_path, "sozo_hook_probe_before", monkeypatch)
    assert "sozo_hook_probe_before" in read  # PySide6 read the new module's source

    assert quiet_pyside_import_hook()
    assert quiet_pyside_import_hook()  # twice is once
    read.clear()
    module = _import_fresh(tmp_path, "sozo_hook_probe_after", monkeypatch)
    assert module.VALUE == 1
    assert read == []
    # Our own modules are still read, so a __feature__ switch there would still work.
    own = ModuleType("studio.sozo_hook_probe")
    assert feature._mod_uses_pyside(own) is False  # no source to read: PySide6's answer
