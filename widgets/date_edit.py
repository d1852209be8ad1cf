"""A date field a clerk can type into freely: a line edit whose text is read by
``app.entry.values.parse_date`` (2018-06-29, 2018/6/29, 2018.6.29, 20180629, 2018年6月29日 all give
that date; anything else is refused with a message, never turned into another date), with a
calendar button for those who prefer to pick.

``QDateEdit`` was used before: its sections took "2018-06-29" typed key by key as 2018-01-06.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from app.entry.values import ValueProblem, parse_date

DISPLAY = "yyyy-MM-dd"
PLACEHOLDER = "如 2018-06-29"

_icon: QIcon | None = None


def calendar_icon() -> QIcon:
    """A small drawn calendar page (no icon theme is needed)."""
    global _icon
    if _icon is None:
        size = 32
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#5f6368"), 2.5))
        p.setBrush(QColor("white"))
        p.drawRoundedRect(QRectF(4, 6, 24, 22), 3, 3)
        p.fillRect(QRectF(5, 7, 22, 6), QColor("#1a73e8"))
        p.setPen(QPen(QColor("#5f6368"), 2.5))
        p.drawLine(10, 3, 10, 9)
        p.drawLine(22, 3, 22, 9)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#5f6368"))
        for row in range(2):
            for col in range(3):
                p.drawRect(QRectF(8.5 + col * 6, 16 + row * 5.5, 3.5, 3.5))
        p.end()
        _icon = QIcon(pixmap)
    return _icon


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class DateLineEdit(QLineEdit):
    """Type a date, or pick one from the calendar (the button at the right, or Alt+↓).
    ``picked`` is emitted when a date was chosen in the calendar (the text is already set)."""

    picked = Signal()

    def __init__(
        self, parent: QWidget | None = None, start: dt.date | None = None, label: str = "日期"
    ) -> None:
        super().__init__(parent)
        self.start = start  # the month the calendar opens on when the field is empty
        self.label = label  # the field's name, in what a refusal says
        self.row = -1  # the table row being edited (a cell editor)
        self.setPlaceholderText(PLACEHOLDER)
        self.setToolTip(
            "直接输入日期，如 2018-06-29、2018/6/29、20180629 或 2018年6月29日；"
            "也可点右侧的日历按钮（Alt+↓）选择"
        )
        self.calendar_action = QAction(calendar_icon(), "选择日期", self)
        self.calendar_action.setToolTip("从日历中选择日期（Alt+↓）")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar: QCalendarWidget | None = None

    def date(self) -> dt.date | None:
        """The typed date; None when empty. Raises ValueProblem for text that is no date."""
        text = self.text().strip()
        return parse_date(text, self.label) if text else None

    def set_date(self, value: dt.date | QDate | None) -> None:
        if isinstance(value, QDate):
            self.setText(value.toString(DISPLAY) if value.isValid() else "")
        elif isinstance(value, dt.date):
            self.setText(value.isoformat())
        else:
            self.clear()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> QCalendarWidget:
        """The calendar as a popup under the field (a child of it, so an item view's editor
        stays open while it shows), on the typed date or the start month."""
        if self.calendar is None:
            calendar = QCalendarWidget(self)
            calendar.setWindowFlags(Qt.WindowType.Popup)
            calendar.setGridVisible(True)
            calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
            self.calendar = calendar
        calendar = self.calendar
        try:
            current = self.date()
        except ValueProblem:
            current = None
        shown = current or self.start or dt.date.today()
        calendar.setSelectedDate(qdate(shown))
        calendar.setCurrentPage(shown.year, shown.month)
        calendar.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        x, y = below.x(), below.y()
        if screen is not None:
            x = max(screen.left(), min(x, screen.right() - calendar.width()))
            if y + calendar.height() > screen.bottom():
                y = self.mapToGlobal(QPoint(0, 0)).y() - calendar.height()
        calendar.move(x, y)
        calendar.show()
        calendar.setFocus(Qt.FocusReason.PopupFocusReason)
        return calendar

    def _picked(self, date: QDate) -> None:
        self.setText(date.toString(DISPLAY))
        if self.calendar is not None:
            self.calendar.hide()
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.picked.emit()
