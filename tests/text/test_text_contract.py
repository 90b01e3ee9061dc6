"""The import-linter contract "studio text panel runs models only through
engines.registry" covers every module of the Text panel, and breaks when one of them
imports a module that loads or runs models."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.lint_tree import lint_copy

ROOT = Path(__file__).resolve().parents[2]
NAME = "studio text panel runs models only through engines.registry"


def _contract() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    found = [c for c in contracts if c["name"] == NAME]
    assert len(found) == 1
    return found[0]


def test_every_text_panel_module_is_a_source_of_the_contract() -> None:
    """A new text panel file (studio/panels/text_*.py, the steering widgets, the chat
    widgets) cannot slip past the contract by not being listed."""
    contract = _contract()
    owned = [
        *(ROOT / "studio" / "panels").glob("text*.py"),
        *(ROOT / "studio" / "panels").glob("steering_*.py"),
        *(ROOT / "studio" / "widgets").glob("chat_*.py"),
    ]
    names = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in owned}
    assert {"studio.panels.text", "studio.panels.text_state", "studio.widgets.chat_view"} <= names
    assert names <= set(contract["source_modules"])  # type: ignore[arg-type]
    assert {"engines.text.llm", "engines.text.engine"} <= set(contract["forbidden_modules"])  # type: ignore[arg-type]
    assert contract.get("allow_indirect_imports") is False


def test_the_contract_breaks_when_the_panel_imports_the_model_code(tmp_path: Path) -> None:
    done = lint_copy(
        tmp_path / "tree",
        {"studio.panels.text_state": "from engines.text import llm  # noqa"},
    )
    assert done.returncode != 0
    assert f"{NAME} BROKEN" in done.stdout
    assert "studio.panels.text_state is not allowed to import engines.text.llm" in done.stdout
