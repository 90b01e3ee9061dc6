"""Speaking: the loaded voices and :class:`SpeechStream`, the one way text becomes audio.

:func:`stream` turns a :class:`SpeechRequest` into a :class:`SpeechStream`: iterate it for
one :class:`SpeechChunk` per sentence (or pause), all at one sample rate. Markup (pauses,
mid-text voice switches) is handled here, so each engine file only speaks plain text.
Loaded engines are kept for the life of the process (one per voice file; Kokoro's five
voices share one model).

Callers outside ``engines`` reach this module through the one engine interface
(``engines.registry.load(...)`` then ``generate``, see :mod:`engines.speech.engine`).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.catalogue import Catalogue
from engines.errors import BadInput
from engines.jobs import JobContext
from engines.messages import message
from engines.speech import (
    VoiceInfo,
    _piper_files,
    blend_voice,
    default_voice_for,
    describe_blend,
    find_voice,
)
from engines.speech import text as speech_text
from engines.speech.types import SpeechChunk, SpeechRequest

if TYPE_CHECKING:
    from engines.speech.kokoro import KokoroModel
    from engines.speech.piper import PiperVoice

# -- loaded engines ------------------------------------------------------------------------

_engines_lock = threading.Lock()
_piper_voices: dict[Path, PiperVoice] = {}
_kokoro_model: KokoroModel | None = None


def piper_voice(voice: VoiceInfo, catalogue: Catalogue | None = None) -> PiperVoice:
    """The loaded Piper voice (cached for the life of the process)."""
    from engines.speech.piper import PiperVoice

    cat = catalogue or Catalogue()
    onnx, config = _piper_files(cat.get(voice.model_id))
    with _engines_lock:
        loaded = _piper_voices.get(onnx)
        if loaded is None:
            loaded = PiperVoice(onnx, config).load()
            _piper_voices[onnx] = loaded
    return loaded


def kokoro_model() -> KokoroModel:
    """The loaded Kokoro model (cached for the life of the process)."""
    global _kokoro_model
    from engines.speech.kokoro import KokoroModel

    with _engines_lock:
        if _kokoro_model is None:
            _kokoro_model = KokoroModel()
        model = _kokoro_model
    return model.load()


def preload(voice_id: str, catalogue: Catalogue | None = None) -> str:
    """Load (and warm up) the engine of a voice now, so that the first Speak is quick;
    returns what was loaded, for the UI. Blends and saved blends load Kokoro."""
    if voice_id.startswith("blend:") or voice_id.startswith("kokoro:"):
        kokoro_model()
        return "Kokoro-82M"
    voice = find_voice(voice_id, catalogue)
    if voice.engine == "kokoro":
        kokoro_model()
        return "Kokoro-82M"
    return piper_voice(voice, catalogue).name


def is_loaded(voice_id: str, catalogue: Catalogue | None = None) -> bool:
    """True if the voice's engine is loaded already (preloading it would do nothing)."""
    if voice_id.startswith(("blend:", "kokoro:")):
        return _kokoro_model is not None and _kokoro_model.loaded
    try:
        voice = find_voice(voice_id, catalogue)
        onnx, _ = _piper_files((catalogue or Catalogue()).get(voice.model_id))
    except Exception:
        return False
    loaded = _piper_voices.get(onnx)
    return loaded is not None and loaded.loaded


def keep_piper_voice(onnx: Path, voice: PiperVoice) -> None:
    """Keep a Piper voice loaded elsewhere (an import opens it to check it)."""
    with _engines_lock:
        _piper_voices[onnx] = voice


def unload_all() -> None:
    """Forget loaded engines (frees their memory once nothing else holds them)."""
    global _kokoro_model
    with _engines_lock:
        _piper_voices.clear()
        _kokoro_model = None


# -- synthesis -------------------------------------------------------------------------


class SpeechStream:
    """The chunks of one request, one per sentence or pause, at :attr:`sample_rate`.

    Checks everything it can before the first sentence (empty text, unknown voices in
    markup, bad settings), so that a mistake fails at once rather than after minutes of
    audio. :attr:`notices` collects what was skipped; :attr:`providers` which ONNX
    Runtime providers ran.
    """

    def __init__(
        self,
        request: SpeechRequest,
        ctx: JobContext | None = None,
        catalogue: Catalogue | None = None,
    ) -> None:
        self.request = request
        self.ctx = ctx
        self.catalogue = catalogue or Catalogue()
        text = request.text or ""
        if not text.strip():
            raise BadInput(message("speech.empty"))
        self.segments = list(speech_text.parse_markup(text))
        spoken = "".join(s.text for s in self.segments if isinstance(s, speech_text.Speak))
        if not speech_text.is_speakable(spoken):
            raise BadInput(message("speech.nothing_to_say"))
        if request.blend:
            self.voice = blend_voice(request.blend)
        else:
            self.voice = find_voice(request.voice_id or default_voice_for(spoken), self.catalogue)
        # Resolve every voice the markup switches to now, so a typo fails before work.
        self._switches: dict[str, VoiceInfo] = {}
        for s in self.segments:
            if isinstance(s, speech_text.SwitchVoice) and s.voice_id not in self._switches:
                self._switches[s.voice_id] = find_voice(s.voice_id, self.catalogue)
        self._check_settings()
        self.sample_rate = self._rate_of(self.voice)
        self.notices: list[str] = []
        self.providers: set[str] = set()
        self.voices_used: list[str] = []

    @functools.cached_property
    def sentences_total(self) -> int:
        """How many sentences the text has (a pass over all of it: ask after the first
        chunk, not before, so that it does not delay the first audio)."""
        return sum(
            sum(1 for _ in speech_text.split_sentences(s.text))
            for s in self.segments
            if isinstance(s, speech_text.Speak)
        )

    def _check_settings(self) -> None:
        r = self.request
        if r.speed is not None and not 0.25 <= r.speed <= 4.0:
            raise BadInput(message("speech.speed_range", speed=r.speed, low=0.25, high=4))
        for label, value in (
            ("speech.noise_scale", r.noise_scale),
            ("speech.noise_width", r.noise_w),
        ):
            if value is not None and not 0.0 <= value <= 2.0:
                raise BadInput(message("speech.noise_range", label=message(label), value=value))

    @staticmethod
    def _rate_of(voice: VoiceInfo) -> int:
        if voice.engine == "kokoro":
            from engines.speech.kokoro import SAMPLE_RATE

            return SAMPLE_RATE
        from engines.speech.piper import PiperConfig

        cat = Catalogue()
        _, config = _piper_files(cat.get(voice.model_id))
        return PiperConfig.from_file(config).sample_rate

    def __iter__(self) -> Iterator[SpeechChunk]:
        import numpy as np

        from engines.speech.audio import resample

        index = 0
        voice = self.voice
        filters: dict[str, speech_text.ScriptFilter] = {}
        quick_start = self.request.quick_start
        for segment in self.segments:
            if self.ctx is not None:
                self.ctx.check()
            if isinstance(segment, speech_text.SwitchVoice):
                voice = self._switches[segment.voice_id]
                continue
            if isinstance(segment, speech_text.Pause):
                silence = np.zeros(round(segment.seconds * self.sample_rate), np.float32)
                yield SpeechChunk(silence, self.sample_rate, "", index)
                index += 1
                continue
            for chunk in self._speak(voice, segment.text, filters, index, quick_start):
                index += 1
                quick_start = False  # only the first audio needs to be quick
                audio = resample(chunk.audio, chunk.sample_rate, self.sample_rate)
                yield SpeechChunk(
                    audio, self.sample_rate, chunk.text, chunk.index, chunk.ends_sentence
                )
        for voice_id, f in filters.items():
            notice = f.notice(voice_id)
            if notice:
                self.notices.append(notice)

    def _speak(
        self,
        voice: VoiceInfo,
        text: str,
        filters: dict[str, speech_text.ScriptFilter],
        index: int,
        quick_start: bool,
    ) -> Iterator[SpeechChunk]:
        r = self.request
        if voice.id not in self.voices_used:
            self.voices_used.append(voice.id)
        if voice.engine == "piper":
            from engines.speech.piper import PiperSettings

            engine = piper_voice(voice, self.catalogue)
            self.providers.add(engine.provider)
            keep = filters.setdefault(voice.id, speech_text.ScriptFilter(engine.scripts))
            settings = PiperSettings(r.speed, r.noise_scale, r.noise_w, voice.speaker, r.seed)
            yield from engine.synthesize(text, settings, self.ctx, keep, index, quick_start)
        else:
            from engines.speech.kokoro import SCRIPTS, KokoroSettings

            model = kokoro_model()
            self.providers.add(model.provider)
            keep = filters.setdefault(voice.id, speech_text.ScriptFilter(SCRIPTS))
            yield from model.synthesize(
                text, voice.blend, KokoroSettings(r.speed), self.ctx, keep, index, quick_start
            )

    def settings_summary(self) -> dict[str, Any]:
        """The settings as written into an exported file's tags."""
        r = self.request
        out: dict[str, Any] = {"sample_rate": self.sample_rate}
        for key in ("speed", "noise_scale", "noise_w"):
            value = getattr(r, key)
            out[key] = "voice default" if value is None else value
        if r.seed is not None:
            out["seed"] = r.seed
        return out

    @property
    def voice_label(self) -> str:
        """The voice or blend, for tags and the UI."""
        if self.voice.blend and len([w for w in self.voice.blend.values() if w > 0]) > 1:
            return "blend " + describe_blend(self.voice.blend)
        return self.voice.id


def stream(
    request: SpeechRequest, ctx: JobContext | None = None, catalogue: Catalogue | None = None
) -> SpeechStream:
    """Check a request and return its stream of chunks (nothing is spoken until iterated)."""
    return SpeechStream(request, ctx, catalogue)
