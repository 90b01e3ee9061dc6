"""Content credentials on sound files (WAV, FLAC, MP3) and on an edited picture: the
one signing function (engines.credentials.sign_stream, behind sign_file and sign_bytes)
writes a manifest the c2pa library reads back and validates; a changed sample breaks it;
an edit names its source photo as its parentOf ingredient; `sozo verify` reports each."""

from __future__ import annotations

import json
from pathlib import Path

import c2pa
import numpy as np
import pytest
import soundfile as sf
from PIL import Image

from engines import credentials
from studio.cli import main

FORMATS = [
    ("wav", "audio/wav", "PCM_16"),
    ("flac", "audio/flac", "PCM_16"),
    ("mp3", "audio/mpeg", "MPEG_LAYER_III"),
]


def _tone(path: Path, subtype: str) -> None:
    t = np.arange(16000) / 16000
    sf.write(path, 0.3 * np.sin(2 * np.pi * 440 * t), 16000, subtype=subtype)


@pytest.mark.parametrize(("ext", "mime", "subtype"), FORMATS)
def test_signed_audio_validates_and_a_tampered_copy_does_not(
    tmp_path: Path, ext: str, mime: str, subtype: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"tone.{ext}"
    _tone(path, subtype)
    original = path.read_bytes()
    sound = original[len(original) // 2 : len(original) // 2 + 64]
    credentials.sign_file(path, "melody-rnn")
    with path.open("rb") as f:
        store = json.loads(c2pa.Reader(mime, f).json())
    active = store["manifests"][store["active_manifest"]]
    [actions] = [a for a in active["assertions"] if a["label"].startswith("c2pa.actions")]
    action = actions["data"]["actions"][0]
    assert action["action"] == "c2pa.created"
    assert action["digitalSourceType"] == credentials.DIGITAL_SOURCE_TYPE
    found = credentials.read_credentials(path)
    assert found.present and found.valid, found.problems
    assert sf.info(path).frames > 0  # still a sound file its readers open

    assert main(["verify", str(path)]) == 0
    assert "signature valid" in capsys.readouterr().out

    data = bytearray(path.read_bytes())
    at = bytes(data).index(sound)  # a byte of the sound itself, outside the manifest
    data[at + 10] ^= 0x55
    bad = tmp_path / f"bad.{ext}"
    bad.write_bytes(bytes(data))
    tampered = credentials.read_credentials(bad)
    assert tampered.present and not tampered.valid


def test_an_edit_names_its_source_as_ingredient(tmp_path: Path) -> None:
    source = tmp_path / "photo.png"
    Image.new("RGB", (64, 64), (40, 90, 160)).save(source)
    edited = tmp_path / "edited.png"
    Image.new("RGB", (64, 64), (40, 90, 10)).save(edited)
    credentials.sign_file(edited, "sd-inpaint", edited_from=source)
    with edited.open("rb") as f:
        store = json.loads(c2pa.Reader("image/png", f).json())
    active = store["manifests"][store["active_manifest"]]
    [actions] = [a for a in active["assertions"] if a["label"].startswith("c2pa.actions")]
    assert [a["action"] for a in actions["data"]["actions"]] == ["c2pa.opened", "c2pa.edited"]
    [ingredient] = active["ingredients"]
    assert ingredient["title"] == "photo.png" and ingredient["relationship"] == "parentOf"
    found = credentials.read_credentials(edited)
    assert found.valid and found.ingredients == ("photo.png (parentOf)",)
