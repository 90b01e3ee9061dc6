"""One chat message of the Text panel: role, Markdown body, and its actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout

from engines.text import conversation as conv
from studio.i18n import fill
from studio.i18n.engine_text import render_all


class MessageWidget(QFrame):
    """One chat message: role, Markdown body, and its actions."""

    copy_requested = Signal(int)
    edit_requested = Signal(int)
    regenerate_requested = Signal(int)

    def __init__(self, index: int, turn: conv.Turn) -> None:
        super().__init__()
        self.index = index
        self.setObjectName("userMessage" if turn.role == "user" else "assistantMessage")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.role_label = QLabel(self.tr("You") if turn.role == "user" else self.tr("Assistant"))
        self.role_label.setObjectName("messageRole")
        head.addWidget(self.role_label)
        self.info_label = QLabel()
        self.info_label.setObjectName("messageInfo")
        head.addWidget(self.info_label, 1)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(lambda: self.copy_requested.emit(self.index))
        head.addWidget(copy)
        if turn.role == "user":
            edit = QPushButton(self.tr("Edit"))
            edit.setToolTip(
                self.tr("Put this message back in the prompt box and resend it from here")
            )
            edit.clicked.connect(lambda: self.edit_requested.emit(self.index))
            head.addWidget(edit)
        else:
            self.regenerate_button = QPushButton(self.tr("Regenerate"))
            self.regenerate_button.clicked.connect(
                lambda: self.regenerate_requested.emit(self.index)
            )
            head.addWidget(self.regenerate_button)
        layout.addLayout(head)
        self.body = QTextBrowser()
        self.body.setObjectName("messageBody")
        self.body.setOpenExternalLinks(True)
        self.body.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body.document().documentLayout().documentSizeChanged.connect(self._fit)
        layout.addWidget(self.body)
        self.set_turn(turn)

    def set_turn(self, turn: conv.Turn) -> None:
        self.body.setMarkdown(turn.content)
        bits = []
        if turn.role == "assistant" and turn.tokens:
            bits.append(
                fill(
                    self.tr("%1 tokens · %2 tokens/s"),
                    str(turn.tokens),
                    f"{turn.tokens_per_second:.1f}",
                )
            )
        if turn.stopped:
            bits.append(self.tr("stopped"))
        bits.extend(render_all(turn.notices))
        self.info_label.setText(" · ".join(bits))
        self._fit()

    def _fit(self, *_: object) -> None:
        height = int(self.body.document().size().height()) + 8
        self.body.setFixedHeight(max(28, height))
