"""Make the tiny Piper-like test voices in ``tests/speech/data/`` (run it to rebuild them).

    python tests/speech/make_tiny_voice.py

Like Piper's own 1.6 KB test voice: the same inputs and output as a real Piper voice
(``input`` int64 (1, N), ``input_lengths`` int64 (1,), ``scales`` float32 (3,), optional
``sid`` int64 (1,); ``output`` float32 (1, 1, 1, samples)), but the "network" is a few ops:
each phoneme id becomes 64 samples of a sine whose amplitude follows the id, plus
noise_scale times a fixed noise pattern (drawn once with seed 0, so the noise is
repeatable, as VITS's is under a fixed seed), plus the speaker id for the multi-speaker
voice; then each id's samples are stretched to floor(64 * length_scale), as VITS's
durations are. So the engine's whole path (config, espeak phonemes, ids, session, scales,
speakers) runs in milliseconds, and the output still depends on every input but
noise_w.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DATA = Path(__file__).resolve().parent / "data"
SAMPLES_PER_ID = 64
SAMPLE_RATE = 16_000

# Piper's symbols: pad, BOS, EOS, punctuation, then the IPA letters espeak-ng writes.
SYMBOLS = (
    "_^$ !'(),-.:;?"
    "abcdefhijklmnopqrstuvwxyz"
    "æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ"
    "\u0303\u0329\u032a\u032f\u0361"
)


def _graph(multi_speaker: bool) -> onnx.ModelProto:
    pattern = np.sin(np.linspace(0, 8 * np.pi, SAMPLES_PER_ID)).astype(np.float32)
    noise = np.random.default_rng(0).standard_normal(SAMPLES_PER_ID).astype(np.float32)
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if multi_speaker:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    output = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, 1, "samples"])
    inits = [
        numpy_helper.from_array(pattern.reshape(1, 1, SAMPLES_PER_ID), "pattern"),
        numpy_helper.from_array(0.02 * noise.reshape(1, 1, SAMPLES_PER_ID), "noise_pattern"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "idx1"),
        numpy_helper.from_array(np.array([1.0, 1.0], dtype=np.float32), "ones2"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "idx0"),
        numpy_helper.from_array(np.array([1, 1, 1, -1], dtype=np.int64), "out_shape"),
        numpy_helper.from_array(np.array(0.004, dtype=np.float32), "id_gain"),
    ]
    nodes = [
        helper.make_node("Cast", ["input"], ["ids_f"], to=TensorProto.FLOAT),  # (1, N)
        helper.make_node("Mul", ["ids_f", "id_gain"], ["amp"]),
        helper.make_node("Unsqueeze", ["amp", "axis2"], ["amp3"]),  # (1, N, 1)
        helper.make_node("Mul", ["amp3", "pattern"], ["tone"]),  # (1, N, 64)
        helper.make_node("Gather", ["scales", "idx0"], ["noise_scale"]),  # (1,)
        helper.make_node("Mul", ["noise_pattern", "noise_scale"], ["noise"]),  # (1, 1, 64)
        helper.make_node("Add", ["tone", "noise"], ["wave"]),  # (1, N, 64)
    ]
    last = "wave"
    if multi_speaker:
        nodes += [
            helper.make_node("Cast", ["sid"], ["sid_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["sid_f", "id_gain"], ["sid_amp"]),
            helper.make_node("Add", ["wave", "sid_amp"], ["wave_s"]),
        ]
        last = "wave_s"
    nodes += [
        helper.make_node("Gather", ["scales", "idx1"], ["length_scale"]),  # (1,)
        helper.make_node("Concat", ["ones2", "length_scale"], ["stretch"], axis=0),  # (3,)
        helper.make_node(  # (1, N, floor(64 * length_scale))
            "Resize",
            [last, "", "stretch"],
            ["stretched"],
            mode="nearest",
            coordinate_transformation_mode="asymmetric",
            nearest_mode="floor",
        ),
        helper.make_node("Reshape", ["stretched", "out_shape"], ["output"]),
    ]
    graph = helper.make_graph(nodes, "tiny_piper", inputs, [output], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8  # readable by every onnxruntime we support
    onnx.checker.check_model(model)
    return model


def _config(multi_speaker: bool) -> dict[str, object]:
    config: dict[str, object] = {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": "x_low"},
        "espeak": {"voice": "en-us"},
        "inference": {"noise_scale": 0.5, "length_scale": 1.0, "noise_w": 0.6},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": {s: [i] for i, s in enumerate(SYMBOLS)},
        "num_symbols": len(SYMBOLS),
        "num_speakers": 1,
        "speaker_id_map": {},
        "piper_version": "1.0.0",
        "language": {"code": "en_US", "family": "en", "region": "US"},
        "dataset": "tiny",
    }
    if multi_speaker:
        config["num_speakers"] = 3
        config["speaker_id_map"] = {"alice": 0, "bob": 1, "carol": 2}
        config["dataset"] = "tiny_multi"
    return config


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for name, multi in (("tiny", False), ("tiny_multi", True)):
        onnx.save(_graph(multi), DATA / f"{name}.onnx")
        text = json.dumps(_config(multi), ensure_ascii=False, indent=1)
        (DATA / f"{name}.onnx.json").write_text(text + "\n", encoding="utf-8")
        print(DATA / f"{name}.onnx")


if __name__ == "__main__":
    main()
