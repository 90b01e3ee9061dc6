"""The layers contracts inside engines/ (pyproject.toml): every layer they name exists,
and a circle made on purpose in a copy of the tree breaks them."""

from __future__ import annotations

import importlib.util
import subprocess
import tomllib
from pathlib import Path

from tests.lint_tree import lint_copy

ROOT = Path(__file__).resolve().parent.parent


def _layers_contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return [c for c in contracts if c["type"] == "layers"]


def test_every_layer_named_exists() -> None:
    names = []
    for contract in _layers_contracts():
        prefixes = [f"{c}." for c in contract.get("containers", [])] or [""]  # type: ignore[attr-defined]
        for prefix in prefixes:
            for layer in contract["layers"]:  # type: ignore[attr-defined]
                for tail in layer.replace(":", "|").split("|"):
                    names.append(prefix + tail.strip().strip("()"))
    assert {"engines.jobs", "engines.text", "engines.image.base", "engines.image.registry"} <= set(
        names
    )
    for name in names:
        assert importlib.util.find_spec(name) is not None, name


def _lint_copy(tmp_path: Path, circles: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return lint_copy(tmp_path / "tree", circles)


def test_a_circle_breaks_the_layers(tmp_path: Path) -> None:
    assert _lint_copy(tmp_path / "as-is", {}).returncode == 0  # the copy itself holds
    done = _lint_copy(
        tmp_path / "circles",
        {
            # base <- registry already; this closes the circle.
            "engines.image.base": "from engines.image import registry",
            # errors <- catalogue already; this closes another.
            "engines.errors": "import engines.catalogue",
        },
    )
    assert done.returncode != 0
    assert "engines.image.base is not allowed to import engines.image.registry" in done.stdout
    assert "engines.errors is not allowed to import engines.catalogue" in done.stdout
