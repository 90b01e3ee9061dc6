"""Import rules: engines never import Qt; the window opens without torch & co."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_contracts import without_studio_contracts

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "transformers", "diffusers", "onnxruntime", "accelerate", "gguf")
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")


def _python(code: str) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_every_engines_module_imports_without_qt() -> None:
    """Blocks Qt outright, then imports every module under engines/."""
    code = f"""
import importlib, json, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {QT!r}:
            raise ImportError('engines must not import ' + name)
sys.meta_path.insert(0, Block())
import engines
names = [m.name for m in pkgutil.walk_packages(engines.__path__, 'engines.')]
for name in names:
    importlib.import_module(name)
print(json.dumps(names))
"""
    names = json.loads(_python(code))
    assert "engines.jobs" in names and "engines.device" in names


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    env = dict(os.environ, PYTHONPATH=str(cwd))
    return subprocess.run(
        [str(exe), "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_import_contract_holds_for_this_tree() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_import_contract_breaks_when_engines_imports_qt(tmp_path: Path) -> None:
    """The same contract on a copy where one engine module imports Qt must fail."""
    (tmp_path / "pyproject.toml").write_text(
        without_studio_contracts((ROOT / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    (tmp_path / "engines").mkdir()
    (tmp_path / "engines" / "__init__.py").write_text("")
    (tmp_path / "engines" / "sneaky.py").write_text("from PySide6 import QtCore\n")
    (tmp_path / "studio").mkdir()
    (tmp_path / "studio" / "__init__.py").write_text("")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout and "engines.sneaky" in done.stdout


def test_importing_engines_and_studio_imports_no_heavy_library() -> None:
    """Every studio module (all the app can load before a generation starts), and every
    engines package with its API modules, imports no torch & co.

    Model files that define ``nn.Module`` classes (``engines/image/vae.py`` and the like)
    may import torch at their top, as nanoGPT's model file does: only an engine's
    ``load()`` imports them, so they are left out here."""
    code = f"""
import importlib, json, pkgutil, sys
import engines, studio
names = [m.name for m in pkgutil.walk_packages(studio.__path__, 'studio.')]
packages = [m.name for m in pkgutil.walk_packages(engines.__path__, 'engines.') if m.ispkg]
names += packages + [p + '.types' for p in packages if importlib.util.find_spec(p + '.types')]
names += ['engines.jobs', 'engines.device', 'engines.catalogue', 'engines.errors',
          'engines.paths', 'engines.imagefile']
for name in names:
    if not name.endswith('__main__'):
        importlib.import_module(name)
print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {HEAVY!r})))
"""
    assert json.loads(_python(code)) == []


@pytest.mark.gui
def test_opening_the_window_imports_no_heavy_library() -> None:
    code = f"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from studio.app import create_main_window
window = create_main_window(probe_device=False)
window.show()
for _ in range(20):
    app.processEvents()
for name in window.panels:
    window.show_panel(name)
    app.processEvents()
print(json.dumps(sorted(n for n in sys.modules if n.split('.')[0] in {HEAVY!r})))
"""
    assert json.loads(_python(code)) == []
