"""Build ``captions_ja.json``: the Japanese names of the emoji the emoji models learned,
each with the English name their captions use.

A developer tool, like :mod:`engines.image.build_dataset` (whose emoji, names and
skipping rules it follows): the app ships the JSON, not this step. It needs the ``emoji``
package (BSD), whose Japanese names are Unicode CLDR's annotations (Unicode License v3):

    pip install --target /tmp/emoji-pkg emoji
    PYTHONPATH=/tmp/emoji-pkg python -m engines.image.build_captions_ja
"""

from __future__ import annotations

import json
from pathlib import Path

from engines.image.build_dataset import SKIN_TONES, codepoint_key, groups_table

OUT = Path(__file__).with_name("captions_ja.json")
FLAG_PREFIX = "旗_"  # CLDR's Japanese flag names: "旗_日本" (the flag of Japan)


def english_words(name: str) -> str:
    """The emoji's English name as the captions spell it (build_dataset.captions_for)."""
    return name.replace("_", " ").replace("-", " ").strip()


def build() -> dict[str, object]:
    import emoji

    emoji.config.load_language("ja")
    groups = groups_table()
    names: dict[str, str] = {}
    flags: dict[str, str] = {}
    for text, info in emoji.EMOJI_DATA.items():
        if any(ord(c) in SKIN_TONES for c in text) or not info.get("ja"):
            continue
        group = groups.get(codepoint_key(text))
        if group is None or group[0] == "Component":
            continue
        japanese = info["ja"].strip(":")
        english = english_words(info["en"].strip(":"))
        if japanese.startswith(FLAG_PREFIX):
            flags.setdefault(japanese[len(FLAG_PREFIX) :], english)
        else:
            # "家族_男性_女性_男の子": nobody types the underscores.
            names.setdefault(japanese.replace("_", ""), english)
    return {
        "_source": (
            "Japanese emoji names from Unicode CLDR's annotations (Unicode License v3), as "
            "the emoji package (BSD) lists them, with the English names of the emoji the "
            "emoji models were trained on; built by engines/image/build_captions_ja.py."
        ),
        "names": dict(sorted(names.items())),
        "flags": dict(sorted(flags.items())),
    }


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['names'])} names and {len(data['flags'])} flags in {OUT}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
