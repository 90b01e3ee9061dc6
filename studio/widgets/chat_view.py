"""The Text panel's message list: a view over a
:class:`~studio.panels.text_state.ConversationState`, one
:class:`~studio.widgets.chat_message.MessageWidget` per turn."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from studio.panels.text_state import ConversationState
from studio.widgets.chat_message import MessageWidget


class ChatView(QScrollArea):
    """Shows the state's conversation and follows its signals; a message's buttons are
    passed on as requests with the turn's index."""

    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)

    def __init__(self, state: ConversationState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWidgetResizable(True)
        holder = QWidget()
        self.chat_layout = QVBoxLayout(holder)
        self.chat_layout.addStretch(1)
        self.setWidget(holder)
        self.message_widgets: list[MessageWidget] = []
        state.conversation_changed.connect(lambda _: self._show_from(0))
        state.turns_changed.connect(self._show_from)
        state.turn_changed.connect(self._show_turn)
        self._show_from(0)

    def _show_from(self, start: int) -> None:
        """Rebuild the messages from ``start`` on (earlier ones are unchanged)."""
        for widget in self.message_widgets[start:]:
            widget.setParent(None)
            widget.deleteLater()
        del self.message_widgets[start:]
        for index in range(start, len(self.state.turns)):
            widget = MessageWidget(index, self.state.turns[index])
            widget.copy_requested.connect(self.copy_requested)
            widget.edit_requested.connect(self.edit_requested)
            widget.regenerate_requested.connect(self.regenerate_requested)
            self.chat_layout.insertWidget(self.chat_layout.count() - 1, widget)
            self.message_widgets.append(widget)
        self._scroll_to_end()

    def _show_turn(self, index: int) -> None:
        if index < len(self.message_widgets):
            self.message_widgets[index].set_turn(self.state.turns[index])
            self._scroll_to_end()

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
