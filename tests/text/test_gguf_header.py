"""Bad GGUF files are refused from their header, each with one message id, before
llama.cpp or gguf's reader sees them, and without allocating what the header claims."""

from __future__ import annotations

import importlib.util
import struct
import tracemalloc
from pathlib import Path

import pytest

from engines.errors import BadInput
from engines.text import gguf_header, llm, sources
from tests.text.gguf_makers import smollm_gguf, write_tiny_qwen2

STRING, UINT32 = 8, 4


def gguf_bytes(
    *,
    version: int = 3,
    tensors: int = 0,
    kvs: list[tuple[str, int, bytes]] | None = None,
    kv_count: int | None = None,
) -> bytes:
    """A GGUF header: ``kvs`` as (key, value type, packed value)."""
    kvs = [("general.architecture", STRING, _s("llama"))] if kvs is None else kvs
    out = b"GGUF" + struct.pack(
        "<IQQ", version, tensors, len(kvs) if kv_count is None else kv_count
    )
    for key, kind, value in kvs:
        out += _s(key) + struct.pack("<I", kind) + value
    return out


def _s(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def refused(path: Path) -> BadInput:
    with pytest.raises(BadInput) as caught:
        gguf_header.read_header(path)
    return caught.value


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return make


def test_a_real_gguf_reads(tmp_path: Path) -> None:
    header = gguf_header.read_header(smollm_gguf())
    assert header.architecture == "llama" and header.context_length == 8192
    assert header.tensor_count == 272 and "im_start" in (header.chat_template or "")
    assert gguf_header.read_header(write_tiny_qwen2(tmp_path / "q.gguf")).architecture == "qwen2"


def test_not_a_gguf(write) -> None:  # type: ignore[no-untyped-def]
    for data in (b"", b"GG", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"hello, not a model"):
        exc = refused(write("notes.gguf", data))
        assert exc.message_id == "gguf.not_gguf" and "notes.gguf" in str(exc)


def test_unsupported_versions(write) -> None:  # type: ignore[no-untyped-def]
    for version in (1, 4):
        exc = refused(write("v.gguf", gguf_bytes(version=version)))
        assert exc.message_id == "gguf.bad_version" and str(version) in str(exc)


def test_a_version_no_gguf_has_is_damage(write) -> None:  # type: ignore[no-untyped-def]
    for version in (256, 2**32 - 1):
        exc = refused(write("v.gguf", gguf_bytes(version=version)))
        assert exc.message_id == "gguf.damaged_version" and str(version) in str(exc)
        assert "damaged" in str(exc)


def test_truncated_anywhere(tmp_path: Path) -> None:
    """Cut in the header, in the tensor table, in the tensor data: each one message."""
    whole = smollm_gguf().read_bytes()
    for size in (10, 30, 1_000, 2_000_000, 4_000_000, len(whole) - 1):
        path = tmp_path / "cut.gguf"
        path.write_bytes(whole[:size])
        exc = refused(path)
        assert exc.message_id == "gguf.truncated", (size, str(exc))


@pytest.mark.parametrize(
    ("data", "claim"),
    [
        (gguf_bytes(tensors=2**40), "tensors"),
        (gguf_bytes(kv_count=2**37), "metadata entries"),
        (gguf_bytes(tensors=2**64 - 1), "tensors"),
        (gguf_bytes(kv_count=2**50), "metadata entries"),
        (b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**62), "key length"),
        (gguf_bytes(kvs=[("a", STRING, struct.pack("<Q", 2**63))]), "string length"),
        (gguf_bytes(kvs=[("a", 9, struct.pack("<IQ", UINT32, 2**61))]), "array length"),
        (gguf_bytes(kvs=[("a", 9, struct.pack("<IQ", STRING, 2**40))]), "array length"),
        (gguf_bytes(kvs=[("a", 77, b"\x00" * 8)]), "value type"),
    ],
)
def test_absurd_claims_are_refused_without_allocating_them(write, data: bytes, claim: str) -> None:  # type: ignore[no-untyped-def]
    path = write("absurd.gguf", data + b"\x00" * 64)
    tracemalloc.start()
    try:
        exc = refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.message_id == "gguf.absurd_header" and claim in str(exc)
    assert peak < 1_000_000  # bytes: nothing sized by the claim


def test_an_architecture_no_backend_runs(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    path = write("encoder.gguf", gguf_bytes(kvs=[("general.architecture", STRING, _s("bert"))]))
    with pytest.raises(BadInput) as caught:
        llm.open_model(str(path), llama_cpp=True)
    assert caught.value.message_id == "gguf.unsupported_arch" and "bert" in str(caught.value)
    if importlib.util.find_spec("llama_cpp") is not None:
        with pytest.raises(BadInput) as imported:
            sources.check_importable(path)  # the Import button says so at once
        assert imported.value.message_id == "gguf.unsupported_arch"


def test_llama_cpp_never_sees_a_bad_file(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    llama_cpp = pytest.importorskip("llama_cpp")

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("llama.cpp was handed a bad file")

    monkeypatch.setattr(llama_cpp, "Llama", never)
    bad = write("bad.gguf", gguf_bytes(tensors=2**40))
    with pytest.raises(BadInput):
        llm.open_model(str(bad))


def test_gguf_reader_never_sees_a_bad_file(write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import gguf

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("gguf's reader was handed a bad file")

    monkeypatch.setattr(gguf, "GGUFReader", never)
    with pytest.raises(BadInput) as caught:
        sources.open_gguf(write("bad.gguf", gguf_bytes(kv_count=2**50)))
    assert caught.value.message_id == "gguf.absurd_header"
