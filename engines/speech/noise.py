"""Seedable noise for ONNX voices: the graph's own random draws become inputs.

VITS draws Gaussian noise twice per utterance (the stochastic duration predictor's and
the prior's), exported as ``RandomNormalLike`` nodes. ONNX Runtime draws those from a
generator of its own that cannot be seeded from outside per run, so the same text and
settings sounded slightly different in every process: a batch read aloud on Ray could
not give the bytes a local run gives.

:func:`seedable` rewrites such a graph once, at load. Each ``RandomNormalLike`` (mean
``m``, scale ``s``, the shape of its input ``x``) becomes::

    noise_k: float32 [L]            a new graph input, standard normal draws
    n      = ReduceProd(Shape(x))   how many draws the node needs
    flat   = Gather(noise_k, Range(0, n) mod L)
    out    = Cast(Reshape(flat, Shape(x))) * s + m

and ``n`` is a new graph output (``noise_k.needed``). :class:`NoiseFeed` fills the
inputs from numpy Generators seeded from the job's seed, one generator per node, so the
first ``n`` values do not depend on ``L`` (numpy's draws are sequential: a longer draw
starts with a shorter one). If a buffer was too short (``n > L``, known from the extra
output after the run) the run is repeated with a buffer of ``n``: the result is the one
a long enough buffer would have given. The output's distribution is the node's own:
normal with its mean and scale, in its dtype.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

NOISE_OP = "RandomNormalLike"
FIRST_GUESS_PER_ID = 2048
"""Draws per phoneme id given to each noise input on a first try (VITS's prior needs
channels x frames, ~192 x 5 per id at speed 1); a shortfall costs a second run."""


@dataclass(frozen=True)
class NoiseInput:
    """One rewritten ``RandomNormalLike``: the input that feeds it and the output that
    says how many draws it needed."""

    name: str
    needed: str
    node: str  # the original node's name, for messages


def noise_nodes(model: Any) -> list[Any]:
    return [n for n in model.graph.node if n.op_type == NOISE_OP]


def seedable(path: Path) -> tuple[bytes, list[NoiseInput]]:
    """The voice at ``path`` with its random draws made inputs (serialized, for an ONNX
    Runtime session), and those inputs; the file's bytes as they are when it has none."""
    import onnx

    model = onnx.load(str(path))
    if not noise_nodes(model):
        return path.read_bytes(), []
    inputs = rewrite(model)
    return model.SerializeToString(), inputs


def rewrite(model: Any) -> list[NoiseInput]:
    """Replace each ``RandomNormalLike`` of ``model`` (in place) as the module says."""
    from onnx import TensorProto, helper, numpy_helper

    graph = model.graph
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    added: list[NoiseInput] = []
    nodes: list[Any] = []
    for node in graph.node:
        if node.op_type != NOISE_OP:
            nodes.append(node)
            continue
        k = len(added)
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        mean = float(attrs.get("mean", 0.0))
        scale = float(attrs.get("scale", 1.0))
        x, out = node.input[0], node.output[0]
        name, needed = f"sozo_noise_{k}", f"sozo_noise_{k}.needed"

        def t(part: str, k: int = k) -> str:
            return f"sozo_noise_{k}/{part}"

        graph.input.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, ["draws"]))
        graph.output.append(helper.make_tensor_value_info(needed, TensorProto.INT64, []))
        graph.initializer.extend(
            [
                numpy_helper.from_array(np.array(0, np.int64), t("zero")),
                numpy_helper.from_array(np.array(1, np.int64), t("one")),
                numpy_helper.from_array(np.array(scale, np.float32), t("scale")),
                numpy_helper.from_array(np.array(mean, np.float32), t("mean")),
            ]
        )
        nodes += [
            helper.make_node("Shape", [x], [t("shape")]),
            helper.make_node("ReduceProd", [t("shape")], [needed], keepdims=0),
            helper.make_node("Shape", [name], [t("have_shape")]),
            helper.make_node("ReduceProd", [t("have_shape")], [t("have")], keepdims=0),
            helper.make_node("Range", [t("zero"), needed, t("one")], [t("range")]),
            helper.make_node("Mod", [t("range"), t("have")], [t("index")]),
            helper.make_node("Gather", [name, t("index")], [t("flat")], axis=0),
            helper.make_node("Reshape", [t("flat"), t("shape")], [t("normal")]),
            helper.make_node("Mul", [t("normal"), t("scale")], [t("scaled")]),
            helper.make_node("Add", [t("scaled"), t("mean")], [t("drawn")]),
        ]
        if "dtype" in attrs:
            nodes.append(helper.make_node("Cast", [t("drawn")], [out], to=int(attrs["dtype"])))
        elif opset >= 15:  # no dtype: the input's (CastLike is opset 15)
            nodes.append(helper.make_node("CastLike", [t("drawn"), x], [out]))
        else:
            nodes.append(helper.make_node("Identity", [t("drawn")], [out]))
        added.append(NoiseInput(name, needed, node.name or out))
    del graph.node[:]
    graph.node.extend(nodes)
    return added


class NoiseFeed:
    """Standard normal draws for each noise input of one run, from ``seed`` (``None``:
    fresh entropy, as the unmodified graph would draw); ``key`` tells runs of one job
    apart (e.g. the sentence's index), so each has noise of its own."""

    def __init__(
        self, inputs: Sequence[NoiseInput], seed: int | None, key: Sequence[int] = ()
    ) -> None:
        self.inputs = list(inputs)
        if seed is None:
            self.entropy: list[int] = [int(np.random.SeedSequence().entropy)]  # type: ignore[arg-type]
        else:
            self.entropy = [int(seed), *(int(k) for k in key)]

    def draws(self, k: int, count: int) -> np.ndarray:
        rng = np.random.default_rng([*self.entropy, k])
        return rng.standard_normal(max(1, count), dtype=np.float32)

    def feed(self, sizes: Sequence[int]) -> dict[str, np.ndarray]:
        return {
            i.name: self.draws(k, n)
            for k, (i, n) in enumerate(zip(self.inputs, sizes, strict=True))
        }


def run(
    session: Any,
    inputs: dict[str, np.ndarray],
    noise: Sequence[NoiseInput],
    seed: int | None,
    key: Sequence[int],
    first_guess: int,
) -> np.ndarray:
    """The session's first output for ``inputs``, its noise drawn from ``seed``."""
    if not noise:
        return np.asarray(session.run(None, inputs)[0])
    feed = NoiseFeed(noise, seed, key)
    names = [session.get_outputs()[0].name, *(i.needed for i in noise)]
    sizes = [first_guess] * len(noise)
    while True:
        result = session.run(names, {**inputs, **feed.feed(sizes)})
        needed = [int(n) for n in result[1:]]
        if all(n <= have for n, have in zip(needed, sizes, strict=True)):
            return np.asarray(result[0])
        sizes = [max(n, have) for n, have in zip(needed, sizes, strict=True)]
