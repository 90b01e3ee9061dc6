"""The fake hub, started per test, with the studio pointed at it (``HF_ENDPOINT``), and
tiny files for it to serve: a GGUF in two quantisations' names, a diffusers-like folder's
files, and the tiny Piper voice of ``tests/speech/data`` in the piper-voices layout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.hub.fake_hub import FakeHub, FakeRepo

VOICE_DATA = Path(__file__).resolve().parent.parent / "speech" / "data"
VOICE_DIR = "en/en_US/tiny/low"


def tiny_gguf_bytes(tmp_path: Path, seed: int = 0, rows: int = 64) -> bytes:
    """A small valid GGUF (llama metadata, one F32 tensor) as bytes."""
    import gguf

    path = tmp_path / f"tiny-{seed}.gguf"
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_block_count(1)
    writer.add_context_length(32)
    writer.add_embedding_length(8)
    rng = np.random.default_rng(seed)
    writer.add_tensor("token_embd.weight", rng.standard_normal((rows, 8)).astype(np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path.read_bytes()


def piper_catalogue() -> bytes:
    onnx = (VOICE_DATA / "tiny.onnx").read_bytes()
    config = (VOICE_DATA / "tiny.onnx.json").read_bytes()
    key = "en_US-tiny-low"
    entry = {
        "key": key,
        "name": "tiny",
        "language": {
            "code": "en_US",
            "family": "en",
            "region": "US",
            "name_native": "English",
            "name_english": "English",
            "country_english": "United States",
        },
        "quality": "low",
        "num_speakers": 1,
        "speaker_id_map": {},
        "files": {
            f"{VOICE_DIR}/{key}.onnx": {"size_bytes": len(onnx), "md5_digest": "x"},
            f"{VOICE_DIR}/{key}.onnx.json": {"size_bytes": len(config), "md5_digest": "x"},
            f"{VOICE_DIR}/MODEL_CARD": {"size_bytes": 10, "md5_digest": "x"},
        },
        "aliases": [],
    }
    return json.dumps({key: entry}).encode()


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    fake = FakeHub()
    big = tiny_gguf_bytes(tmp_path, seed=1, rows=4096)  # 128 KiB of tensor: several chunks
    fake.repos["acme/tiny-llama-GGUF"] = FakeRepo(
        files={
            "tiny-llama.Q4_K_M.gguf": big,
            "tiny-llama.Q8_0.gguf": tiny_gguf_bytes(tmp_path, seed=2),
            "README.md": b"# tiny\n",
        },
        licence="apache-2.0",
        tags=("gguf", "text-generation"),
        git_files=frozenset({"README.md"}),
    )
    fake.repos["acme/gated-GGUF"] = FakeRepo(
        files={"gated.Q4_0.gguf": tiny_gguf_bytes(tmp_path, seed=3)},
        licence="other",
        gated=True,
        tags=("gguf",),
    )
    onnx = (VOICE_DATA / "tiny.onnx").read_bytes()
    config = (VOICE_DATA / "tiny.onnx.json").read_bytes()
    fake.repos["rhasspy/piper-voices"] = FakeRepo(
        files={
            "voices.json": piper_catalogue(),
            f"{VOICE_DIR}/en_US-tiny-low.onnx": onnx,
            f"{VOICE_DIR}/en_US-tiny-low.onnx.json": config,
            f"{VOICE_DIR}/MODEL_CARD": b"tiny voice",
        },
        licence="mit",
        git_files=frozenset({"voices.json", f"{VOICE_DIR}/en_US-tiny-low.onnx.json"}),
    )
    fake.start()
    monkeypatch.setenv("HF_ENDPOINT", fake.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("SOZO_MODELS_DIR", str(tmp_path / "models"))
    yield fake
    fake.stop()
