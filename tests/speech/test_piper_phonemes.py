"""Newer Piper voice configs: ``vowel_clusters`` and Chinese (``phoneme_type`` "pinyin"),
read as piper-tts 1.8 reads them, on tiny made-up configs beside the tiny voice. (The
parity with piper-tts itself is checked in ``tests/bench/bench_speech.py``.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from engines.errors import BadInput, ModelUnavailable
from engines.speech import pinyin
from engines.speech.piper import PiperVoice, merge_vowel_clusters

CLUSTERS = [["a", "ɪ"], ["e", "ɪ"], ["a", "ʊ", "ə"]]

# piper-tts's pinyin symbols (piper/phonemize_chinese.py), numbered as there.
PINYIN_SYMBOL_TEXT = (
    "_ ^ $ Ø b p m f d t n l g k h j q x zh ch sh r z c s y w "
    "a o e ai ei ao ou an en ang eng ong i ia ie iao iu ian in iang ing iong "
    "u ua uo uai ui uan un uang ueng v ve van vn er ue 1 2 3 4 5"
)
PINYIN_SYMBOLS = PINYIN_SYMBOL_TEXT.split()
PINYIN_MAP: dict[str, list[int]] = {s: [i] for i, s in enumerate(PINYIN_SYMBOLS)}
PINYIN_MAP.update({p: [69] for p in "。."} | {p: [70] for p in "？?"} | {p: [71] for p in "！!"})
PINYIN_MAP.update({p: [72] for p in "—…、，,：:；; "})


def _voice_with(tiny_voice: Path, **fields: Any) -> PiperVoice:
    config_path = tiny_voice.with_suffix(".onnx.json")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.update(fields)
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return PiperVoice(tiny_voice)


def test_vowel_clusters_merge_longest_first_left_to_right() -> None:
    clusters = frozenset(tuple(c) for c in CLUSTERS)
    phonemes = ["a", "ʊ", "ə", "a", "ɪ", "ɪ", "e", "ɪ", "a"]
    assert merge_vowel_clusters(phonemes, clusters) == ["aʊə", "aɪ", "ɪ", "eɪ", "a"]


def test_a_voice_with_vowel_clusters_speaks_them_as_one_phoneme(tiny_voice: Path) -> None:
    plain = PiperVoice(tiny_voice)
    id_map = dict(plain.config.phoneme_id_map)
    id_map.update({"aɪ": [200], "eɪ": [201], "aʊə": [202]})
    voice = _voice_with(tiny_voice, vowel_clusters=CLUSTERS, phoneme_id_map=id_map)
    sentence = "My eyes are grey."
    assert "".join(plain.phonemize(sentence)) == "".join(voice.phonemize(sentence))
    merged = voice.phonemize(sentence)
    assert merged.count("aɪ") == 2 and merged.count("eɪ") == 1
    assert "ɪ" not in merged  # every ɪ here followed an a or an e
    ids = voice.phoneme_ids(merged)
    assert ids.count(200) == 2 and ids.count(201) == 1
    assert len(voice.load().speak_sentence(sentence)) > 0


def test_a_vowel_cluster_without_an_id_is_refused_naming_it(tiny_voice: Path) -> None:
    with pytest.raises(BadInput, match="vowel cluster 'aɪ' has no id"):
        _voice_with(tiny_voice, vowel_clusters=[["a", "ɪ"]])
    with pytest.raises(BadInput, match="vowel_clusters must be lists"):
        _voice_with(tiny_voice, vowel_clusters=[["a"]])


def test_pinyin_syllables_split_into_initial_final_and_tone() -> None:
    assert pinyin.split_syllable("hang2") == ("h", "ang", "2")
    assert pinyin.split_syllable("zhuang1") == ("zh", "uang", "1")
    assert pinyin.split_syllable("ai4") == ("", "ai", "4")
    assert pinyin.split_syllable("hm") == ("", "", None)
    assert pinyin.normalize_syllable("nu:3") == "nv3"
    assert pinyin.normalize_syllable("lüe4") == "lve4"


def test_chinese_text_becomes_pinyin_phonemes() -> None:
    assert pinyin.phonemize("你好，世界。") == (
        ["n", "i", "3", "h", "ao", "3", "，", "sh", "i", "4", "j", "ie", "4", "。"]
    )
    # No initial: Ø; ü written v; neutral tone 5; quotes dropped; digits read one by one.
    assert pinyin.phonemize("爱女儿吗") == (
        ["Ø", "ai", "4", "n", "v", "3", "Ø", "er", "2", "m", "a", "5"]
    )
    assert pinyin.phonemize("“略”3个") == ["l", "ve", "4", "s", "an", "1", "g", "e", "4"]


def test_pinyin_ids_pad_after_each_syllable_and_pause(tiny_voice: Path) -> None:
    voice = _voice_with(
        tiny_voice,
        phoneme_type="pinyin",
        phoneme_id_map=PINYIN_MAP,
        language={"code": "zh_CN", "family": "zh", "region": "CN"},
    )
    m = PINYIN_MAP
    ids = voice.phoneme_ids(voice.phonemize("你好。"))
    assert ids == [
        *m["^"],
        *m["n"], *m["i"], *m["3"], *m["_"],
        *m["h"], *m["ao"], *m["3"], *m["_"],
        *m["。"], *m["_"],
        *m["$"],
    ]  # fmt: skip
    chunks = list(voice.load().synthesize("你好。世界！"))
    assert [c.text for c in chunks] == ["你好。", "世界！"]
    gap = int(0.15 * voice.sample_rate)
    assert chunks[0].audio.size == len(ids) * 64 + gap  # the tiny voice: 64 samples an id


def test_an_unknown_phoneme_type_is_refused_naming_the_supported_ones(tiny_voice: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"'thai' is not supported .*pinyin"):
        _voice_with(tiny_voice, phoneme_type="thai")
