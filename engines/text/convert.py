"""A GGUF dequantised once into a bf16 safetensors folder that transformers loads quickly.

The path for GGUF files the packed CPU decoder (``gguf_cpu.py``) does not run: CUDA, or
architectures it does not cover. transformers reads and dequantises the GGUF (~20 s
here); the copy in ``cache_dir()/text`` makes later loads take about 2 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engines import paths
from engines.errors import BadInput, SozoError
from engines.jobs import JobContext
from engines.messages import message
from engines.text.sources import gguf_field, open_gguf

_CONVERTED_FORMAT = 1  # bump when the cached copy's layout changes


def _converted_dir(gguf_path: Path) -> Path:
    stat = gguf_path.stat()
    key = f"{gguf_path.resolve()}|{stat.st_size}|{int(stat.st_mtime)}|{_CONVERTED_FORMAT}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return paths.cache_dir() / "text" / f"{slug(gguf_path.stem)}-{digest}"


def slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9._-]+", "-", text).strip("-")[:60] or "model"


@contextlib.contextmanager
def _gguf_tensor_progress(ctx: JobContext | None, first_step: int, total: int) -> Iterator[None]:
    """Report each tensor ``transformers`` dequantises from a GGUF as a progress step.

    transformers shows that loop only through a module-level ``tqdm``; wrapping it for the
    duration of one load is the one way to show real progress (and to cancel) meanwhile.
    """
    try:
        from transformers import modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:
        yield
        return
    original = getattr(gguf_utils, "tqdm", None)
    if ctx is None or original is None:
        yield
        return

    def reporting_tqdm(iterable: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        items = list(iterable)
        for i, item in enumerate(items):
            if i % 8 == 0:
                ctx.report(
                    first_step + i * (total - first_step) // max(1, len(items)),
                    total,
                    message=message("progress.dequantising", done=i, total=len(items)),
                )
            yield item

    gguf_utils.tqdm = reporting_tqdm
    try:
        yield
    finally:
        gguf_utils.tqdm = original


def convert_gguf(gguf_path: Path, ctx: JobContext | None = None) -> Path:
    """Dequantise a GGUF once into a bf16 safetensors folder (with tokenizer) in the cache."""
    target = _converted_dir(gguf_path)
    if (target / "sozo-converted.json").exists():
        return target
    reader = open_gguf(gguf_path)  # clear error for damaged files before transformers
    arch = gguf_field(reader, "general.architecture")
    del reader
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    total = 100
    step = report(ctx, 2, total, f"Reading the tokenizer from {gguf_path.name}")
    try:
        tokenizer = AutoTokenizer.from_pretrained(
            str(gguf_path.parent), gguf_file=gguf_path.name, local_files_only=True
        )
        step = report(ctx, 10, total, "Reading the model from the GGUF (first use only)")
        with _gguf_tensor_progress(ctx, 15, 85):
            model: Any = AutoModelForCausalLM.from_pretrained(
                str(gguf_path.parent),
                gguf_file=gguf_path.name,
                dtype=torch.bfloat16,
                local_files_only=True,
            )
    except SozoError:
        raise
    except Exception as exc:
        if ctx is not None:
            ctx.check()
        if "not supported" in str(exc).lower() or "architecture" in str(exc).lower():
            raise BadInput(
                message("gguf.transformers_arch", path=gguf_path, arch=arch, reason=str(exc)[:160])
            ) from None
        raise BadInput(
            message(
                "gguf.load_failed",
                path=gguf_path,
                reason=f"{type(exc).__name__}: {str(exc)[:200]}",
            )
        ) from None
    step = report(ctx, 88, total, "Saving a converted copy for faster loads next time")
    # save_pretrained refuses models that still carry their GGUF quantizer, although the
    # weights are plain bf16 tensors by now.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.is_quantized = False
    partial = target.with_name(target.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / "sozo-converted.json").write_text(
        json.dumps({"source": str(gguf_path), "format": _CONVERTED_FORMAT}), encoding="utf-8"
    )
    if target.exists():
        import shutil

        shutil.rmtree(target)
    partial.replace(target)
    report(ctx, step + 1, total, "Converted")
    return target


def report(ctx: JobContext | None, step: int, total: int, message: str) -> int:
    if ctx is not None:
        ctx.report(step, total, message=message)
    return step
