"""Batches made here: the same files one-at-a-time commands make, resumed after a stop or a
kill, and a folder another batch wrote left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from engines.audio import read_tags
from engines.audio_watermark import detect_file
from engines.batch.run import MANIFEST, run_local
from engines.batch.spec import Batch, load_batch, parse_batch
from engines.errors import BadInput
from engines.imagefile import Recipe
from engines.jobs import Cancelled, JobContext
from tests.batch.content import content

pytestmark = pytest.mark.integration  # the packaged emoji, melody and voice models

ROOT = Path(__file__).resolve().parents[2]
GRID = """kind = "image-grid"
prompts = ["red heart", "smiling face"]
seeds = [3, 4]
steps = 2
size = 64
"""


def grid(tmp_path: Path, name: str = "grid") -> Batch:
    path = tmp_path / f"{name}.toml"
    path.write_text(GRID, encoding="utf-8")
    return load_batch(path)


def test_a_grid_is_the_pictures_sozo_image_makes(tmp_path: Path) -> None:
    from studio.cli import main

    batch = grid(tmp_path)
    report = run_local(batch, JobContext())
    assert [p.name for p in report.written] == [item.name for item in batch.items]
    assert sorted(p.name for p in batch.output.iterdir()) == sorted(
        [MANIFEST, *(i.name for i in batch.items)]
    )
    first = batch.output / batch.items[0].name
    with Image.open(first) as image:
        recipe = Recipe.from_parameters(image.text["parameters"])  # type: ignore[attr-defined]
    assert (recipe.prompt, recipe.seed, recipe.steps) == ("red heart", 3, 2)
    # One picture of the grid, made by the image command with the same settings.
    alone = tmp_path / "alone.png"
    args = ["--threads", "1", "image", "red heart", "-o", str(alone), "--seed", "3"]
    assert main([*args, "--steps", "2", "--size", "64"]) == 0
    assert content(alone) == content(first)


def test_a_stopped_batch_goes_on_where_it_stopped(tmp_path: Path) -> None:
    batch = grid(tmp_path)
    ctx = JobContext()
    made: list[str] = []

    def stop_after_two(item: object, path: Path) -> None:
        made.append(path.name)
        if len(made) == 2:
            ctx.cancel()

    with pytest.raises(Cancelled):
        run_local(batch, ctx, on_output=stop_after_two)
    assert sorted(p.name for p in batch.output.glob("*.png")) == sorted(made)
    before = {name: (batch.output / name).stat().st_mtime_ns for name in made}
    report = run_local(batch, JobContext())
    assert [p.name for p in report.skipped] == made
    assert [p.name for p in report.written] == [i.name for i in batch.items[2:]]
    assert {name: (batch.output / name).stat().st_mtime_ns for name in made} == before
    # The resumed folder holds what one uninterrupted run makes, byte for byte.
    whole = run_local(parse_batch({**_grid_dict(), "output": "whole"}, base=tmp_path), JobContext())
    assert [content(p) for p in whole.written] == [
        content(batch.output / i.name) for i in batch.items
    ]


def _grid_dict() -> dict[str, object]:
    import tomllib

    return tomllib.loads(GRID)


def test_a_folder_of_another_batch_is_refused(tmp_path: Path) -> None:
    batch = grid(tmp_path)
    batch.output.mkdir()
    (batch.output / batch.items[1].name).write_bytes(b"the user's own file")
    with pytest.raises(BadInput, match="did not write"):
        run_local(batch, JobContext())
    assert (batch.output / batch.items[1].name).read_bytes() == b"the user's own file"
    other = parse_batch({**_grid_dict(), "steps": 3, "output": "grid2"}, base=tmp_path)
    (tmp_path / "grid2").mkdir()
    (tmp_path / "grid2" / MANIFEST).write_text('{"fingerprint": "0123"}', encoding="utf-8")
    with pytest.raises(BadInput, match="another batch"):
        run_local(other, JobContext())
    assert [p.name for p in (tmp_path / "grid2").iterdir()] == [MANIFEST]
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(BadInput, match="is a file"):
        run_local(parse_batch({**_grid_dict(), "output": "a-file"}, base=tmp_path), JobContext())
    with pytest.raises(BadInput, match="does not exist"):
        run_local(parse_batch({**_grid_dict(), "output": "no/such"}, base=tmp_path), JobContext())


def test_walk_melodies_and_a_book_read_aloud(tmp_path: Path) -> None:
    import mido
    import soundfile as sf

    walk = parse_batch(
        {"kind": "image-walk", "model": "emoji-vae", "from_seed": 1, "to_seed": 2, "frames": 3},
        base=tmp_path,
    )
    frames = run_local(walk, JobContext()).written
    pictures = [Image.open(p).convert("RGB") for p in frames]
    assert pictures[0].tobytes() != pictures[2].tobytes()
    assert "frame 2 of 3" in Image.open(frames[1]).text["parameters"]  # type: ignore[attr-defined]

    tunes = parse_batch(
        {"kind": "melodies", "seeds": [1, 2], "bars": 2, "output": "tunes"}, base=tmp_path
    )
    files = run_local(tunes, JobContext()).written
    notes = [[m.note for m in mido.MidiFile(p).play() if m.type == "note_on"] for p in files]
    assert notes[0] and notes[1] and notes[0] != notes[1]

    (tmp_path / "book.txt").write_text(
        "# One\nThe first chapter.\n# Two\nThe second one.\n", encoding="utf-8"
    )
    spec = {"kind": "read-aloud", "text_file": "book.txt", "format": "wav"}
    book = run_local(parse_batch(spec, base=tmp_path, name="book"), JobContext())
    assert [p.name for p in book.written] == ["chapter-001-one.wav", "chapter-002-two.wav"]
    for path, title in zip(book.written, ("One", "Two"), strict=True):
        audio, rate = sf.read(path)
        assert rate == 22050 and len(audio) > rate // 2
        assert read_tags(path)["title"] == title
        assert content(path)  # signed by the batch, and valid
        assert detect_file(path)[0]  # the speech watermark


def test_a_killed_batch_run_leaves_whole_files_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "grid.toml"
    path.write_text(GRID.replace("seeds = [3, 4]", "seeds = [3, 4, 5]"), encoding="utf-8")
    batch = load_batch(path)
    command = [sys.executable, "-c", "import sys; from studio.cli import main; sys.exit(main())"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [*command, "--threads", "1", "batch", str(path)]
    child = subprocess.Popen(args, cwd=ROOT, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while len(list(batch.output.glob("0*.png"))) < 2 and time.monotonic() < deadline:
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    written = sorted(batch.output.glob("0*.png"))
    assert 2 <= len(written) < len(batch.items)
    for picture in written:  # whatever has its final name is whole
        with Image.open(picture) as image:
            image.load()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "already there" in done.stdout
    assert sorted(p.name for p in batch.output.glob("0*.png")) == [i.name for i in batch.items]
    clean = run_local(
        parse_batch({**_grid_dict(), "seeds": [3, 4, 5], "output": "clean"}, base=tmp_path),
        JobContext(),
    )
    assert [content(p) for p in clean.written] == [
        content(batch.output / i.name) for i in batch.items
    ]


def test_batch_pictures_are_watermarked_and_signed(tmp_path: Path) -> None:
    from engines import watermark
    from engines.credentials import read_credentials

    spec = {**_grid_dict(), "prompts": ["red heart"], "seeds": [3], "size": 128}
    [path] = run_local(parse_batch({**spec, "output": "big"}, base=tmp_path), JobContext()).written
    assert watermark.detect_file(path).found
    found = read_credentials(path)
    assert found.valid and "c2pa.created" in found.action
    control = tmp_path / "control.png"  # the same picture, unmarked
    with Image.open(path) as image:
        image.save(control)
    assert not read_credentials(control).present
    grey = tmp_path / "grey.png"
    Image.effect_noise((128, 128), 40).convert("RGB").save(grey)
    assert not watermark.detect_file(grey).found
