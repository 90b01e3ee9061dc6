"""The model-free checks the Text panel runs before anything loads: what Import refuses
(``sources.check_importable``) and whether a model fits the GPU
(``memory.check_fits_on_gpu``), both from the model's headers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from engines.errors import BadInput
from engines.text.memory import DoesNotFit, check_fits_on_gpu
from engines.text.sources import check_importable


def test_import_refuses_what_the_engine_could_not_load(
    tmp_path: Path, tiny_llama_dir: Path
) -> None:
    check_importable(tiny_llama_dir)  # a causal LM folder: fine
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BadInput, match=r"no config\.json"):
        check_importable(empty)
    bert = tmp_path / "bert"
    bert.mkdir()
    (bert / "config.json").write_text(json.dumps({"architectures": ["BertModel"]}))
    with pytest.raises(BadInput, match="BertModel model, not a causal language model"):
        check_importable(bert)
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"nope")
    with pytest.raises(BadInput, match=r"bad\.gguf is not a GGUF file"):
        check_importable(bad)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(b"GGUF\x03\x00\x00\x00")
    with pytest.raises(BadInput, match="damaged or truncated"):
        check_importable(truncated)


def test_the_gpu_check_reads_headers_only(tiny_llama_dir: Path) -> None:
    with pytest.raises(DoesNotFit, match=r"has only 0\.0 GiB free") as caught:
        check_fits_on_gpu(str(tiny_llama_dir), 1, "Tiny GPU")
    assert caught.value.estimate.parameters > 0
    check_fits_on_gpu(str(tiny_llama_dir), 2**40, "Big GPU")  # fits: no error


def test_the_checks_import_no_model_code() -> None:
    """Neither check pulls in the modules that load or run models."""
    import subprocess

    code = (
        "import sys; import engines.text.sources, engines.text.memory, engines.text.steering;"
        "print(sorted(m for m in sys.modules if m in {'engines.text.llm', 'torch', "
        "'engines.text.decoders', 'engines.text.gguf_cpu', 'transformers'}))"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
