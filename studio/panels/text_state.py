"""What the Text panel shows and sends, with no widgets in it.

:class:`TextState` holds what a reply is made from: the model, the preset and its
instruction, the system prompt, the message being written, the sampling settings and
the steering strengths; :meth:`TextState.request` builds the
:class:`~engines.text.types.TextRequest`. :class:`ConversationState` holds the
conversation in view and the reply being streamed (into it, or into the conversation it
was started in when the view has moved on); the panel's message list is a view over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from engines.text import conversation as conv
from engines.text.sources import DEFAULT_MODEL_ID
from engines.text.types import (
    DEFAULT_MAX_NEW_TOKENS,
    DEFAULT_REPETITION_PENALTY,
    DEFAULT_TEMPERATURE,
    DEFAULT_TOP_K,
    DEFAULT_TOP_P,
    ChatMessage,
    TextRequest,
)
from studio.state import StateProperty


class TextState(QObject):
    """The model, the preset, the system prompt, the message being written, the sampling
    settings (seed -1: random) and the model's warnings."""

    model_id_changed = Signal(object)  # str, or None while no model is listed
    preset_changed = Signal(str)
    instruction_changed = Signal(str)  # the preset's instruction, as edited
    system_prompt_changed = Signal(str)
    prompt_changed = Signal(str)  # the message being written
    temperature_changed = Signal(float)
    top_p_changed = Signal(float)
    top_k_changed = Signal(int)  # 0: off
    repetition_penalty_changed = Signal(float)
    max_new_tokens_changed = Signal(int)
    seed_changed = Signal(int)
    model_warnings_changed = Signal(object)  # tuple[str, ...]

    model_id: StateProperty[str | None] = StateProperty(None)
    preset: StateProperty[str] = StateProperty("")
    instruction: StateProperty[str] = StateProperty("")
    system_prompt: StateProperty[str] = StateProperty("")
    prompt: StateProperty[str] = StateProperty("")
    temperature: StateProperty[float] = StateProperty(DEFAULT_TEMPERATURE)
    top_p: StateProperty[float] = StateProperty(DEFAULT_TOP_P)
    top_k: StateProperty[int] = StateProperty(DEFAULT_TOP_K)
    repetition_penalty: StateProperty[float] = StateProperty(DEFAULT_REPETITION_PENALTY)
    max_new_tokens: StateProperty[int] = StateProperty(DEFAULT_MAX_NEW_TOKENS)
    seed: StateProperty[int] = StateProperty(-1)
    # What the last loaded model said with its replies (e.g. the fast CPU decoder failed
    # its check); the panel posts it to the window's status bar.
    model_warnings: StateProperty[tuple[str, ...]] = StateProperty(())

    def __init__(self, presets: dict[str, str] | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.presets: dict[str, str] = dict(presets or {})  # preset name -> template
        # Steering vector -> strength. One dict for the state's life, shared with the
        # sliders and the running reply: moving a slider steers the next token.
        self.steering: dict[str, float] = {}

    def chosen_model(self) -> str:
        """The model to run: the chosen one, or the default while none is listed."""
        return self.model_id or DEFAULT_MODEL_ID

    def preset_instruction(self) -> str:
        """The chosen preset's own instruction (as saved)."""
        return conv.preset_instruction(self.presets.get(self.preset, "{text}"))

    def template(self) -> str:
        """The chosen preset's template with the instruction as edited."""
        return conv.with_instruction(self.presets.get(self.preset, "{text}"), self.instruction)

    def user_message(self) -> str:
        """The message being written, through the preset: what the user turn says."""
        return conv.apply_preset(self.template(), self.prompt.strip())

    def request(
        self, messages: tuple[ChatMessage, ...], steering: dict[str, float] | None = None
    ) -> TextRequest:
        """The reply request for ``messages``. ``steering`` (None: the state's own) is
        passed as it is, not copied, so that the sliders steer a running reply live."""
        return TextRequest(
            messages=messages,
            model_id=self.chosen_model(),
            max_new_tokens=self.max_new_tokens,
            temperature=self.temperature,
            top_p=self.top_p,
            top_k=self.top_k,
            repetition_penalty=self.repetition_penalty,
            seed=None if self.seed < 0 else self.seed,
            steering=self.steering if steering is None else steering,
        )


@dataclass(frozen=True, eq=False)  # a reply equals only itself: its turn changes as it streams
class Reply:
    """The assistant turn a running job writes: where it is, even when the view has
    moved on to another conversation."""

    conversation: conv.Conversation
    index: int

    @property
    def turn(self) -> conv.Turn | None:
        turns = self.conversation.turns
        return turns[self.index] if self.index < len(turns) else None


class ConversationState(QObject):
    """The conversation in view and the reply being streamed.

    Its signals are what the message list follows: ``conversation_changed`` (another
    conversation: show it all), ``turns_changed(start)`` (turns from ``start`` on were
    added or removed) and ``turn_changed(index)`` (one turn's text or figures changed).
    """

    conversation_changed = Signal(object)
    streaming_changed = Signal(object)  # the Reply being written, or None
    turns_changed = Signal(int)
    turn_changed = Signal(int)

    # A fresh one is set in __init__: the default is never shared between states.
    conversation: StateProperty[conv.Conversation] = StateProperty(conv.Conversation())
    streaming: StateProperty[Reply | None] = StateProperty(None)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conversation = conv.Conversation()

    @property
    def turns(self) -> list[conv.Turn]:
        return self.conversation.turns

    def add_turn(self, turn: conv.Turn) -> int:
        """Append a turn to the conversation in view; returns its index."""
        self.turns.append(turn)
        index = len(self.turns) - 1
        self.turns_changed.emit(index)
        return index

    def cut(self, index: int) -> None:
        """Remove the turns from ``index`` on (an edited or regenerated message)."""
        if index < len(self.turns):
            del self.turns[index:]
            self.turns_changed.emit(index)

    def start_reply(self, model_id: str) -> Reply:
        """An empty assistant turn for a reply; it is the one streamed into."""
        index = self.add_turn(conv.Turn("assistant", "", model_id=model_id))
        reply = Reply(self.conversation, index)
        self.streaming = reply
        return reply

    def in_view(self, reply: Reply | None) -> bool:
        """Whether ``reply``'s turn is in the conversation in view."""
        return (
            reply is not None
            and reply.conversation is self.conversation
            and reply.index < len(self.turns)
        )

    def stream_text(self, text: str) -> bool:
        """The streaming reply's text so far; False (nothing changes) when its
        conversation is not the one in view."""
        reply = self.streaming
        if reply is None or not self.in_view(reply):
            return False
        self.turns[reply.index].content = text
        self.turn_changed.emit(reply.index)
        return True

    def turn_edited(self, index: int) -> None:
        """Say that the turn at ``index`` was written to (a finished reply's figures)."""
        self.turn_changed.emit(index)
