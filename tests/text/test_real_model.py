"""The bundled SmolLM2-135M-Instruct: a factual answer, its chat template, steering.

Loaded once per session (the first run packs the GGUF's blocks, ~20 s; the session-wide
cache dir keeps the packed copy)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from engines.catalogue import Catalogue
from engines.errors import ModelUnavailable
from engines.text import llm
from engines.text.types import ChatMessage, TextRequest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def smollm(
    session_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[llm.LoadedModel]:
    # Session fixtures are set up before the per-test isolated folders: isolate this one
    # itself, so the packed copy goes to the session cache and never to the user's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOZO_CACHE_DIR", str(session_cache_dir))
        patch.setenv("SOZO_CONFIG_DIR", str(tmp_path_factory.mktemp("smollm-config")))
        try:
            Catalogue().get(llm.DEFAULT_MODEL_ID).require()
        except ModelUnavailable as exc:
            pytest.skip(str(exc))
        yield llm.load(llm.DEFAULT_MODEL_ID)


def test_capital_of_france(smollm: llm.LoadedModel) -> None:
    request = TextRequest(
        messages=(ChatMessage("user", "What is the capital of France?"),),
        max_new_tokens=24,
        temperature=0.0,
    )
    result = smollm.generate(request)
    assert "Paris" in result.text
    assert smollm.fast and "packed GGUF" in smollm.notes[0]
    assert smollm.decoder.step is not None  # one ONNX Runtime call a token


def test_chat_template_is_the_models_own(smollm: llm.LoadedModel) -> None:
    ids = smollm.render([ChatMessage("user", "Hi")])
    text = smollm.tokenizer.decode(ids)
    assert text.startswith("<|im_start|>system\n")  # SmolLM2's default system prompt
    assert "<|im_start|>user\nHi<|im_end|>" in text
    assert text.endswith("<|im_start|>assistant\n")
    own = smollm.render([ChatMessage("system", "Be terse."), ChatMessage("user", "Hi")])
    assert "Be terse." in smollm.tokenizer.decode(own)
    assert smollm.context_length == 8192


def test_positive_steering_raises_happy_words(smollm: llm.LoadedModel) -> None:
    chat = [ChatMessage("user", "How was your day?")]
    happy = ["great", "wonderful", "happy", "good", "amazing"]
    sad = ["terrible", "awful", "sad", "bad", "horrible"]

    def lean() -> float:  # log-prob of happy first words minus sad ones
        return smollm.token_logprobs(chat, happy) - smollm.token_logprobs(chat, sad)

    neutral = lean()
    with smollm.steering({"positive": 1.0}):
        cheerful = lean()
    with smollm.steering({"positive": -2.0}):
        gloomy = lean()
    assert cheerful > neutral + 0.5
    assert gloomy < neutral - 0.5
    assert smollm.hook_count() == 0


def test_the_steering_sliders_ends_keep_replies_fluent_and_steered(
    smollm: llm.LoadedModel,
) -> None:
    """At both calibrated ends of the "formal" slider (at the old end, 3, it wrote "I have
    provided the Disclosing Information to the highest Level of Accuracy and the
    Desurrence…"), on the calibration's prompts: the unsteered model's perplexity of each
    greedy steered reply is within 2x of its own unsteered reply's, and the end's words
    (formal or casual) get likelier. Two measures of 4 x 48 greedy tokens, ~25 s."""
    from engines.text import calibrate_steering as calibration

    definition = next(d for d in llm.steering_definitions() if d.name == "formal")
    allowed = definition.range_for(smollm.model_id)
    assert allowed.calibrated
    calibrator = calibration.Calibrator(smollm)
    for end in (allowed.high, allowed.low):
        measure = calibrator.measure(definition, end)
        assert measure.worst_ratio <= calibration.PERPLEXITY_LIMIT, measure.line()
        assert measure.word_shift > 0, measure.line()
    assert smollm.hook_count() == 0


def test_packed_decoder_agrees_with_transformers(smollm: llm.LoadedModel) -> None:
    """Teacher-forced next-token predictions of the packed GGUF decoder against
    transformers on the bf16 copy of the same GGUF (the previous default path)."""
    import torch
    from transformers import AutoModelForCausalLM

    folder = llm.convert_gguf(smollm.source)
    reference = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
    text = (
        "The capital of France is Paris. It is known for the Eiffel Tower, museums such "
        "as the Louvre, and its cafes. Many tourists visit every year to see"
    )
    ids = smollm.tokenizer(text)["input_ids"]
    with torch.inference_mode():
        expected = reference(torch.tensor([ids])).logits[0].float()
        smollm.decoder.reset(len(ids))
        smollm._cached_ids, smollm._last_prompt = [], None
        got = torch.stack([smollm.decoder(torch.tensor([[t]]), i) for i, t in enumerate(ids)])
    want = torch.log_softmax(expected, -1)
    kl = (want.exp() * (want - torch.log_softmax(got, -1))).sum(-1).mean()
    assert (got.argmax(-1) == expected.argmax(-1)).float().mean() >= 0.9
    assert kl < 0.05  # measured 0.016 (int8 activations per block, as llama.cpp)


def test_a_second_turn_reuses_the_first(smollm: llm.LoadedModel) -> None:
    first = TextRequest(
        messages=(ChatMessage("user", "What is the capital of France?"),),
        max_new_tokens=24,
        temperature=0.0,
    )
    reply = smollm.generate(first)
    second = smollm.generate(
        TextRequest(
            messages=(
                *first.messages,
                ChatMessage("assistant", reply.text),
                ChatMessage("user", "And of Italy?"),
            ),
            max_new_tokens=24,
            temperature=0.0,
        )
    )
    assert second.reused_tokens >= reply.prompt_tokens
    assert "Rome" in second.text


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_peak_memory_of_load_and_128_tokens(smollm: llm.LoadedModel) -> None:
    """A fresh process loading the (already packed) default model and decoding 128 tokens
    stays within 600 MB peak RSS (measured 488-507 MB with the one-call step graph; fp32
    transformers: 1.2 GB)."""
    import subprocess
    import sys

    script = (
        "from engines.text import llm\n"
        "from engines.text.types import ChatMessage, TextRequest\n"
        "model = llm.load()\n"
        "model.eos_ids = frozenset()\n"
        "request = TextRequest(messages=(ChatMessage('user', 'Tell me a story.'),),"
        " max_new_tokens=128, temperature=0.0)\n"
        "assert model.generate(request).tokens == 128\n"
        # VmHWM, not ru_maxrss: after fork + exec, ru_maxrss starts from the parent's RSS.
        "status = open('/proc/self/status').read()\n"
        "print(int(status.split('VmHWM:')[1].split()[0]) * 1024)\n"
    )
    from engines.text import gguf_cpu

    if gguf_cpu.read_packed_config(gguf_cpu.packed_dir(smollm.source)) is None:
        # This test's cache folder has no packed copy yet: the first packing (which also
        # converts the tokenizer) peaks higher, ~850 MB, and is not what is measured here.
        subprocess.run(
            [sys.executable, "-c", "from engines.text import llm; llm.load()"], check=True
        )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    peak = int(out.stdout.strip().splitlines()[-1])
    assert peak <= 600 * 2**20, f"peak RSS {peak / 2**20:.0f} MB"


# The fast path against the exact reference (engines/text/reference.py: the GGUF
# dequantised by the gguf package, float64 torch). Plain questions and an open prompt,
# English and Japanese.
EXACT_PROMPTS = (
    "What is the capital of France?",
    "日本の首都はどこですか？",
    "What colour is the sky on a clear day?",
    "What is 2 + 3?",
    "Name a large animal that lives in the ocean.",
    "Write one sentence about autumn.",
)


def test_fast_path_gives_the_exact_paths_greedy_tokens(smollm: llm.LoadedModel) -> None:
    """16 greedy tokens of each prompt on the shipped fast path are the exact path's, and
    every logit along the way is within PROBE_TOLERANCE (0.05) of the exact one (measured
    0.003-0.010 on AVX-512 VNNI and on AVX2; with the activations quantised once, as
    before, 0.6-2.6, and 0 to 14 of 16 tokens agreed on AVX-512)."""
    import torch

    from engines.text import gguf_cpu, reference

    assert smollm.decoder.step is not None and not smollm.warnings
    for prompt in EXACT_PROMPTS:
        ids = smollm.render([ChatMessage("user", prompt)])
        smollm._cached_ids, smollm._last_prompt = [], None
        smollm.decoder.reset(len(ids) + 16)
        made, logits = [], []
        with torch.inference_mode():
            step = smollm.decoder(torch.tensor([ids]), 0)
            for i in range(16):
                logits.append(step.double())
                made.append(int(step.argmax()))
                step = smollm.decoder(torch.tensor([[made[-1]]]), len(ids) + i)
        exact = reference.reference_logits(smollm.source, ids + made[:-1])[len(ids) - 1 :]
        assert exact.argmax(-1).tolist() == made, prompt
        worst = float((torch.stack(logits) - exact).abs().max())
        assert worst <= gguf_cpu.PROBE_TOLERANCE, f"{prompt}: logits off by {worst:.3f}"


def test_a_reply_on_a_reused_cache_is_the_reply_of_a_fresh_prefill(
    smollm: llm.LoadedModel,
) -> None:
    first = TextRequest(
        messages=(ChatMessage("user", "What is the capital of Japan?"),),
        max_new_tokens=20,
        temperature=0.0,
    )
    reply = smollm.generate(first)
    second = TextRequest(
        messages=(
            *first.messages,
            ChatMessage("assistant", reply.text),
            ChatMessage("user", "And what is it famous for?"),
        ),
        max_new_tokens=32,
        temperature=0.0,
    )
    reused = smollm.generate(second)
    assert reused.reused_tokens >= reply.prompt_tokens
    smollm._cached_ids, smollm._last_prompt = [], None  # forget the cache: prefill it all
    fresh = smollm.generate(second)
    assert fresh.reused_tokens == 0
    assert reused.text == fresh.text and reused.tokens == fresh.tokens


def test_a_fast_path_that_fails_its_check_falls_back_and_says_so(
    smollm: llm.LoadedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The load-time probe (the fast path's logits against the stored exact ones) decides;
    made to fail, the model loads on the exact float32 path and every reply says why."""
    from engines.text import gguf_cpu

    monkeypatch.setattr(gguf_cpu, "PROBE_TOLERANCE", -1.0)
    model = llm.load(llm.DEFAULT_MODEL_ID)
    assert model.dtype == "float32" and not hasattr(model.decoder, "step")
    assert "fast CPU decoder is off on this CPU" in model.warnings[0]
    result = model.generate(
        TextRequest(
            messages=(ChatMessage("user", "What is the capital of France?"),),
            max_new_tokens=12,
            temperature=0.0,
        )
    )
    assert "Paris" in result.text
    assert result.notices[0] == model.warnings[0]


@pytest.mark.skipif(
    shutil.which("qemu-x86_64") is None,
    reason="qemu-user (Debian qemu-user) is not installed: the AVX2 kernels are not "
    "checked on this machine (.ci/run installs it where it can)",
)
def test_the_check_holds_on_the_kernels_of_an_avx2_cpu(smollm: llm.LoadedModel) -> None:
    """ONNX Runtime cannot be told to use a lower instruction set, so the probe runs again
    in QEMU's user-mode emulation of a Haswell CPU (AVX2, FMA, no AVX-512): ONNX Runtime
    then picks its AVX2 kernels, whatever this machine has. (QEMU 7.2 cannot emulate
    AVX-512, so an AVX2 host checks AVX2 kernels twice; the AVX-512 VNNI kernels are
    checked by the test above wherever CI has them.)"""
    import json
    import os
    import subprocess
    import sys

    from engines.text import gguf_cpu

    folder = gguf_cpu.packed_dir(smollm.source)
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from engines.text import gguf_cpu, llm\n"
        "from transformers import AutoTokenizer\n"
        "folder, source = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "decoder = gguf_cpu.build_decoder(folder, gguf_cpu.read_packed_config(folder))\n"
        "tokens = llm._probe_tokens(AutoTokenizer.from_pretrained(str(folder)))\n"
        "check = gguf_cpu.check_against_reference(decoder, source, folder, tokens)\n"
        "print(json.dumps([check.max_difference, check.same_top_token]))\n"
    )
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run(
        [
            "qemu-x86_64",
            "-cpu",
            "Haswell-v4",
            sys.executable,
            "-c",
            script,
            str(folder),
            str(smollm.source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    difference, same_top = json.loads(out.stdout.strip().splitlines()[-1])
    assert same_top and difference <= gguf_cpu.PROBE_TOLERANCE, difference


def test_the_packed_model_tokenizes_in_plain_python_as_the_library_does(
    smollm: llm.LoadedModel,
) -> None:
    """Its tokenizer is engines.text.bpe's (loading the library's holds the GIL for
    100-350 ms, issue #21), and it gives the library's ids and text on texts other than
    the ones checked when the model was packed."""
    from transformers import AutoTokenizer

    from engines.text import bpe, gguf_cpu

    assert isinstance(smollm.tokenizer, bpe.ByteLevelTokenizer)
    folder = gguf_cpu.packed_dir(smollm.source)
    reference = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    assert bpe.differences(smollm.tokenizer, reference, seed=11) == []
