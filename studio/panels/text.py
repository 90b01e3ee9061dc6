"""The Text panel."""

from __future__ import annotations

from engines.catalogue import Task
from studio.panels.base import EngineNotBuiltPanel


class TextPanel(EngineNotBuiltPanel):
    task = Task.text
    title = "Text"
    subtitle = "Chat, continue a draft, summarise, translate or rewrite with a language model that stays on this machine."
    prompt_placeholder = "Write a message, a draft to continue, or a text to summarise…"
    coming = "It will stream replies from a local Transformer model, with latent steering sliders."
