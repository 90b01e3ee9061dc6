"""The piano roll of one monophonic melody, and the piano keys that name its rows."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from engines.music.data import (
    PITCH_HIGH,
    PITCH_LOW,
    STEPS_PER_BAR,
    STEPS_PER_QUARTER,
    Note,
    notes_to_tokens,
    pitch_name,
    tokens_to_notes,
)


def whole_bars(tokens: np.ndarray) -> np.ndarray:
    """The melody padded with rests to whole bars (at least one): what a roll shows."""
    steps = max(STEPS_PER_BAR, -(-len(tokens) // STEPS_PER_BAR) * STEPS_PER_BAR)
    padded = np.zeros(steps, dtype=np.int64)
    padded[: len(tokens)] = tokens
    return padded


class PianoRollWidget(QWidget):
    """An editable piano roll of one monophonic melody.

    Click an empty cell to add an 8th note, drag a note to move it, right-click or
    double-click a note (or select it and press Delete) to remove it. ``editable`` False
    makes a thumbnail that emits ``clicked`` instead.
    """

    notes_changed = Signal()
    clicked = Signal()
    view_changed = Signal()  # the pitch range or the rows' place on screen moved

    def __init__(self, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editable = editable
        self._tokens = np.zeros(2 * STEPS_PER_BAR, dtype=np.int64)
        self._notes: list[Note] = []
        self._drag: tuple[int, int, int] | None = None  # (note index, step offset, pitch offset)
        self._selected: int | None = None
        self.playhead: float | None = None  # in steps
        self.low, self.high = 55, 84
        self.setMinimumHeight(220 if editable else 56)
        self.setMinimumWidth(160 if not editable else 400)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus if editable else Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view_changed.emit()

    def moveEvent(self, event: QMoveEvent) -> None:  # scrolling moves the roll
        super().moveEvent(event)
        self.view_changed.emit()

    # -- the melody ----------------------------------------------------------------
    def tokens(self) -> np.ndarray:
        return self._tokens.copy()

    def notes(self) -> list[Note]:
        return list(self._notes)

    def set_tokens(self, tokens: np.ndarray, *, emit: bool = False) -> None:
        self._tokens = whole_bars(tokens)
        steps = len(self._tokens)
        self._notes = tokens_to_notes(self._tokens)
        self._selected = None
        self._fit_range()
        if self.editable:  # long melodies scroll rather than squeeze their notes
            self.setMinimumWidth(max(400, steps * 8))
        self.update()
        self.view_changed.emit()
        if emit:
            self.notes_changed.emit()

    def _fit_range(self) -> None:
        if self._notes:
            lo = min(n.pitch for n in self._notes) - 3
            hi = max(n.pitch for n in self._notes) + 3
        else:
            lo, hi = 60, 72
        middle = (lo + hi) // 2
        half = max(12, (hi - lo + 1) // 2)
        self.low = max(PITCH_LOW, middle - half)
        self.high = min(PITCH_HIGH - 1, middle + half)

    def _commit(self) -> None:
        self._tokens = notes_to_tokens(self._notes, len(self._tokens))
        self._notes = tokens_to_notes(self._tokens)
        self.update()
        self.notes_changed.emit()

    # -- geometry -------------------------------------------------------------------
    @property
    def steps(self) -> int:
        return len(self._tokens)

    def _cell(self) -> tuple[float, float]:
        rows = self.high - self.low + 1
        return self.width() / max(1, self.steps), self.height() / max(1, rows)

    def row_span(self, pitch: int) -> tuple[float, float]:
        """(top, height) of a pitch's row, in the roll's own coordinates."""
        _, h = self._cell()
        return (self.high - pitch) * h, h

    def cell_at(self, pos: QPoint) -> tuple[int, int]:
        """(step, pitch) under a point."""
        w, h = self._cell()
        step = int(pos.x() // w)
        pitch = self.high - int(pos.y() // h)
        return max(0, min(self.steps - 1, step)), max(self.low, min(self.high, pitch))

    def note_rect(self, note: Note) -> QRect:
        w, h = self._cell()
        return QRect(
            int(note.start * w),
            int((self.high - note.pitch) * h),
            max(2, int(note.length * w) - 1),
            max(2, int(h) - 1),
        )

    def _note_at(self, pos: QPoint) -> int | None:
        step, pitch = self.cell_at(pos)
        for i, n in enumerate(self._notes):
            if n.pitch == pitch and n.start <= step < n.start + n.length:
                return i
        return None

    # -- painting ---------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e1f24"))
        w, h = self._cell()
        if self.editable:
            for pitch in range(self.low, self.high + 1):
                if pitch % 12 in (1, 3, 6, 8, 10):
                    p.fillRect(
                        QRect(0, int((self.high - pitch) * h), self.width(), int(h) + 1),
                        QColor("#18191d"),
                    )
        for s in range(0, self.steps + 1, STEPS_PER_QUARTER):
            p.setPen(QPen(QColor("#5a5d68" if s % STEPS_PER_BAR == 0 else "#2c2e35")))
            p.drawLine(int(s * w), 0, int(s * w), self.height())
        for i, n in enumerate(self._notes):
            colour = "#f0b35a" if i == self._selected else "#7fb8ff"
            p.fillRect(self.note_rect(n), QColor(colour))
        if self.playhead is not None:
            p.setPen(QPen(QColor("#ff5a5a"), 2))
            x = int(self.playhead * w)
            p.drawLine(x, 0, x, self.height())
        p.end()

    # -- editing --------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.editable:
            self.clicked.emit()
            return
        pos = event.position().toPoint()
        hit = self._note_at(pos)
        if event.button() == Qt.MouseButton.RightButton:
            if hit is not None:
                self.delete_note(hit)
            return
        step, pitch = self.cell_at(pos)
        if hit is None:
            self._notes.append(Note(pitch, step, 2))
            self._commit()
            hit = self._note_at(pos)
        self._selected = hit
        if hit is not None:
            n = self._notes[hit]
            self._drag = (hit, step - n.start, pitch - n.pitch)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        index, dstep, dpitch = self._drag
        step, pitch = self.cell_at(event.position().toPoint())
        n = self._notes[index]
        start = max(0, min(self.steps - n.length, step - dstep))
        moved = Note(pitch - dpitch, start, n.length)
        if moved != n:
            self._notes[index] = moved
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            index = self._drag[0]
            self._drag = None
            moved = self._notes[index]
            # Notes the moved one now overlaps give way to it (the melody stays monophonic).
            self._notes = [moved] + [
                n for i, n in enumerate(self._notes)
                if i != index and (n.start + n.length <= moved.start or n.start >= moved.start + moved.length)
            ]  # fmt: skip
            self._selected = None
            self._commit()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self._note_at(event.position().toPoint())
        if self.editable and hit is not None:
            self.delete_note(hit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._selected is not None:
            self.delete_note(self._selected)
        else:
            super().keyPressEvent(event)

    def delete_note(self, index: int) -> None:
        del self._notes[index]
        self._selected = None
        self._commit()


class PianoKeyboardWidget(QWidget):
    """The piano keys beside a piano roll, row for row, with note names (C4 = middle C).

    It stays put while the roll scrolls sideways, and follows the roll's pitch range and
    height. Every C is named; where the rows are tall enough every white key is.
    """

    BLACK_KEYS = (1, 3, 6, 8, 10)  # pitch classes

    def __init__(self, roll: PianoRollWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roll = roll
        self.setObjectName("pianoKeyboard")
        self.setFixedWidth(46)
        roll.view_changed.connect(self.update)

    def _roll_offset(self) -> float:
        """Where the roll's top is, in this widget's coordinates."""
        top = self.roll.mapToGlobal(QPoint(0, 0)).y()
        return float(top - self.mapToGlobal(QPoint(0, 0)).y())

    def labels(self) -> list[tuple[str, int, QRect]]:
        """(name, pitch, text box) of the keys that show their name."""
        offset = self._roll_offset()
        out = []
        for pitch in range(self.roll.low, self.roll.high + 1):
            top, height = self.roll.row_span(pitch)
            named = pitch % 12 == 0 or (height >= 12 and pitch % 12 not in self.BLACK_KEYS)
            if named:
                box = QRect(2, int(offset + top), self.width() - 6, max(1, int(height)))
                out.append((pitch_name(pitch), pitch, box))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1e1f24"))
        offset = self._roll_offset()
        for pitch in range(self.roll.low, self.roll.high + 1):
            top, height = self.roll.row_span(pitch)
            row = QRect(0, int(offset + top), self.width(), int(height) + 1)
            if pitch % 12 in self.BLACK_KEYS:
                p.fillRect(row.adjusted(0, 0, -14, 0), QColor("#101114"))
                p.fillRect(row.adjusted(self.width() - 14, 0, 0, 0), QColor("#d8d8dc"))
            else:
                p.fillRect(row, QColor("#e8e8ec"))
            if pitch % 12 in (0, 5):  # the gaps between E-F and B-C have no black key
                p.setPen(QPen(QColor("#8a8c94")))
                p.drawLine(0, row.bottom(), self.width(), row.bottom())
        font = QFont(self.font())
        for name, pitch, box in self.labels():
            font.setPixelSize(max(7, min(11, box.height() - 1)))
            font.setBold(pitch % 12 == 0)
            p.setFont(font)
            p.setPen(QColor("#202126"))
            p.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)
        p.end()
