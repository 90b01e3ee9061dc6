"""GPT-2's byte-level BPE tokenizer in plain Python, for the packed CPU path.

SmolLM2 (the bundled model) and most Llama-family GGUFs tokenize this way: text is split
on the added tokens (``<|im_start|>`` ...), then by GPT-2's pattern into words, each word's
UTF-8 bytes are mapped to printable characters and merged pair by pair, lowest rank first.

Why not the ``tokenizers`` library, which does the same: building its Rust tokenizer from
``tokenizer.json`` is one C call, and transformers' JSON parse of that file another, each
holding the GIL for 100-350 ms (issue #21: the window froze on the Text panel's first
reply). Loading this one is Python bytecode reading two text files line by line, so the
GUI thread gets the GIL every switch interval; encoding a prompt takes a few ms.

It is only used where it was checked, when the model was packed, to give exactly the ids
and text the library gives (:func:`write_cache`); anything else keeps the library.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import shutil
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE = "bpe"  # the subfolder of a packed model's folder
UNSUPPORTED = "bpe-unsupported"  # a marker: checked once, keep the library's tokenizer
# GPT-2's pre-tokenizer pattern, as the ByteLevel pre-tokenizer uses it (use_regex: true).
PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
_SPECIAL_NAMES = ("bos_token", "eos_token", "unk_token", "pad_token")


@lru_cache(maxsize=1)
def byte_chars() -> tuple[str, ...]:
    """The printable character GPT-2 writes for each byte 0-255."""
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    extra = iter(range(256, 512))
    return tuple(chr(b) if b in printable else chr(next(extra)) for b in range(256))


class ByteLevelTokenizer:
    """The subset of a transformers tokenizer the text engine calls."""

    def __init__(
        self,
        vocab: list[str],
        merges: Iterable[tuple[str, str]],
        added: Sequence[tuple[int, str, bool]],
        settings: dict[str, Any],
    ) -> None:
        import regex

        self.vocab = vocab
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}
        self.added = {content: i for i, content, _ in added}
        self.special_ids = frozenset(i for i, _, special in added if special)
        self.chat_template: str | None = settings.get("chat_template")
        self.special_tokens = {k: settings[k] for k in _SPECIAL_NAMES if settings.get(k)}
        eos = self.special_tokens.get("eos_token")
        self.eos_token_id = self.convert_tokens_to_ids(eos) if eos else None
        self._words = regex.compile(PATTERN)
        longest_first = sorted(self.added, key=len, reverse=True)
        self._split = regex.compile("|".join(regex.escape(t) for t in longest_first) or "(?!)")
        self._to_char = byte_chars()
        self._to_byte = {c: b for b, c in enumerate(self._to_char)}
        self._cache: dict[str, list[int]] = {}
        self._template: Any = None

    # -- encoding -----------------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        start = 0
        for found in self._split.finditer(text):
            ids += self._encode_plain(text[start : found.start()])
            ids.append(self.added[found.group()])
            start = found.end()
        ids += self._encode_plain(text[start:])
        return ids

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        # The post-processor adds nothing (checked by write_cache), so the flag changes nothing.
        return {"input_ids": self.encode(text)}

    def _encode_plain(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in self._words.findall(text):
            cached = self._cache.get(word)
            if cached is None:
                chars = "".join(self._to_char[b] for b in word.encode("utf-8"))
                cached = [self.ids[part] for part in self._merge(chars)]
                if len(self._cache) < 50_000:
                    self._cache[word] = cached
            ids += cached
        return ids

    def _merge(self, word: str) -> list[str]:
        parts = list(word)
        ranks = self.ranks
        while len(parts) > 1:
            found = [r for r in map(ranks.get, itertools.pairwise(parts)) if r is not None]
            if not found:
                break
            best = min(found)
            merged: list[str] = []
            i = 0
            while i < len(parts):
                if i + 1 < len(parts) and ranks.get((parts[i], parts[i + 1])) == best:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        return parts

    # -- decoding -----------------------------------------------------------------------
    def decode(self, ids: Iterable[int], skip_special_tokens: bool = False) -> str:
        text: list[str] = []
        raw = bytearray()
        for i in ids:
            i = int(i)
            if i in self.special_ids:
                if skip_special_tokens:
                    continue
                text.append(raw.decode("utf-8", errors="replace"))
                raw.clear()
                text.append(self.vocab[i])
                continue
            raw += bytes(self._to_byte[c] for c in self.vocab[i])
        text.append(raw.decode("utf-8", errors="replace"))
        return "".join(text)

    # -- the rest the engine asks ---------------------------------------------------------
    def get_vocab(self) -> dict[str, int]:
        return dict(self.ids)

    def convert_tokens_to_ids(self, token: str) -> int | None:
        return self.ids.get(token)

    def apply_chat_template(
        self,
        conversation: list[dict[str, str]],
        add_generation_prompt: bool = False,
        tokenize: bool = True,
        return_dict: bool = False,
    ) -> Any:
        """Rendered as transformers renders it: a sandboxed Jinja environment that trims
        blocks, with ``raise_exception`` and the special tokens; tokenized without adding
        special tokens."""
        if self._template is None:
            from jinja2.ext import loopcontrols
            from jinja2.sandbox import ImmutableSandboxedEnvironment

            def raise_exception(text: str) -> None:
                raise ValueError(text)

            env = ImmutableSandboxedEnvironment(
                trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]
            )
            env.filters["tojson"] = lambda x, indent=None: json.dumps(
                x, ensure_ascii=False, indent=indent
            )
            env.globals["raise_exception"] = raise_exception
            self._template = env.from_string(self.chat_template or "")
        text = self._template.render(
            messages=conversation, add_generation_prompt=add_generation_prompt,
            **self.special_tokens,
        )  # fmt: skip
        if not tokenize:
            return text
        ids = self.encode(text)
        return {"input_ids": ids} if return_dict else ids


# -- the cache beside a packed model ---------------------------------------------------------
def load(folder: Path) -> ByteLevelTokenizer | None:
    """The checked tokenizer cached in ``folder`` (a packed model), or None."""
    return load_at(folder / CACHE)


def _shape(data: dict[str, Any]) -> tuple[list[str], list[tuple[str, str]], list[Any]] | None:
    """(vocab in id order, merges, added tokens) of a plain byte-level BPE, else None."""
    model = data.get("model") or {}
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "use_regex": True}
    pre = data.get("pre_tokenizer") or {}
    post = data.get("post_processor")
    plain_post = post is None or (
        post.get("type") == "TemplateProcessing"
        and post.get("single") == [{"Sequence": {"id": "A", "type_id": 0}}]
        and not post.get("special_tokens")
    )
    if (
        model.get("type") != "BPE"
        or model.get("dropout") is not None
        or model.get("byte_fallback")
        or model.get("ignore_merges")
        or model.get("continuing_subword_prefix") not in (None, "")
        or model.get("end_of_word_suffix") not in (None, "")
        or data.get("normalizer") is not None
        or any(pre.get(k) != v for k, v in byte_level.items())
        or (data.get("decoder") or {}).get("type") != "ByteLevel"
        or not plain_post
    ):
        return None
    by_id = {i: t for t, i in model["vocab"].items()}
    added = []
    for token in data.get("added_tokens") or []:
        if token.get("normalized") or token.get("lstrip") or token.get("rstrip"):
            return None
        if token.get("single_word"):
            return None
        by_id[token["id"]] = token["content"]
        added.append([token["id"], token["content"], bool(token.get("special"))])
    if sorted(by_id) != list(range(len(by_id))):
        return None
    vocab = [by_id[i] for i in range(len(by_id))]
    if any("\n" in t or "\r" in t for t in vocab):
        return None
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
    if any(len(m) != 2 or " " in m[0] or " " in m[1] for m in merges):
        return None
    return vocab, merges, added  # type: ignore[return-value]


def samples(seed: int = 0) -> list[str]:
    """Texts the check encodes: scripts, digits, spaces, contractions, added tokens."""
    texts = [
        "What is the capital of France?",
        "Hello, world! I'm sure they'll say we've done it; isn't it?  Don't.",
        "  leading and trailing spaces   \n\n\tTabs\tand\r\nnew lines\n  \n",
        "Numbers: 1234567890, 3.14159, -42, 1e-9, 0x1F, ２０２６年",
        "日本語の文章も正しく分けられるか。カタカナ、ひらがな、漢字。",
        "Ünïcödé àccents, ß, Ελληνικά, русский, עברית, العربية, हिन्दी, 한국어",
        "Emoji 😀🎨🎵 and flags 🇯🇵, a ZWJ family 👨‍👩‍👧 and e\u0301 combining.",
        "def f(x):\n    return {'a': [1, 2, 3]}  # code  \n",
        "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n",
        "Special tokens glued:<|im_end|><|im_start|>x<|endoftext|>end",
        "", " ", "\n", "a", "aaaaaaaaaaaaaaaa", "'s 're ''ll", "!!!???...---",
    ]  # fmt: skip
    rng = random.Random(seed)
    alphabet = "abcdefgh ijk\n.,'1é日😀"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(200)]
    return texts


def differences(ours: ByteLevelTokenizer, reference: Any, seed: int = 0) -> list[str]:
    """Where ``ours`` and a transformers tokenizer disagree (empty: they agree)."""
    found = []
    for text in samples(seed):
        want = list(reference(text, add_special_tokens=False)["input_ids"])
        if ours.encode(text) != want:
            found.append(f"encode {text!r}")
        elif ours.decode(want, skip_special_tokens=True) != reference.decode(
            want, skip_special_tokens=True
        ):
            found.append(f"decode {text!r}")
    rng = random.Random(seed)
    size = len(ours.vocab)
    for _ in range(300):
        ids = [rng.randrange(size) for _ in range(rng.randint(1, 6))]
        for skip in (True, False):
            if ours.decode(ids, skip) != reference.decode(ids, skip_special_tokens=skip):
                found.append(f"decode {ids} skip={skip}")
    if getattr(reference, "chat_template", None):
        for chat in (
            [{"role": "user", "content": "What is the capital of France?"}],
            [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
             {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "日本"}],
        ):  # fmt: skip
            want = reference.apply_chat_template(
                chat, add_generation_prompt=True, tokenize=True, return_dict=False
            )
            if hasattr(want, "keys"):
                want = want["input_ids"]
            if ours.apply_chat_template(chat, add_generation_prompt=True) != list(want):
                found.append(f"chat template {chat!r}")
    return found


def write_cache(folder: Path, reference: Any) -> bool:
    """Write ``folder``'s tokenizer.json as this module's cache, if it is a plain byte-level
    BPE and it encodes and decodes :func:`samples` exactly as ``reference`` (the
    transformers tokenizer of the same folder) does. Otherwise leave a marker so the
    check is not repeated. Whether the cache is there now."""
    if (folder / CACHE / "settings.json").is_file():
        return True
    if (folder / UNSUPPORTED).exists() or not (folder / "tokenizer.json").is_file():
        return False
    shape = _shape(json.loads((folder / "tokenizer.json").read_text(encoding="utf-8")))
    reason = "not a plain byte-level BPE"
    if shape is not None:
        vocab, merges, added = shape
        settings: dict[str, Any] = {"chat_template": getattr(reference, "chat_template", None)}
        for name in _SPECIAL_NAMES:
            value = getattr(reference, name, None)
            if isinstance(value, str) and value:
                settings[name] = value
        partial = folder / (CACHE + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        (partial / "vocab.txt").write_text("".join(t + "\n" for t in vocab), encoding="utf-8")
        (partial / "merges.txt").write_text(
            "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8"
        )
        (partial / "settings.json").write_text(
            json.dumps({**settings, "added": added}, ensure_ascii=False), encoding="utf-8"
        )
        ours = load_at(partial)
        assert ours is not None
        wrong = differences(ours, reference)
        if not wrong:
            partial.rename(folder / CACHE)
            return True
        shutil.rmtree(partial, ignore_errors=True)
        reason = f"differs from the library: {wrong[:3]}"
    log.info("Keeping the tokenizers library for %s: %s", folder.name, reason)
    (folder / UNSUPPORTED).write_text(reason + "\n", encoding="utf-8")
    return False


def load_at(cache: Path) -> ByteLevelTokenizer | None:
    """The tokenizer written in ``cache`` by :func:`write_cache`, or None."""
    if not (cache / "settings.json").is_file():
        return None
    settings = json.loads((cache / "settings.json").read_text(encoding="utf-8"))
    vocab = []
    with open(cache / "vocab.txt", encoding="utf-8", newline="\n") as lines:
        for line in lines:
            vocab.append(line[:-1])
    merges = []
    with open(cache / "merges.txt", encoding="utf-8", newline="\n") as lines:
        for line in lines:
            a, b = line[:-1].split(" ")
            merges.append((a, b))
    added = [(int(i), str(c), bool(s)) for i, c, s in settings.pop("added")]
    return ByteLevelTokenizer(vocab, merges, added, settings)
