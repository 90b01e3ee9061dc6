"""Build the emoji training set: Noto Color Emoji rendered to 64x64 RGBA, with captions.

A developer tool (the app ships trained weights, not this data). It needs the Noto Color
Emoji font (Debian ``fonts-noto-color-emoji``, OFL-1.1) and the ``emoji`` package for
names. Categories come from ``emoji_groups.json`` beside this file (Unicode's emoji
groups, taken from the MIT-licensed emoji-datasource package).

    python -m engines.image.build_dataset --out /tmp/image-train/emoji64.npz
    python -m engines.image.build_dataset --size 256 --out /tmp/image-train/emoji256.npz

The 256-pixel set is the upscaler's target. The font's bitmaps are about 136 pixels
across, so nothing above that is a real drawing: 256 is the bitmap resampled with
Lanczos (the sharpest resampling Pillow has), the same square the 64-pixel image comes
from. Both sizes keep the same emoji in the same order with the same split.

Skin-tone variants are collapsed (only the default yellow form is kept); emoji that do
not render as one glyph are skipped. The held-out split is fixed by a hash of the emoji's
name (10%), so it does not depend on the font version or the order of the table.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import json
from pathlib import Path

import numpy as np

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
)
RENDER_SIZE = 109  # the only size the font's CBDT bitmaps come in
SIZE = 64
SKIN_TONES = {0x1F3FB, 0x1F3FC, 0x1F3FD, 0x1F3FE, 0x1F3FF}
HELD_OUT_PERCENT = 10

# Words people use for the colours an emoji's name does not say.
_HUE_NAMES = (
    (15, "red"),
    (40, "orange"),
    (70, "yellow"),
    (165, "green"),
    (255, "blue"),
    (290, "purple"),
    (335, "pink"),
    (360, "red"),
)
COLOUR_WORDS = [
    "red",
    "orange",
    "yellow",
    "green",
    "blue",
    "purple",
    "pink",
    "brown",
    "black",
    "white",
    "grey",
    "gray",
    "gold",
    "silver",
]


def groups_table() -> dict[str, list[str]]:
    data = json.loads((Path(__file__).with_name("emoji_groups.json")).read_text("utf-8"))
    return data["groups"]


def codepoint_key(text: str) -> str:
    return "-".join(f"{ord(c):04X}" for c in text if ord(c) != 0xFE0F)


def is_held_out(name: str) -> bool:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16) % 100 < HELD_OUT_PERCENT


def render(font: object, text: str, size: int = SIZE) -> np.ndarray | None:
    """The emoji as (size, size, 4) uint8 RGBA, or None when it is not a single glyph."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(canvas).text((12, 12), text, font=font, embedded_color=True)  # type: ignore[arg-type]
    box = canvas.getbbox()
    if box is None:
        return None
    w, h = box[2] - box[0], box[3] - box[1]
    if w > 140 or h > 140 or w < 8 or h < 8:  # two glyphs side by side, or nothing
        return None
    # Centre the glyph's box on a square so every emoji fills the frame the same way.
    side = max(w, h, 128)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(canvas.crop(box), ((side - w) // 2, (side - h) // 2))
    return np.asarray(square.resize((size, size), Image.Resampling.LANCZOS), dtype=np.uint8)


def dominant_colour(rgba: np.ndarray) -> str:
    """A colour word for the most common saturated hue, or black/white/grey."""
    alpha = rgba[..., 3] > 128
    rgb = rgba[..., :3][alpha].astype(np.float32) / 255.0
    if len(rgb) == 0:
        return ""
    hsv = np.array([colorsys.rgb_to_hsv(*p) for p in rgb[:: max(1, len(rgb) // 400)]])
    saturated = hsv[(hsv[:, 1] > 0.35) & (hsv[:, 2] > 0.25)]
    if len(saturated) < len(hsv) * 0.25:
        mean_v = float(hsv[:, 2].mean())
        return "black" if mean_v < 0.3 else "white" if mean_v > 0.8 else "grey"
    hist = np.bincount((saturated[:, 0] * 36).astype(int) % 36, minlength=36)
    hue = (int(hist.argmax()) + 0.5) * 10
    return next(name for limit, name in _HUE_NAMES if hue <= limit)


def captions_for(
    name: str, aliases: list[str], category: str, subcategory: str, colour: str
) -> list[str]:
    """Several phrasings of one emoji, so that the text encoder sees variety."""
    words = name.replace("_", " ").replace("-", " ").strip()
    sub = subcategory.replace("-", " ")
    cat = category.replace("&", "and").lower()
    # People type "a rocket", not "rocket"; without this phrasing the only captions that
    # start with an article are the vague "a <colour> <subcategory>" ones, and a prompt
    # such as "a star" drew a generic yellow sky emoji.
    if subcategory.endswith("-flag"):  # country and region names: "the flag of Japan"
        phrased = [f"the flag of {words}", f"a flag of {words}"]
    else:
        phrased = [f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"]
    out = [words, *phrased]
    out += [a.replace("_", " ").replace("-", " ") for a in aliases]
    if not any(c in words.split() for c in COLOUR_WORDS) and colour:
        out += [f"{colour} {words}", f"a {colour} {sub}"]
    out += [f"{words}, {sub}", f"{cat}: {words}", f"an emoji of {cat}, {sub}"]
    return list(dict.fromkeys(c for c in out if c))


def build(out_path: Path, font_path: Path, size: int = SIZE) -> dict[str, int]:
    import emoji
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path), RENDER_SIZE)
    groups = groups_table()
    images, names, captions, categories, held = [], [], [], [], []
    seen: set[str] = set()
    for text, info in emoji.EMOJI_DATA.items():
        if any(ord(c) in SKIN_TONES for c in text):
            continue
        group = groups.get(codepoint_key(text))
        if group is None or group[0] == "Component":
            continue
        name = info["en"].strip(":")
        if name in seen:
            continue
        rgba = render(font, text)
        if rgba is None:
            continue
        # Colours and the split always come from the 64-pixel image, so every size
        # holds the same emoji with the same captions.
        image = rgba if size == SIZE else render(font, text, size)
        if image is None:
            continue
        seen.add(name)
        aliases = [a.strip(":") for a in info.get("alias", [])]
        caps = captions_for(name, aliases, group[0], group[1], dominant_colour(rgba))
        images.append(image)
        names.append(name)
        captions.append("|".join(caps))
        categories.append(group[0])
        held.append(is_held_out(name))
    category_names = sorted(set(categories))
    np.savez_compressed(
        out_path,
        images=np.stack(images),
        names=np.array(names),
        captions=np.array(captions),
        category=np.array([category_names.index(c) for c in categories], dtype=np.int64),
        category_names=np.array(category_names),
        held_out=np.array(held),
    )
    return {"emoji": len(images), "held_out": int(sum(held))}


def find_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    raise SystemExit(
        "Noto Color Emoji is not installed: apt-get install fonts-noto-color-emoji "
        "(or pass --font PATH)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/image-train/emoji64.npz"))
    parser.add_argument("--font", type=Path, default=None)
    parser.add_argument("--size", type=int, default=SIZE, help="side in pixels (64 or 256)")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(build(args.out, args.font or find_font(), args.size))


if __name__ == "__main__":
    main()
