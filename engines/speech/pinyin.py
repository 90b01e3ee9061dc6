"""Chinese for Piper voices whose ``phoneme_type`` is ``"pinyin"`` (zh_CN), as piper-tts
1.8 reads them (``piper/phonemize_chinese.py``).

Each Han character becomes its toned pinyin syllable, split into three phonemes: the
initial (``"Ø"`` when there is none), the final (ü written ``v``) and the tone digit
(5 for the neutral tone): 好 ``hao3`` -> ``h ao 3``. Punctuation piper-tts knows is kept
(it marks the pauses), everything else is dropped. The ids differ from the espeak
voices': no pad after each phoneme, one after each *group* (a tone, a pause, a space),
and none after BOS.

One difference from piper-tts, said here so it is not mistaken for parity: piper-tts
picks each character's reading with g2pW, a BERT model it downloads on first use; this
studio runs offline, so readings come from ``pypinyin``'s phrase dictionary (same
syllables for almost all text; a polyphonic character in an unusual context may be read
otherwise). Numbers are read digit by digit (piper-tts reads them as whole numbers).
The bench ``tests/bench/bench_speech.py`` checks the rest against piper-tts itself, on
the same syllables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from engines.errors import ModelUnavailable

BOS, EOS, PAD = "^", "$", "_"
ZERO_INITIAL = "Ø"

# Longest first, so that "zh" wins over "z".
INITIALS = (
    *("zh", "ch", "sh"),
    *("b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h"),
    *("j", "q", "x", "r", "z", "c", "s", "y", "w"),
)
# Punctuation piper-tts keeps as phonemes: long pauses (with their intonation) and short.
PAUSES = frozenset("。.？?！!—…、，,：:；; ")
# A pad follows each of these: the end of a syllable (its tone) or a pause.
GROUP_ENDS = frozenset("12345") | PAUSES
# Characters that are not Han but are kept, as piper-tts keeps every character that is a
# key of its pinyin id map: the pauses, and letters that are initials or finals (a Latin
# "a" in the text is spoken as the final a). Its map's pad, BOS and EOS are left out here:
# in the text they are not speech.
KEPT_CHARACTERS = PAUSES | frozenset("bpmfdtnlgkhjqxrzcsywaoeiuv12345" + ZERO_INITIAL)
DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_QUOTES = re.compile('[“”"]')
_SYLLABLE = re.compile(r"^([a-züv:]+?)([1-5])$")
_PLAIN_SYLLABLE = re.compile(r"^([a-zvü]+?)([1-5])$")


def normalize_syllable(syllable: str) -> str:
    """``nu:3`` / ``nü3`` -> ``nv3``: the ü family written with ``v``; others unchanged."""
    m = _SYLLABLE.match(syllable)
    if not m:
        return syllable
    return m.group(1).replace("u:", "v").replace("ü", "v") + m.group(2)


def split_syllable(syllable: str) -> tuple[str, str, str | None]:
    """``hang2`` -> ``("h", "ang", "2")``; ``ai3`` -> ``("", "ai", "3")``; a string that
    is not a toned syllable -> ``("", "", None)``."""
    m = _PLAIN_SYLLABLE.match(syllable)
    if not m:
        return "", "", None
    base, tone = m.group(1), m.group(2)
    initial = next((i for i in INITIALS if base.startswith(i)), "")
    return initial, base[len(initial) :], tone


def _one_blank_per_character(run: str) -> list[str]:
    return [""] * len(run)


def syllables_of(sentence: str) -> list[str | None]:
    """One toned syllable per character of ``sentence`` (None where it is not Han)."""
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:
        raise ModelUnavailable(
            "Chinese (pinyin) voices need pypinyin to read Han characters: pip install pypinyin"
        ) from None
    read = lazy_pinyin(
        sentence,
        style=Style.TONE3,
        neutral_tone_with_five=True,
        # pypinyin also takes a list (one item per character), which its hints omit
        errors=cast(Any, _one_blank_per_character),
    )
    if len(read) != len(sentence):
        # pypinyin gives one item per character; should a character ever give two, read
        # each alone (without the phrase around it) to keep syllables and text aligned.
        read = [
            (lazy_pinyin(c, style=Style.TONE3, neutral_tone_with_five=True) or [""])[0]
            if "\u4e00" <= c <= "\u9fff"
            else ""
            for c in sentence
        ]
    return [s or None for s in read]


def phonemes_from_syllables(sentence: str, syllables: Sequence[str | None]) -> list[str]:
    """piper-tts's phonemes for ``sentence`` given one syllable (or None) per character."""
    phonemes: list[str] = []
    for syllable, char in zip(syllables, sentence, strict=False):
        if syllable is None:
            if char in KEPT_CHARACTERS:
                phonemes.append(char)
            continue
        syllable = normalize_syllable(syllable)
        initial, final, tone = split_syllable(syllable)
        if not final or tone is None:
            phonemes.append(syllable)  # not a plain syllable: kept whole, as piper-tts does
            continue
        phonemes.extend((initial or ZERO_INITIAL, final, tone))
    return phonemes


def prepare(sentence: str) -> str:
    """Quotes out, digits as Han numerals (one by one), as the syllable reader needs."""
    return "".join(DIGITS.get(c, c) for c in _QUOTES.sub("", sentence))


def phonemize(sentence: str) -> list[str]:
    """One sentence of Chinese text as a pinyin voice's phonemes."""
    text = prepare(sentence)
    return phonemes_from_syllables(text, syllables_of(text))


def phoneme_ids(phonemes: Sequence[str], id_map: Mapping[str, Sequence[int]]) -> list[int]:
    """BOS, each known phoneme's ids with a pad after each group's end, EOS."""
    ids = [*id_map[BOS]]
    for p in phonemes:
        if p not in id_map:  # phonemes the voice never saw in training are dropped
            continue
        ids.extend(id_map[p])
        if p in GROUP_ENDS:
            ids.extend(id_map[PAD])
    ids.extend(id_map[EOS])
    return ids
