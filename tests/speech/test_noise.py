"""The voices' random draws made seedable: the same distribution as the graph's own
``RandomNormalLike``, the same samples for the same seed in any process."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from engines.speech import noise

DRAWS = 200_000


def _graph(tmp_path: Path, dtype: int | None, mean: float, scale: float) -> Path:
    """x (float [N]) -> RandomNormalLike(x) + 0 * x: the draws, N of them."""
    attrs: dict[str, object] = {"mean": mean, "scale": scale}
    if dtype is not None:
        attrs["dtype"] = dtype
    nodes = [
        helper.make_node("RandomNormalLike", ["x"], ["r"], **attrs),
        helper.make_node("Identity", ["r"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "noise",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("y", dtype or TensorProto.FLOAT, ["n"])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)], ir_version=8)
    path = tmp_path / "noise.onnx"
    onnx.save(model, str(path))
    return path


def _draw(session: ort.InferenceSession, inputs: list[noise.NoiseInput], seed: int | None, n: int):
    x = {"x": np.zeros(n, np.float32)}
    return noise.run(session, x, inputs, seed, (0,), first_guess=1000)


@pytest.mark.parametrize(
    ("dtype", "mean", "scale"),
    [(TensorProto.FLOAT, 0.0, 1.0), (None, 0.5, 2.0), (TensorProto.DOUBLE, -1.0, 0.25)],
)
def test_the_rewritten_graph_draws_what_the_original_draws(
    tmp_path: Path, dtype: int | None, mean: float, scale: float
) -> None:
    path = _graph(tmp_path, dtype, mean, scale)
    original = ort.InferenceSession(str(path)).run(None, {"x": np.zeros(DRAWS, np.float32)})[0]
    graph, inputs = noise.seedable(path)
    assert [i.node for i in inputs] == ["r"]
    seeded = _draw(ort.InferenceSession(graph), inputs, 7, DRAWS)
    assert seeded.dtype == original.dtype and seeded.shape == original.shape
    for drawn in (original, seeded):
        assert abs(float(np.mean(drawn)) - mean) < 0.02 * scale
        assert abs(float(np.std(drawn)) - scale) < 0.02 * scale
        # Gaussian, not merely the right two moments: a quarter of draws lie past 0.674 sd.
        assert abs(float(np.mean(drawn > mean + 0.674 * scale)) - 0.25) < 0.01


def test_same_seed_same_draws_and_a_short_buffer_is_made_long(tmp_path: Path) -> None:
    graph, inputs = noise.seedable(_graph(tmp_path, TensorProto.FLOAT, 0.0, 1.0))
    session = ort.InferenceSession(graph)
    a = _draw(session, inputs, 3, 5000)  # first guess 1000: a second run with 5000
    x = {"x": np.zeros(5000, np.float32)}
    b = noise.run(session, x, inputs, 3, (0,), first_guess=100_000)  # long enough at once
    np.testing.assert_array_equal(a, b)
    assert len(np.unique(a)) == 5000  # no draw repeated from a wrapped short buffer
    assert not np.array_equal(a, _draw(session, inputs, 4, 5000))
    assert not np.array_equal(a, noise.run(session, x, inputs, 3, (1,), first_guess=5000))
    assert not np.array_equal(
        _draw(session, inputs, None, 5000), _draw(session, inputs, None, 5000)
    )


def test_a_graph_without_random_nodes_is_left_as_it_is(tiny_voice: Path) -> None:
    graph, inputs = noise.seedable(tiny_voice)
    assert inputs == [] and graph == tiny_voice.read_bytes()
