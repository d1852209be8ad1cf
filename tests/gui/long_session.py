"""A long working session in a child process, ended by quitting: run as
``python -m tests.gui.long_session PROJECT TOURS``. Used by test_long_session.py.

Each tour visits every page, ticks and unticks an item, types into the company form, pastes
contract rows, undoes and redoes, and edits a cell. Then, to compress an hour of work into a
second, it makes as many of the Qt calls that (in PySide6 6.12 on CPython 3.11) hand back
references to ``None`` and ``True`` they never took as an hour of clicking makes (see
``widgets/refguard.py``), and quits the way the window's 退出 does. Prints what it measured.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from tests.gui.opening import open_and_wait

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HOUR_OF_VOID_CALLS = 60_000  # more than None's whole reference count at start (~25,000)
HOUR_OF_EMITS = 10_000  # more than True's (~4,500)


def main(project: Path, tours: int) -> int:
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    from widgets.app import make_app
    from widgets.main_window import MainWindow

    app = make_app([])
    window = MainWindow(today=dt.date(2019, 1, 28))
    window.resize(1280, 720)
    window.show()
    open_and_wait(window, project)
    session = window.session
    assert session is not None
    line = "合同{n}\t某发包方\t中国\t软件研发服务\t在岸\t否\tUSD\t{a}\t{a}\t2018-03-01"
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for tour in range(tours):
        for index in range(len(window.pages)):
            window.go(index)
            app.processEvents()
        window.go(1)
        name = window.company_page.editors["contact"]
        name.setText(f"联系人{tour}")  # type: ignore[union-attr]
        name.editingFinished.emit()  # type: ignore[union-attr]
        window.go(2)
        items = window.items_page
        items.select_item("tcm_projects")
        items.select_box.click()
        app.processEvents()
        items.select_box.click()
        items.select_item("outsourcing_onshore")
        table = items.table_editor("contracts")
        assert table is not None
        QApplication.clipboard().setText(line.format(n=tour, a=1000 + tour))
        table.paste()
        session.undo_stack.undo()
        session.undo_stack.redo()
        table.model.setData(table.model.index(0, 1), f"发包方{tour}")
        window.grab()
        app.processEvents()

    class Pinger(QObject):
        ping = Signal(str)

    label, pinger = QLabel(), Pinger()
    pinger.ping.connect(label.setObjectName)
    for _ in range(HOUR_OF_VOID_CALLS):
        label.hide()
    for _ in range(HOUR_OF_EMITS):
        pinger.ping.emit("已保存")
    app.processEvents()
    print(f"none_delta={sys.getrefcount(None) - none_before}")
    print(f"true_delta={sys.getrefcount(True) - true_before}")
    print(f"rows={len(session.data.rows('contracts'))}")
    sys.stdout.flush()
    QTimer.singleShot(0, window.close)
    QTimer.singleShot(0, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
