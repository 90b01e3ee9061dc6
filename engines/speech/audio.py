"""Speech clips' tags and resampling; the files themselves are written by
:mod:`engines.audio`, the one writer of every task.

Tags: ``title`` (the text's start), ``artist`` (the voice or blend), ``album`` and
``software`` (the app and its version), ``comment``: JSON with the text, voice,
blend, settings and app version, which is what a person needs to make the clip again,
and the notice that the voice is synthetic; and ``recipe``, what the Speech panel
restores from the file (engines.recipes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engines import APP_NAME, __version__
from engines.recipes import SpeechRecipe

COMMENT_TEXT_CHARS = 4000  # tags are not the place for a whole book
SYNTHETIC_NOTICE = f"Synthetic speech made with {APP_NAME}"


@dataclass(frozen=True)
class ClipTags:
    """What a clip was made from, written into its tags."""

    text: str
    voice: str  # a voice id, or a blend as "kokoro:jf_alpha:0.7,kokoro:jm_kumo:0.3"
    settings: dict[str, Any] = field(default_factory=dict)
    request: Any = None  # the SpeechRequest, whose recipe the file keeps

    def as_tags(self) -> dict[str, str]:
        app = f"{APP_NAME} {__version__}"
        first_line = " ".join(self.text.split())
        title = first_line if len(first_line) <= 80 else first_line[:79] + "…"
        text = (
            self.text
            if len(self.text) <= COMMENT_TEXT_CHARS
            else self.text[:COMMENT_TEXT_CHARS] + "…"
        )
        comment = json.dumps(
            {
                "text": text,
                "voice": self.voice,
                "settings": self.settings,
                "app": app,
                "notice": SYNTHETIC_NOTICE,
            },
            ensure_ascii=False,
        )
        tags = {
            "title": title,
            "artist": self.voice,
            "album": app,
            "software": app,
            "comment": comment,
        }
        if self.request is not None:
            tags["recipe"] = SpeechRecipe.from_request(self.request).to_json()
        return tags


def resample(audio: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Linear-interpolation resampling, for joining voices of different rates (Piper
    22,050 Hz, Kokoro 24,000 Hz). Both are speech-band models whose energy lies far below
    either Nyquist frequency, so plain interpolation does not alias audibly."""
    if from_rate == to_rate or audio.size == 0:
        return audio.astype(np.float32, copy=False)
    n_out = round(audio.size * to_rate / from_rate)
    positions = np.arange(n_out, dtype=np.float64) * (from_rate / to_rate)
    return np.interp(positions, np.arange(audio.size), audio).astype(np.float32)
