"""The text front end: markup, sentence splitting, scripts."""

from __future__ import annotations

import pytest

from engines.errors import BadInput
from engines.speech.text import (
    Pause,
    ScriptFilter,
    Speak,
    SwitchVoice,
    is_speakable,
    parse_markup,
    scripts_for_language,
    split_first_clause,
    split_sentences,
)


def test_pause_markup_in_both_forms() -> None:
    segments = list(parse_markup('One [pause 500ms] two <break time="1.5s"/> three'))
    assert segments == [Speak("One "), Pause(0.5), Speak(" two "), Pause(1.5), Speak(" three")]


def test_voice_switch_and_other_tags_are_not_read() -> None:
    segments = list(parse_markup("<speak>Hi [voice kokoro:jf_alpha] こんにちは</speak>"))
    assert segments == [Speak("Hi "), SwitchVoice("kokoro:jf_alpha"), Speak(" こんにちは")]
    # Words that merely start like markup are text.
    assert list(parse_markup("[voices are] fine")) == [Speak("[voices are] fine")]


@pytest.mark.parametrize("markup", ["[pause soon]", "[pause 100s]", "[voice ]"])
def test_bad_markup_is_a_clear_error(markup: str) -> None:
    with pytest.raises(BadInput):
        list(parse_markup(f"Hello {markup} there"))


def test_sentences_respect_abbreviations_initials_and_numbers() -> None:
    text = "Dr. Smith paid $3.50 in 2024. Then J. R. R. Tolkien left! Did he? Yes, e.g. today."
    assert list(split_sentences(text)) == [
        "Dr. Smith paid $3.50 in 2024.",
        "Then J. R. R. Tolkien left!",
        "Did he?",
        "Yes, e.g. today.",
    ]


def test_japanese_sentences_split_without_spaces() -> None:
    assert list(split_sentences("今日は晴れです。明日は？雨です！また")) == [
        "今日は晴れです。",
        "明日は？",
        "雨です！",
        "また",
    ]


def test_long_sentences_are_cut_at_commas() -> None:
    pieces = list(split_sentences("word, " * 200))
    assert len(pieces) > 1
    assert all(len(p) <= 400 for p in pieces)
    assert " ".join(pieces).split() == ("word, " * 200).split()


def test_split_is_lazy() -> None:
    sentences = split_sentences("Again. " * 100_000)
    assert next(sentences) == "Again."  # no need to split the whole text first


def test_script_filter_counts_what_it_skips() -> None:
    keep = ScriptFilter(scripts_for_language("en"))
    assert keep("Hello 漢字 and русский, café").split() == ["Hello", "and", ",", "café"]
    notice = keep.notice("joe")
    assert notice is not None and "7 Cyrillic" in notice and "2 Han" in notice


def test_only_punctuation_is_not_speakable() -> None:
    assert not is_speakable("?!… —")
    assert is_speakable("42")


def test_a_quotation_inside_a_sentence_does_not_end_it() -> None:
    text = "「元気？」と聞いた。「はい。」って言った。「本当！」 など。彼は「行く。」明日も。"
    assert list(split_sentences(text)) == [
        "「元気？」と聞いた。",
        "「はい。」って言った。",
        "「本当！」 など。",
        "彼は「行く。」",  # a new sentence follows the quotation
        "明日も。",
    ]
    assert list(split_sentences('"Hello!" she said. "Stop." He left.')) == [
        '"Hello!" she said.',
        '"Stop."',
        "He left.",
    ]


@pytest.mark.parametrize(
    ("sentence", "head", "rest"),
    [
        # before a word that starts a phrase
        (
            "The library opens at nine in the morning.",
            "The library opens",
            "at nine in the morning.",
        ),
        # at a comma, early in the sentence
        (
            "Dr. Reyes, who runs the archive, says so.",
            "Dr. Reyes, who runs the archive,",
            "says so.",
        ),
        # after four words when nothing better is near
        ("Quick brown foxes jump lazy dogs often.", "Quick brown foxes jump", "lazy dogs often."),
        # Japanese: a particle after a kanji word, or a comma
        ("図書館は朝九時に開きます。", "図書館は", "朝九時に開きます。"),
        ("はい、そうです、わかりました。", "はい、", "そうです、わかりました。"),
        # after a two-character particle (では), not inside it
        ("この公園では春になると桜が咲きます。", "この公園では", "春になると桜が咲きます。"),
    ],
)
def test_first_clause_is_cut_between_phrases(sentence: str, head: str, rest: str) -> None:
    assert split_first_clause(sentence) == (head, rest)
    assert f"{head}{rest}".replace(" ", "") == sentence.replace(" ", "")


@pytest.mark.parametrize(
    "sentence", ["Hello there.", "Yes, I think so.", "こんにちは。", "ありがとう。"]
)
def test_short_sentences_are_not_cut(sentence: str) -> None:
    assert split_first_clause(sentence) is None
