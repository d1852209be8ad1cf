"""Run in a child process under an English system locale (tests/gui/test_locale.py): the
window's Qt widgets (calendar, date editor, non-native file dialog, standard buttons) as the
program starts them, printed as JSON."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QFileDialog, QPushButton

from widgets.app import make_app
from widgets.date_edit import DateLineEdit


def main() -> None:
    system = QLocale.system().name()
    app = make_app([])
    calendar = QCalendarWidget()
    calendar.setCurrentPage(2018, 6)
    editor = DateLineEdit()
    popup = editor.show_calendar()
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.show()
    app.processEvents()
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    texts = [b.text() for b in dialog.findChildren(QPushButton) if b.text()]
    out = {
        "system": system,
        "default": QLocale().name(),
        "calendar": calendar.locale().name(),
        "month": calendar.locale().monthName(6),
        "standalone_month": calendar.locale().standaloneMonthName(6),
        "day": calendar.locale().dayName(1, QLocale.FormatType.ShortFormat),
        "popup": popup.locale().name(),
        "dialog_buttons": texts,
        "dialog_locale": dialog.locale().name(),
        "standard_buttons": [b.text() for b in buttons.buttons()],
    }
    dialog.close()
    popup.hide()
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
