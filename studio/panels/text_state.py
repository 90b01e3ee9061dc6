"""What the Text panel sends a reply request from, with no widgets in it.

The panel binds its model picker, system prompt and sampling controls to a
:class:`TextState`; :meth:`TextState.request` builds the
:class:`~engines.text.types.TextRequest` from the state and the conversation.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from engines.text import llm
from engines.text.types import ChatMessage, TextRequest
from studio.state import StateProperty


class TextState(QObject):
    """The model, the system prompt and the sampling settings (seed -1: random)."""

    model_id_changed = Signal(object)  # str, or None while no model is listed
    system_prompt_changed = Signal(str)
    temperature_changed = Signal(float)
    top_p_changed = Signal(float)
    top_k_changed = Signal(int)  # 0: off
    repetition_penalty_changed = Signal(float)
    max_new_tokens_changed = Signal(int)
    seed_changed = Signal(int)

    model_id: StateProperty[str | None] = StateProperty(None)
    system_prompt: StateProperty[str] = StateProperty("")
    temperature: StateProperty[float] = StateProperty(llm.DEFAULT_TEMPERATURE)
    top_p: StateProperty[float] = StateProperty(llm.DEFAULT_TOP_P)
    top_k: StateProperty[int] = StateProperty(llm.DEFAULT_TOP_K)
    repetition_penalty: StateProperty[float] = StateProperty(llm.DEFAULT_REPETITION_PENALTY)
    max_new_tokens: StateProperty[int] = StateProperty(llm.DEFAULT_MAX_NEW_TOKENS)
    seed: StateProperty[int] = StateProperty(-1)

    def chosen_model(self) -> str:
        """The model to run: the chosen one, or the default while none is listed."""
        return self.model_id or llm.DEFAULT_MODEL_ID

    def request(self, messages: tuple[ChatMessage, ...], steering: dict[str, float]) -> TextRequest:
        """The reply request for ``messages``. ``steering`` is passed as it is, shared
        with the sliders, so that they steer a running reply live."""
        return TextRequest(
            messages=messages,
            model_id=self.chosen_model(),
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            repetition_penalty=self.repetition_penalty,
            seed=None if self.seed < 0 else self.seed,
            steering=steering,
        )
