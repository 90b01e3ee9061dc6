"""Seedable voices kept on disk, rewritten in a child process.

:func:`engines.speech.noise.seedable` parses a voice's whole protobuf and serializes it
again. Each of those is one C call that holds Python's lock (the GIL): 0.3-0.7 s for a
60 MB Piper voice, which froze the window on the Speech panel's first use. So the
rewrite runs once per voice file, in a child process (``python -m
engines.speech.noise_cache VOICE FOLDER KEY``), and its result is kept in the cache
folder; the studio then opens an ONNX Runtime session on that file by its path. A voice
without random draws is remembered as such and opened as it is.

The key is the voice file's path, size, modification time and :data:`REWRITE_VERSION`,
so a changed voice (or a changed rewrite) is made again. The cache is safe to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from engines import paths
from engines.speech.noise import NoiseInput, seedable

REWRITE_VERSION = 1
FOLDER = "seedable-voices"
TIMEOUT_S = 600.0


class RewriteFailed(Exception):
    """The child could not read or rewrite the voice; the message is its first line."""


def cache_key(voice: Path) -> str:
    stat = voice.stat()
    made = f"{voice.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{REWRITE_VERSION}"
    return hashlib.sha256(made.encode("utf-8")).hexdigest()[:24]


def seedable_file(voice: Path) -> tuple[Path, list[NoiseInput]]:
    """(the file to open a session on, its noise inputs) for the voice at ``voice``:
    the kept rewrite, made first in a child process when there is none. Where the cache
    folder cannot be written, the rewrite is made here (and holds the lock, as before).
    :class:`RewriteFailed` when the voice is not an ONNX model the rewrite can read."""
    folder = paths.cache_dir() / FOLDER
    key = cache_key(voice)
    kept = _read_kept(folder, key, voice)
    if kept is not None:
        return kept
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        return _in_process(voice, folder, key)
    done = subprocess.run(
        [sys.executable, "-m", "engines.speech.noise_cache", str(voice), str(folder), key],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise RewriteFailed(lines[-1] if lines else f"exit status {done.returncode}")
    kept = _read_kept(folder, key, voice)
    if kept is None:  # the child said it wrote it: a full disk, a cleaner racing us
        return _in_process(voice, folder, key)
    return kept


def _in_process(voice: Path, folder: Path, key: str) -> tuple[Path, list[NoiseInput]]:
    try:
        return write_kept(voice, folder, key)
    except OSError:
        graph, inputs = seedable(voice)
        if not inputs:
            return voice, []
        # No writable cache: a private temporary copy the session opens by path.
        import tempfile

        handle, name = tempfile.mkstemp(suffix=".onnx")
        with os.fdopen(handle, "wb") as f:
            f.write(graph)
        return Path(name), inputs


def _read_kept(folder: Path, key: str, voice: Path) -> tuple[Path, list[NoiseInput]] | None:
    info = folder / f"{key}.json"
    try:
        record = json.loads(info.read_text(encoding="utf-8"))
        inputs = [NoiseInput(**i) for i in record["inputs"]]
        if not record["rewritten"]:
            return voice, []
        model = folder / f"{key}.onnx"
        if model.stat().st_size != int(record["size"]):
            return None  # a torn or truncated copy: made again
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return model, inputs


def write_kept(voice: Path, folder: Path, key: str) -> tuple[Path, list[NoiseInput]]:
    """Rewrite ``voice`` and keep it under ``folder``: the model first, then the record
    that names it, each renamed into place whole (a reader sees both or neither)."""
    from engines.safe_write import write_bytes, write_text

    graph, inputs = seedable(voice)
    rewritten = bool(inputs)
    model = folder / f"{key}.onnx"
    if rewritten:
        write_bytes(model, graph, overwrite=True)
    record = {
        "voice": str(voice),
        "rewritten": rewritten,
        "size": len(graph) if rewritten else 0,
        "inputs": [{"name": i.name, "needed": i.needed, "node": i.node} for i in inputs],
    }
    write_text(folder / f"{key}.json", json.dumps(record, indent=1), overwrite=True)
    return (model if rewritten else voice), inputs


def _main(argv: list[str]) -> int:
    voice, folder, key = Path(argv[0]), Path(argv[1]), argv[2]
    try:
        write_kept(voice, folder, key)
    except Exception as exc:  # the parent says it in one line (piper.not_onnx)
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(first, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
