"""The main window's frame: its first and remembered geometry on the screen it opens on, and
the stack of pages (each in its own scroll area)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

MIN_WIDTH, MIN_HEIGHT = 880, 560
PREFERRED_WIDTH, PREFERRED_HEIGHT = 1280, 800
FRAME_ALLOWANCE = 40  # the title bar and borders the window manager adds around the client area


def initial_geometry(available: QRect) -> QRect:
    """The first window: the preferred size, shrunk to the screen's free area (without the
    taskbar) less room for the title bar, centred in that area."""
    width = max(min(PREFERRED_WIDTH, available.width() - 16), min(MIN_WIDTH, available.width()))
    height = max(
        min(PREFERRED_HEIGHT, available.height() - FRAME_ALLOWANCE),
        min(MIN_HEIGHT, available.height()),
    )
    x = available.x() + max((available.width() - width) // 2, 0)
    spare = available.height() - height  # the title bar goes above the client area
    y = available.y() + min(FRAME_ALLOWANCE, spare) + max((spare - FRAME_ALLOWANCE) // 2, 0)
    return QRect(x, y, width, height)


def fitted(geometry: QRect, available: QRect) -> QRect:
    """A remembered window moved and shrunk so that all of it is on the screen it opens on
    (it may have been saved on a larger monitor)."""
    width = min(geometry.width(), available.width())
    height = min(geometry.height(), max(available.height() - FRAME_ALLOWANCE, MIN_HEIGHT))
    height = min(height, available.height())
    x = min(max(geometry.x(), available.x()), available.x() + available.width() - width)
    y = min(max(geometry.y(), available.y()), available.y() + available.height() - height)
    return QRect(x, y, width, height)


class PageStack(QStackedWidget):
    """The pages, each in a scroll area of its own: a page taller than a small screen's window
    scrolls instead of pushing 上一步/下一步 and the status line off the screen. The page (not
    its scroll area) is what ``currentWidget`` and ``widget`` give."""

    def addWidget(self, page: QWidget) -> int:
        scroll = QScrollArea()
        scroll.setObjectName(f"{page.objectName() or type(page).__name__}_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own
        scroll.setWidget(page)
        return super().addWidget(scroll)

    def scroll_area(self, index: int) -> QScrollArea | None:
        found = super().widget(index)
        return found if isinstance(found, QScrollArea) else None

    def widget(self, index: int) -> QWidget | None:
        found = super().widget(index)
        return found.widget() if isinstance(found, QScrollArea) else found

    def currentWidget(self) -> QWidget | None:
        return self.widget(self.currentIndex())
