"""``sozo verify FILE``: what a file says about where it came from, one line each: its
recipe, its content credentials and its watermark. Exit 0 when the file could be read."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engines.errors import BadInput
from studio.cli.i18n import say, translate

PICTURE_HEADS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\0", b"MM\0*")


def register(sub: Any) -> None:
    verify = sub.add_parser(
        "verify", help="report a file's recipe, content credentials and watermark"
    )
    verify.add_argument("file", type=Path, help="a picture, audio or MIDI file")
    verify.set_defaults(handler=cmd_verify)


def _head(path: Path) -> bytes:
    if path.is_dir():
        raise BadInput(translate("Cli", "{path} is a folder: give a file.").format(path=path))
    try:
        with path.open("rb") as f:
            return f.read(16)
    except FileNotFoundError:
        raise BadInput(translate("Cli", "{path} does not exist.").format(path=path)) from None
    except OSError as exc:
        raise BadInput(
            translate("Cli", "{path} cannot be read: {reason}.").format(
                path=path, reason=exc.strerror or exc
            )
        ) from None


def _is_picture(head: bytes) -> bool:
    return head.startswith(PICTURE_HEADS) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def recipe_line(path: Path) -> str:
    from engines.imagefile import Recipe
    from engines.recipes import MusicRecipe, read_recipe

    recipe = read_recipe(path)
    if recipe is None:
        return translate("Cli", "Recipe: none")
    if isinstance(recipe, Recipe):
        return translate("Cli", "Recipe: picture, seed {seed}, prompt {prompt}").format(
            seed=recipe.seed, prompt=repr(recipe.prompt[:60])
        )
    if isinstance(recipe, MusicRecipe):
        line = translate("Cli", "Recipe: melody, seed {seed}, {instrument} at {tempo} BPM")
        return line.format(seed=recipe.seed, instrument=recipe.instrument, tempo=recipe.tempo)
    voice = recipe.voice or translate("Cli", "default")
    line = translate("Cli", "Recipe: speech, voice {voice}, {count} characters")
    return line.format(voice=voice, count=len(recipe.text))


def credentials_line(path: Path, head: bytes) -> str:
    from engines.credentials import read_credentials, sniff_mime

    mime = sniff_mime(path, head)
    if mime is None:
        return translate(
            "Cli", "Content credentials: not checked (not a picture, sound or video file)"
        )
    said = say(read_credentials(path, mime).describe())
    return translate("Cli", "Content credentials: {said}").format(said=said)


def watermark_line(path: Path, head: bytes) -> str:
    from engines import watermark

    if head.startswith(b"MThd"):
        return translate("Cli", "Watermark: not checked (MIDI files carry none)")
    if not _is_picture(head):
        from engines.audio_watermark import detect_file

        try:
            heard, z = detect_file(path)
        except Exception as exc:  # libsndfile's error for a file it cannot read
            raise BadInput(
                translate("Cli", "{name} cannot be read as audio: {reason}").format(
                    name=path.name, reason=exc
                )
            ) from None
        said = (
            translate("Cli", "Sōzō Studio speech watermark found")
            if heard
            else translate("Cli", "no Sōzō Studio watermark found")
        )
        line = translate("Cli", "Watermark: {said} (correlation z {z})")
        return line.format(said=said, z=f"{z:.1f}")
    try:
        found = watermark.detect_file(path)
    except (OSError, ValueError) as exc:
        raise BadInput(
            translate("Cli", "{name} cannot be read as a picture: {reason}").format(
                name=path.name, reason=exc
            )
        ) from None
    return translate("Cli", "Watermark: {said}").format(said=say(found.describe()))


def cmd_verify(args: argparse.Namespace) -> int:
    path: Path = args.file
    head = _head(path)
    if not head:
        raise BadInput(translate("Cli", "{name} is empty.").format(name=path.name))
    lines = [
        recipe_line(path),
        credentials_line(path, head),
        watermark_line(path, head),
    ]
    print("\n".join(lines))
    return 0
