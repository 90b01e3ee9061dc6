"""The emoji data set's captions: the phrasings people type reach the emoji they name."""

from __future__ import annotations

from engines.image.build_dataset import captions_for


def test_captions_include_the_name_with_its_article() -> None:
    rocket = captions_for("rocket", [], "Travel & Places", "transport-air", "red")
    assert rocket[:2] == ["rocket", "a rocket"]
    assert "an emoji of travel and places, transport air" in rocket
    assert captions_for("eight-pointed_star", [], "Symbols", "other-symbol", "orange")[1] == (
        "an eight pointed star"
    )


def test_flags_are_phrased_as_flags_of_their_country() -> None:
    japan = captions_for("Japan", ["flag for Japan", "jp"], "Flags", "country-flag", "white")
    assert japan[:3] == ["Japan", "the flag of Japan", "a flag of Japan"]
    assert "a Japan" not in japan and len(japan) == len(set(japan))
