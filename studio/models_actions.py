"""What the Models window does that asks the user something: remove a model (and, for a
download, its files), and add a shared model folder (and say what it found)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from engines.catalogue import Catalogue, ModelEntry
from engines.errors import SozoError


def remove_model(parent: QWidget, catalogue: Catalogue, entry: ModelEntry) -> bool:
    """Ask, then take ``entry`` off the list; a downloaded model's files are deleted too.
    True when something was removed."""
    from engines.hub import manager

    downloaded = entry.id in manager.read_manifest()
    if downloaded:
        question = QCoreApplication.translate(
            "ModelsDialog", "Delete %1 and its downloaded files from the disk?"
        )
    else:
        question = QCoreApplication.translate(
            "ModelsDialog", "Take %1 off the list? Its files stay where they are."
        )
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("ModelsDialog", "Remove a model"),
        question.replace("%1", entry.name),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        if downloaded:
            manager.remove(entry.id, catalogue)
        else:
            catalogue.remove_model(entry.id)
    except (SozoError, OSError) as exc:
        QMessageBox.warning(
            parent, QCoreApplication.translate("ModelsDialog", "Remove a model"), str(exc)
        )
        return False
    return True


def add_shared_folder(parent: QWidget, catalogue: Catalogue, folder: str | Path) -> None:
    """Scan ``folder``, list what it holds in place, and say what was recognised."""
    from engines.hub import scan

    try:
        report = scan.add_shared_folder(folder, catalogue)
    except SozoError as exc:
        QMessageBox.warning(
            parent, QCoreApplication.translate("ModelsDialog", "Add a shared folder"), str(exc)
        )
        return
    lines = [
        QCoreApplication.translate(
            "ModelsDialog", "Added %1 model(s), %2 listed already, %3 skipped."
        )
        .replace("%1", str(len(report.imported)))
        .replace("%2", str(len(report.already)))
        .replace("%3", str(len(report.refused)))
    ]
    lines += [f"• {e.name} ({e.files[0].relpath})" for e in report.imported]
    lines += [f"✗ {line}" for line in report.refused]
    QMessageBox.information(
        parent, QCoreApplication.translate("ModelsDialog", "Add a shared folder"), "\n".join(lines)
    )


def import_dropped(catalogue: Catalogue, dropped: list[Path]) -> list[str]:
    """Import each dropped model file or folder through the import door; one line each
    saying what it was recognised as (or why not)."""
    from engines.hub.scan import kind_of
    from engines.imports import KINDS, import_user_model

    lines = []
    seen: set[Path] = set()
    for path in dropped:
        if path.name.endswith(".onnx.json"):
            path = path.with_name(path.name.removesuffix(".json"))  # one voice, one line
        if path in seen:
            continue
        seen.add(path)
        kind = kind_of(path)
        if kind is None:
            lines.append(
                QCoreApplication.translate(
                    "ModelsDialog",
                    "%1: not a model the studio recognises (a .gguf, a .safetensors, a "
                    "Piper .onnx with its .onnx.json, or a model folder).",
                ).replace("%1", path.name)
            )
            continue
        what = kind_label(KINDS[kind].what)
        try:
            entry = import_user_model(path, kind, catalogue)
        except SozoError as exc:
            lines.append(
                QCoreApplication.translate("ModelsDialog", "%1 looks like a %2, but: %3")
                .replace("%1", path.name)
                .replace("%2", what)
                .replace("%3", str(exc))
            )
            continue
        lines.append(
            QCoreApplication.translate("ModelsDialog", "%1: recognised as a %2, added as %3.")
            .replace("%1", path.name)
            .replace("%2", what)
            .replace("%3", entry.name)
        )
    return lines


def kind_label(what: str) -> str:
    """The translated name of an import kind (engines.imports.ImportKind.what)."""
    labels = {
        "language model": QCoreApplication.translate("ModelsDialog", "language model"),
        "Stable Diffusion model": QCoreApplication.translate(
            "ModelsDialog", "Stable Diffusion model"
        ),
        "Piper voice": QCoreApplication.translate("ModelsDialog", "Piper voice"),
    }
    return labels.get(what, what)
