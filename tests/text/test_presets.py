"""Preset templates as the Text panel shows them: an instruction in words, no placeholder."""

from __future__ import annotations

import pytest

from engines.text import conversation as conv


@pytest.mark.parametrize("name", list(conv.DEFAULT_PRESETS))
def test_each_default_preset_is_its_instruction_and_the_message(name: str) -> None:
    template = conv.DEFAULT_PRESETS[name]
    instruction = conv.preset_instruction(template)
    assert "{text}" not in instruction
    assert conv.with_instruction(template, instruction) == template  # shown, kept as is
    message = conv.apply_preset(template, "MESSAGE")
    assert message.startswith(instruction) and message.endswith("MESSAGE")


@pytest.mark.parametrize(
    ("template", "instruction", "edited", "expected"),
    [
        ("{text}", "", "Be brief:", "Be brief:\n\n{text}"),  # Chat gains an instruction
        ("Summarise:\n\n{text}", "Summarise:", "", "{text}"),  # cleared: the message alone
        ("Sum up: {text}", "Sum up:", "Shorten:", "Shorten: {text}"),  # its spacing kept
        ("Q: {text}\nA:", "Q:", "Question:", "Question: {text}\nA:"),  # what follows kept
        ("no placeholder", "no placeholder", "Say:", "Say:\n\n{text}"),  # damaged: fixed
    ],
)
def test_editing_an_instruction_keeps_the_rest_of_the_template(
    template: str, instruction: str, edited: str, expected: str
) -> None:
    assert conv.preset_instruction(template) == instruction
    assert conv.with_instruction(template, edited) == expected
