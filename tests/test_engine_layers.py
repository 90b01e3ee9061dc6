"""The layers contracts inside engines/ (pyproject.toml): every layer they name exists,
and a circle made on purpose in a copy of the tree breaks them."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.import_contracts import without_studio_contracts

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
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT / "engines",
        tree / "engines",
        ignore=lambda folder, names: [
            n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
        ],
    )
    (tree / "pyproject.toml").write_text(
        without_studio_contracts((ROOT / "pyproject.toml").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    (tree / "studio").mkdir()
    (tree / "studio" / "__init__.py").write_text("")
    for module, line in circles.items():
        path = tree / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--config", "pyproject.toml"],
        cwd=tree,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        timeout=120,
    )


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
