"""Writes ``identity.onnx``: the smallest model ONNX Runtime will open.

``engines.device`` opens it with the CUDA provider to learn whether that provider really
loads (onnxruntime-gpu lists it even where it cannot). Run: python engines/data/make_identity_onnx.py
Needs the ``onnx`` package (development only).
"""

from pathlib import Path

import onnx
from onnx import TensorProto, helper


def main() -> None:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "probe", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    out = Path(__file__).with_name("identity.onnx")
    out.write_bytes(model.SerializeToString())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
