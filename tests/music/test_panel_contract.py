"""The Music panel runs models only through engines.registry: the import-linter contract
of that name (pyproject.toml) holds for this tree and breaks when the panel imports a
module that loads or runs a model, directly or through another module."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "studio music panel runs models only through engines.registry"


def _lint_copy(tree: Path, additions: dict[str, str]) -> subprocess.CompletedProcess[str]:
    for package in ("engines", "studio"):
        shutil.copytree(
            ROOT / package,
            tree / package,
            ignore=lambda folder, names: [
                n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    for module, line in additions.items():
        path = tree / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "pyproject.toml"],
        cwd=tree,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(tree)),
        timeout=300,
    )


@pytest.mark.parametrize(
    ("module", "line", "said"),
    [
        (
            "studio.panels.music",
            "from engines.music import compose",
            "studio.panels.music is not allowed to import engines.music.compose",
        ),
        (
            "studio.panels.music_state",
            "import engines.music.engine",
            "studio.panels.music_state is not allowed to import engines.music.render",
        ),
        (
            "studio.widgets.melody_slot",
            "from engines.music.melody_vae import MelodyVAE",
            "studio.widgets.melody_slot is not allowed to import engines.music.melody_vae",
        ),
    ],
)
def test_a_model_import_in_the_music_panel_breaks_the_contract(
    tmp_path: Path, module: str, line: str, said: str
) -> None:
    done = _lint_copy(tmp_path, {module: line})
    assert done.returncode != 0
    assert f"{CONTRACT} BROKEN" in done.stdout, done.stdout
    assert said in done.stdout, done.stdout


def test_the_contract_holds_as_the_tree_is(tmp_path: Path) -> None:
    done = _lint_copy(tmp_path, {})
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{CONTRACT} KEPT" in done.stdout
