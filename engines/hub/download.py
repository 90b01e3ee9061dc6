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
from engines.messages import message
from engines.safe_write import safe_path

CHUNK = 256 * 1024
# A dropped connection is resumed this many times before the download gives up.
RETRIES = 3
# Seconds between two progress reports (a cancel is still seen at every block).
REPORT_EVERY = 0.1
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
            message(
                "hub.no_space", folder=probe, needed=format_size(needed), free=format_size(free)
            )
        )


class _Hashing:
    """The SHA-256 of the first ``done`` bytes of a partial download."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.done = 0

    def update(self, block: bytes) -> None:
        self.digest.update(block)
        self.done += len(block)

    def catch_up(self, part: Path | None, ctx: JobContext) -> None:
        """Start over, from the bytes already in ``part`` (None: from nothing)."""
        self.digest, self.done = hashlib.sha256(), 0
        if part is None:
            return
        with part.open("rb") as f:
            while block := f.read(1024 * 1024):
                self.update(block)
                ctx.check()

    def hexdigest(self, part: Path, ctx: JobContext) -> str:
        if self.done != part.stat().st_size:  # written by someone else meanwhile
            self.catch_up(part, ctx)
        return self.digest.hexdigest()


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
    # The SHA-256 is kept up to date as the bytes arrive (no second pass over the file);
    # a partial left by an earlier run is hashed once, before its rest is asked for.
    hashing = _Hashing()
    for attempt in range(RETRIES + 1):
        have = part.stat().st_size if part.exists() else 0
        if file.size and have > file.size:  # not this file's start: begin again
            part.unlink()
            have = 0
        if hashing.done != have:
            hashing.catch_up(part if have else None, ctx)
        transfer.done_bytes = before + have
        if file.size and have == file.size:
            break
        try:
            _fetch(client, url, what, part, have, file.size, ctx, transfer, before, hashing)
            break
        except (ConnectionError, http.client.HTTPException, TimeoutError) as exc:
            if attempt == RETRIES:
                reason = getattr(exc, "reason", exc)
                raise BadInput(message("hub.kept_failing", what=what, reason=reason)) from None
            ctx.wait(0.2 * (attempt + 1))
    _check_whole(part, file, what, hashing.hexdigest(part, ctx))
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
    hashing: _Hashing,
) -> None:
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.open(url, what, headers) as response:
        status = getattr(response, "status", 200)
        mode = "ab" if have and status == 206 else "wb"
        if mode == "wb":
            have = 0
            hashing.catch_up(None, ctx)  # the whole file again: hash it from its start
        transfer.done_bytes = before + have
        expected = response.headers.get("Content-Length")
        got = 0
        last_report = 0.0
        with part.open(mode) as out:
            while True:
                ctx.check()
                # read1: what has arrived (up to CHUNK), so a slow link still reports
                # and sees a cancel every few kilobytes, not once a quarter megabyte.
                block = response.read1(CHUNK)
                if not block:
                    break
                out.write(block)
                hashing.update(block)
                got += len(block)
                transfer.done_bytes = before + have + got
                now = time.monotonic()
                if now - last_report >= REPORT_EVERY:  # a line per tenth of a second is enough
                    last_report = now
                    ctx.report(transfer.done_bytes, transfer.total_bytes, message=transfer.line())
        if expected is not None and got < int(expected):
            raise ConnectionError(f"the connection closed after {got} of {expected} bytes")
        if size and have + got < size:
            raise ConnectionError(f"the connection closed after {have + got} of {size} bytes")


def _check_whole(part: Path, file: RepoFile, what: str, actual: str) -> None:
    """The file's size and SHA-256 against the hub's; a wrong file is deleted."""
    size = part.stat().st_size
    if file.size and size != file.size:
        part.unlink()
        raise BadInput(message("hub.wrong_size", what=what, size=size, listed=file.size))
    if file.sha256 is not None and actual != file.sha256:
        part.unlink()
        raise BadInput(
            message("hub.wrong_hash", what=what, got=actual[:12], expected=file.sha256[:12])
        )
