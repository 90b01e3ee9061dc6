"""The Speech panel."""

from __future__ import annotations

from engines.catalogue import Task
from studio.panels.base import EngineNotBuiltPanel


class SpeechPanel(EngineNotBuiltPanel):
    task = Task.speech
    title = "Speech"
    subtitle = "Have a script read by a natural voice in English or Japanese, shape the voice, and export the audio."
    prompt_placeholder = "Type the text to be spoken…"
    coming = "It will read text aloud with Piper (English) and Kokoro (Japanese) voices on ONNX Runtime, with a voice-blend slider."
