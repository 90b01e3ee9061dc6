"""Japanese prompts for the emoji diffusion model, read as the English captions it knows.

The model's text encoder (all-MiniLM-L6-v2) and its training captions are English: a
Japanese prompt reaches it as unknown word pieces. So a prompt with Japanese in it is
read here first, left to right, taking the longest known Japanese phrase at each point:

* the Japanese names of the emoji the model learned (Unicode CLDR's, in
  ``captions_ja.json``, built by :mod:`engines.image.build_captions_ja`): 赤いハート →
  "red heart", にっこり笑う猫 → "grinning cat", 日本の旗 → "the flag of Japan";
* the words its captions are made of (:data:`WORDS`): colours, sizes, common things and
  the emoji categories: 青い → "blue", 猫 → "cat", 動物 → "animals and nature".

Particles and punctuation between phrases (の, と, 、…) are dropped; Latin words are kept
as they are. Japanese word order puts modifiers first, as English compounds do, so
赤いハート and 猫の顔 read as "red heart" and "cat face". What is left unread is named
in a notice, so the person sees exactly what the model was given.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from engines.messages import message

DATA = Path(__file__).with_name("captions_ja.json")

# The caption words that CLDR's emoji names do not give on their own (colour words,
# sizes, things and categories). Where a name is in both, this reading is used: ハート is
# "heart" here, where CLDR names the card suit.
WORDS: dict[str, str] = {
    # colours (build_dataset.COLOUR_WORDS)
    "赤い": "red",
    "赤色": "red",
    "赤": "red",
    "オレンジ色": "orange",
    "だいだい色": "orange",
    "黄色い": "yellow",
    "黄色": "yellow",
    "黄": "yellow",
    "緑色": "green",
    "緑": "green",
    "青い": "blue",
    "青色": "blue",
    "青": "blue",
    "水色": "blue",
    "紫色": "purple",
    "紫": "purple",
    "ピンク色": "pink",
    "ピンク": "pink",
    "桃色": "pink",
    "茶色い": "brown",
    "茶色": "brown",
    "黒い": "black",
    "黒色": "black",
    "黒": "black",
    "白い": "white",
    "白色": "white",
    "白": "white",
    "灰色": "grey",
    "グレー": "grey",
    "金色": "gold",
    "金": "gold",
    "銀色": "silver",
    "銀": "silver",
    # sizes and looks
    "大きい": "big",
    "大きな": "big",
    "小さい": "small",
    "小さな": "small",
    "笑顔": "smiling face",
    "笑っている": "smiling",
    "笑う": "smiling",
    "にっこり": "smiling",
    "悲しい": "sad",
    "泣いている": "crying",
    "怒った": "angry",
    "眠い": "sleepy",
    # things
    "顔": "face",
    "ハート": "heart",
    "星": "star",
    "スター": "star",
    "猫": "cat",
    "ねこ": "cat",
    "ネコ": "cat",
    "犬": "dog",
    "いぬ": "dog",
    "イヌ": "dog",
    "りんご": "apple",
    "リンゴ": "apple",
    "林檎": "apple",
    "太陽": "sun",
    "月": "moon",
    "花": "flower",
    "木": "tree",
    "車": "car",
    "自動車": "car",
    "雪": "snow",
    "雨": "rain",
    "傘": "umbrella",
    "火": "fire",
    "炎": "fire",
    "水": "water",
    "雲": "cloud",
    "虹": "rainbow",
    "魚": "fish",
    "鳥": "bird",
    "家": "house",
    "ケーキ": "cake",
    "果物": "fruit",
    "野菜": "vegetable",
    "手": "hand",
    "目": "eyes",
    "口": "mouth",
    "人": "person",
    "男性": "man",
    "男": "man",
    "女性": "woman",
    "女": "woman",
    "子供": "child",
    "赤ちゃん": "baby",
    "旗": "flag",
    "国旗": "flag",
    "丸": "circle",
    "円": "circle",
    "四角": "square",
    "矢印": "arrow",
    "ボタン": "button",
    "本": "book",
    "音楽": "music",
    "時計": "clock",
    "電話": "telephone",
    "ボール": "ball",
    "帽子": "hat",
    "靴": "shoe",
    "服": "clothing",
    "動物": "animals and nature",
    "植物": "plant",
    "食べ物": "food and drink",
    "飲み物": "drink",
    "乗り物": "transport",
    "記号": "symbols",
    "絵文字": "emoji",
}

# Dropped between phrases: particles (written in hiragana, so a katakana word that starts
# with ト or ノ is never cut) and punctuation.
_GLUE = set("のとやでにをがはもな、。,.・!?「」『』()[]:;~〜")
_AND = set("とや")  # "and" between two phrases: 星と月 is "star and moon"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[0-9A-Za-z'’&+\-]+")


def has_japanese(text: str) -> bool:
    """Whether ``text`` has kana or kanji in it."""
    return bool(_JAPANESE.search(text))


def _fold(text: str) -> str:
    """One character for one: Latin lower-cased, hiragana as katakana (ねこ and ネコ are
    one word). Run on NFKC text, where full-width Latin and half-width kana are gone."""
    out = []
    for c in text:
        if "\u3041" <= c <= "\u3096":
            c = chr(ord(c) + 0x60)
        elif len(c.lower()) == 1:
            c = c.lower()
        out.append(c)
    return "".join(out)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Folded Japanese phrase -> English caption words (the shipped names, then WORDS)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for japanese, english in data["names"].items():
        out[_fold(_nfkc(japanese))] = english
    for country, english in data["flags"].items():
        # build_dataset's captions for a flag: "Japan", "the flag of Japan".
        out[_fold(_nfkc(country))] = english
        for phrase in ("{}の旗", "{}の国旗", "{}国旗", "旗_{}"):
            out[_fold(_nfkc(phrase.format(country)))] = f"the flag of {english}"
    for japanese, english in WORDS.items():
        out[_fold(_nfkc(japanese))] = english
    return out


@dataclass(frozen=True)
class JapaneseReading:
    """What a prompt with Japanese in it was read as."""

    prompt: str  # as the person wrote it
    english: str  # the caption words the model is given ("" when nothing was known)
    unknown: tuple[str, ...]  # the stretches of Japanese that are not in the vocabulary

    def notices(self) -> list[str]:
        """What the person is told: the reading, and what was left out of it."""
        said: list[str] = (
            [message("image.ja_read_as", reading=self.english)] if self.english else []
        )
        if self.unknown:
            said.append(message("image.ja_left_out", words="、".join(self.unknown)))
        return said

    def refusal(self) -> str:
        """Why a prompt with no known word in it is refused (one line)."""
        return message("image.ja_none_known", prompt=self.prompt)


def read_japanese(prompt: str) -> JapaneseReading | None:
    """The prompt as the English caption words the model knows, or None when it has no
    Japanese in it (then it goes to the model as it is)."""
    if not has_japanese(prompt):
        return None
    words = vocabulary()
    longest = max(map(len, words))
    shown = _nfkc(prompt)  # what the notice quotes
    text = _fold(shown)  # what is matched: the same length, character for character
    english: list[str] = []
    unknown: list[str] = []
    pending = ""  # the unknown stretch being gathered
    i = 0
    while i < len(text):
        match = next(
            (text[i:j] for j in range(min(len(text), i + longest), i, -1) if text[i:j] in words),
            None,
        )
        latin = _LATIN.match(text, i) if match is None else None
        glue = shown[i] in _GLUE or shown[i].isspace()
        if pending and (match is not None or latin is not None or glue):
            unknown.append(pending)  # the unknown stretch ends here
            pending = ""
        if match is not None:
            english.append(words[match])
            i += len(match)
        elif latin is not None:
            english.append(shown[i : latin.end()])  # Latin words as they were written
            i = latin.end()
        elif glue:
            if shown[i] in _AND and english and english[-1] != "and":
                english.append("and")
            i += 1
        else:
            pending += shown[i]
            i += 1
    if pending:
        unknown.append(pending)
    while english and english[-1] == "and":  # a trailing と joins nothing
        english.pop()
    return JapaneseReading(prompt, " ".join(english), tuple(unknown))
