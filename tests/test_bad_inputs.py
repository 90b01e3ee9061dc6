"""Issue 21: every bad input through the CLI is one clear line and loses nothing.

The rows are data, in ``tests/bad_inputs.py`` (over 150 across the four media, imports and
the other commands). Each runs ``studio.cli.main`` in this process (so the whole table
takes seconds), and checks: a non-zero exit, one or two
lines on stderr holding the row's words, no "Traceback", and the row's folder exactly as
it was before (no file under the output name, no temporary file, the old files byte for
byte). A few run as a real ``sozo`` process, to see the real stderr.
"""

from __future__ import annotations

import hashlib
import io
import shlex
import struct
import subprocess
import sys
import wave
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from studio.cli import main
from tests.bad_inputs import ROWS

ROOT = Path(__file__).resolve().parents[1]
OLD = b"an earlier file the user wants to keep\n" * 20


# -- the files the rows name ---------------------------------------------------------------
def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(width: int, height: int, body: bytes = b"\x00\x00\x00\x00") -> bytes:
    """A PNG whose header claims ``width`` x ``height`` (a bomb when that is huge)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(body))
        + _png_chunk(b"IEND", b"")
    )


def _photo(mode: str = "RGB", fmt: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (64, 64), 200 if mode != "RGB" else (200, 40, 40)).save(out, fmt)
    return out.getvalue()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x01" * 800)
    return out.getvalue()


def _midi(notes: list[tuple[int, int, int]], *, channel: int = 0, tracks: int = 1) -> bytes:
    """A MIDI file of ``(pitch, velocity, length in ticks)`` notes, one after another."""
    import mido

    mid = mido.MidiFile(ticks_per_beat=96)
    for _ in range(tracks):
        track = mido.MidiTrack()
        for pitch, velocity, length in notes:
            track.append(mido.Message("note_on", note=pitch, velocity=velocity, channel=channel))
            track.append(mido.Message("note_off", note=pitch, time=length, channel=channel))
        mid.tracks.append(track)
    out = io.BytesIO()
    mid.save(file=out)
    return out.getvalue()


MELODY = [(60 + (i * 5) % 12, 90, 48) for i in range(16)]

FILES: dict[str, Callable[[], bytes]] = {
    "photo.png": _photo,
    "deep.png": lambda: _photo("I;16"),
    "cmyk.jpg": lambda: _photo("CMYK", "JPEG"),
    "corrupt.png": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "truncated.png": lambda: _photo()[:60],
    "empty.png": lambda: b"",
    "text.png": lambda: b"this is a note, not a picture\n",
    "sound.png": _wav,
    "tune.jpg": lambda: _midi(MELODY),
    "bomb.png": lambda: _png(100_000, 100_000),
    "wide-bomb.png": lambda: _png(2**31 - 1, 1),
    "corrupt.safetensors": lambda: b"\xff" * 64,
    "a.mid": lambda: _midi(MELODY),
    "b.mid": lambda: _midi(MELODY[::-1]),
    "garbage.mid": lambda: b"\x00\x01garbage",
    "empty.mid": lambda: b"",
    "truncated.mid": lambda: _midi(MELODY)[:30],
    "header-only.mid": lambda: b"MThd" + struct.pack(">IHHH", 6, 1, 0, 96),
    "silent.mid": lambda: _midi([]),
    "drums.mid": lambda: _midi(MELODY, channel=9),
    "picture.mid": _photo,
    "muted.mid": lambda: _midi([(60, 0, 48)] * 8),
    "many-tracks.mid": lambda: b"MThd" + struct.pack(">IHHH", 6, 1, 65535, 96),
    "hours.mid": lambda: _midi([(60, 90, 2**27), (64, 90, 2**27)]),
    "binary.txt": lambda: b"\xff\xfe\x00\xd8bad",
    "garbage.gguf": lambda: b"GGUF" + b"\xff" * 60,
    "empty.gguf": lambda: b"",
    "picture.gguf": _photo,
    "v9.gguf": lambda: b"GGUF" + struct.pack("<IQQ", 9, 0, 0),
    "many-tensors.gguf": lambda: b"GGUF" + struct.pack("<IQQ", 3, 2**40, 0) + bytes(64),
    "huge-string.gguf": lambda: (
        b"GGUF" + struct.pack("<IQQQ", 3, 0, 1, 1) + b"a" + struct.pack("<IQ", 8, 2**62)
    ),
    "encoder.gguf": lambda: (
        b"GGUF"
        + struct.pack("<IQQQ", 3, 0, 1, 20)
        + b"general.architecture"
        + struct.pack("<IQ", 8, 4)
        + b"bert"
    ),
    "lonely.onnx": lambda: b"\x08\x07" + b"\x00" * 30,
    "garbage.onnx": lambda: b"\x00garbage",
    "garbage.onnx.json": lambda: b'{"audio": {"sample_rate": 16000}}',
    "bad-config.onnx": lambda: b"\x08\x07" + b"\x00" * 30,
    "bad-config.onnx.json": lambda: b"{not json",
    "words.txt": lambda: b"Hello from a file.",
}
OLD_NAMES = ("OLD.png", "OLD.wav", "OLD.mid")
FOLDERS = ("folder.png", "folder.wav")


def _prepare(folder: Path, command: str) -> list[str]:
    """The row's command as arguments, with its files made in ``folder``."""
    for name, make in FILES.items():
        # A voice's .onnx.json comes with its .onnx.
        if f"@{name}" in command or f"@{name.removesuffix('.json')} " in f"{command} ":
            (folder / name).write_bytes(make())
    for name in OLD_NAMES:
        if f"@{name}" in command:
            (folder / name).write_bytes(OLD)
    for name in FOLDERS:
        if f"@{name}" in command:
            (folder / name).mkdir()
    args = []
    for word in shlex.split(command):
        word = word.replace("@DIR", str(folder)).replace("@", str(folder) + "/")
        if word.startswith("OUT"):
            word = str(folder / word)
        args.append(word)
    return args


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "folder"
        for p in sorted(folder.rglob("*"))
        if p.is_file() or p.is_dir()
    }


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _failure(folder: Path, command: str, words: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What is wrong with the row's run ("" when it failed as it should)."""
    folder.mkdir(parents=True)
    args = _prepare(folder, command)
    before = _snapshot(folder)
    code, err = _run(args, capsys)
    lines = err.strip().splitlines()
    shown_words = words.replace("DIR", str(folder))
    if code == 0:
        return f"exit status 0: {err!r}"
    if "Traceback" in err or not 1 <= len(lines) <= 2:
        return f"not one or two lines: {err!r}"
    if shown_words.lower() not in err.lower():
        return f"no {shown_words!r} in {err!r}"
    if _snapshot(folder) != before:
        return f"the folder changed: {sorted(_snapshot(folder))} (was {sorted(before)})"
    return ""


# One test per medium, not per row: the suite's per-test teardown (a full garbage
# collection with torch loaded) would otherwise cost more than all the rows themselves.
GROUPS = sorted({r[0].split()[0] for r in ROWS})


@pytest.mark.parametrize("group", GROUPS)
def test_a_bad_input_is_one_line_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], group: str
) -> None:
    rows = [r for r in ROWS if r[0].split()[0] == group]
    failures = []
    for n, (name, command, words) in enumerate(rows):
        why = _failure(tmp_path / f"row{n}" / "DIR", command, words, capsys)
        if why:
            failures.append(f"{name}: {why}")
    assert rows and failures == [], "\n".join(failures)


def test_the_table_is_large_and_covers_every_command() -> None:
    assert len(ROWS) >= 100
    assert len({r[0] for r in ROWS}) == len(ROWS)
    commands = {shlex.split(r[1])[0 if not r[1].startswith("--") else 2] for r in ROWS}
    assert {"image", "music", "text", "speech", "screenshot", "serve", "models"} <= commands


def test_every_number_option_has_a_rule() -> None:
    """A number option added without a range in studio/cli/numbers.py fails here."""
    import argparse

    from studio.cli import build_parser
    from studio.cli.numbers import GLOBAL_RULES, RULES

    parser = build_parser()
    unchecked = [
        f"--{a.dest}"
        for a in parser._actions
        if a.type in (int, float) and a.dest not in GLOBAL_RULES
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.type in (int, float) and action.dest not in RULES.get(name, {}):
                unchecked.append(f"{name} --{action.dest}")
    assert unchecked == []


# -- a real process: what a person sees on stderr ------------------------------------------
SUBPROCESS_ROWS = [
    ("--threads 99999999999 device", "--threads 99999999999 is out of range"),
    ("music --bars 2 -o OUT.wav --seed -5", "--seed -5 is out of range"),
    ("music --bars 2 -o OUT.wav --continue @garbage.mid", "garbage.mid"),
]


@pytest.mark.parametrize(("command", "words"), SUBPROCESS_ROWS, ids=[r[0] for r in SUBPROCESS_ROWS])
def test_a_real_process_shows_one_line(tmp_path: Path, command: str, words: str) -> None:
    folder = tmp_path / "DIR"
    folder.mkdir()
    args = _prepare(folder, command)
    before = _snapshot(folder)
    code = "import sys; from studio.cli import main; sys.exit(main())"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and len(lines) == 1, done.stderr
    assert words in lines[0]
    assert _snapshot(folder) == before
