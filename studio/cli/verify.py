"""``sozo verify FILE``: what a file says about where it came from, one line each: its
recipe, its content credentials and its watermark. Exit 0 when the file could be read."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engines.errors import BadInput

PICTURE_HEADS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\0", b"MM\0*")


def register(sub: Any) -> None:
    verify = sub.add_parser(
        "verify", help="report a file's recipe, content credentials and watermark"
    )
    verify.add_argument("file", type=Path, help="a picture, audio or MIDI file")
    verify.set_defaults(handler=cmd_verify)


def _head(path: Path) -> bytes:
    if path.is_dir():
        raise BadInput(f"{path} is a folder: give a file.")
    try:
        with path.open("rb") as f:
            return f.read(16)
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist.") from None
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from None


def _is_picture(head: bytes) -> bool:
    return head.startswith(PICTURE_HEADS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def recipe_line(path: Path) -> str:
    from engines.imagefile import Recipe
    from engines.recipes import MusicRecipe, read_recipe

    recipe = read_recipe(path)
    if recipe is None:
        return "Recipe: none"
    if isinstance(recipe, Recipe):
        return f"Recipe: picture, seed {recipe.seed}, prompt {recipe.prompt[:60]!r}"
    if isinstance(recipe, MusicRecipe):
        return f"Recipe: melody, seed {recipe.seed}, {recipe.instrument} at {recipe.tempo} BPM"
    return f"Recipe: speech, voice {recipe.voice or 'default'}, {len(recipe.text)} characters"


def credentials_line(path: Path, head: bytes) -> str:
    from engines.credentials import read_credentials, sniff_mime

    mime = sniff_mime(path, head)
    if mime is None:
        return "Content credentials: not checked (not a picture, sound or video file)"
    return f"Content credentials: {read_credentials(path, mime).describe()}"


def watermark_line(path: Path, head: bytes) -> str:
    from engines import watermark

    if head.startswith(b"MThd"):
        return "Watermark: not checked (MIDI files carry none)"
    if not _is_picture(head):
        from engines.audio_watermark import detect_file

        try:
            heard, z = detect_file(path)
        except Exception as exc:  # libsndfile's error for a file it cannot read
            raise BadInput(f"{path.name} cannot be read as audio: {exc}") from None
        said = "Sōzō Studio speech watermark found" if heard else "no Sōzō Studio watermark found"
        return f"Watermark: {said} (correlation z {z:.1f})"
    try:
        found = watermark.detect_file(path)
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path.name} cannot be read as a picture: {exc}") from None
    return f"Watermark: {found.describe()}"


def cmd_verify(args: argparse.Namespace) -> int:
    path: Path = args.file
    head = _head(path)
    if not head:
        raise BadInput(f"{path.name} is empty.")
    lines = [
        recipe_line(path),
        credentials_line(path, head),
        watermark_line(path, head),
    ]
    print("\n".join(lines))
    return 0
