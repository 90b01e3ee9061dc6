"""What made a file, read back from the file: the recipe of a picture, a melody or a clip.

Pictures keep the PNG ``parameters`` text (:class:`engines.imagefile.Recipe`, the format
other tools read). Music and speech carry a JSON recipe with a version field, written
under one tag name per format (:mod:`engines.recipe_tags`):

    {"sozo_recipe": 1, "medium": "music", "models": ..., "seed": 7, ...}

:func:`read_recipe` tells the kind of file from its first bytes and returns the recipe,
or None when the file has none (or one this version cannot read).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Union

from engines.imagefile import Recipe

RECIPE_VERSION = 1
VERSION_KEY = "sozo_recipe"


@dataclass(frozen=True)
class MusicRecipe:
    """What the Music panel renders a melody with."""

    models: str
    seed: int
    temperature: float
    instrument: str
    tempo: int  # BPM
    bars: int
    accompaniment: bool

    medium = "music"

    def to_json(self) -> str:
        return _dump(self.medium, asdict(self))


@dataclass(frozen=True)
class SpeechRecipe:
    """What the Speech panel speaks: the text with a voice (or a Kokoro blend of voices,
    voice -> weight) and its settings; None means the voice's default."""

    text: str
    voice: str | None
    blend: dict[str, float] = field(default_factory=dict)
    speed: float | None = None
    noise_scale: float | None = None
    noise_w: float | None = None

    medium = "speech"

    def to_json(self) -> str:
        return _dump(self.medium, asdict(self))

    @classmethod
    def from_request(cls, request: Any) -> SpeechRecipe:
        """The recipe of a :class:`engines.speech.types.SpeechRequest`."""
        return cls(
            text=request.text,
            voice=request.voice_id,
            blend=dict(request.blend),
            speed=request.speed,
            noise_scale=request.noise_scale,
            noise_w=request.noise_w,
        )


MediaRecipe = Union[Recipe, MusicRecipe, SpeechRecipe]  # noqa: UP007 (a runtime alias)


def _dump(medium: str, values: dict[str, Any]) -> str:
    return json.dumps({VERSION_KEY: RECIPE_VERSION, "medium": medium, **values}, ensure_ascii=True)


def recipe_from_json(text: str) -> MusicRecipe | SpeechRecipe | None:
    """The recipe a JSON text holds; None for another version, medium or a malformed text."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get(VERSION_KEY) != RECIPE_VERSION:
        return None
    kinds: dict[str, type[MusicRecipe] | type[SpeechRecipe]] = {
        "music": MusicRecipe,
        "speech": SpeechRecipe,
    }
    kind = kinds.get(data.get("medium", ""))
    if kind is None:
        return None
    names = {f.name for f in fields(kind)}
    try:
        recipe = kind(**{k: v for k, v in data.items() if k in names})
    except TypeError:  # a field missing
        return None
    return recipe if _well_typed(recipe) else None


def _well_typed(recipe: MusicRecipe | SpeechRecipe) -> bool:
    def number(v: Any, optional: bool = False) -> bool:
        return (v is None and optional) or (isinstance(v, (int, float)) and not isinstance(v, bool))

    if isinstance(recipe, MusicRecipe):
        return (
            isinstance(recipe.models, str)
            and isinstance(recipe.instrument, str)
            and isinstance(recipe.seed, int)
            and isinstance(recipe.tempo, int)
            and isinstance(recipe.bars, int)
            and isinstance(recipe.accompaniment, bool)
            and number(recipe.temperature)
        )
    return (
        isinstance(recipe.text, str)
        and (recipe.voice is None or isinstance(recipe.voice, str))
        and isinstance(recipe.blend, dict)
        and all(isinstance(k, str) and number(v) for k, v in recipe.blend.items())
        and all(number(v, True) for v in (recipe.speed, recipe.noise_scale, recipe.noise_w))
    )


def midi_recipe_text(path: Path) -> str | None:
    """The JSON of the first ``sozo-recipe:`` text meta event of a MIDI file."""
    import mido

    from engines.recipe_tags import TEXT_PREFIX

    try:
        mid = mido.MidiFile(str(path))
    except (OSError, ValueError, EOFError, KeyError, IndexError):
        return None
    for track in mid.tracks:
        for msg in track:
            if msg.is_meta and msg.type == "text" and msg.text.startswith(TEXT_PREFIX):
                return str(msg.text[len(TEXT_PREFIX) :])
    return None


def read_recipe(path: str | Path) -> MediaRecipe | None:
    """The recipe of a picture, MIDI file or audio file, or None when it carries none.
    Raises ``OSError`` only when the file cannot be read at all."""
    from engines import recipe_tags as rt

    path = Path(path)
    with path.open("rb") as f:
        head = f.read(12)
    try:
        if head.startswith(b"\x89PNG"):
            from engines.imagefile import load_image

            return load_image(path).recipe
        if head.startswith(b"MThd"):
            text = midi_recipe_text(path)
        elif head.startswith(b"fLaC"):
            text = rt.read_flac_comment(path, rt.VORBIS_KEY)
        elif head.startswith(b"OggS"):
            text = rt.read_ogg_comment(path, rt.VORBIS_KEY)
        elif head[:4] == b"RIFF" and head[8:12] == b"WAVE":
            text = rt.read_wav_recipe(path)
        elif head.startswith(b"ID3"):
            text = rt.read_mp3_txxx(path, rt.ID3_DESCRIPTION)
        else:
            return None
    except (ValueError, IndexError, UnicodeDecodeError):  # a damaged tag: no recipe
        return None
    except Exception as exc:  # a picture the reader refuses
        from engines.errors import SozoError

        if isinstance(exc, SozoError):
            return None
        raise
    return None if text is None else recipe_from_json(text)


__all__ = [
    "RECIPE_VERSION",
    "MediaRecipe",
    "MusicRecipe",
    "SpeechRecipe",
    "read_recipe",
    "recipe_from_json",
]
