"""The import-linter contract "studio image panel runs models only through
engines.registry" covers every module of the Image panel, and breaks when one of them
imports a model family (or torch) again. Indirect imports are allowed: the panel imports
the request types of ``engines.image.engine``, whose ``load`` reaches the families."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.test_engine_layers import ROOT, _lint_copy

IMAGE_PANEL_CONTRACT = "studio image panel runs models only through engines.registry"


def test_the_image_panel_contract_covers_every_image_panel_module() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["name"] == IMAGE_PANEL_CONTRACT]
    modules = {f"studio.panels.{p.stem}" for p in (ROOT / "studio" / "panels").glob("image*.py")}
    assert modules and set(contract["source_modules"]) == modules
    assert {"engines.image.registry", "engines.image.base", "torch"} <= set(
        contract["forbidden_modules"]
    )


def test_the_image_panel_contract_breaks_when_the_panel_loads_a_family(tmp_path: Path) -> None:
    done = _lint_copy(
        tmp_path / "reaching-in",
        {
            "studio.panels.image_explore": "from engines.image.registry import load_engine",
            "studio.panels.image_state": "import torch",
        },
    )
    assert done.returncode != 0
    assert f"{IMAGE_PANEL_CONTRACT} BROKEN" in done.stdout
    assert "studio.panels.image_explore is not allowed to import engines.image.registry" in (
        done.stdout
    )
    assert "studio.panels.image_state is not allowed to import torch" in done.stdout
