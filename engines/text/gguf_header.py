"""A GGUF file's header, read and checked before llama.cpp or ``gguf``'s reader sees it.

The header is walked field by field with seeks: no read is sized by a count the file
claims until that count has been compared with the bytes the file really holds, so a
damaged or hostile header (a billion tensors, a string of 2**63 bytes) is refused at
once instead of making a reader allocate for it. What comes back: the format version,
the architecture, the scalar and short-string metadata (arrays are skipped), and the
tensor count; the tensors' extents are checked against the file's size (a truncated
download is refused here, before llama.cpp maps it).

Refusals are :class:`~engines.errors.BadInput` with message ids (``gguf.*``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from engines.errors import BadInput
from engines.messages import message

SUPPORTED_VERSIONS = (2, 3)
MAX_PLAUSIBLE_VERSION = 255  # GGUF has had versions 1 to 3
# Metadata strings kept in full up to this size (a chat template is a few KB); longer
# ones are skipped by seeking.
MAX_KEPT_STRING = 1 << 20
_MAX_KEY = 1 << 16  # a key name longer than this is damage, not a name
_MAX_DIMS = 8  # GGML_MAX_DIMS is 4
# Counts and lengths past the file's end above this are claims no real model makes (a
# 262k-token vocabulary, a 20 GB tensor's bytes are below it): refused as absurd, not as
# a file cut short.
_PLAUSIBLE = 1 << 36

# Text-generating architectures of the llama.cpp vendored by llama-cpp-python 0.3.36
# (src/llama-arch.cpp, LLM_ARCH_NAMES), leaving out encoders, embedders, vision and
# audio towers, which the Text panel cannot chat with.
LLAMA_CPP_TEXT_ARCHITECTURES = frozenset(
    [
        "llama",
        "llama4",
        "deci",
        "falcon",
        "grok",
        "gpt2",
        "gptj",
        "gptneox",
        "mpt",
        "baichuan",
        "starcoder",
        "refact",
        "bloom",
        "stablelm",
        "qwen",
        "qwen2",
        "qwen2moe",
        "qwen3",
        "qwen3moe",
        "qwen3next",
        "qwen35",
        "qwen35moe",
        "phi2",
        "phi3",
        "phimoe",
        "plamo",
        "plamo2",
        "plamo3",
        "codeshell",
        "orion",
        "internlm2",
        "minicpm",
        "minicpm3",
        "gemma",
        "gemma2",
        "gemma3",
        "gemma3n",
        "gemma4",
        "starcoder2",
        "mamba",
        "mamba2",
        "jamba",
        "falcon-h1",
        "xverse",
        "command-r",
        "cohere2",
        "cohere2moe",
        "dbrx",
        "olmo",
        "olmo2",
        "olmoe",
        "openelm",
        "arctic",
        "deepseek",
        "deepseek2",
        "chatglm",
        "glm4",
        "glm4moe",
        "bitnet",
        "jais",
        "jais2",
        "nemotron",
        "nemotron_h",
        "nemotron_h_moe",
        "exaone",
        "exaone4",
        "exaone-moe",
        "rwkv6",
        "rwkv6qwen2",
        "rwkv7",
        "arwkv7",
        "granite",
        "granitemoe",
        "granitehybrid",
        "granite_swa",
        "chameleon",
        "plm",
        "bailingmoe",
        "bailingmoe2",
        "dots1",
        "arcee",
        "afmoe",
        "ernie4_5",
        "ernie4_5-moe",
        "hunyuan-moe",
        "hunyuan-dense",
        "smollm3",
        "gpt-oss",
        "lfm2",
        "lfm2moe",
        "smallthinker",
        "seed_oss",
        "grovemoe",
        "apertus",
        "minimax-m2",
        "mistral3",
        "mistral4",
        "mimo2",
        "nanbeige",
    ]
)

# GGUF value types: fixed sizes (type id -> struct code).
_SCALARS = {
    0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"
}  # fmt: skip
_STRING, _ARRAY = 8, 9


@dataclass
class GGUFHeader:
    path: Path
    version: int
    tensor_count: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def architecture(self) -> str:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else ""

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) and value > 0 else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else None


class _Damaged(Exception):
    """A header field that runs past the end of the file."""


class _Absurd(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


class _Reader:
    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f, self.size = f, size

    @property
    def left(self) -> int:
        return self.size - self.f.tell()

    def take(self, n: int) -> bytes:
        if n > self.left:
            raise _Damaged
        return self.f.read(n)

    def skip(self, n: int) -> None:
        if n > self.left:
            raise _Damaged
        self.f.seek(n, 1)

    def unpack(self, code: str) -> Any:
        size = struct.calcsize("<" + code)
        return struct.unpack("<" + code, self.take(size))[0]

    def length(self, what: str, limit: int | None = None) -> int:
        """A claimed byte or item count, refused when the file cannot hold it."""
        n = int(self.unpack("Q"))
        if limit is not None and n > limit:
            raise _Absurd(f"{what} of {n:,}")
        self.claim(n, 1, f"{what} of {n:,}")
        return n

    def claim(self, count: int, each: int, what: str) -> None:
        """``count`` items of at least ``each`` bytes must fit in what is left: past the
        end, a count no real model has is an absurd header; one that could be real is a
        file cut short."""
        if count * each > self.left:
            raise _Absurd(what) if count > _PLAUSIBLE else _Damaged

    def string(self, what: str, keep: bool) -> str | None:
        n = self.length(what)
        if not keep or n > MAX_KEPT_STRING:
            self.skip(n)
            return None
        return self.take(n).decode("utf-8", errors="replace")

    def value(self, kind: int, keep: bool) -> Any:
        if kind in _SCALARS:
            return self.unpack(_SCALARS[kind])
        if kind == _STRING:
            return self.string("a string length", keep)
        if kind == _ARRAY:
            item = int(self.unpack("I"))
            count = self.length("an array length")
            if item in _SCALARS:
                self.skip(self._checked(count, struct.calcsize("<" + _SCALARS[item])))
            elif item == _STRING:
                self._checked(count, 8)
                for _ in range(count):
                    self.string("a string length", keep=False)
            elif item == _ARRAY:
                self._checked(count, 12)
                for _ in range(count):
                    self.value(_ARRAY, keep=False)
            else:
                raise _Absurd(f"a value type of {item}")
            return None
        raise _Absurd(f"a value type of {kind}")

    def _checked(self, count: int, each: int) -> int:
        self.claim(count, each, f"an array of {count:,} items")
        return count * each


def read_header(path: Path) -> GGUFHeader:
    """The checked header of ``path``, or :class:`BadInput` saying what is wrong."""
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as f:
            size = path.stat().st_size
            return _read(_Reader(f, size), path)
    except OSError as exc:
        raise BadInput(
            message("gguf.unreadable", name=name, why=exc.strerror or str(exc))
        ) from None
    except _Damaged:
        raise BadInput(message("gguf.truncated", name=name)) from None
    except _Absurd as absurd:
        raise BadInput(message("gguf.absurd_header", name=name, what=absurd.what)) from None


def _read(r: _Reader, path: Path) -> GGUFHeader:
    name = path.name
    magic = r.f.read(4)
    if magic != b"GGUF":
        raise BadInput(message("gguf.not_gguf", name=name))
    version = int(r.unpack("I"))
    if version > MAX_PLAUSIBLE_VERSION:  # random bytes, not a format from the future
        raise BadInput(message("gguf.damaged_version", name=name, version=version))
    if version not in SUPPORTED_VERSIONS:
        raise BadInput(message("gguf.bad_version", name=name, version=version))
    tensor_count = int(r.unpack("Q"))
    kv_count = int(r.unpack("Q"))
    # Each key-value pair takes at least 13 bytes (key length, type, a one-byte value),
    # each tensor entry at least 24 (name length, dimension count, type, offset).
    r.claim(kv_count, 13, f"{kv_count:,} metadata entries")
    r.claim(tensor_count, 24, f"{tensor_count:,} tensors")
    header = GGUFHeader(path=path, version=version, tensor_count=tensor_count)
    for _ in range(kv_count):
        key = r.string("a key length", keep=True) or ""
        kind = int(r.unpack("I"))
        header.metadata[key] = r.value(kind, keep=True)
    _check_tensors(r, header)
    return header


def _check_tensors(r: _Reader, header: GGUFHeader) -> None:
    """The tensor table, and every tensor's bytes inside the file (else truncated)."""
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    end = 0
    for _ in range(header.tensor_count):
        r.skip(r.length("a tensor name length", _MAX_KEY))
        dims = int(r.unpack("I"))
        if dims > _MAX_DIMS:
            raise _Absurd(f"a tensor of {dims} dimensions")
        elements = 1
        for _ in range(dims):
            elements *= int(r.unpack("Q"))
        kind = int(r.unpack("I"))
        offset = int(r.unpack("Q"))
        try:
            block, block_bytes = GGML_QUANT_SIZES[GGMLQuantizationType(kind)]
        except (ValueError, KeyError):
            raise _Absurd(f"a tensor type of {kind}") from None
        end = max(end, offset + elements // block * block_bytes)
    if header.tensor_count == 0:
        return
    alignment = header.metadata.get("general.alignment")
    align = alignment if isinstance(alignment, int) and alignment > 0 else 32
    data_start = -(-r.f.tell() // align) * align
    if data_start + end > r.size:
        raise _Damaged


def check_architecture(header: GGUFHeader) -> None:
    """:class:`BadInput` when llama.cpp has no text model for the header's architecture."""
    if header.architecture not in LLAMA_CPP_TEXT_ARCHITECTURES:
        raise BadInput(
            message(
                "gguf.unsupported_arch",
                name=header.path.name,
                arch=header.architecture or "unnamed",
            )
        )
