"""The Music panel."""

from __future__ import annotations

from engines.catalogue import Task
from studio.panels.base import EngineNotBuiltPanel


class MusicPanel(EngineNotBuiltPanel):
    task = Task.music
    title = "Music"
    subtitle = "Sketch a melody, morph one tune into another, continue it, and hear it on real instruments."
    prompt_placeholder = "Describe a melody, or drop a MIDI file…"
    coming = "It will sample, continue and interpolate melodies with a melody VAE and Transformer trained on public-domain folk tunes."
