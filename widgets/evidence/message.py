"""The message strip of the 材料 page: errors, warnings and confirmations shown in place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

_COLORS = {  # background, text, border
    "error": ("#fce8e6", "#a50e0e", "#f3b7b2"),
    "warning": ("#fef7e0", "#8a4b00", "#f6d58b"),
    "info": ("#e6f4ea", "#0d652d", "#a8dab5"),
}


class MessageStrip(QLabel):
    """A selectable, word-wrapped label, hidden until there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        """Show ``text`` as an error (red), warning (amber) or info (green)."""
        bg, fg, border = _COLORS[kind]
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {border};"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.setProperty("kind", kind)
        self.setText(text)
        self.show()

    def hide_message(self) -> None:
        self.setText("")  # first: the strip holding it shrinks back to the reserved lines
        self.hide()

    def reserve(self, lines: int) -> None:
        """Keep room for ``lines`` lines even while nothing is shown (the layout stays put)."""
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * lines + 16)


def short(text: str, limit: int = 30) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for names quoted in messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
