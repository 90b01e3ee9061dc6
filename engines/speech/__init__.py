"""Text to speech on ONNX Runtime: the voice registry and the one streaming entry point.

Voice ids name an engine and a voice:

* ``piper:en_US-joe-medium``: the bundled English Piper voice; ``piper:<name>`` for a
  Piper voice the user imported (``.onnx`` with its ``.onnx.json``), and
  ``piper:<name>#<speaker>`` for one speaker of a multi-speaker voice;
* ``kokoro:jf_alpha`` (and the other four Japanese Kokoro voices);
* ``blend:<name>`` for a blend the user saved; an unsaved blend is passed as
  ``SpeechRequest.blend``.

:func:`stream` turns a :class:`SpeechRequest` into a :class:`SpeechStream`: iterate it for
one :class:`SpeechChunk` per sentence (or pause), all at one sample rate. Markup (pauses,
mid-text voice switches) is handled here, so each engine file only speaks plain text.
Loaded engines are kept for the life of the process (one per voice file; Kokoro's five
voices share one model).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engines.catalogue import Catalogue, ModelEntry, Task
from engines.errors import BadInput, ModelUnavailable
from engines.jobs import JobContext
from engines.speech import text as speech_text
from engines.speech.types import SpeechChunk, SpeechRequest

if TYPE_CHECKING:
    from engines.speech.kokoro import KokoroModel
    from engines.speech.piper import PiperVoice

PIPER_MODEL_ID = "piper-en-us-joe-medium"
KOKORO_MODEL_ID = "kokoro-82m-ja"
DEFAULT_ENGLISH = "piper:en_US-joe-medium"
DEFAULT_JAPANESE = "kokoro:jf_alpha"
PIPER_FAMILY = "tts (VITS)"
PIPER_ENGINE = "engines.speech.piper"

KOKORO_VOICE_NAMES = {
    "jf_alpha": "Alpha (female)",
    "jf_gongitsune": "Gongitsune (female)",
    "jf_nezumi": "Nezumi (female)",
    "jf_tebukuro": "Tebukuro (female)",
    "jm_kumo": "Kumo (male)",
}


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the user can pick."""

    id: str
    name: str
    language: str  # BCP-47-like tag shown in the picker: "en-US", "ja"
    engine: str  # "piper" or "kokoro"
    model_id: str  # the catalogue entry holding its files
    speaker: str | None = None  # multi-speaker Piper voices
    blend: dict[str, float] = field(default_factory=dict)  # Kokoro: voice -> weight
    available: bool = True
    message: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} [{self.language}]"


# -- the registry ----------------------------------------------------------------------


def _piper_entries(catalogue: Catalogue) -> list[ModelEntry]:
    return [
        e for e in catalogue.for_task(Task.speech) if e.engine_module == PIPER_ENGINE and e.files
    ]


def _piper_files(entry: ModelEntry) -> tuple[Path, Path]:
    """(model, config) of a Piper catalogue entry: the built-in lists both, an imported
    voice only its ``.onnx`` (the config sits beside it)."""
    found = entry.require()
    onnx = next((p for p in found if p.name.endswith(".onnx")), found[0])
    config = next((p for p in found if p.name.endswith(".onnx.json")), Path(f"{onnx}.json"))
    return onnx, config


def _piper_voice_name(entry: ModelEntry) -> str:
    if entry.id == PIPER_MODEL_ID:
        return "en_US-joe-medium"
    path = Path(entry.files[0].relpath)
    return path.name.removesuffix(".onnx")


def list_voices(catalogue: Catalogue | None = None) -> list[VoiceInfo]:
    """Every voice: Piper voices (built-in and imported, each speaker), the five Kokoro
    voices and the saved blends. Unavailable ones are listed with the reason."""
    from engines.speech import kokoro
    from engines.speech.piper import PiperConfig

    cat = catalogue or Catalogue()
    voices: list[VoiceInfo] = []
    for entry in _piper_entries(cat):
        name = _piper_voice_name(entry)
        state = entry.availability()
        if not state.available:
            voices.append(
                VoiceInfo(
                    f"piper:{name}", name, "?", "piper", entry.id, None, {}, False, state.message
                )
            )
            continue
        _, config_path = _piper_files(entry)
        try:
            config = PiperConfig.from_file(config_path)
        except (BadInput, ModelUnavailable) as exc:
            voices.append(
                VoiceInfo(f"piper:{name}", name, "?", "piper", entry.id, None, {}, False, str(exc))
            )
            continue
        lang = config.language.replace("_", "-") or config.espeak_voice or "?"
        if config.num_speakers > 1:
            by_id = sorted(config.speaker_id_map.items(), key=lambda kv: kv[1])
            speakers = [s for s, _ in by_id] or [str(i) for i in range(config.num_speakers)]
            for speaker in speakers:
                voices.append(
                    VoiceInfo(
                        f"piper:{name}#{speaker}",
                        f"{name} · {speaker}",
                        lang,
                        "piper",
                        entry.id,
                        speaker,
                    )
                )
        else:
            voices.append(VoiceInfo(f"piper:{name}", name, lang, "piper", entry.id))
    k_entry = cat.get(KOKORO_MODEL_ID)
    k_state = k_entry.availability()
    for voice in kokoro.VOICES:
        voices.append(
            VoiceInfo(
                f"kokoro:{voice}",
                f"{voice} · {KOKORO_VOICE_NAMES[voice]}",
                "ja",
                "kokoro",
                KOKORO_MODEL_ID,
                None,
                {voice: 1.0},
                k_state.available,
                "" if k_state.available else k_state.message,
            )
        )
    for name, blend in kokoro.saved_blends().items():
        voices.append(
            VoiceInfo(
                f"blend:{name}",
                f"{name} (blend: {describe_blend(blend)})",
                "ja",
                "kokoro",
                KOKORO_MODEL_ID,
                None,
                blend,
                k_state.available,
                "" if k_state.available else k_state.message,
            )
        )
    return voices


def describe_blend(blend: dict[str, float]) -> str:
    """``jf_alpha:0.70,jm_kumo:0.30``: the text form ``--blend`` reads back."""
    return ",".join(f"{v}:{w:.2f}" for v, w in blend.items() if w > 0)


def blend_voice(weights: dict[str, float]) -> VoiceInfo:
    """An unsaved blend of Kokoro voices as a voice."""
    from engines.speech import kokoro

    blend = kokoro.normalise_blend(weights)
    desc = describe_blend(blend)
    return VoiceInfo(f"blend:{desc}", f"blend {desc}", "ja", "kokoro", KOKORO_MODEL_ID, None, blend)


def find_voice(voice_id: str, catalogue: Catalogue | None = None) -> VoiceInfo:
    """The voice for an id; short forms (``jf_alpha``, ``en_US-joe-medium``) work too."""
    wanted = voice_id.strip()
    voices = list_voices(catalogue)
    for v in voices:
        if wanted in (v.id, v.id.split(":", 1)[1]):
            if not v.available:
                raise ModelUnavailable(v.message)
            return v
    if wanted.startswith("blend:"):
        from engines.speech import kokoro

        return blend_voice(kokoro.parse_blend(wanted.removeprefix("blend:")))
    known = ", ".join(v.id for v in voices if v.available)
    raise BadInput(f"Unknown voice {voice_id!r}. Voices: {known}")


def default_voice_for(text: str) -> str:
    """Kokoro for text that is mostly Japanese, else the English Piper voice."""
    sample = text[:2000]
    japanese = sum(1 for c in sample if speech_text.script_of(c) in ("Han", "Hiragana", "Katakana"))
    letters = sum(1 for c in sample if c.isalpha())
    return DEFAULT_JAPANESE if letters and japanese / letters > 0.3 else DEFAULT_ENGLISH


# -- loaded engines --------------------------------------------------------------------

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
            raise BadInput("The text is empty: type something to be spoken.")
        self.segments = list(speech_text.parse_markup(text))
        spoken = "".join(s.text for s in self.segments if isinstance(s, speech_text.Speak))
        if not speech_text.is_speakable(spoken):
            raise BadInput(
                "The text has nothing to say: it is only punctuation, symbols or markup."
            )
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
            raise BadInput(f"Speed {r.speed} is out of range (0.25 to 4).")
        for label, value in (("Noise scale", r.noise_scale), ("Noise width", r.noise_w)):
            if value is not None and not 0.0 <= value <= 2.0:
                raise BadInput(f"{label} {value} is out of range (0 to 2).")

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
            settings = PiperSettings(r.speed, r.noise_scale, r.noise_w, voice.speaker)
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


def import_piper_voice(path: str | Path, catalogue: Catalogue | None = None) -> VoiceInfo:
    """Add a Piper voice file the user has (its ``.onnx.json`` must sit beside it)."""
    from engines.speech.piper import PiperVoice

    p = Path(path).expanduser()
    if p.name.endswith(".onnx.json"):
        p = p.with_name(p.name.removesuffix(".json"))
    if p.suffix != ".onnx":
        raise BadInput(f"{p.name} is not a Piper voice: drop the .onnx file (with its .onnx.json).")
    if not p.is_file():
        raise BadInput(f"Cannot import {p}: no such file.")
    voice = PiperVoice(p)  # reads and checks the config
    voice.load()  # checks that the model opens and matches the config
    cat = catalogue or Catalogue()
    for entry in _piper_entries(cat):
        if Path(entry.files[0].relpath) == p.resolve():
            break
    else:
        cat.import_model(p, Task.speech, PIPER_FAMILY, name=voice.name, engine_module=PIPER_ENGINE)
    with _engines_lock:
        _piper_voices[p.resolve()] = voice
    name = voice.name
    return next(v for v in list_voices(cat) if v.id.split("#")[0] == f"piper:{name}")


__all__ = [
    "DEFAULT_ENGLISH",
    "DEFAULT_JAPANESE",
    "SpeechChunk",
    "SpeechRequest",
    "SpeechStream",
    "VoiceInfo",
    "blend_voice",
    "default_voice_for",
    "find_voice",
    "import_piper_voice",
    "is_loaded",
    "list_voices",
    "preload",
    "stream",
]
