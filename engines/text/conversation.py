"""Conversations and prompt presets of the Text panel, kept as JSON under ``config_dir()``.

Qt-free so the CLI and tests can read and write them too.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from engines import paths, safe_write
from engines.errors import BadInput
from engines.messages import message
from engines.text.types import ChatMessage

FORMAT = 1


@dataclass
class Turn:
    """One message of a conversation, with what made it (for assistant replies)."""

    role: str  # "user" or "assistant"
    content: str
    model_id: str = ""
    tokens: int = 0
    tokens_per_second: float = 0.0
    seed: int | None = None
    stopped: bool = False  # the user stopped it before it ended
    notices: list[str] = field(default_factory=list)


@dataclass
class Conversation:
    """A chat: a system prompt and turns, saved as one JSON file."""

    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    title: str = ""
    system: str = ""
    model_id: str = ""
    created: float = field(default_factory=time.time)
    turns: list[Turn] = field(default_factory=list)

    def messages(self, upto: int | None = None) -> tuple[ChatMessage, ...]:
        """The chat messages for the model: the system prompt (if any), then the turns."""
        out = [ChatMessage("system", self.system)] if self.system.strip() else []
        turns = self.turns if upto is None else self.turns[:upto]
        out.extend(ChatMessage(t.role, t.content) for t in turns if t.content or t.role == "user")
        return tuple(out)

    def display_title(self) -> str:
        if self.title:
            return self.title
        first = next((t.content for t in self.turns if t.role == "user"), "")
        first = " ".join(first.split())
        return (first[:48] + "…") if len(first) > 48 else (first or "New conversation")

    # -- files -----------------------------------------------------------------------
    def to_json(self) -> str:
        data = asdict(self)
        data["format"] = FORMAT
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, source: str = "the file") -> Conversation:
        try:
            data: dict[str, Any] = json.loads(text)
            turns = [Turn(**t) for t in data.get("turns", [])]
            return cls(
                id=str(data.get("id") or uuid.uuid4().hex[:12]),
                title=str(data.get("title", "")),
                system=str(data.get("system", "")),
                model_id=str(data.get("model_id", "")),
                created=float(data.get("created", time.time())),
                turns=turns,
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise BadInput(
                message("text.not_a_conversation", source=source, reason=str(exc))
            ) from None

    def to_markdown(self) -> str:
        lines = [f"# {self.display_title()}", ""]
        if self.system.strip():
            lines += ["**System:** " + self.system.strip(), ""]
        for t in self.turns:
            who = "You" if t.role == "user" else "Assistant"
            extra = f" ({t.model_id})" if t.role == "assistant" and t.model_id else ""
            lines += [f"## {who}{extra}", "", t.content.strip(), ""]
        return "\n".join(lines)

    def save(self, folder: Path | None = None) -> Path:
        folder = folder or conversations_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.id}.json"
        return safe_write.write_text(path, self.to_json(), overwrite=True)

    @classmethod
    def load(cls, path: Path) -> Conversation:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BadInput(
                message("text.cannot_read", path=str(path), reason=str(exc.strerror or exc))
            ) from None
        return cls.from_json(text, str(path))


def conversations_dir() -> Path:
    return paths.config_dir() / "text" / "conversations"


def saved_conversations() -> list[tuple[Path, Conversation]]:
    """Saved conversations, newest first; unreadable files are skipped."""
    out = []
    for path in conversations_dir().glob("*.json"):
        try:
            out.append((path, Conversation.load(path)))
        except BadInput:
            continue
    out.sort(key=lambda item: item[1].created, reverse=True)
    return out


# -- presets -------------------------------------------------------------------------------
DEFAULT_PRESETS: dict[str, str] = {
    "Chat": "{text}",
    "Continue": "Continue this text in the same voice and style:\n\n{text}",
    "Summarise": "Summarise the following text in a few sentences:\n\n{text}",
    "Translate to Japanese": "Translate the following text into Japanese:\n\n{text}",
    "Translate from Japanese": "Translate the following Japanese text into English:\n\n{text}",
    "Rewrite in a style": "Rewrite the following text in a warm, vivid style:\n\n{text}",
    "Brainstorm": "Brainstorm ten varied ideas about the following, as a list:\n\n{text}",
}


def _presets_file() -> Path:
    return paths.config_dir() / "text" / "presets.json"


def load_presets(defaults: dict[str, str] | None = None) -> dict[str, str]:
    """The preset templates, with the user's edits over the defaults.

    ``defaults`` (None: :data:`DEFAULT_PRESETS`) are another set, such as the studio's
    Japanese presets; then only edits of its own presets are taken, not those the user
    made to the presets of another language."""
    presets = dict(DEFAULT_PRESETS if defaults is None else defaults)
    try:
        edited = json.loads(_presets_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        edited = {}
    if isinstance(edited, dict):
        presets.update(
            {str(k): str(v) for k, v in edited.items() if defaults is None or str(k) in presets}
        )
    return presets


def save_preset(name: str, template: str) -> None:
    if "{text}" not in template:
        raise BadInput(message("text.preset_needs_text", text="{text}"))
    file = _presets_file()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    data[name] = template
    file.parent.mkdir(parents=True, exist_ok=True)
    safe_write.write_text(file, json.dumps(data, indent=2, ensure_ascii=False), overwrite=True)


def _split_template(template: str) -> tuple[str, str, str]:
    """(instruction, the space between it and the message, the rest from the message on)."""
    before, found, _ = template.partition("{text}")
    if not found:  # no place for the message: it goes after the whole text
        before, rest = template, "{text}"
    else:
        rest = template[len(before) :]
    instruction = before.rstrip()
    return instruction, before[len(instruction) :], rest


def preset_instruction(template: str) -> str:
    """What a preset says before the user's message ("" when the message goes alone): the
    Text panel shows this, not the template with its placeholder."""
    return _split_template(template)[0]


def with_instruction(template: str, instruction: str) -> str:
    """``template`` with its instruction replaced (what follows it is kept as it is)."""
    old, space, rest = _split_template(template)
    instruction = instruction.strip()
    if not instruction:
        return rest
    return instruction + (space if old and space else "\n\n") + rest


def apply_preset(template: str, text: str) -> str:
    # str.replace, not format: user text and templates may hold other braces.
    return template.replace("{text}", text)


def safe_filename(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")[:60] or "conversation"
