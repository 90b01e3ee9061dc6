"""The model manager: plan what to fetch from a hub repository, fetch it, register it in
the catalogue through the one import door, and later verify or remove it.

A plan picks the files a panel can use: one GGUF quantisation, a Hugging Face text
folder, a diffusers folder or a single Stable Diffusion checkpoint, or one Piper voice
(its ``.onnx`` with its ``.onnx.json``). Everything lands in
``<models>/<owner>__<name>/`` (:func:`engines.paths.models_dir`), and what was fetched is
written to ``<models>/manifest.json`` with each file's SHA-256, for ``verify``.

A gated repository, or one whose licence is not a plain open one, needs the user's
explicit acceptance; it is remembered per repository (and asked again if the licence
changes) in ``<config>/hub-licences.json``.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines import paths
from engines.catalogue import Catalogue, ModelEntry
from engines.errors import BadInput
from engines.hub.client import PIPER_REPO, HubClient, RepoDetails, RepoFile
from engines.hub.download import Transfer, check_free_space, download_file, sha256_of
from engines.jobs import JobContext
from engines.messages import message
from engines.safe_write import write_text

# Licences that carry no terms beyond attribution: no acceptance asked.
OPEN_LICENCES = frozenset(
    {"apache-2.0", "mit", "bsd", "bsd-2-clause", "bsd-3-clause", "cc0-1.0", "cc-by-4.0"}
    | {"unlicense", "isc", "cc-by-sa-4.0"}
)
# What a folder download keeps: weights, configs, tokenizers (not duplicate .bin/.pt/.onnx).
FOLDER_SUFFIXES = (".json", ".safetensors", ".txt", ".model", ".tiktoken", ".jinja")
# Diffusers variants beside the main weights: one copy is enough.
_VARIANT_MARKS = (".fp16.", ".non_ema.", ".ema.", ".bf16.")


@dataclass(frozen=True)
class Plan:
    """What a download will fetch, where it lands, and on what terms."""

    repo_id: str
    kind: str  # an engines.imports.KINDS key: text, image or voice
    files: tuple[RepoFile, ...]
    folder: Path  # where the files land
    target: Path  # what is imported: the folder, or one file in it
    licence: str | None
    gated: bool
    revision: str = "main"  # the commit the files were listed at, when the hub says

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def needs_acceptance(self) -> bool:
        return self.gated or (self.licence or "").lower() not in OPEN_LICENCES

    @property
    def licence_text(self) -> str:
        text = self.licence or "no licence given"
        return f"{text} (gated: the hub asks you to accept its terms)" if self.gated else text


def repo_folder(models_root: Path, repo_id: str) -> Path:
    return models_root / repo_id.replace("/", "__")


def plan_download(
    client: HubClient,
    repo_id: str,
    *,
    quantisation: str | None = None,
    file: str | None = None,
    voice: str | None = None,
    models_root: Path | None = None,
) -> Plan:
    """Decide which files of ``repo_id`` to fetch; a choice left open is one line naming
    the choices (``--quant`` for a GGUF repository, ``--file`` for checkpoints)."""
    root = models_root or paths.models_dir()
    folder = repo_folder(root, repo_id)
    if voice is not None:
        return _plan_voice(client, repo_id, voice, folder)
    details = client.details(repo_id)
    if not details.files:
        raise BadInput(message("hub.no_files", repo=repo_id))
    by_path = {f.path: f for f in details.files}
    if file is not None:
        if file not in by_path:
            raise BadInput(message("hub.no_such_file", repo=repo_id, file=repr(file)))
        chosen = by_path[file]
        kind = "text" if file.lower().endswith(".gguf") else "image"
        return _single(details, chosen, kind, folder)
    quants = details.quantisations()
    if quants:
        if quantisation is None:
            if len(quants) == 1:
                return _single(details, next(iter(quants.values())), "text", folder)
            raise BadInput(
                message(
                    "hub.pick_quant",
                    repo=repo_id,
                    count=len(quants),
                    quants=", ".join(sorted(quants)),
                )
            )
        if quantisation.upper() not in quants:
            raise BadInput(
                message(
                    "hub.no_quant",
                    repo=repo_id,
                    quant=quantisation,
                    quants=", ".join(sorted(quants)),
                )
            )
        return _single(details, quants[quantisation.upper()], "text", folder)
    if "model_index.json" in by_path:
        kept = [f for f in details.files if _keep_in_diffusers(f.path)]
        return _folder(details, kept, "image", folder)
    if "config.json" in by_path:
        kept = [f for f in details.files if f.path.endswith(FOLDER_SUFFIXES) and "/" not in f.path]
        return _folder(details, kept, "text", folder)
    checkpoints = [f for f in details.files if f.path.lower().endswith(".safetensors")]
    if len(checkpoints) == 1:
        return _single(details, checkpoints[0], "image", folder)
    if checkpoints:
        names = ", ".join(f.path for f in checkpoints[:8])
        raise BadInput(message("hub.pick_file", repo=repo_id, names=names))
    raise BadInput(message("hub.nothing_runs", repo=repo_id))


def _keep_in_diffusers(path: str) -> bool:
    if path == "model_index.json":
        return True
    name = posixpath.basename(path)
    return (
        "/" in path
        and name.endswith(FOLDER_SUFFIXES)
        and not any(mark in name for mark in _VARIANT_MARKS)
    )


def _single(details: RepoDetails, chosen: RepoFile, kind: str, folder: Path) -> Plan:
    return Plan(
        details.repo_id, kind, (chosen,), folder, folder / chosen.path, details.licence,
        details.gated, details.commit or "main",
    )  # fmt: skip


def _folder(details: RepoDetails, files: list[RepoFile], kind: str, folder: Path) -> Plan:
    return Plan(
        details.repo_id, kind, tuple(files), folder, folder, details.licence, details.gated,
        details.commit or "main",
    )  # fmt: skip


def _plan_voice(client: HubClient, repo_id: str, key: str, folder: Path) -> Plan:
    if repo_id != PIPER_REPO:
        raise BadInput(message("hub.piper_repo", piper=PIPER_REPO, repo=repo_id))
    voices = {v.key: v for v in client.piper_voices(key)}
    if key not in voices:
        near = ", ".join(list(voices)[:6]) or "none"
        raise BadInput(message("hub.no_piper_voice", key=repr(key), near=near))
    onnx = next((f for f in voices[key].files if f.path.endswith(".onnx")), None)
    if onnx is None:
        raise BadInput(message("hub.piper_no_onnx", key=key))
    # The catalogue gives MD5s only: the folder's listing gives the LFS SHA-256s.
    details = client.details(repo_id, folder=posixpath.dirname(onnx.path))
    wanted = {onnx.path, onnx.path + ".json"}
    files = tuple(f for f in details.files if f.path in wanted)
    if len(files) != 2:
        raise BadInput(message("hub.piper_files", key=key))
    return Plan(
        repo_id, "voice", files, folder, folder / onnx.path, details.licence, False,
        details.commit or "main",
    )  # fmt: skip


# -- licence acceptance ----------------------------------------------------------------
def _licences_file() -> Path:
    return paths.config_dir() / "hub-licences.json"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def licence_accepted(plan: Plan) -> bool:
    return not plan.needs_acceptance or _read_json(_licences_file()).get(plan.repo_id) == (
        plan.licence_text
    )


def accept_licence(plan: Plan) -> None:
    """Remember that the user accepted ``plan``'s licence for its repository."""
    data = _read_json(_licences_file())
    data[plan.repo_id] = plan.licence_text
    _licences_file().parent.mkdir(parents=True, exist_ok=True)
    write_text(_licences_file(), json.dumps(data, indent=2), overwrite=True)


# -- install, verify, remove -----------------------------------------------------------
def manifest_path(models_root: Path | None = None) -> Path:
    return (models_root or paths.models_dir()) / "manifest.json"


def read_manifest(models_root: Path | None = None) -> dict[str, Any]:
    return _read_json(manifest_path(models_root))


def _write_manifest(data: dict[str, Any], models_root: Path) -> None:
    models_root.mkdir(parents=True, exist_ok=True)
    write_text(manifest_path(models_root), json.dumps(data, indent=2), overwrite=True)


def install(
    client: HubClient,
    plan: Plan,
    ctx: JobContext | None = None,
    catalogue: Catalogue | None = None,
    models_root: Path | None = None,
) -> ModelEntry:
    """Fetch ``plan``'s files, check each, and add the model to the catalogue."""
    from engines.imports import import_user_model

    if not licence_accepted(plan):
        raise BadInput(message("hub.accept_licence", repo=plan.repo_id, licence=plan.licence_text))
    root = models_root or paths.models_dir()
    ctx = ctx or JobContext()
    have = sum(
        (plan.folder / f.path).stat().st_size
        for f in plan.files
        if (plan.folder / f.path).is_file()
    )
    check_free_space(root, plan.size - have)
    transfer = Transfer(total_bytes=plan.size, started=time.monotonic())
    for f in plan.files:
        final = plan.folder / f.path
        if final.is_file() and final.stat().st_size == f.size:
            transfer.done_bytes += f.size  # whole from an earlier run; verify re-hashes it
            continue
        download_file(client, plan.repo_id, f, final, root, ctx, transfer, plan.revision)
    cat = catalogue or Catalogue()
    entry = import_user_model(
        plan.target, plan.kind, cat, name=plan.repo_id if plan.kind != "voice" else None,
        licence=plan.licence_text,
    )  # fmt: skip
    manifest = read_manifest(root)
    manifest[entry.id] = {
        "repo": plan.repo_id,
        "folder": str(plan.folder),
        "licence": plan.licence_text,
        "files": [
            {"path": str(plan.folder / f.path), "size": f.size, "sha256": f.sha256}
            for f in plan.files
        ],
    }
    _write_manifest(manifest, root)
    return entry


@dataclass(frozen=True)
class Check:
    """One downloaded file re-hashed."""

    model_id: str
    path: str
    ok: bool
    message: str


def verify(
    model_id: str | None = None, models_root: Path | None = None, ctx: JobContext | None = None
) -> list[Check]:
    """Re-hash the files of one downloaded model (or all) against what the hub gave."""
    manifest = read_manifest(models_root)
    if model_id is not None and model_id not in manifest:
        raise BadInput(message("hub.not_downloaded", model=model_id))
    checks = []
    for mid, record in manifest.items():
        if model_id is not None and mid != model_id:
            continue
        for f in record.get("files", ()):
            p = Path(f["path"])
            if not p.is_file():
                checks.append(Check(mid, str(p), False, "missing"))
            elif p.stat().st_size != f["size"]:
                checks.append(
                    Check(mid, str(p), False, f"{p.stat().st_size} bytes, not {f['size']}")
                )
            elif f.get("sha256") and sha256_of(p, ctx) != f["sha256"]:
                checks.append(Check(mid, str(p), False, "SHA-256 differs from the hub's"))
            else:
                checks.append(Check(mid, str(p), True, "ok"))
    return checks


def remove(
    model_id: str, catalogue: Catalogue | None = None, models_root: Path | None = None
) -> list[str]:
    """Delete a downloaded model's files and its catalogue entry; returns what went."""
    root = models_root or paths.models_dir()
    manifest = read_manifest(root)
    if model_id not in manifest:
        raise BadInput(message("hub.not_downloaded", model=model_id))
    record = manifest.pop(model_id)
    gone = []
    for f in record.get("files", ()):
        p = Path(f["path"])
        if p.is_file():
            p.unlink()
            gone.append(str(p))
    folder = Path(record.get("folder", ""))
    # Drop the folder once nothing of another download is left in it.
    inside = folder.is_dir() and folder.resolve().parent == root.resolve()
    if inside and not any(p.is_file() for p in folder.rglob("*")):
        shutil.rmtree(folder, ignore_errors=True)
    cat = catalogue or Catalogue()
    if any(e.id == model_id for e in cat.all()):
        cat.remove_model(model_id)
    _write_manifest(manifest, root)
    return gone
