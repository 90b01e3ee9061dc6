"""Downloading one file from a hub: resumable, checked, never half-installed.

The bytes go to ``<models>/.partial/<repo>/<path>.part`` first. A second try (after a
dropped connection, a cancel or a killed process) asks for the rest with an HTTP
``Range`` header and appends; a hub that ignores the range (HTTP 200) starts it over.
When the file is whole its SHA-256 is compared with the hub's LFS object id (or, for a
small git-stored file the hub gives no hash for, its size), and only then is it moved
under its final name through :func:`engines.safe_write.safe_path`. A file whose hash is
wrong is deleted, never kept.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from engines.catalogue import format_size
from engines.errors import BadInput
from engines.hub.client import HubClient, RepoFile
from engines.jobs import JobContext
from engines.safe_write import safe_path

CHUNK = 256 * 1024
# A dropped connection is resumed this many times before the download gives up.
RETRIES = 3
# Room left free on the disk beyond the file itself, for the rest of the system.
SPARE_BYTES = 64 * 1024 * 1024


@dataclass
class Transfer:
    """Progress of the bytes of a set of files, for the progress line."""

    total_bytes: int
    done_bytes: int = 0
    started: float = 0.0
    start_bytes: int = 0  # already on disk when this run began (not counted in the rate)

    def line(self) -> str:
        """'12.0 MB of 40.0 MB · 3.1 MB/s · 9 s left'."""
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (self.done_bytes - self.start_bytes) / elapsed
        text = f"{format_size(self.done_bytes)} of {format_size(self.total_bytes)}"
        if rate > 0:
            left = (self.total_bytes - self.done_bytes) / rate
            text += f" · {format_size(int(rate))}/s · {left:.0f} s left"
        return text


def partial_path(models_root: Path, repo_id: str, file: RepoFile) -> Path:
    return models_root / ".partial" / repo_id.replace("/", "__") / (file.path + ".part")


def sha256_of(path: Path, ctx: JobContext | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1024 * 1024):
            digest.update(block)
            if ctx is not None:
                ctx.check()
    return digest.hexdigest()


def check_free_space(folder: Path, needed: int) -> None:
    """Refuse before starting when the disk cannot hold ``needed`` more bytes."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if needed + SPARE_BYTES > free:
        raise BadInput(
            f"Not enough free space in {probe}: the download needs {format_size(needed)} "
            f"and {format_size(free)} is free."
        )


def download_file(
    client: HubClient,
    repo_id: str,
    file: RepoFile,
    final: Path,
    models_root: Path,
    ctx: JobContext | None = None,
    transfer: Transfer | None = None,
    revision: str = "main",
) -> Path:
    """Fetch ``file`` of ``repo_id`` to ``final``, resuming what an earlier try left."""
    ctx = ctx or JobContext()
    transfer = transfer or Transfer(total_bytes=file.size, started=time.monotonic())
    part = partial_path(models_root, repo_id, file)
    part.parent.mkdir(parents=True, exist_ok=True)
    before = transfer.done_bytes
    url = client.file_url(repo_id, file.path, revision)
    what = f"{repo_id}/{file.path}"
    for attempt in range(RETRIES + 1):
        have = part.stat().st_size if part.exists() else 0
        if file.size and have > file.size:  # not this file's start: begin again
            part.unlink()
            have = 0
        transfer.done_bytes = before + have
        if file.size and have == file.size:
            break
        try:
            _fetch(client, url, what, part, have, file.size, ctx, transfer, before)
            break
        except (ConnectionError, http.client.HTTPException, TimeoutError) as exc:
            if attempt == RETRIES:
                reason = getattr(exc, "reason", exc)
                raise BadInput(
                    f"The download of {what} kept failing ({reason}); run it again to "
                    "resume from where it stopped."
                ) from None
            ctx.wait(0.2 * (attempt + 1))
    _check_whole(part, file, what, ctx)
    final.parent.mkdir(parents=True, exist_ok=True)
    with safe_path(final, overwrite=True) as tmp:
        os.replace(part, tmp)
    transfer.done_bytes = before + file.size
    return final


def _fetch(
    client: HubClient,
    url: str,
    what: str,
    part: Path,
    have: int,
    size: int,
    ctx: JobContext,
    transfer: Transfer,
    before: int,
) -> None:
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.open(url, what, headers) as response:
        status = getattr(response, "status", 200)
        mode = "ab" if have and status == 206 else "wb"
        if mode == "wb":
            have = 0
        transfer.done_bytes = before + have
        expected = response.headers.get("Content-Length")
        got = 0
        with part.open(mode) as out:
            while True:
                ctx.check()
                # read1: what has arrived (up to CHUNK), so a slow link still reports
                # and sees a cancel every few kilobytes, not once a quarter megabyte.
                block = response.read1(CHUNK)
                if not block:
                    break
                out.write(block)
                got += len(block)
                transfer.done_bytes = before + have + got
                ctx.report(transfer.done_bytes, transfer.total_bytes, message=transfer.line())
        if expected is not None and got < int(expected):
            raise ConnectionError(f"the connection closed after {got} of {expected} bytes")
        if size and have + got < size:
            raise ConnectionError(f"the connection closed after {have + got} of {size} bytes")


def _check_whole(part: Path, file: RepoFile, what: str, ctx: JobContext) -> None:
    """The file's size and SHA-256 against the hub's; a wrong file is deleted."""
    size = part.stat().st_size
    if file.size and size != file.size:
        part.unlink()
        raise BadInput(
            f"{what} arrived with {size} bytes, not the {file.size} the hub lists: "
            "it was not kept; download it again."
        )
    if file.sha256 is not None:
        ctx.report(ctx.last_progress.step if ctx.last_progress else 0, message="checking")
        actual = sha256_of(part, ctx)
        if actual != file.sha256:
            part.unlink()
            raise BadInput(
                f"{what} does not match the hub's SHA-256 (got {actual[:12]}…, expected "
                f"{file.sha256[:12]}…): it was not kept; download it again."
            )
