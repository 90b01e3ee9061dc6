"""Saving a result where the user says: ask before replacing a file, and after a failed
write say that the result is kept and can be saved somewhere else.

The panels keep what they made (a clip, a melody) in memory until the next one, so a
write that fails (a full disk, a folder that went away) loses nothing: the message says
so, beside the button that saves it elsewhere (``Export as…``), which asks with
:func:`ask_save_path`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from studio.i18n.engine_text import render


def confirm_overwrite(parent: QWidget | None, path: Path) -> bool:
    """True when ``path`` is free, or the user agreed to replace it (No is the default)."""
    if not path.exists():
        return True
    box = QMessageBox(parent)
    box.setObjectName("confirmOverwrite")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("SaveElsewhere", "Replace the file?"))
    box.setText(
        QCoreApplication.translate("SaveElsewhere", "{name} exists already. Replace it?").format(
            name=path.name
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "SaveElsewhere", "The old file stays as it is until the new one is whole."
        )
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def ask_save_path(
    parent: QWidget | None, title: str, suggested: Path, name_filter: str
) -> Path | None:
    """A path from the save dialog, or None. The dialog's own overwrite question is off:
    :func:`confirm_overwrite` asks, the same way on every platform."""
    file, _ = QFileDialog.getSaveFileName(
        parent,
        title,
        str(suggested),
        name_filter,
        options=QFileDialog.Option.DontConfirmOverwrite,
    )
    if not file:
        return None
    path = Path(file)
    return path if confirm_overwrite(parent, path) else None


def write_failed(why: BaseException | str, kept: str) -> str:
    """The message beside the action after a failed write: why (an exception, or a
    failed job's error line), and that ``kept`` (the clip, the melody) is still here to
    be saved elsewhere."""
    reason = render(why)
    text = QCoreApplication.translate(
        "SaveElsewhere",
        "Could not save: {why} The {kept} is kept: use Export as… to save it elsewhere.",
    )
    return text.format(why=reason.rstrip(".") + ".", kept=kept)
