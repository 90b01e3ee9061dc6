"""Issue 21: output paths through the CLI, one line each, and no file lost or left half.

The table is data: a new case is one line. Each row is (command, where -o points,
what stderr must say); ``OUT`` in the command is replaced by the output path the
place makes. Every failing row checks: a non-zero exit, at most two lines on stderr, no
"Traceback", no file left under the final name (or the old one kept byte for byte),
and no temporary file left beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.disks import is_root, leftovers, tmpfs

ROOT = Path(__file__).resolve().parents[1]
OLD = b"an earlier file the user wants to keep\n" * 50

IMAGE = ("image", "heart", "--steps", "2", "-o", "OUT")
MUSIC = ("music", "--bars", "2", "-o", "OUT")
MIDI = ("music", "--bars", "2", "-o", "DIR/melody.wav", "--midi", "OUT")
SPEECH = ("speech", "Hello there, this sentence is long enough to fill a small disk.", "-o", "OUT")


@dataclass
class Place:
    """Where ``-o`` points, and what was there before the run."""

    out: Path
    before: bytes | None = None  # the old file's bytes, to be kept unless replaced


def _folder(tmp: Path, name: str) -> Iterator[Place]:
    (tmp / name).mkdir()
    yield Place(tmp / name)


def _missing_parent(tmp: Path, name: str) -> Iterator[Place]:
    yield Place(tmp / "no-such-folder" / name)


def _existing(tmp: Path, name: str) -> Iterator[Place]:
    (tmp / name).write_bytes(OLD)
    yield Place(tmp / name, OLD)


def _read_only(tmp: Path, name: str) -> Iterator[Place]:
    if is_root():  # root writes through chmod: a read-only mount is read-only for all
        with tmpfs(tmp / "ro", 16, read_only=True) as folder:
            yield Place(folder / name)
        return
    folder = tmp / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        yield Place(folder / name)
    finally:
        folder.chmod(0o755)


def _file_as_folder(tmp: Path, name: str) -> Iterator[Place]:
    (tmp / "a-file").write_bytes(OLD)
    yield Place(tmp / "a-file" / name)


def _long_name(tmp: Path, name: str) -> Iterator[Place]:
    yield Place(tmp / ("x" * 300 + Path(name).suffix))


def _full_disk_new(tmp: Path, name: str) -> Iterator[Place]:
    with tmpfs(tmp / "disk", 24) as disk:
        yield Place(disk / name)


def _full_disk_existing(tmp: Path, name: str) -> Iterator[Place]:
    with tmpfs(tmp / "disk", 24) as disk:
        (disk / name).write_bytes(OLD)
        yield Place(disk / name, OLD)


PLACES: dict[str, Callable[[Path, str], Iterator[Place]]] = {
    "folder": _folder,
    "missing parent": _missing_parent,
    "existing": _existing,
    "read-only": _read_only,
    "file as folder": _file_as_folder,
    "long name": _long_name,
    "full disk": _full_disk_new,
    "full disk, existing": _full_disk_existing,
}

READ_ONLY_WORDS = "read-only file system" if is_root() else "permission denied"

# (command, output name, place, extra options, words stderr must hold)
FAILURES: list[tuple[tuple[str, ...], str, str, tuple[str, ...], str]] = [
    (IMAGE, "pic.png", "folder", (), "it is a folder"),
    (IMAGE, "pic.png", "missing parent", (), "no-such-folder does not exist"),
    (IMAGE, "pic.png", "existing", (), "exists already: add --overwrite"),
    (IMAGE, "pic.png", "read-only", (), READ_ONLY_WORDS),
    (IMAGE, "pic.png", "file as folder", (), "is a file, not a folder"),
    (IMAGE, "pic.png", "long name", (), "the name is too long"),
    (IMAGE, "pic.png", "full disk", (), "the disk is full"),
    (IMAGE, "pic.png", "full disk, existing", ("--overwrite",), "the disk is full"),
    (MUSIC, "tune.wav", "folder", (), "it is a folder"),
    (MUSIC, "tune.wav", "missing parent", (), "no-such-folder does not exist"),
    (MUSIC, "tune.flac", "existing", (), "exists already: add --overwrite"),
    (MUSIC, "tune.wav", "read-only", (), READ_ONLY_WORDS),
    (MUSIC, "tune.ogg", "long name", (), "the name is too long"),
    (MUSIC, "tune.wav", "full disk", (), "the disk is full"),
    (MUSIC, "tune.wav", "full disk, existing", ("--overwrite",), "the disk is full"),
    (MIDI, "tune.mid", "folder", (), "it is a folder"),
    (MIDI, "tune.mid", "existing", (), "exists already: add --overwrite"),
    (MIDI, "tune.mid", "missing parent", (), "does not exist"),
    (SPEECH, "hello.wav", "folder", (), "it is a folder"),
    (SPEECH, "hello.wav", "missing parent", (), "no-such-folder does not exist"),
    (SPEECH, "hello.flac", "existing", (), "exists already: add --overwrite"),
    (SPEECH, "hello.wav", "read-only", (), READ_ONLY_WORDS),
    (SPEECH, "hello.mp3", "file as folder", (), "is a file, not a folder"),
    (SPEECH, "hello.wav", "long name", (), "the name is too long"),
    (SPEECH, "hello.wav", "full disk", (), "the disk is full"),
    (SPEECH, "hello.wav", "full disk, existing", ("--overwrite",), "the disk is full"),
]

# (command, output name): with --overwrite an existing file is replaced by a whole new one.
REPLACED: list[tuple[tuple[str, ...], str]] = [
    (IMAGE, "pic.png"),
    (MUSIC, "tune.wav"),
    (SPEECH, "hello.flac"),
]


def sozo(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """This worktree's ``sozo`` (the console script runs the installed checkout)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    code = "import sys; from studio.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


def _command(template: tuple[str, ...], place: Place, tmp: Path) -> list[str]:
    return [a.replace("OUT", str(place.out)).replace("DIR", str(tmp)) for a in template]


@pytest.mark.parametrize(
    ("command", "name", "place", "extra", "words"),
    FAILURES,
    ids=[f"{c[0]}{'-midi' if '--midi' in c else ''}: {p}" for c, _, p, _, _ in FAILURES],
)
def test_a_bad_output_path_is_one_line_and_loses_nothing(
    tmp_path: Path,
    command: tuple[str, ...],
    name: str,
    place: str,
    extra: tuple[str, ...],
    words: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for where in PLACES[place](work, name):
        done = sozo([*_command(command, where, work), *extra], tmp_path)
        lines = done.stderr.strip().splitlines()
        assert done.returncode != 0, done.stdout
        assert "Traceback" not in done.stderr, done.stderr
        assert 1 <= len(lines) <= 2, done.stderr
        assert words in done.stderr, done.stderr
        out = where.out
        if where.before is not None:
            assert out.read_bytes() == where.before  # the old file, byte for byte
        elif place != "folder":
            assert not os.path.lexists(out)  # (False too for a name too long to exist)
        if out.parent.is_dir():
            assert leftovers(out.parent) == []


@pytest.mark.integration
@pytest.mark.parametrize(("command", "name"), REPLACED, ids=[c[0] for c, _ in REPLACED])
def test_overwrite_replaces_an_existing_file_whole(
    tmp_path: Path, command: tuple[str, ...], name: str
) -> None:
    for where in _existing(tmp_path, name):
        done = sozo([*_command(command, where, tmp_path), "--overwrite"], tmp_path)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        data = where.out.read_bytes()
        assert data != OLD and len(data) > 1000
        assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["image", "music", "speech", "screenshot"])
def test_help_states_the_overwrite_rule(command: str) -> None:
    done = sozo([command, "--help"], ROOT)
    text = " ".join(done.stdout.split())
    assert "--overwrite" in text
    assert "An existing output file is refused (and kept as it is) unless --overwrite" in text
