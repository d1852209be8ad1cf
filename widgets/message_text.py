"""A message that is never cut: a word-wrapped label in a scroll area as tall as the wrapped
text (up to ``max_lines`` lines; a longer message scrolls inside instead of being clipped by a
layout that has no more room). It takes the whole width its layout gives it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class MessageScroll(QScrollArea):
    """Holds ``label`` (word wrap on); its height follows the text's height at the width it
    has: the whole text up to ``max_lines`` lines, and never squeezed below ``min_lines``
    (the widgets around it give way first)."""

    def __init__(
        self, label: QLabel, max_lines: int = 12, min_lines: int = 8, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.max_lines = max_lines
        self.min_lines = min_lines
        # Hidden on purpose (a strip waiting for its first message), not merely not shown yet.
        hidden = label.isHidden() and label.testAttribute(
            Qt.WidgetAttribute.WA_WState_ExplicitShowHide
        )
        retain = label.sizePolicy().retainSizeWhenHidden()
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setWidget(label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        policy.setRetainSizeWhenHidden(retain)
        self.setSizePolicy(policy)
        self.viewport().setAutoFillBackground(False)
        label.setAutoFillBackground(False)
        self.setStyleSheet("QScrollArea { background: transparent; }")
        label.installEventFilter(self)
        self.viewport().installEventFilter(self)  # the label's layout requests go there
        # The strip shows and hides with its label (a message shown, a message dismissed).
        if hidden:  # (showing here would make a parentless strip a window of its own)
            label.hide()
            self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # new text: another height
        if (
            watched is self.label
            and event.type() == QEvent.Type.ShowToParent
            and self.parentWidget() is not None  # not yet in a layout: it would be a window
        ):
            self.show()
        elif (
            watched is self.label
            and event.type() == QEvent.Type.HideToParent
            and self.label.isHidden()
        ):
            self.hide()
        if watched is self.label and event.type() in (
            QEvent.Type.LayoutRequest,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def text_height(self) -> int:
        """The wrapped text's height at the width the label has (or will have)."""
        width = self.viewport().width() if self.isVisible() else self.width()
        height = self.label.heightForWidth(max(width, 80))
        height = height if height > 0 else self.label.sizeHint().height()
        return max(height, self.label.minimumHeight())

    def _lines(self, n: int) -> int:
        return self.label.fontMetrics().lineSpacing() * n + 12

    def sizeHint(self) -> QSize:
        return QSize(
            super().sizeHint().width(), min(self.text_height(), self._lines(self.max_lines))
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(80, min(self.text_height(), self._lines(self.min_lines)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # a new width wraps the text to another height

    def is_cut(self) -> bool:
        """Whether part of the text is out of view (it can then be scrolled to)."""
        return self.verticalScrollBar().maximum() > 0
