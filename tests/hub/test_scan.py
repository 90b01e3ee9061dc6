"""Shared model folders: a ComfyUI-like tree, an LM Studio-like tree and a Piper voice
are found and listed in place (nothing copied); a damaged checkpoint is one line."""

from __future__ import annotations

import shutil
from pathlib import Path

from engines.catalogue import Catalogue, Task
from engines.hub import scan
from tests.hub.conftest import VOICE_DATA, tiny_gguf_bytes


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "ComfyUI" / "models"
    (root / "checkpoints").mkdir(parents=True)
    (root / "checkpoints" / "broken.safetensors").write_bytes(b"not a checkpoint")
    (root / "loras").mkdir()
    (root / "loras" / "style.safetensors").write_bytes(b"a lora, not a model")
    lm = root / "LLM" / "acme" / "tiny-GGUF"
    lm.mkdir(parents=True)
    (lm / "tiny.Q8_0.gguf").write_bytes(tiny_gguf_bytes(tmp_path))
    (lm / "mmproj-tiny.gguf").write_bytes(b"projector")
    voices = root / "piper"
    voices.mkdir()
    for suffix in (".onnx", ".onnx.json"):
        shutil.copy(VOICE_DATA / f"tiny{suffix}", voices / f"tiny{suffix}")
    (voices / "lonely.onnx").write_bytes(b"no config beside it")
    return root


def test_scan_finds_what_the_studio_runs(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    found = {(f.path.relative_to(root).as_posix(), f.kind) for f in scan.scan_folder(root)}
    assert found == {
        ("checkpoints/broken.safetensors", "image"),
        ("LLM/acme/tiny-GGUF/tiny.Q8_0.gguf", "text"),
        ("piper/tiny.onnx", "voice"),
    }


def test_adding_a_folder_lists_models_in_place(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    before = sorted(root.rglob("*"))
    report = scan.add_shared_folder(root)
    assert sorted(e.task.value for e in report.imported) == ["speech", "text"]
    [refusal] = report.refused
    assert refusal.startswith(str(root / "checkpoints" / "broken.safetensors"))
    gguf_entry = next(e for e in report.imported if e.task is Task.text)
    listed = Catalogue().get(gguf_entry.id)
    assert Path(listed.files[0].relpath) == root / "LLM/acme/tiny-GGUF/tiny.Q8_0.gguf"
    assert str(root) in listed.description  # says where it lives
    assert sorted(root.rglob("*")) == before  # nothing copied or written
    assert scan.shared_folders() == [root.resolve()]
    again = scan.add_shared_folder(root)
    assert again.imported == () and len(again.already) == 2
    assert scan.shared_folders() == [root.resolve()]


def test_hugging_face_cache_links_keep_their_names(tmp_path: Path) -> None:
    cache = tmp_path / "hub" / "models--acme--tiny-GGUF"
    blob = cache / "blobs" / "3f2a9c"
    blob.parent.mkdir(parents=True)
    blob.write_bytes(tiny_gguf_bytes(tmp_path))
    snapshot = cache / "snapshots" / "0123abcd"
    snapshot.mkdir(parents=True)
    (snapshot / "tiny.Q8_0.gguf").symlink_to(blob)
    report = scan.add_shared_folder(tmp_path / "hub")
    [entry] = report.imported
    assert entry.name == "tiny.Q8_0.gguf"
    assert Path(entry.files[0].relpath) == blob.resolve()
