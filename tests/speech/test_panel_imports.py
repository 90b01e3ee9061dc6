"""The Speech panel reaches models only through ``engines.registry``: the import-linter
contract names every speech panel module, and breaks when one imports a model module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "studio speech panel runs models only through engines.registry"


def _contract() -> dict[str, list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == CONTRACT]
    return contract


def test_the_contract_names_every_speech_panel_module() -> None:
    contract = _contract()
    modules = {f"studio.panels.{p.stem}" for p in (ROOT / "studio/panels").glob("speech*.py")}
    assert modules and modules <= set(contract["source_modules"])
    assert contract["type"] == "forbidden"
    assert {"engines.speech.synthesis", "engines.speech.piper", "engines.speech.kokoro"} <= set(
        contract["forbidden_modules"]
    )


def test_the_contract_breaks_when_the_panel_imports_a_model_module(tmp_path: Path) -> None:
    only_python = shutil.ignore_patterns("__pycache__", "*.onnx", "*.json", "*.npz", "*.gz")
    for package in ("engines", "studio"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    state = tmp_path / "studio/panels/speech_state.py"
    state.write_text(
        state.read_text(encoding="utf-8") + "\nfrom engines.speech.kokoro import KokoroModel\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "pyproject.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tmp_path)),
        timeout=120,
    )
    assert done.returncode != 0
    assert f"{CONTRACT} BROKEN" in done.stdout
    assert "studio.panels.speech_state is not allowed to import engines.speech.kokoro" in (
        done.stdout
    )
    assert done.stdout.count("BROKEN") == 1  # the other contracts still hold in the copy
