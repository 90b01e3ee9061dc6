"""Batches on a local Ray cluster (2 CPUs): the same files as a local run, byte for byte,
and a worker killed mid-batch has its item retried so every output is written once."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from engines.batch.run import run_local, run_ray, start_ray
from engines.batch.spec import parse_batch
from engines.jobs import JobContext
from tests.batch.content import content

pytestmark = pytest.mark.integration

ray = pytest.importorskip("ray", reason="ray is a test dependency (pyproject's test extra)")

GRID = {
    "kind": "image-grid",
    "prompts": ["red heart", "yellow star"],
    "seeds": [7, 8, 9],
    "steps": 2,
    "size": 64,
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    started, here = start_ray("local", 2)
    assert here
    yield started
    ray.shutdown()


def test_a_ray_run_writes_what_a_local_run_writes(cluster: Any, tmp_path: Path) -> None:
    local = run_local(parse_batch({**GRID, "output": "local"}, base=tmp_path), JobContext())
    seen: list[str] = []
    batch = parse_batch({**GRID, "output": "ray"}, base=tmp_path)
    remote = run_ray(batch, JobContext(), on_output=lambda item, path: seen.append(path.name))
    assert remote.where == "Ray, 2 workers at local"
    assert sorted(seen) == sorted(p.name for p in local.written)  # as they finished
    assert [content(tmp_path / "ray" / p.name) for p in local.written] == [
        content(p) for p in local.written
    ]
    melodies = {"kind": "melodies", "seeds": [1, 2, 3], "bars": 2}
    here = run_local(parse_batch({**melodies, "output": "m1"}, base=tmp_path), JobContext())
    there = run_ray(parse_batch({**melodies, "output": "m2"}, base=tmp_path), JobContext())
    assert sorted(p.name for p in there.written) == [p.name for p in here.written]
    assert [content(tmp_path / "m2" / p.name) for p in here.written] == [
        content(p) for p in here.written
    ]


def test_killed_workers_have_their_items_retried(cluster: Any, tmp_path: Path) -> None:
    batch = parse_batch({**GRID, "output": "grid"}, base=tmp_path)
    workers: list[Any] = []
    killed: list[int] = []

    def kill_workers(item: object, path: Path) -> None:
        # After the first output one worker is idle (its next item not yet given) and the
        # other is in the middle of an item: both die.
        if not killed:
            for worker in workers:
                pid = ray.get(worker.pid.remote())
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    report = run_ray(batch, JobContext(), on_output=kill_workers, on_workers=workers.extend)
    assert killed
    names = [p.name for p in report.written]
    assert sorted(names) == sorted(i.name for i in batch.items)  # each once
    assert sorted(p.name for p in batch.output.glob("*.png")) == sorted(names)
    # The restarted worker made the same pictures a local run makes.
    local = run_local(parse_batch({**GRID, "output": "local"}, base=tmp_path), JobContext())
    assert [content(batch.output / p.name) for p in local.written] == [
        content(p) for p in local.written
    ]


def test_a_book_read_aloud_on_ray_is_the_local_one_byte_for_byte(
    cluster: Any, tmp_path: Path
) -> None:
    # Piper's noise is seeded by the chapter (engines.speech.noise): without that ONNX
    # Runtime drew it afresh in each process and every WAV differed.
    (tmp_path / "book.txt").write_text(
        "# One\nThe first chapter, read aloud.\n# Two\nThe second one, a little longer.\n",
        encoding="utf-8",
    )
    spec = {"kind": "read-aloud", "text_file": "book.txt", "format": "wav"}
    here = run_local(parse_batch({**spec, "output": "here"}, base=tmp_path), JobContext())
    there = run_ray(parse_batch({**spec, "output": "there"}, base=tmp_path), JobContext())
    names = [p.name for p in here.written]
    assert names == ["chapter-001-one.wav", "chapter-002-two.wav"]
    assert sorted(p.name for p in there.written) == names
    ours = [content(p) for p in here.written]  # each file's signature checked apart
    assert [content(tmp_path / "there" / n) for n in names] == ours
    assert ours[0] != ours[1]
