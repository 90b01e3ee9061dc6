"""The ``sozo`` command: version, models, screenshot, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from engines import __version__

SOZO = str(Path(sys.executable).with_name("sozo"))


def sozo(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # screenshot must need no display by itself
    env.pop("DISPLAY", None)
    return subprocess.run([SOZO, *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_version() -> None:
    done = sozo("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"Sōzō Studio {__version__}"


def test_models_lists_the_catalogue_with_availability_and_licence() -> None:
    done = sozo("models")
    assert done.returncode == 0, done.stderr
    assert "smollm2-135m-instruct" in done.stdout
    assert "Apache-2.0" in done.stdout and "MIT" in done.stdout
    rows = json.loads(sozo("models", "--json").stdout)
    by_id = {r["id"]: r for r in rows}
    assert by_id["piper-en-us-joe-medium"]["available"] is True
    assert by_id["piper-en-us-joe-medium"]["licence"] == "MIT"
    speech = json.loads(sozo("models", "--task", "speech", "--json").stdout)
    assert {r["task"] for r in speech} == {"speech"}


@pytest.mark.gui
def test_screenshot_renders_the_window_offscreen(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    done = sozo("screenshot", str(out), "--panel", "music", "--size", "1024x700")
    assert done.returncode == 0, done.stderr
    with Image.open(out) as image:
        assert image.size == (1024, 700)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 20  # a real rendering, not a blank


def test_errors_are_one_readable_line_and_a_nonzero_exit(tmp_path: Path) -> None:
    cases = [
        (("screenshot", str(tmp_path / "x.png"), "--size", "big"), "--size must look like"),
        (("screenshot", str(tmp_path / "x.jpg")), "ending in .png"),
        (("screenshot", str(tmp_path / "no" / "x.png")), "does not exist"),
        (("frobnicate",), "invalid choice"),
        (("--device", "tpu", "models"), "invalid choice"),
    ]
    for args, words in cases:
        done = sozo(*args)
        assert done.returncode != 0, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, done.stderr
        assert words in lines[0]
        assert "Traceback" not in done.stderr


def test_bad_models_options_and_inputs_are_one_line_each(tmp_path: Path) -> None:
    """Issue 18's table: a model the catalogue lists but a command cannot run, an unknown
    id, bad option values and unreadable inputs: non-zero exit, one line, no traceback."""
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"not a picture at all")
    missing = str(tmp_path / "missing.mid")
    out = str(tmp_path / "out.png")
    cases = [
        ("image", "x", "--model", "emoji-upscaler", "-o", out),
        ("image", "x", "--model", "no-such-model", "-o", out),
        ("image", "x", "--steps", "many", "-o", out),
        ("image", "x", "--init", str(junk), "-o", out),
        ("text", "hi", "--model", "emoji-vae"),
        ("text", "hi", "--model", "no-such-model"),
        ("text", "hi", "--steer", "formal"),
        ("text",),
        ("music", "-o", str(tmp_path / "t.wav"), "--continue", missing),
        ("music", "-o", str(tmp_path / "t.wav"), "--model", "no-such-model"),
        ("speech", "hello", "-o", str(tmp_path / "s.wav"), "--voice", "no-such-voice"),
        ("models", "--task", "video"),
    ]
    for args in cases:
        done = sozo(*args)
        assert done.returncode != 0, args
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1, (args, done.stderr)
        assert "Traceback" not in done.stderr, args


def test_listing_steering_needs_no_prompt() -> None:
    done = sozo("text", "--list-steering")
    assert done.returncode == 0, done.stderr
    assert "formal" in done.stdout and "positive" in done.stdout


def test_steering_strengths_are_the_calibrated_range() -> None:
    """--list-steering shows each vector's range on the model; --steer outside it is one
    line naming the range, before any model loads; another model has the default one."""
    from engines.text import llm

    ranges = {d.name: d.range_for(None) for d in llm.steering_definitions()}
    listed = sozo("text", "--list-steering")
    for name, allowed in ranges.items():
        line = next(x for x in listed.stdout.splitlines() if x.startswith(name + " "))
        assert line.endswith(allowed.describe()), line
        assert "(calibrated)" in line
    formal = ranges["formal"]
    for strength in (formal.high + 0.05, formal.low - 0.05, 3.0):
        done = sozo("text", "hi", "--steer", f"formal={strength}")
        assert done.returncode != 0
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and formal.describe() in lines[0], done.stderr
        assert "Loading" not in done.stderr and "Traceback" not in done.stderr
    other = sozo("text", "--list-steering", "--model", "some/folder/model.gguf")
    assert "not calibrated" in other.stdout
