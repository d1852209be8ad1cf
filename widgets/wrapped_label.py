"""A word-wrapped label that lays its text out once per width.

Qt's layouts ask a wrapped ``QLabel`` for its height at a given width many times while a page is
laid out (the 输出 page's first showing: 29 calls at 6 widths for the 申报进度 text), and the
label lays the whole text out again each time: a rich text of ~550 characters ~0.45 ms a call,
13 ms of one turn of the window's thread. ``WrappedLabel`` remembers the heights it gave for its
current text and font.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget

KEPT_WIDTHS = 16  # heights remembered per text (a window resized by dragging asks for many)


class WrappedLabel(QLabel):
    """A ``QLabel`` with word wrap on whose ``heightForWidth`` answers are kept until its text,
    text format, font, style or margins change."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._heights: dict[int, int] = {}
        self._key: tuple[object, ...] = ()

    def _current_key(self) -> tuple[object, ...]:
        margins = self.contentsMargins()
        return (
            self.text(),
            self.textFormat(),
            self.wordWrap(),
            self.margin(),
            self.indent(),
            margins.left(),
            margins.top(),
            margins.right(),
            margins.bottom(),
        )

    def heightForWidth(self, width: int) -> int:
        key = self._current_key()
        if key != self._key:
            self._key = key
            self._heights.clear()
        height = self._heights.get(width)
        if height is None:
            height = super().heightForWidth(width)
            if len(self._heights) >= KEPT_WIDTHS:
                self._heights.clear()
            self._heights[width] = height
        return height

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)
