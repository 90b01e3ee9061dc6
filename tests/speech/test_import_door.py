"""Issue 21: one import door (engines.imports) for the CLI, the Models dialog and the
panels: the same checks, a refusal in one line, and one entry per file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from engines.catalogue import Catalogue, Source
from studio.cli import main


def _user_ids() -> list[str]:
    return [m.id for m in Catalogue().all() if m.source is Source.user]


def test_the_cli_imports_a_voice_once(tiny_voice: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tiny_voice), "--kind", "voice"]) == 0
    first = _user_ids()
    assert len(first) == 1 and first[0] in capsys.readouterr().out
    assert main(["import", str(tiny_voice), "--kind", "voice"]) == 0  # the same file again
    assert _user_ids() == first  # ids are unique: no second entry


def test_a_refused_import_adds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"\x00garbage")
    broken.with_name("broken.onnx.json").write_text('{"audio": {"sample_rate": 16000}}')
    assert main(["import", str(broken), "--kind", "voice"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0]
    assert _user_ids() == []


@pytest.mark.gui
def test_the_models_dialog_refuses_a_damaged_model_the_same_way(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.dialogs import IMPORT_KINDS, ModelsDialog

    damaged = tmp_path / "model.gguf"
    damaged.write_bytes(b"GGUF" + b"\xff" * 60)
    text_kind = next(k for k, v in IMPORT_KINDS.items() if v[2] == "engines.text.llm")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (text_kind, True))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(damaged), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = ModelsDialog(Catalogue())
    dialog._import()
    assert len(warnings) == 1 and "damaged or truncated" in warnings[0]
    assert _user_ids() == []
