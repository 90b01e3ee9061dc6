"""Kokoro blends as data: parsing, normalising, saving (no weights needed)."""

from __future__ import annotations

import pytest

from engines import speech
from engines.errors import BadInput
from engines.speech.blends import (
    normalise_blend,
    parse_blend,
    save_blend,
    saved_blends,
)


def test_parse_and_normalise() -> None:
    assert parse_blend("jf_alpha:3,kokoro:jm_kumo:1") == {"jf_alpha": 0.75, "jm_kumo": 0.25}
    assert normalise_blend({"jf_alpha": 1, "jm_kumo": 0}) == {"jf_alpha": 1.0, "jm_kumo": 0.0}


@pytest.mark.parametrize(
    "text", ["jf_alpha", "jf_alpha:x", "nobody:1", "jf_alpha:0", "jf_alpha:-1"]
)
def test_bad_blends(text: str) -> None:
    with pytest.raises(BadInput):
        parse_blend(text)


def test_saved_blend_becomes_a_voice() -> None:
    save_blend("Warm mix", {"jf_alpha": 2, "jm_kumo": 2})
    assert saved_blends() == {"Warm mix": {"jf_alpha": 0.5, "jm_kumo": 0.5}}
    voice = next(v for v in speech.list_voices() if v.id == "blend:Warm mix")
    assert voice.blend == {"jf_alpha": 0.5, "jm_kumo": 0.5} and voice.language == "ja"
    with pytest.raises(BadInput):
        save_blend("../escape", {"jf_alpha": 1})
