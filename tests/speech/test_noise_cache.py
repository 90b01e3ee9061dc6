"""Seedable voices are rewritten once, in a child process, and kept: the studio's own
process never parses a voice's protobuf (which holds the GIL and froze the window)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from engines.speech import noise, noise_cache
from tests.speech.test_noise import _graph


@pytest.fixture
def voice(tmp_path: Path) -> Path:
    """A graph that draws as Piper's voices do (RandomNormalLike)."""
    return _graph(tmp_path, TensorProto.FLOAT, 0.0, 1.0)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SOZO_CACHE_DIR", str(folder))
    return folder / noise_cache.FOLDER


def _no_child(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    spawned: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        spawned.append(args)
        raise AssertionError("a child process was started")

    monkeypatch.setattr(subprocess, "run", refuse)
    return spawned


def test_the_rewrite_is_made_by_a_child_and_kept(
    voice: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, inputs = noise_cache.seedable_file(voice)
    assert graph.parent == cache and graph.is_file() and inputs
    expected, expected_inputs = noise.seedable(voice)
    assert graph.read_bytes() == expected and inputs == expected_inputs
    _no_child(monkeypatch)  # the second time it is read from the cache
    assert noise_cache.seedable_file(voice) == (graph, inputs)


def test_the_kept_voice_draws_from_the_seed_alone(voice: Path, cache: Path) -> None:
    graph, inputs = noise_cache.seedable_file(voice)
    x = {"x": np.zeros(5000, np.float32)}

    def draw(seed: int, guess: int) -> np.ndarray:
        return noise.run(ort.InferenceSession(str(graph)), x, inputs, seed, (0,), guess)

    assert np.array_equal(draw(11, 64), draw(11, 8000))  # a second run when short
    assert not np.array_equal(draw(11, 8000), draw(12, 8000))


def test_a_voice_without_draws_is_opened_as_it_is(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import onnx

    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "plain",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])],
    )
    path = tmp_path / "plain.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)]), str(path))
    assert noise_cache.seedable_file(path) == (path, [])
    _no_child(monkeypatch)
    assert noise_cache.seedable_file(path) == (path, [])


def test_a_changed_voice_is_made_again(voice: Path, cache: Path) -> None:
    first, _ = noise_cache.seedable_file(voice)
    stat = voice.stat()
    os.utime(voice, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second, _ = noise_cache.seedable_file(voice)
    assert second != first and second.is_file()


def test_a_torn_copy_is_made_again(voice: Path, cache: Path) -> None:
    graph, _ = noise_cache.seedable_file(voice)
    whole = graph.read_bytes()
    graph.write_bytes(whole[: len(whole) // 2])
    again, _ = noise_cache.seedable_file(voice)
    assert again.read_bytes() == whole


def test_a_file_that_is_not_onnx_is_refused_in_one_line(tmp_path: Path, cache: Path) -> None:
    bad = tmp_path / "random.onnx"
    bad.write_bytes(os.urandom(4096))
    with pytest.raises(noise_cache.RewriteFailed) as caught:
        noise_cache.seedable_file(bad)
    assert str(caught.value).strip() and "\n" not in str(caught.value)
    assert "Traceback" not in str(caught.value)
