"""The Music panel runs models only through engines.registry: the import-linter contract
of that name (pyproject.toml) holds for this tree and breaks when the panel imports a
module that loads or runs a model, directly or through another module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_tree import lint_copy

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "studio music panel runs models only through engines.registry"


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
    done = lint_copy(tmp_path, {module: line})
    assert done.returncode != 0
    assert f"{CONTRACT} BROKEN" in done.stdout, done.stdout
    assert said in done.stdout, done.stdout


def test_the_contract_holds_as_the_tree_is(tmp_path: Path) -> None:
    done = lint_copy(tmp_path, {})
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{CONTRACT} KEPT" in done.stdout
