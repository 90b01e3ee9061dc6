"""Fitting a conversation into a model's context, whatever backend tokenises it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from engines.errors import BadInput
from engines.messages import message
from engines.text.types import ChatMessage


def fit_context(
    render: Callable[[Sequence[ChatMessage]], list[int]],
    limit: int,
    name: str,
    messages: Sequence[ChatMessage],
    max_new_tokens: int,
) -> tuple[list[int], tuple[ChatMessage, ...], int, tuple[str, ...]]:
    """Drop the oldest turns until the prompt plus the reply fit ``limit`` tokens.

    ``render``: the conversation's token ids in the model's chat template. Returns
    (prompt ids, messages kept, reply budget, notices). The system prompt and the last
    message always stay; if they alone leave too little room the reply budget shrinks,
    and a prompt that cannot fit at all is a :class:`BadInput`.
    """
    msgs = list(messages)
    notices: list[str] = []
    ids = render(msgs)
    dropped = 0
    while len(ids) + max_new_tokens > limit:
        removable = [i for i, m in enumerate(msgs[:-1]) if m.role != "system"]  # oldest first
        if not removable:
            break
        # Drop a whole exchange (user + its reply) so roles keep alternating.
        first = removable[0]
        count = 2 if len(removable) > 1 and msgs[first].role == "user" else 1
        del msgs[first : first + count]
        dropped += count
        ids = render(msgs)
    if dropped:
        which = "text.dropped_one" if dropped == 1 else "text.dropped_many"
        notices.append(message(which, dropped=dropped, limit=limit))
    budget = max_new_tokens
    if len(ids) + budget > limit:
        budget = limit - len(ids)
        if budget < 16:
            raise BadInput(message("text.prompt_too_long", length=len(ids), name=name, limit=limit))
        notices.append(message("text.reply_limited", budget=budget, limit=limit))
    return ids, tuple(msgs), budget, tuple(notices)
