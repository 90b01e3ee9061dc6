"""Shared model folders: use the models another tool already keeps, in place.

A ComfyUI ``models/`` tree keeps Stable Diffusion checkpoints in ``checkpoints/``, an
AUTOMATIC1111 ``models/`` tree in ``Stable-diffusion/``; LM Studio keeps GGUF files in
``<publisher>/<repo>/``; the Hugging Face cache keeps ``models--owner--name/snapshots/``.
:func:`scan_folder` finds, anywhere below a folder, the GGUF files, the checkpoints in
those checkpoint folders, diffusers folders and Piper voices (an ``.onnx`` with its
``.onnx.json``). :func:`add_shared_folder` imports each through the one import door
(nothing is copied: the catalogue points at the file where it is, and says where) and
remembers the folder in ``<config>/shared-folders.json``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from engines import paths
from engines.catalogue import Catalogue, ModelEntry
from engines.errors import SozoError
from engines.messages import message
from engines.safe_write import write_text

# Folders whose .safetensors files are whole Stable Diffusion checkpoints (not LoRAs or VAEs).
CHECKPOINT_FOLDERS = frozenset({"checkpoints", "stable-diffusion"})
# A walk stops going deeper than this (a folder pointed at / by mistake ends quickly).
MAX_DEPTH = 8


@dataclass(frozen=True)
class Found:
    """A model file or folder a scan recognised."""

    path: Path
    kind: str  # an engines.imports.KINDS key


@dataclass(frozen=True)
class ScanReport:
    """What adding a shared folder did."""

    folder: Path
    imported: tuple[ModelEntry, ...]
    already: tuple[Path, ...]  # listed before
    refused: tuple[str, ...]  # one line each


def scan_folder(folder: Path) -> list[Found]:
    """Every model below ``folder`` the studio could run, sorted by path."""
    root = Path(folder).expanduser()
    found: list[Found] = []
    base_depth = len(root.parts)
    for here, dirs, files in os.walk(root, followlinks=False):
        current = Path(here)
        if len(current.parts) - base_depth >= MAX_DEPTH:
            dirs[:] = []
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names = set(files)
        if "model_index.json" in names:
            found.append(Found(current, "image"))
            dirs[:] = []  # its parts are not models of their own
            continue
        in_checkpoints = current.name.lower() in CHECKPOINT_FOLDERS
        for name in sorted(names):
            lower = name.lower()
            if lower.endswith(".gguf") and "mmproj" not in lower:
                found.append(Found(current / name, "text"))
            elif lower.endswith(".safetensors") and in_checkpoints:
                found.append(Found(current / name, "image"))
            elif lower.endswith(".onnx") and f"{name}.json" in names:
                found.append(Found(current / name, "voice"))
    return found


def kind_of(path: Path) -> str | None:
    """The import kind of one dropped file or folder, from its name and neighbours (the
    import door then checks its contents); None for anything else."""
    p = Path(path)
    lower = p.name.lower()
    if p.is_dir():
        if (p / "model_index.json").is_file():
            return "image"
        return "text" if (p / "config.json").is_file() else None
    if lower.endswith(".gguf"):
        return "text"
    if lower.endswith(".safetensors"):
        return "image"
    if lower.endswith(".onnx.json"):
        return "voice" if p.with_name(p.name.removesuffix(".json")).is_file() else None
    if lower.endswith(".onnx"):
        return "voice" if p.with_name(p.name + ".json").is_file() else None
    return None


def _shared_file() -> Path:
    return paths.config_dir() / "shared-folders.json"


def shared_folders() -> list[Path]:
    """The folders added so far."""
    try:
        data = json.loads(_shared_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [Path(p) for p in data if isinstance(p, str)] if isinstance(data, list) else []


def add_shared_folder(folder: str | Path, catalogue: Catalogue | None = None) -> ScanReport:
    """Import in place every model found below ``folder``; a file the engine could not
    load is one line in the report, and the others are still imported."""
    from engines.errors import BadInput
    from engines.imports import import_user_model

    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise BadInput(message("hub.shared_not_folder", folder=root))
    cat = catalogue or Catalogue()
    listed = {Path(e.files[0].relpath) for e in cat.all() if e.files}
    imported, already, refused = [], [], []
    for item in scan_folder(root):
        where = item.path.resolve()
        if where in listed:
            already.append(where)
            continue
        # The Hugging Face cache's snapshot files are links to blobs named by hash: the
        # link's name is the model's name.
        name = item.path.name if item.kind != "voice" and item.path.is_symlink() else None
        try:
            imported.append(import_user_model(where, item.kind, cat, name=name))
        except SozoError as exc:
            refused.append(f"{where}: {exc}")
    known = shared_folders()
    if root not in known:
        _shared_file().parent.mkdir(parents=True, exist_ok=True)
        write_text(_shared_file(), json.dumps([str(p) for p in [*known, root]]), overwrite=True)
    return ScanReport(root, tuple(imported), tuple(already), tuple(refused))
