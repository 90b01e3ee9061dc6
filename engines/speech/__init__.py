"""Text to speech on ONNX Runtime: the voices, and where each one's files are.

Voice ids name an engine and a voice:

* ``piper:en_US-joe-medium``: the bundled English Piper voice; ``piper:<name>`` for a
  Piper voice the user imported (``.onnx`` with its ``.onnx.json``), and
  ``piper:<name>#<speaker>`` for one speaker of a multi-speaker voice;
* ``kokoro:jf_alpha`` (and the other four Japanese Kokoro voices);
* ``blend:<name>`` for a blend the user saved (:mod:`engines.speech.blends`); an
  unsaved blend is passed as ``SpeechRequest.blend``.

This package is voice information and management only: it lists, finds and imports
voices and reads their settings, and loads no model to do it (importing a Piper voice
opens the file once, to check it). Speaking is :mod:`engines.speech.synthesis`, reached
through the one engine interface (``engines.registry.load`` and
:mod:`engines.speech.engine`); the model families are :mod:`engines.speech.piper` and
:mod:`engines.speech.kokoro`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engines.catalogue import Catalogue, ModelEntry, Task
from engines.errors import BadInput, ModelUnavailable, SozoError
from engines.messages import message
from engines.speech import text as speech_text
from engines.speech.types import SpeechChunk, SpeechRequest

PIPER_NOISE_DEFAULTS = (0.667, 0.8)  # noise scale, noise w: Piper's own defaults
PIPER_MODEL_ID = "piper-en-us-joe-medium"
KOKORO_MODEL_ID = "kokoro-82m-ja"
DEFAULT_ENGLISH = "piper:en_US-joe-medium"
DEFAULT_JAPANESE = "kokoro:jf_alpha"
PIPER_FAMILY = "tts (VITS)"
PIPER_ENGINE = "engines.speech.piper"

KOKORO_VOICE_NAMES = {
    voice: message(f"voice.kokoro.{voice}")
    for voice in ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
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
        return message("voice.label", name=self.name, language=self.language)


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
    from engines.speech import blends
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
    for voice in blends.VOICES:
        voices.append(
            VoiceInfo(
                f"kokoro:{voice}",
                message("voice.kokoro", voice=voice, name=KOKORO_VOICE_NAMES[voice]),
                "ja",
                "kokoro",
                KOKORO_MODEL_ID,
                None,
                {voice: 1.0},
                k_state.available,
                "" if k_state.available else k_state.message,
            )
        )
    for name, blend in blends.saved_blends().items():
        voices.append(
            VoiceInfo(
                f"blend:{name}",
                message("voice.blend", name=name, blend=describe_blend(blend)),
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
    from engines.speech import blends

    blend = blends.normalise_blend(weights)
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
        from engines.speech import blends

        return blend_voice(blends.parse_blend(wanted.removeprefix("blend:")))
    known = ", ".join(v.id for v in voices if v.available)
    raise BadInput(message("speech.unknown_voice", voice=repr(voice_id), known=known))


def default_voice_for(text: str) -> str:
    """Kokoro for text that is mostly Japanese, else the English Piper voice."""
    sample = text[:2000]
    japanese = sum(1 for c in sample if speech_text.script_of(c) in ("Han", "Hiragana", "Katakana"))
    letters = sum(1 for c in sample if c.isalpha())
    return DEFAULT_JAPANESE if letters and japanese / letters > 0.3 else DEFAULT_ENGLISH


def import_piper_voice(path: str | Path, catalogue: Catalogue | None = None) -> VoiceInfo:
    """Add a Piper voice file the user has (its ``.onnx.json`` must sit beside it)."""
    from engines.speech.piper import PiperVoice

    p = Path(path).expanduser()
    if p.name.endswith(".onnx.json"):
        p = p.with_name(p.name.removesuffix(".json"))
    if p.suffix != ".onnx":
        raise BadInput(message("speech.not_piper_file", name=p.name))
    if not p.is_file():
        raise BadInput(message("speech.import_missing", path=str(p)))
    voice = PiperVoice(p)  # reads and checks the config
    voice.load()  # checks that the model opens and matches the config
    cat = catalogue or Catalogue()
    for entry in _piper_entries(cat):
        if Path(entry.files[0].relpath) == p.resolve():
            break
    else:
        cat.import_model(p, Task.speech, PIPER_FAMILY, name=voice.name, engine_module=PIPER_ENGINE)
    from engines.speech import synthesis

    synthesis.keep_piper_voice(p.resolve(), voice)  # loaded already: Speak need not reload it
    name = voice.name
    return next(v for v in list_voices(cat) if v.id.split("#")[0] == f"piper:{name}")


def noise_defaults(voice_id: str, catalogue: Catalogue | None = None) -> tuple[float, float]:
    """A Piper voice's own noise scale and noise w (from its ``.onnx.json``); Piper's
    defaults for a voice whose config cannot be read (or that is not a Piper voice)."""
    from engines.speech.piper import PiperConfig

    cat = catalogue or Catalogue()
    try:
        voice = find_voice(voice_id, cat)
        _, config_path = _piper_files(cat.get(voice.model_id))
        config = PiperConfig.from_file(config_path)
    except SozoError:
        return PIPER_NOISE_DEFAULTS
    return (config.noise_scale, config.noise_w)


__all__ = [
    "DEFAULT_ENGLISH",
    "DEFAULT_JAPANESE",
    "PIPER_NOISE_DEFAULTS",
    "SpeechChunk",
    "SpeechRequest",
    "VoiceInfo",
    "blend_voice",
    "default_voice_for",
    "describe_blend",
    "find_voice",
    "import_piper_voice",
    "list_voices",
    "noise_defaults",
]
