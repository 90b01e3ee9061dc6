"""The instruments a melody can be played on: the one list, by name, of General MIDI
programs (0-based) that the soundfont plays well.

Its own module, importing nothing, so that the command line's ``--help`` and the Music
panel list the names without loading the renderer.
"""

from __future__ import annotations

INSTRUMENTS: dict[str, int] = {
    "piano": 0,
    "electric piano": 4,
    "harpsichord": 6,
    "music box": 10,
    "vibraphone": 11,
    "organ": 19,
    "accordion": 21,
    "nylon guitar": 24,
    "steel guitar": 25,
    "violin": 40,
    "cello": 42,
    "strings": 48,
    "trumpet": 56,
    "clarinet": 71,
    "flute": 73,
    "pan flute": 75,
    "whistle": 78,
    "bagpipe": 109,
    "fiddle": 110,
}
INSTRUMENT_NAMES = tuple(INSTRUMENTS)

__all__ = ["INSTRUMENTS", "INSTRUMENT_NAMES"]
