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
