"""The names of the catalogue's enums (tasks, sources) as the studio shows them, translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from engines.catalogue import Source, Task


def task_name(task: Task) -> str:
    """A task by its name in the studio (the Models dialog, panel notices)."""
    names = {
        Task.text: QCoreApplication.translate("ModelsDialog", "text"),
        Task.image: QCoreApplication.translate("ModelsDialog", "image"),
        Task.music: QCoreApplication.translate("ModelsDialog", "music"),
        Task.speech: QCoreApplication.translate("ModelsDialog", "speech"),
    }
    return names.get(task, task.value)


def source_name(source: Source) -> str:
    """Where a model comes from, as the Models dialog says it."""
    names = {
        Source.package: QCoreApplication.translate("ModelsDialog", "installed package"),
        Source.assets: QCoreApplication.translate("ModelsDialog", "shipped with the studio"),
        Source.user: QCoreApplication.translate("ModelsDialog", "imported by you"),
    }
    return names.get(source, source.value)
