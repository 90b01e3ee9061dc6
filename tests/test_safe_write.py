"""The one safe writer (``engines.safe_write``): whole files or nothing, old files intact."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engines import audio, safe_write
from engines.errors import BadInput
from engines.safe_write import OutputExists, check_output, safe_open, safe_path, write_bytes
from tests.disks import is_root, leftovers, tmpfs

OLD = b"the user's old file \x00\x01\x02" * 100


def _old_file(path: Path) -> Path:
    path.write_bytes(OLD)
    return path


def test_a_new_file_appears_whole_and_nothing_else_is_left(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    with safe_open(out) as f:
        f.write(b"abc")
        assert not out.exists()  # nothing under the final name until the block ends
        assert len(leftovers(tmp_path)) == 2  # the temporary file and the lock
    assert out.read_bytes() == b"abc"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failure", [RuntimeError("encoder broke"), KeyboardInterrupt()])
def test_a_failure_mid_write_keeps_the_old_file_byte_for_byte(
    tmp_path: Path, failure: BaseException
) -> None:
    out = _old_file(tmp_path / "out.png")
    with pytest.raises(type(failure)), safe_open(out, overwrite=True) as f:
        f.write(b"half a new file")
        raise failure
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_full_disk_at_fsync_is_one_line_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where no small disk can be mounted: file systems that allocate late (NFS, XFS
    # with quotas) report ENOSPC at fsync, after every write() succeeded.
    out = _old_file(tmp_path / "out.wav")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write.os, "fsync", full)
    with pytest.raises(BadInput) as caught:
        write_bytes(out, b"new" * 1000, overwrite=True)
    message = str(caught.value)
    assert message == f"Cannot write {out}: the disk is full (no space left on {tmp_path})."
    assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_a_real_full_disk_keeps_the_old_file_for_bytes_and_for_every_audio_format(
    tmp_path: Path,
) -> None:
    with tmpfs(tmp_path / "disk", 64) as disk:
        out = _old_file(disk / "out.bin")
        with pytest.raises(BadInput, match="the disk is full"):
            write_bytes(out, bytes(200_000), overwrite=True)
        assert out.read_bytes() == OLD
        noise = (np.random.default_rng(0).standard_normal(200_000) * 0.3).astype(np.float32)
        for suffix in (".wav", ".flac", ".ogg", ".mp3"):
            target = _old_file(disk / f"old{suffix}")
            # libsndfile alone says "System error."; the writer names the cause.
            with pytest.raises(BadInput, match="the disk is full"):
                audio.write(target, noise, 16000, {"title": "Sōzō"})
            assert target.read_bytes() == OLD, suffix
        assert leftovers(disk) == []


def test_a_streamed_audio_file_that_fills_the_disk_is_not_kept(tmp_path: Path) -> None:
    """Speech keeps the sentences made so far when a job is cancelled, but never a file
    whose writing failed: that one is cut short and its header lies."""
    with tmpfs(tmp_path / "disk", 64) as disk:
        out = _old_file(disk / "speech.wav")
        chunk = np.full(20_000, 0.1, dtype=np.float32)
        with (
            pytest.raises(BadInput, match="the disk is full"),
            audio.AudioWriter(out, 16000, keep_partial=True) as writer,
        ):
            for _ in range(20):
                writer.write(chunk)
        assert not writer.committed
        assert out.read_bytes() == OLD
        assert leftovers(disk) == []


def test_without_overwrite_an_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    out = _old_file(tmp_path / "out.png")
    with pytest.raises(OutputExists, match="exists already: add --overwrite"):
        write_bytes(out, b"new")
    assert out.read_bytes() == OLD
    with pytest.raises(FileExistsError):  # code that picks names catches it as such
        check_output(out, overwrite=False)
    write_bytes(out, b"new", overwrite=True)
    assert out.read_bytes() == b"new"


def test_a_file_that_appears_while_writing_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    with pytest.raises(OutputExists), safe_open(out) as f:
        f.write(b"ours")
        out.write_bytes(b"theirs")  # another program took the name meanwhile
    assert out.read_bytes() == b"theirs"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("overwrite", [False, True])
def test_two_writers_on_one_path_one_wins_whole_the_other_is_told(
    tmp_path: Path, overwrite: bool
) -> None:
    out = tmp_path / "out.wav"
    with safe_open(out, overwrite=overwrite) as first:
        first.write(b"first, whole")
        with (
            pytest.raises(BadInput, match="another process is writing it"),
            safe_open(out, overwrite=True) as second,
        ):
            second.write(b"second")
    assert out.read_bytes() == b"first, whole"
    assert leftovers(tmp_path) == []


def test_the_lock_is_free_again_after_a_failed_write(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    with pytest.raises(RuntimeError), safe_path(out):
        raise RuntimeError("boom")
    write_bytes(out, b"ok")
    assert out.read_bytes() == b"ok"


def test_a_read_only_folder_is_one_line_naming_the_path(tmp_path: Path) -> None:
    if is_root():
        with tmpfs(tmp_path / "ro", 16, read_only=True) as folder:
            out = folder / "x.png"
            with pytest.raises(BadInput) as caught:
                write_bytes(out, b"x")
            assert (
                str(caught.value) == f"Cannot write {out}: {folder} is on a read-only file system."
            )
            with pytest.raises(BadInput, match="read-only file system"):
                check_output(out, overwrite=False)
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        out = folder / "x.png"
        with pytest.raises(BadInput, match="permission denied") as caught:
            write_bytes(out, b"x")
        assert str(out) in str(caught.value)
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d, "it is a folder"),
        (lambda d: d / "missing" / "x.png", "the folder"),
        (lambda d: d / ("n" * 300 + ".png"), "the name is too long"),
        (lambda d: _old_file(d / "file") / "x.png", "is a file, not a folder"),
        (lambda d: Path("/proc/sozo-x.png"), "does not take new files"),
    ],
)
def test_refused_paths_are_one_line(tmp_path: Path, make: object, words: str) -> None:
    out = make(tmp_path)  # type: ignore[operator]
    messages = []
    for attempt in (
        lambda: write_bytes(out, b"x"),
        lambda: check_output(out, overwrite=True),
    ):
        try:
            attempt()
        except BadInput as exc:
            messages.append(str(exc))
    # /proc takes any name for check_output's questions: only the write itself fails.
    assert messages and all("\n" not in m for m in messages)
    assert words in messages[0], messages
    assert leftovers(out.parent if out.parent.is_dir() else tmp_path) == []


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "permission denied"),
        (errno.EISDIR, "it is a folder"),
        (errno.ENAMETOOLONG, "the name is too long"),
        (errno.ENOENT, "does not exist"),
        (errno.EINVAL, "refuses the name"),
    ],
)
def test_os_errors_read_as_one_line_naming_the_path(code: int, words: str) -> None:
    path = Path("/nowhere/at/all/out.png")
    message = safe_write.os_error_message(OSError(code, os.strerror(code)), path)
    assert words in message and "\n" not in message
    assert path.name[:10] in message


HOLDER = """
import sys
from engines.safe_write import safe_open
with safe_open(sys.argv[1], overwrite=True) as f:
    f.write(b"from the other process, half")
    print("writing", flush=True)
    sys.stdin.readline()  # hold the file open until the test says
    f.write(b", then whole")
"""


def _holder(out: Path) -> subprocess.Popen[str]:
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(root)),
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    return proc


def test_a_second_process_on_the_same_path_is_told_and_the_first_wins_whole(
    tmp_path: Path,
) -> None:
    out = _old_file(tmp_path / "out.wav")
    proc = _holder(out)
    try:
        with pytest.raises(BadInput, match="another process is writing it right now"):
            write_bytes(out, b"ours", overwrite=True)
        assert out.read_bytes() == OLD  # nothing replaced while the other still writes
    finally:
        proc.communicate("go\n", timeout=30)
    assert proc.returncode == 0
    assert out.read_bytes() == b"from the other process, half, then whole"
    assert leftovers(tmp_path) == []


def test_a_process_killed_mid_write_leaves_the_old_file_and_no_lock(tmp_path: Path) -> None:
    out = _old_file(tmp_path / "out.wav")
    proc = _holder(out)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert out.read_bytes() == OLD
    # Only a hidden temporary file may stay behind, never anything under the final name,
    # and the kernel dropped the lock with the process: the next write just works.
    assert all(name.startswith(".") for name in leftovers(tmp_path))
    write_bytes(out, b"after", overwrite=True)
    assert out.read_bytes() == b"after"


@pytest.mark.parametrize("keep_partial", [True, False])
def test_a_cancelled_stream_keeps_its_finished_part_only_when_asked(
    tmp_path: Path, keep_partial: bool
) -> None:
    """Speech keeps the sentences finished before Ctrl+C (a valid, shorter file);
    every other writer keeps the old file."""
    import soundfile as sf

    out = _old_file(tmp_path / "speech.flac")
    with (
        pytest.raises(KeyboardInterrupt),
        audio.AudioWriter(out, 16000, keep_partial=keep_partial) as writer,
    ):
        writer.write(np.full(8000, 0.1, dtype=np.float32))
        raise KeyboardInterrupt
    if keep_partial:
        assert writer.committed
        with sf.SoundFile(out) as f:
            assert f.frames == 8000  # the header says what the file holds
    else:
        assert out.read_bytes() == OLD
    assert leftovers(tmp_path) == []
