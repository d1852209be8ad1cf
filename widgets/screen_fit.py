"""Windows of their own (the packet viewer, a page preview, the paste preview) open no larger
than the free area of the screen they open on, less room for the title bar: at 150 % on a
1920×1080 screen the logical screen is 1280×720, and a 1100×760 window would not fit."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR = 40  # room above the client area for the window's frame and title
MARGIN = 16


def available(widget: QWidget) -> QRect | None:
    """The free area (without taskbars) of the screen ``widget`` (or its parent) is on."""
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width``×``height`` or the screen's free area, whichever is
    smaller, and place it inside that area (centred on its parent when it has one)."""
    room = available(widget)
    if room is None:
        widget.resize(width, height)
        return
    w = max(200, min(width, room.width() - 2 * MARGIN))
    h = max(150, min(height, room.height() - TITLE_BAR - MARGIN))
    widget.resize(w, h)
    parent = widget.parentWidget()
    if parent is not None and parent.isVisible():
        centre = parent.mapToGlobal(parent.rect().center())
    else:
        centre = room.center()
    x = min(max(centre.x() - w // 2, room.left() + MARGIN), room.right() - MARGIN - w)
    y = min(max(centre.y() - h // 2, room.top() + TITLE_BAR), room.bottom() - MARGIN - h)
    widget.move(max(x, room.left()), max(y, room.top()))
