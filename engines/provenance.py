"""The one way every file the studio writes gets its content credentials.

Every writer (PNG pictures, sound files, walk videos and GIFs, batch outputs, the local
server's files) calls :func:`sign_output` on what it is about to put under its final
name, so a file under that name is either signed whole or, where signing is off, not
signed at all. Kinds of file C2PA has no binding for here (MIDI, OGG, Opus, the PNG strip
of a walk is a PNG and is signed) are written as they are: :func:`signable` tells which.

Batch outputs: the C2PA claim's assertion hashes are salted with fresh random bytes
(C2PA 2.1 section 8.3: a salt must be random) and ECDSA signatures are randomised, so two
signings of the same content never give the same bytes. A batch's content is therefore
made the same, byte for byte, wherever it is computed (the renderers never sign), and
the batch's driver signs each output as it writes it, with the user's key, which never
leaves the machine; :func:`unsigned_content` gives the content back from a signed file,
which is what a local and a Ray run are compared on.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from engines import credentials

# What sniff_mime knows and the c2pa library embeds into.
SIGNABLE = frozenset(credentials.MIME_TYPES.values())


def mime_of(data: bytes, name: str | os.PathLike[str]) -> str | None:
    mime = credentials.sniff_mime(Path(name), data[:16])
    return mime if mime in SIGNABLE else None


def signable(name: str | os.PathLike[str], head: bytes = b"") -> bool:
    """Whether a file of this name (and first bytes) can carry content credentials."""
    return mime_of(head, name) is not None


def sign_output(
    data: bytes,
    name: str | os.PathLike[str],
    model: str | None,
    *,
    edited_from: Path | None = None,
) -> bytes:
    """``data``, the whole file to be written as ``name``, with its signed manifest
    (``c2pa.created``, or ``c2pa.edited`` naming ``edited_from`` as its parentOf
    ingredient); unchanged when it is a kind of file that cannot carry one."""
    mime = mime_of(data, name)
    if mime is None:
        return data
    return credentials.sign_bytes(data, mime, model or None, edited_from=edited_from)


def sign_output_file(
    path: Path,
    model: str | None,
    *,
    name: str | os.PathLike[str] | None = None,
    edited_from: Path | None = None,
) -> None:
    """Sign a finished file in place before it is renamed to ``name`` (its own name by
    default): written to a file beside it and renamed, so it is never half signed."""
    with path.open("rb") as f:
        head = f.read(16)
    mime = mime_of(head, name or path)
    if mime is None:
        return
    credentials.sign_file(path, model or None, mime=mime, edited_from=edited_from)


# -- the content of a signed file, without its manifest ---------------------------------


def unsigned_content(data: bytes) -> bytes:
    """``data`` without the C2PA manifest the c2pa library embedded (PNG's ``caBX``
    chunk, WAV's ``C2PA`` RIFF chunk): the bytes the file had before it was signed.
    Other files are returned as they are."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png_without_manifest(data)
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return _wav_without_manifest(data)
    return data


def _png_without_manifest(data: bytes) -> bytes:
    out = [data[:8]]
    at = 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        end = at + 12 + length
        if data[at + 4 : at + 8] != b"caBX":
            out.append(data[at:end])
        at = end
    return b"".join(out)


def _wav_without_manifest(data: bytes) -> bytes:
    out = []
    at = 12
    while at + 8 <= len(data):
        kind = data[at : at + 4]
        (length,) = struct.unpack("<I", data[at + 4 : at + 8])
        end = at + 8 + length + (length & 1)
        if kind != b"C2PA":
            out.append(data[at:end])
        at = end
    body = b"".join(out)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body
