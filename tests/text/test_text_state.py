"""The Text panel's state driven directly, no widget and no Qt application: what a reply
is built from (:class:`TextState`) and the conversation with its streaming reply
(:class:`ConversationState`), whose signals the message list follows."""

from __future__ import annotations

from typing import Any

from engines.text import conversation as conv
from engines.text.types import DEFAULT_TEMPERATURE, ChatMessage
from studio.panels.text_state import ConversationState, TextState

PRESETS = {"Chat": "{text}", "Summarise": "Summarise the following text:\n\n{text}"}


def _record(signal: Any) -> list[Any]:
    seen: list[Any] = []
    signal.connect(seen.append)
    return seen


def test_changed_signals_fire_only_on_a_change() -> None:
    state = TextState(PRESETS)
    presets, prompts = _record(state.preset_changed), _record(state.prompt_changed)
    warnings = _record(state.model_warnings_changed)
    state.preset = "Summarise"
    state.preset = "Summarise"
    state.prompt = "a long story"
    state.prompt = "a long story"
    state.model_warnings = ()  # the default: no change
    state.model_warnings = ("slow path",)
    state.model_warnings = ("slow path",)
    assert presets == ["Summarise"] and prompts == ["a long story"]
    assert warnings == [("slow path",)]
    assert TextState().temperature == DEFAULT_TEMPERATURE


def test_the_user_message_and_the_request_come_from_the_state() -> None:
    state = TextState(PRESETS)
    state.preset = "Summarise"
    state.instruction = state.preset_instruction()
    assert state.instruction == "Summarise the following text:"
    state.instruction = "Sum up:"  # edited: the template keeps its placeholder
    state.prompt = "  a long story  "
    assert state.user_message() == "Sum up:\n\na long story"
    state.preset = "no such preset"  # the message goes as it is
    state.instruction = ""
    assert state.user_message() == "a long story"
    state.model_id, state.seed, state.top_k = "tiny", 7, 3
    state.steering["formal"] = 0.3
    messages = (ChatMessage("user", "Hi"),)
    request = state.request(messages)
    assert (request.model_id, request.seed, request.top_k) == ("tiny", 7, 3)
    assert request.messages == messages
    assert request.steering is state.steering  # not a copy: sliders steer the reply live
    state.steering["formal"] = 0.5
    assert request.steering["formal"] == 0.5
    state.seed = -1
    assert state.request(messages).seed is None


def test_a_reply_streams_into_its_own_conversation() -> None:
    chat = ConversationState()
    added, edited = _record(chat.turns_changed), _record(chat.turn_changed)
    replaced = _record(chat.conversation_changed)
    assert chat.add_turn(conv.Turn("user", "Hello")) == 0
    reply = chat.start_reply("tiny")
    assert added == [0, 1] and chat.streaming is reply and reply.index == 1
    assert chat.in_view(reply) and reply.turn is chat.turns[1]
    assert chat.stream_text("Hi th") and chat.turns[1].content == "Hi th"
    assert edited == [1]

    first = chat.conversation
    chat.conversation = first  # the same one: nothing to show again
    assert replaced == []
    chat.conversation = conv.Conversation()  # "New chat" while the reply streams
    assert replaced == [chat.conversation] and not chat.in_view(reply)
    assert not chat.stream_text("Hi there")  # not written into the new conversation
    assert chat.turns == [] and first.turns[1].content == "Hi th" and edited == [1]
    assert reply.conversation is first  # where its result goes when the job is done


def test_cut_removes_the_turns_from_an_index_on() -> None:
    chat = ConversationState()
    for text in ("one", "two", "three"):
        chat.add_turn(conv.Turn("user", text))
    cuts = _record(chat.turns_changed)
    chat.cut(1)
    chat.cut(5)  # nothing there: no signal
    assert [t.content for t in chat.turns] == ["one"] and cuts == [1]
    streaming = _record(chat.streaming_changed)
    reply = chat.start_reply("tiny")
    chat.streaming = None
    assert streaming == [reply, None]
