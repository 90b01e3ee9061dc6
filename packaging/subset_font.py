#!/usr/bin/env python3
"""Write ``assets/fonts/NotoSansCJKjp-Subset.otf``: the Japanese face of Noto Sans CJK
(SIL OFL 1.1), cut down to what the studio's Japanese needs, so that Japanese renders
on a machine with no CJK font installed (studio.i18n registers it at start-up).

Kept: ASCII and Latin-1, JIS X 0208 rows 1-8 (punctuation, symbols, full-width forms,
kana, Greek, Cyrillic, box drawing), the JIS level 1 kanji (rows 16-47, 2,965 kanji),
half-width katakana, and every character of the committed Japanese translations
(``studio/i18n/*_ja.ts``) and of the Japanese presets and sample texts, so no string the
studio shows misses a glyph even where it uses a level 2 kanji.

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto
    pip install fonttools   # a build tool only: the studio never imports it
    python packaging/subset_font.py /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

Run it again after adding translations with new kanji (tests/i18n/test_font.py fails
when a translated string has a character the shipped font lacks).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "fonts" / "NotoSansCJKjp-Subset.otf"
JP_FACE = "Noto Sans CJK JP"


def jis_x0208(rows: range) -> set[str]:
    """The characters of JIS X 0208 rows ``rows`` (1-based), decoded through EUC-JP."""
    chars = set()
    for row in rows:
        for cell in range(1, 95):
            try:
                chars.add(bytes([0xA0 + row, 0xA0 + cell]).decode("euc_jp"))
            except UnicodeDecodeError:
                continue  # an unassigned cell
    return chars


def studio_characters() -> set[str]:
    """Every character of the Japanese translations and Japanese default texts."""
    chars: set[str] = set()
    for path in (ROOT / "studio" / "i18n").glob("*_ja.ts"):
        chars.update(path.read_text(encoding="utf-8"))
    sys.path.insert(0, str(ROOT))
    from studio.i18n.defaults import JAPANESE_TEXTS

    for text in JAPANESE_TEXTS:
        chars.update(text)
    return chars


def wanted_characters() -> set[str]:
    chars = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    chars |= jis_x0208(range(1, 9)) | jis_x0208(range(16, 48))
    chars |= {chr(c) for c in range(0xFF61, 0xFFA0)}  # half-width katakana
    chars |= {chr(c) for c in range(0x3000, 0x3100)}  # CJK punctuation, kana
    chars |= {"…", "—", "–", "“", "”", "‘", "’", "·", "×", "−", "→", "✎", "◧", "♫", "❝", "✕"}
    chars |= studio_characters()
    return {c for c in chars if c.isprintable() or c == " "}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("collection", type=Path, help="NotoSansCJK-Regular.ttc")
    args = parser.parse_args(argv)
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(args.collection))
    font = next((f for f in collection.fonts if f["name"].getDebugName(1) == JP_FACE), None)
    if font is None:
        print(f"{args.collection} has no {JP_FACE} face", file=sys.stderr)
        return 1
    options = subset.Options()
    options.layout_features = ["*"]  # vertical forms, kana kerning: cheap, and right
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # CFF hints add size; Qt renders Noto fine without them
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(wanted_characters())))
    subsetter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size / 2**20:.2f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
