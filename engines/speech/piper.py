"""Piper voices (VITS) on ONNX Runtime: text -> espeak phonemes -> ids -> audio.

A Piper voice is an ONNX export of VITS (Kim et al. 2021, "Conditional Variational
Autoencoder with Adversarial Learning for End-to-End Text-to-Speech") plus a JSON file
(``<voice>.onnx.json``) with its sample rate, espeak language, phoneme-to-id map and
default scales. This file reimplements what Piper's ``voice.py`` does, readably:

1. split the text into sentences (``engines.speech.text``), drop letters of scripts the
   voice cannot read;
2. phonemize each sentence with espeak-ng (``engines.speech.espeak``), as in training;
   newer voices list ``vowel_clusters`` (e.g. ``a`` + ``ɪ``) that are merged into one
   phoneme (``aɪ``) after that. Chinese voices (``phoneme_type`` ``"pinyin"``) read pinyin
   syllables instead (``engines.speech.pinyin``);
3. ids: ``^ _ p1 _ p2 _ ... $`` (BOS, then each phoneme followed by the pad id, then EOS;
   pinyin voices pad after each syllable and pause instead);
4. run the model: ``input`` int64 (1, N), ``input_lengths`` int64 (1,), ``scales``
   float32 (3,) = (noise_scale, length_scale, noise_w), and ``sid`` int64 (1,) for
   multi-speaker voices; ``output`` float32 (1, 1, 1, samples);
5. bring each sentence's peak to a fixed level (VITS output loudness varies by sentence).

For a quick start the first sentence may be spoken in two pieces (a short head, then the
rest, cut between phrases): the head plays while the rest is made. The two pieces share
one loudness and meet with a 5 ms fade and no added silence, so the join is not heard as
a click or a gap.

``noise_scale`` is the variance of the prior (expressiveness of the voice), ``noise_w``
the variance of the stochastic duration predictor (rhythm), ``length_scale`` stretches
durations; speed is its inverse.

Both noises are drawn by the graph's ``RandomNormalLike`` nodes, which ONNX Runtime
cannot seed per run; :mod:`engines.speech.noise` turns them into inputs at load, fed
from :attr:`PiperSettings.seed` (and the sentence's index, so sentences differ).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.messages import message
from engines.speech import noise
from engines.speech.noise import FIRST_GUESS_PER_ID, NoiseInput
from engines.speech.noise_cache import seedable_file
from engines.speech.text import (
    ScriptFilter,
    is_speakable,
    scripts_for_language,
    split_first_clause,
    split_sentences,
)
from engines.speech.types import SpeechChunk

BOS, EOS, PAD = "^", "$", "_"
PHONEME_TYPES = ("espeak", "text", "pinyin")
PEAK_LEVEL = 0.9
"""Each sentence is scaled to this peak (Piper scales to 1.0, which clips after MP3
encoding)."""
SENTENCE_GAP_S = 0.15
"""Silence after each sentence, so that sentences do not run into each other."""
JOIN_FADE_S = 0.005
"""Fade at the inside edges of a sentence cut in two, so the join cannot click."""
JOIN_KEEP_S = (0.03, 0.015)
"""Silence kept at the end of the head and the start of the rest: VITS pads an utterance
with ~0.15 s of near-silence at its end, which in mid-sentence would be a gap."""
WARM_UP_TEXT = "Hi."
SPEED_RANGE = (0.25, 4.0)
NOISE_RANGE = (0.0, 2.0)


@dataclass(frozen=True)
class PiperSettings:
    """How to speak. ``None`` means the voice's default from its ``.onnx.json``."""

    speed: float | None = None  # 2.0 speaks twice as fast (length_scale / 2)
    noise_scale: float | None = None  # expressiveness (VITS prior noise)
    noise_w: float | None = None  # rhythm variation (duration predictor noise)
    speaker: str | int | None = None  # multi-speaker voices: name or id; None: the first
    seed: int | None = None
    """Seeds the model's noise (``engines.speech.noise``): the same seed, text and
    settings give the same samples in any process; None draws fresh noise."""


@dataclass(frozen=True)
class PiperConfig:
    """What a voice's ``.onnx.json`` says about it."""

    path: Path
    sample_rate: int
    espeak_voice: str
    phoneme_type: str  # "espeak" (IPA from espeak-ng), "text" (letters) or "pinyin" (zh)
    phoneme_id_map: Mapping[str, Sequence[int]]
    noise_scale: float
    length_scale: float
    noise_w: float
    num_speakers: int = 1
    speaker_id_map: Mapping[str, int] = field(default_factory=dict)
    language: str = ""  # e.g. "en_US"
    language_family: str = ""  # e.g. "en"
    name: str = ""
    vowel_clusters: frozenset[tuple[str, ...]] = frozenset()
    """Runs of espeak phonemes (code points) the voice was trained on as one phoneme:
    ``("a", "ɪ")`` is spoken as ``"aɪ"``, which the id map holds. Empty for older voices."""

    @classmethod
    def from_file(cls, path: Path) -> PiperConfig:
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelUnavailable(
                f"The Piper voice config {path} is missing: a voice needs its .onnx file and "
                "the .onnx.json beside it."
            ) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise BadInput(
                message("piper.config_unreadable", path=str(path), reason=str(exc))
            ) from None
        try:
            inference = raw.get("inference", {})
            lang = raw.get("language", {}) or {}
            espeak_voice = (raw.get("espeak") or {}).get("voice", "")
            family = lang.get("family") or espeak_voice.split("-")[0]
            id_map = raw["phoneme_id_map"]
            if not isinstance(id_map, dict) or not all(
                isinstance(v, list) and all(isinstance(i, int) for i in v) for v in id_map.values()
            ):
                raise ValueError("phoneme_id_map must map phonemes to lists of ids")
            clusters = raw.get("vowel_clusters") or []
            if not isinstance(clusters, list) or not all(
                isinstance(c, list) and len(c) >= 2 and all(isinstance(p, str) for p in c)
                for c in clusters
            ):
                raise ValueError("vowel_clusters must be lists of two or more phonemes")
            for cluster in clusters:
                if "".join(cluster) not in id_map:
                    raise ValueError(
                        f"the vowel cluster {''.join(cluster)!r} has no id in phoneme_id_map"
                    )
            return cls(
                path=path,
                sample_rate=int(raw["audio"]["sample_rate"]),
                espeak_voice=espeak_voice,
                phoneme_type=str(raw.get("phoneme_type", "espeak")),
                phoneme_id_map=id_map,
                noise_scale=float(inference.get("noise_scale", 0.667)),
                length_scale=float(inference.get("length_scale", 1.0)),
                noise_w=float(inference.get("noise_w", 0.8)),
                num_speakers=int(raw.get("num_speakers", 1)),
                speaker_id_map={
                    str(k): int(v) for k, v in (raw.get("speaker_id_map") or {}).items()
                },
                language=str(lang.get("code", "")),
                language_family=str(family),
                name=str(raw.get("dataset") or path.name.removesuffix(".onnx.json")),
                vowel_clusters=frozenset(tuple(c) for c in clusters),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadInput(message("piper.not_a_config", path=str(path), reason=str(exc))) from None


class PiperVoice:
    """One Piper voice: its config, and an ONNX Runtime session after :meth:`load`.

    :meth:`synthesize` is a generator of one :class:`SpeechChunk` per sentence, so callers
    stream it, count progress and cancel between sentences.
    """

    def __init__(self, model_path: str | Path, config_path: str | Path | None = None) -> None:
        self.model_path = Path(model_path)
        self.config_path = Path(config_path) if config_path else Path(f"{self.model_path}.json")
        self.config = PiperConfig.from_file(self.config_path)
        if self.config.phoneme_type not in PHONEME_TYPES:
            raise ModelUnavailable(
                f"{self.config_path}: phoneme type {self.config.phoneme_type!r} is not supported "
                f"({', '.join(PHONEME_TYPES)} voices are)."
            )
        self._session: Any = None
        self.provider = ""
        self._input_names: set[str] = set()
        self._noise: list[NoiseInput] = []

    # -- facts ---------------------------------------------------------------------------
    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    @property
    def name(self) -> str:
        return self.model_path.name.removesuffix(".onnx")

    @property
    def speakers(self) -> list[str]:
        """Speaker names of a multi-speaker voice, in id order; [] for one speaker."""
        if self.config.num_speakers <= 1:
            return []
        by_id = sorted(self.config.speaker_id_map.items(), key=lambda kv: kv[1])
        if by_id:
            return [name for name, _ in by_id]
        return [str(i) for i in range(self.config.num_speakers)]

    @property
    def scripts(self) -> frozenset[str]:
        return scripts_for_language(self.config.language_family or "en")

    @property
    def loaded(self) -> bool:
        return self._session is not None

    # -- loading -------------------------------------------------------------------------
    def load(self) -> PiperVoice:
        """Open the ONNX session on the device policy's providers; check the inputs."""
        if self._session is not None:
            return self
        import onnxruntime as ort

        from engines import device

        if not self.model_path.is_file():
            raise ModelUnavailable(f"The Piper voice file {self.model_path} is missing.")
        choice = device.current(needs_torch=False)  # ONNX only: no torch import
        options = device.voice_session_options(choice)
        try:
            # By path: a session made from bytes copies them holding the lock.
            graph, noise_inputs = seedable_file(self.model_path)
            session = ort.InferenceSession(
                str(graph), sess_options=options, providers=list(choice.onnx_providers)
            )
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise BadInput(
                message("piper.not_onnx", path=str(self.model_path), reason=first)
            ) from None
        names = {i.name for i in session.get_inputs()} - {i.name for i in noise_inputs}
        missing = {"input", "input_lengths", "scales"} - names
        if missing:
            raise BadInput(
                message(
                    "piper.lacks_inputs",
                    path=str(self.model_path),
                    missing=", ".join(sorted(missing)),
                    has=", ".join(sorted(names)),
                )
            )
        if self.config.num_speakers > 1 and "sid" not in names:
            raise BadInput(
                message(
                    "piper.speakers_mismatch",
                    config=str(self.config_path),
                    speakers=self.config.num_speakers,
                    model=self.model_path.name,
                )
            )
        if self.config.num_speakers <= 1 and "sid" in names:
            raise BadInput(
                message(
                    "piper.single_mismatch",
                    model=self.model_path.name,
                    config=self.config_path.name,
                )
            )
        self._session = session
        self._input_names = names
        self._noise = noise_inputs
        self.provider = session.get_providers()[0]
        self._warm_up()
        return self

    def _warm_up(self) -> None:
        """Pay the first-call costs now, at load, not when the user presses Speak:
        espeak-ng reads its voice data, and ONNX Runtime's first run allocates its
        buffers."""
        self._voice_audio(WARM_UP_TEXT, PiperSettings(seed=0))

    def unload(self) -> None:
        self._session = None

    # -- text -> ids -----------------------------------------------------------------------
    def phonemize(self, sentence: str) -> list[str]:
        if self.config.phoneme_type == "text":
            import unicodedata

            return list(unicodedata.normalize("NFD", sentence))
        if self.config.phoneme_type == "pinyin":
            from engines.speech import pinyin

            return pinyin.phonemize(sentence)
        from engines.speech import espeak

        phonemes = espeak.phonemize_sentence(sentence, self.config.espeak_voice or "en-us")
        if self.config.vowel_clusters:
            phonemes = merge_vowel_clusters(phonemes, self.config.vowel_clusters)
        return phonemes

    def phoneme_ids(self, phonemes: Sequence[str]) -> list[int]:
        id_map = self.config.phoneme_id_map
        if self.config.phoneme_type == "pinyin":
            from engines.speech import pinyin

            return pinyin.phoneme_ids(phonemes, id_map)
        ids = [*id_map[BOS], *id_map[PAD]]
        for p in phonemes:
            if p in id_map:  # phonemes the voice never saw in training are dropped
                ids.extend(id_map[p])
                ids.extend(id_map[PAD])
        ids.extend(id_map[EOS])
        return ids

    def speaker_id(self, speaker: str | int | None) -> int | None:
        if self.config.num_speakers <= 1:
            return None
        if speaker is None:
            return 0
        if isinstance(speaker, int) or str(speaker).isdigit():
            sid = int(speaker)
            if 0 <= sid < self.config.num_speakers:
                return sid
        elif speaker in self.config.speaker_id_map:
            return self.config.speaker_id_map[str(speaker)]
        raise BadInput(
            message(
                "piper.no_speaker",
                voice=self.name,
                speaker=repr(speaker),
                speakers=", ".join(self.speakers[:20]) + ("…" if len(self.speakers) > 20 else ""),
            )
        )

    def scales(self, settings: PiperSettings) -> np.ndarray:
        """(noise_scale, length_scale, noise_w) with the voice's defaults for None."""
        speed = 1.0 if settings.speed is None else float(settings.speed)
        if not SPEED_RANGE[0] <= speed <= SPEED_RANGE[1]:
            raise BadInput(
                message("speech.speed_range", speed=speed, low=SPEED_RANGE[0], high=SPEED_RANGE[1])
            )
        noise = self.config.noise_scale if settings.noise_scale is None else settings.noise_scale
        noise_w = self.config.noise_w if settings.noise_w is None else settings.noise_w
        for label, value in (("speech.noise_scale", noise), ("speech.noise_width", noise_w)):
            if not NOISE_RANGE[0] <= value <= NOISE_RANGE[1]:
                raise BadInput(message("speech.noise_range", label=message(label), value=value))
        return np.array([noise, self.config.length_scale / speed, noise_w], dtype=np.float32)

    # -- synthesis ------------------------------------------------------------------------
    def speak_sentence(
        self, sentence: str, settings: PiperSettings | None = None, key: int = 0
    ) -> np.ndarray:
        """Audio (float32, mono, at :attr:`sample_rate`) for one sentence, brought to
        :data:`PEAK_LEVEL` and followed by the sentence gap; may be empty. ``key`` (the
        sentence's index) picks its noise among those of the seed."""
        settings = settings or PiperSettings()
        self.load()
        audio = self._voice_audio(sentence, settings, key)
        if audio.size == 0:
            return audio
        audio *= _gain(audio, PEAK_LEVEL)
        return np.concatenate([audio, self._sentence_gap()])

    def _sentence_gap(self) -> np.ndarray:
        return np.zeros(int(SENTENCE_GAP_S * self.sample_rate), dtype=np.float32)

    def _voice_audio(self, text: str, settings: PiperSettings, key: int = 0) -> np.ndarray:
        """The model's raw audio for ``text`` (no level, no gap); may be empty."""
        ids = self.phoneme_ids(self.phonemize(text))
        if len(ids) <= 3:  # BOS, PAD, EOS: nothing the voice can say
            return np.zeros(0, dtype=np.float32)
        inputs: dict[str, np.ndarray] = {
            "input": np.array([ids], dtype=np.int64),  # (1, N)
            "input_lengths": np.array([len(ids)], dtype=np.int64),  # (1,)
            "scales": self.scales(settings),  # (3,)
        }
        sid = self.speaker_id(settings.speaker)
        if sid is not None:
            inputs["sid"] = np.array([sid], dtype=np.int64)
        guess = FIRST_GUESS_PER_ID * len(ids) * max(1, round(1 / (settings.speed or 1.0)))
        audio = noise.run(self._session, inputs, self._noise, settings.seed, (key,), guess)
        return np.asarray(audio, dtype=np.float32).reshape(-1)

    def synthesize(
        self,
        text: str,
        settings: PiperSettings | None = None,
        ctx: JobContext | None = None,
        script_filter: ScriptFilter | None = None,
        first_index: int = 0,
        split_first: bool = False,
    ) -> Iterator[SpeechChunk]:
        """Yield one chunk per sentence of ``text``; checks ``ctx`` for a cancel between
        chunks. Letters of scripts the voice cannot read are skipped (and counted in
        ``script_filter``). ``split_first``: the first sentence comes as two chunks, a
        short head (``ends_sentence`` False) and the rest, for a quick start."""
        settings = settings or PiperSettings()
        self.scales(settings)  # bad settings fail before any work
        self.speaker_id(settings.speaker)
        self.load()
        keep = script_filter if script_filter is not None else ScriptFilter(self.scripts)
        index = first_index
        for sentence in split_sentences(text):
            if ctx is not None:
                ctx.check()
            said = keep(sentence)
            if not is_speakable(said):
                continue
            cut = split_first_clause(said) if split_first else None
            split_first = False
            if cut is None:
                audio = self.speak_sentence(said, settings, index)
                if audio.size == 0:
                    continue
                yield SpeechChunk(audio, self.sample_rate, sentence, index)
                index += 1
                continue
            head, rest = cut
            yield from self._speak_in_two(head, rest, settings, ctx, index)
            index += 2

    def _speak_in_two(
        self, head: str, rest: str, settings: PiperSettings, ctx: JobContext | None, index: int
    ) -> Iterator[SpeechChunk]:
        """The head, then the rest, of one sentence at one loudness, joined seamlessly."""
        first = self._voice_audio(head, settings, index)
        if first.size == 0:  # nothing sayable in the head: speak the sentence whole
            whole = self.speak_sentence(f"{head} {rest}", settings, index)
            if whole.size:
                yield SpeechChunk(whole, self.sample_rate, f"{head} {rest}", index + 1)
            return
        gain = _gain(first, PEAK_LEVEL)
        if head.rstrip()[-1:] not in ",;:":  # after a comma the model's own pause is right
            first = _trim_edge(first, end=True, keep=int(JOIN_KEEP_S[0] * self.sample_rate))
        _fade(first, out=True, rate=self.sample_rate)
        yield SpeechChunk(first * gain, self.sample_rate, head, index, ends_sentence=False)
        if ctx is not None:
            ctx.check()
        second = self._voice_audio(rest, settings, index + 1)
        # The head's gain keeps one loudness across the join, unless the rest would clip.
        gain = min(gain, _gain(second, PEAK_LEVEL)) if second.size else gain
        second = _trim_edge(second, end=False, keep=int(JOIN_KEEP_S[1] * self.sample_rate))
        _fade(second, out=False, rate=self.sample_rate)
        audio = np.concatenate([second * gain, self._sentence_gap()])
        yield SpeechChunk(audio, self.sample_rate, rest, index + 1)


def merge_vowel_clusters(
    phonemes: Sequence[str], clusters: frozenset[tuple[str, ...]]
) -> list[str]:
    """Each run of ``phonemes`` that is a cluster becomes one phoneme, longest run first,
    left to right (piper-tts's ``_merge_known_vowel_clusters``)."""
    longest = max(len(c) for c in clusters)
    out: list[str] = []
    i = 0
    while i < len(phonemes):
        for n in range(min(longest, len(phonemes) - i), 1, -1):
            run = tuple(phonemes[i : i + n])
            if run in clusters:
                out.append("".join(run))
                i += n
                break
        else:
            out.append(phonemes[i])
            i += 1
    return out


def _gain(audio: np.ndarray, level: float) -> float:
    """The factor that brings ``audio``'s peak to ``level`` (1 for silence)."""
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    return level / peak if peak > 1e-6 else 1.0


def _trim_edge(audio: np.ndarray, end: bool, keep: int) -> np.ndarray:
    """Cut the near-silence (below 2% of the peak) at the end or the start of ``audio``,
    keeping ``keep`` samples of it."""
    if audio.size == 0:
        return audio
    loud = np.flatnonzero(np.abs(audio) > 0.02 * float(np.max(np.abs(audio))))
    if loud.size == 0:
        return audio
    if end:
        return audio[: loud[-1] + 1 + keep]
    return audio[max(0, loud[0] - keep) :]


def _fade(audio: np.ndarray, out: bool, rate: int) -> None:
    """Fade the end (``out``) or the start of ``audio`` in place over :data:`JOIN_FADE_S`."""
    n = min(audio.size, int(JOIN_FADE_S * rate))
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    if out:
        audio[audio.size - n :] *= ramp[::-1]
    else:
        audio[:n] *= ramp
