"""Content credentials (engines.credentials): the user's key is made once with 0600
permissions; a signed picture's C2PA manifest reads back with the c2pa library, names
the generator, the model, c2pa.created and trainedAlgorithmicMedia, and validates; a
tampered copy does not; the recipe and the watermark survive signing."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import c2pa
import pytest
from PIL import Image

from engines import credentials, watermark
from engines.imagefile import Recipe, load_image, save_result
from studio.cli import main
from tests.watermark_images import textured


def test_the_key_is_made_once_and_private() -> None:
    files = credentials.ensure_key()
    assert stat.S_IMODE(files.key.stat().st_mode) == 0o600
    first = credentials.fingerprint()
    assert credentials.fingerprint() == first and len(first.split(":")) == 32
    assert credentials.ensure_key().key.read_bytes() == files.key.read_bytes()


def test_a_signed_picture_validates_and_keeps_recipe_and_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recipe = Recipe(prompt="a lantern", seed=3, model="emoji-ldm")
    picture = Image.fromarray(textured(2, 256))
    path = save_result(picture, tmp_path, recipe, watermark=True, sign=True)
    with path.open("rb") as f:
        store = json.loads(c2pa.Reader("image/png", f).json())
    active = store["manifests"][store["active_manifest"]]
    assert active["claim_generator_info"][0]["name"] == "Sōzō Studio"
    [actions] = [a for a in active["assertions"] if a["label"].startswith("c2pa.actions")]
    [action] = actions["data"]["actions"]
    assert action["action"] == "c2pa.created"
    assert action["digitalSourceType"] == credentials.DIGITAL_SOURCE_TYPE
    assert action["parameters"]["model"] == "emoji-ldm"
    read = credentials.read_credentials(path)
    assert read.present and read.valid, read
    assert load_image(path).recipe == recipe
    assert watermark.detect_file(path).found
    assert main(["verify", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("Content credentials: C2PA manifest by Sōzō Studio")
    assert "signature valid" in lines[1]


def test_a_tampered_picture_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = save_result(
        Image.fromarray(textured(1, 200)), tmp_path, Recipe(prompt="x", seed=1), sign=True
    )
    # One pixel changed, its PNG rewritten whole with the signed file's other chunks
    # (the manifest among them): a valid PNG whose pixels are not the signed ones.
    with Image.open(path) as im:
        pixels = im.convert("RGB")
    pixels.putpixel((5, 5), (0, 255, 0))
    other = tmp_path / "other.png"
    pixels.save(other)
    idat = b"".join(c for c in _chunks(other.read_bytes()) if c[4:8] == b"IDAT")
    signed = _chunks(path.read_bytes())
    first = next(i for i, c in enumerate(signed) if c[4:8] == b"IDAT")
    rest = [c for c in signed if c[4:8] != b"IDAT"]
    tampered = tmp_path / "tampered.png"
    tampered.write_bytes(
        b"\x89PNG\r\n\x1a\n" + b"".join(rest[:first]) + idat + b"".join(rest[first:])
    )
    read = credentials.read_credentials(tampered)
    assert read.present and not read.valid and read.problems
    assert main(["verify", str(tampered)]) == 0  # the file was read: it says what it found
    assert "does not validate" in capsys.readouterr().out.splitlines()[1]


def test_an_unsigned_picture_has_none(tmp_path: Path) -> None:
    path = save_result(Image.new("RGB", (32, 32)), tmp_path, Recipe(prompt="x", seed=1))
    assert not credentials.read_credentials(path).present


def _chunks(png: bytes) -> list[bytes]:
    """A PNG's chunks, each whole (length, type, data, CRC)."""
    out, pos = [], 8
    while pos < len(png):
        n = int.from_bytes(png[pos : pos + 4], "big")
        out.append(png[pos : pos + 12 + n])
        pos += 12 + n
    return out
