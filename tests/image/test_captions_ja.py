"""Japanese prompts to the emoji diffusion model: read as the English captions it knows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engines.errors import BadInput
from engines.image.build_captions_ja import english_words
from engines.image.build_dataset import COLOUR_WORDS, groups_table
from engines.image.captions_ja import DATA, WORDS, read_japanese, vocabulary
from engines.image.types import ImageRequest
from engines.jobs import JobContext

from .conftest import WORDS as TINY_ENCODER_WORDS

HELD_OUT = Path(__file__).parent / "data" / "heldout64.npz"


@pytest.mark.parametrize(
    ("prompt", "english"),
    [
        ("赤いハート", "red heart"),
        ("笑顔", "smiling face"),
        ("にっこり笑う猫", "grinning cat"),  # an emoji's own Japanese name (CLDR)
        ("赤いリンゴ", "red apple"),
        ("ねこの顔", "cat face"),  # hiragana, katakana and kanji are one word
        ("ﾈｺの顔", "cat face"),  # half-width kana
        ("日本の旗", "the flag of Japan"),
        ("青い星と月", "blue star and moon"),
        ("a 赤い heart", "a red heart"),  # Latin words stay as written
    ],
)
def test_japanese_prompts_read_as_caption_words(prompt: str, english: str) -> None:
    reading = read_japanese(prompt)
    assert reading is not None
    assert reading.english == english and reading.unknown == ()
    assert reading.notices() == [f"Japanese prompt read as: {english}."]


def test_a_prompt_without_japanese_is_left_alone() -> None:
    assert read_japanese("red heart") is None
    assert read_japanese("") is None


def test_unknown_japanese_words_are_named() -> None:
    reading = read_japanese("赤いポンデケージョ")
    assert reading is not None
    assert reading.english == "red" and reading.unknown == ("ポンデケージョ",)
    notices = reading.notices()
    assert notices[0] == "Japanese prompt read as: red."
    assert "ポンデケージョ" in notices[1] and "left out" in notices[1]


def test_the_words_are_words_the_captions_use() -> None:
    """Every English word the hand-written list gives is in the training captions:
    the emoji names, their categories and subcategories and the colour words."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    known = {"a", "an", "the", "of", "emoji", "flag", *COLOUR_WORDS}
    for english in (*data["names"].values(), *data["flags"].values()):
        known |= set(english.lower().split())
    for category, subcategory in groups_table().values():
        known |= set(category.replace("&", "and").lower().split())
        known |= set(subcategory.replace("-", " ").split())
    unknown = {w for v in WORDS.values() for w in v.split() if w not in known}
    assert not unknown


def test_the_names_cover_the_held_out_emoji() -> None:
    """The held-out emoji (10% of the set, drawn by a hash of the name) stand for all of
    them: nearly every one has a Japanese name that reads as its English one."""
    names = [str(n) for n in np.load(HELD_OUT)["names"]]
    readings = set(vocabulary().values())
    covered = [n for n in names if english_words(n) in readings]
    assert len(names) > 100 and len(covered) / len(names) >= 0.98, len(covered)


def _pixels(engine: Any, prompt: str) -> tuple[np.ndarray, tuple[str, ...]]:
    request = ImageRequest(prompt, seed=5, steps=2, size=64)
    result = engine.generate(request, JobContext())
    return np.asarray(result.images[0]), result.notices


def test_a_japanese_prompt_makes_the_pictures_of_its_english_reading(tiny_diffusion: Any) -> None:
    japanese, notices = _pixels(tiny_diffusion, "赤いハート")
    english, english_notices = _pixels(tiny_diffusion, "red heart")
    other, _ = _pixels(tiny_diffusion, "青い星")
    assert np.array_equal(japanese, english)
    assert not np.array_equal(japanese, other)  # the reading, not a constant, is drawn
    assert "Japanese prompt read as: red heart." in notices
    assert not any("Japanese" in n for n in english_notices)
    assert {"red", "heart", "blue", "star"} <= set(TINY_ENCODER_WORDS)


def test_a_prompt_of_unknown_japanese_is_refused_in_one_line(tiny_diffusion: Any) -> None:
    with pytest.raises(BadInput, match="knows none of the words") as info:
        tiny_diffusion.generate(ImageRequest("ポンデケージョ", seed=0, steps=1), JobContext())
    assert "\n" not in str(info.value)


def test_the_walk_between_japanese_prompts_reads_them_too(tiny_diffusion: Any) -> None:
    """The walk's ends remake the results, so it reads the prompts as generate does."""
    made = tiny_diffusion.generate(
        ImageRequest("赤いハート", seed=5, steps=2, size=64, upscale=False), JobContext()
    )
    frame = tiny_diffusion.walk_frame(("赤いハート", 5), ("青い星", 6), 0.0, steps=2, upscale=False)
    assert np.array_equal(
        np.asarray(frame.convert("RGBA")), np.asarray(made.images[0].convert("RGBA"))
    )
