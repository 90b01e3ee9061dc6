"""The plain-Python byte-level BPE (engines.text.bpe) against the tokenizers library, on a
tiny tokenizer trained here; the bundled model's is checked in test_real_model.py."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engines.text import bpe

CHATML = (
    "{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)


def _save(folder: Path, tokenizer: Any) -> Any:
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token="<|im_end|>", bos_token="<|im_start|>"
    )
    wrapped.chat_template = CHATML
    wrapped.save_pretrained(folder)
    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


def _trained(folder: Path, *, byte_level: bool = True) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    if byte_level:
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tokenizer.decoder = decoders.ByteLevel()
        alphabet = pre_tokenizers.ByteLevel.alphabet()
    else:
        tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
        alphabet = []
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        initial_alphabet=alphabet,
        show_progress=False,
    )
    tokenizer.train_from_iterator(bpe.samples(seed=1) * 3, trainer=trainer)
    return _save(folder, tokenizer)


def test_a_byte_level_bpe_is_cached_and_gives_the_librarys_ids(tmp_path: Path) -> None:
    reference = _trained(tmp_path)
    assert bpe.write_cache(tmp_path, reference)
    ours = bpe.load(tmp_path)
    assert isinstance(ours, bpe.ByteLevelTokenizer)
    assert bpe.differences(ours, reference, seed=7) == []  # other texts than the check's
    text = "<|im_start|>user\nHello 日本 😀<|im_end|>"
    ids = ours.encode(text)
    assert ids[0] == reference.convert_tokens_to_ids("<|im_start|>")
    assert ours.decode(ids) == text
    assert ours.decode(ids, skip_special_tokens=True) == "user\nHello 日本 😀"
    assert ours.eos_token_id == reference.eos_token_id
    chat = [{"role": "user", "content": "Hi"}]
    assert ours.apply_chat_template(chat, add_generation_prompt=True, tokenize=False) == (
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    )


def test_the_check_catches_a_tokenizer_that_differs(tmp_path: Path) -> None:
    reference = _trained(tmp_path)
    assert bpe.write_cache(tmp_path, reference)
    merges = (tmp_path / bpe.CACHE / "merges.txt").read_text(encoding="utf-8").splitlines()
    # The same merges in another order: other ranks, other words.
    (tmp_path / bpe.CACHE / "merges.txt").write_text(
        "".join(m + "\n" for m in reversed(merges)), encoding="utf-8"
    )
    ours = bpe.load(tmp_path)
    assert ours is not None
    assert any(d.startswith("encode") for d in bpe.differences(ours, reference))


def test_other_tokenizers_keep_the_library(tmp_path: Path) -> None:
    reference = _trained(tmp_path, byte_level=False)
    assert not bpe.write_cache(tmp_path, reference)
    assert bpe.load(tmp_path) is None
    assert "byte-level" in (tmp_path / bpe.UNSUPPORTED).read_text(encoding="utf-8")
    # Checked once: the marker stops a second check.
    data = json.loads((tmp_path / "tokenizer.json").read_text(encoding="utf-8"))
    assert data["pre_tokenizer"]["type"] == "Whitespace"
    assert not bpe.write_cache(tmp_path, reference)


@pytest.mark.parametrize("word", ["aaaa", "ababab", " the", "\n\n\n", "😀😀"])
def test_repeated_pairs_merge_as_the_library_merges_them(tmp_path: Path, word: str) -> None:
    reference = _trained(tmp_path)
    assert bpe.write_cache(tmp_path, reference)
    ours = bpe.load(tmp_path)
    assert ours is not None
    assert ours.encode(word * 3) == reference(word * 3, add_special_tokens=False)["input_ids"]
