"""Recipes in every file (#16): a melody's and a clip's recipe written with the real
writers into WAV, FLAC, OGG Vorbis, Opus, MP3 and MIDI, read back with
``engines.recipes.read_recipe``, applied to a fresh panel state and compared; other
readers (mutagen) see the same tag, the audio still decodes, and files without a recipe,
or with a damaged one, give None."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import mutagen
import numpy as np
import pytest
import soundfile as sf

from engines import audio, recipe_tags
from engines.music.arrangement import export_midi
from engines.recipes import MusicRecipe, SpeechRecipe, read_recipe, recipe_from_json
from engines.speech.audio import SYNTHETIC_NOTICE, ClipTags
from engines.speech.types import SpeechRequest
from studio.panels.music_state import MODELS, MusicState
from studio.panels.speech_state import SpeechState

AUDIO_FORMATS = ("wav", "flac", "ogg", "opus", "mp3")
RATE = 24000


def _tone(seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (0.2 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _music_state() -> MusicState:
    state = MusicState(seed=4321)
    state.temperature = 1.15
    state.instrument = state.instrument  # the first instrument: one this studio has
    state.tempo = 96
    state.bars = 4
    state.accompaniment = True
    return state


@pytest.mark.parametrize("ext", AUDIO_FORMATS)
def test_music_recipe_round_trips_through_audio(tmp_path: Path, ext: str) -> None:
    made = _music_state()
    path = tmp_path / f"melody.{ext}"
    tags = {"title": "Sōzō Studio melody", "comment": "c", "recipe": made.recipe().to_json()}
    audio.write(path, _tone(), RATE, tags)
    recipe = read_recipe(path)
    assert isinstance(recipe, MusicRecipe)
    fresh = MusicState(seed=0)
    assert fresh.apply_recipe(recipe) == []
    assert fresh.recipe() == made.recipe()
    assert (fresh.seed, fresh.tempo, fresh.bars, fresh.accompaniment) == (4321, 96, 4, True)
    # The file is still whole audio with its other tags.
    data, rate = sf.read(path)
    assert rate == RATE and len(data) > RATE // 4
    assert audio.read_tags(path)["title"] == "Sōzō Studio melody"


@pytest.mark.parametrize("ext", AUDIO_FORMATS)
def test_other_readers_see_the_recipe_tag(tmp_path: Path, ext: str) -> None:
    recipe = _music_state().recipe().to_json()
    path = tmp_path / f"melody.{ext}"
    audio.write(path, _tone(), RATE, {"title": "t", "recipe": recipe})
    if ext == "wav":
        text = recipe_tags.read_wav_recipe(path)
        ixml = [c for c in recipe_tags.riff_chunks(path) if c[0] == b"iXML"]
        assert len(ixml) == 1  # and the id3 chunk holds the same as TXXX:
        tags = mutagen.File(path).tags
        assert tags.getall("TXXX:sozo_recipe")[0].text[0] == recipe
    elif ext == "mp3":
        text = mutagen.File(path).tags.getall("TXXX:sozo_recipe")[0].text[0]
    else:
        text = mutagen.File(path).tags["sozo_recipe"][0]
    assert text == recipe


def _speech_cases() -> list[SpeechRequest]:
    return [
        SpeechRequest(
            text="こんにちは、Sōzō。", voice_id="piper:en_US-lessac", speed=1.2, noise_scale=0.5
        ),
        SpeechRequest(
            text="A blend.",
            voice_id="kokoro:af_heart",
            blend={"af_heart": 0.7, "am_adam": 0.3},
            speed=None,
        ),
    ]


@pytest.mark.parametrize("ext", AUDIO_FORMATS)
@pytest.mark.parametrize("case", range(2))
def test_speech_recipe_round_trips_to_the_state(tmp_path: Path, ext: str, case: int) -> None:
    made = SpeechState()
    request = _speech_cases()[case]
    made.text, made.voice_id, made.speed = request.text, request.voice_id or "", 1.0
    if request.blend:
        made.blend_with, made.blend_weight = "am_adam", 0.3
    else:
        made.speed, made.noise_scale = 1.2, 0.5
    tags = ClipTags(made.text, "voice", {}, request=made.request()).as_tags()
    assert SYNTHETIC_NOTICE in json.loads(tags["comment"])["notice"]
    path = tmp_path / f"clip.{ext}"
    with audio.AudioWriter(path, RATE, tags) as writer:
        writer.write(_tone(0.3))
    recipe = read_recipe(path)
    assert isinstance(recipe, SpeechRecipe)
    fresh = SpeechState()
    fresh.apply_recipe(recipe)
    assert fresh.request() == made.request()
    assert (fresh.text, fresh.voice_id, fresh.blend_with) == (
        made.text,
        made.voice_id,
        made.blend_with,
    )


def test_music_recipe_round_trips_through_midi(tmp_path: Path) -> None:
    made = _music_state()
    path = export_midi(
        tmp_path / "melody.mid", made.arrangement(), "Sōzō", recipe=made.recipe().to_json()
    )
    recipe = read_recipe(path)
    assert isinstance(recipe, MusicRecipe)
    fresh = MusicState(seed=0)
    fresh.apply_recipe(recipe)
    assert fresh.recipe() == made.recipe()


def test_a_long_script_spans_several_ogg_header_pages(tmp_path: Path) -> None:
    """A recipe longer than one Ogg page (255 segments of 255 bytes) is paginated, and
    every page's CRC is right (the decoder drops pages whose CRC is wrong)."""
    text = "Sōzō reads a long chapter. " * 4000  # ~100 kB of JSON
    tags = ClipTags(text, "v", {}, request=SpeechRequest(text=text, voice_id="v")).as_tags()
    path = tmp_path / "long.ogg"
    with audio.AudioWriter(path, RATE, tags) as writer:
        writer.write(_tone(2.0))
    recipe = read_recipe(path)
    assert isinstance(recipe, SpeechRecipe) and recipe.text == text
    data, _ = sf.read(path)
    assert len(data) == 2 * RATE
    with path.open("rb") as f:
        pages = list(recipe_tags._ogg_pages(f))
    assert len(pages) > 3
    for seq, (head, lacing, body) in enumerate(pages):
        assert int.from_bytes(head[18:22], "little") == seq
        stored = bytes(head[22:26])
        page = bytes(head[:22]) + b"\0\0\0\0" + bytes(head[26:]) + bytes(lacing) + body
        assert _reference_ogg_crc(page).to_bytes(4, "little") == stored


def _reference_ogg_crc(data: bytes) -> int:
    """RFC 3533's CRC bit by bit, to check the zlib-based one against."""
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def test_ogg_crc_matches_the_reference() -> None:
    rng = np.random.default_rng(0)
    for n in (0, 1, 27, 1000):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert recipe_tags.ogg_crc(data) == _reference_ogg_crc(data)
    assert recipe_tags.ogg_crc(b"abc") != zlib.crc32(b"abc")


@pytest.mark.parametrize("ext", (*AUDIO_FORMATS, "mid"))
def test_files_without_a_recipe_have_none(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"plain.{ext}"
    if ext == "mid":
        export_midi(path, _music_state().arrangement(), "plain")
    else:
        audio.write(path, _tone(), RATE, {"title": "plain"})
    assert read_recipe(path) is None


def test_damaged_or_foreign_recipes_are_refused() -> None:
    good = json.loads(MusicRecipe(MODELS, 1, 0.9, "piano", 120, 8, False).to_json())
    assert recipe_from_json(json.dumps(good)) is not None
    assert recipe_from_json("{not json") is None
    assert recipe_from_json(json.dumps({**good, "sozo_recipe": 99})) is None  # a newer one
    assert recipe_from_json(json.dumps({**good, "medium": "video"})) is None
    assert recipe_from_json(json.dumps({**good, "seed": "seven"})) is None
    missing = dict(good)
    del missing["tempo"]
    assert recipe_from_json(json.dumps(missing)) is None


def test_an_unknown_instrument_is_reported_not_taken() -> None:
    state = MusicState(seed=0)
    before = state.instrument
    skipped = state.apply_recipe(MusicRecipe(MODELS, 3, 0.9, "theremin", 120, 8, False))
    assert skipped == ["theremin"] and state.instrument == before and state.seed == 3
