"""Letting go of a large Qt object off the window's thread.

Closing the packet window deleted its QPdfDocument on the window's thread: PDFium frees a
1,369-page packet's parsed pages in 170-230 ms, holding Python's GIL when Python asks for it
(``close()`` from a worker froze the window just the same). :func:`dispose_in_background` moves
the object to a thread of its own and gives it to C++ there; ``deleteLater`` then runs its
destructor in that thread's event loop, where no Python runs."""

from __future__ import annotations

import atexit

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from shiboken6 import Shiboken


class _Disposer(QObject):
    """Lives in the disposal thread: adopts what it is given (C++ owns it then) and deletes it
    there."""

    take = Signal(QObject)

    def __init__(self) -> None:
        super().__init__()
        self.held: list[QObject] = []  # alive until adopted (a queued pointer is not a ref)
        self.take.connect(self._adopt)

    @Slot(QObject)
    def _adopt(self, obj: QObject) -> None:  # the disposal thread
        if Shiboken.isValid(obj):
            obj.setParent(self)
            obj.deleteLater()
        self.held = [o for o in self.held if o is not obj]


_thread: QThread | None = None
_disposer: _Disposer | None = None


def _stop() -> None:
    global _thread, _disposer
    thread, _thread = _thread, None
    if thread is not None and Shiboken.isValid(thread):
        thread.quit()
        thread.wait(10_000)
    _disposer = None


def dispose_in_background(obj: QObject) -> None:
    """Delete ``obj`` (no parent left, nothing using it any more) in the disposal thread."""
    global _thread, _disposer
    if _disposer is None or _thread is None:
        _thread = QThread()
        _thread.setObjectName("disposal")
        _thread.start()
        _disposer = _Disposer()
        _disposer.moveToThread(_thread)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_stop)
        atexit.unregister(_stop)
        atexit.register(_stop)
    obj.setParent(None)
    obj.moveToThread(_thread)
    _disposer.held.append(obj)
    _disposer.take.emit(obj)
