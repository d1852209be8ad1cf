"""The one way to run work in the background.

``run_task(parent, fn, on_done, on_error)`` runs ``fn(ctx)`` in Qt's thread pool and delivers
the result (or the exception) on the main thread. ``fn`` receives plain data and a
:class:`TaskContext` (progress callback + cancel flag) — never widgets. The GUI adapts progress
to a bar; the core's ``progress(done, total, label)`` / ``cancel()`` callables plug straight in.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class TaskContext:
    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, label: str = "") -> None:
        self._relay.progress.emit(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class Task(QObject):
    """A running background job. Keep a reference while it runs (run_task does)."""

    finished = Signal()
    progress = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.relay = _Relay()
        self.context = TaskContext(self.relay)
        self.running = True
        self.quiet = False
        self.relay.progress.connect(self.progress)

    def cancel(self) -> None:
        self.context.cancel()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskContext], Any], task: Task) -> None:
        super().__init__()
        self.fn = fn
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        try:
            result = self.fn(self.task.context)
        except BaseException as exc:  # delivered to the main thread, handled there
            self._deliver(self.task.relay.failed, exc)
        else:
            self._deliver(self.task.relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        # RuntimeError: the window that asked has closed (the program is quitting).
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


_live: set[Task] = set()


def run_task(
    parent: QObject | None,
    fn: Callable[[TaskContext], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    pool: QThreadPool | None = None,
    quiet: bool = False,
) -> Task:
    """Run ``fn`` off the UI thread; ``on_done``/``on_error`` run on the main thread.

    ``quiet`` tasks (thumbnails, previews) are disposable: they don't count as work in progress
    when the user closes the window."""
    task = Task(parent)
    task.quiet = quiet
    _live.add(task)  # keeps the task alive until its result is delivered

    @Slot(object)
    def done(result: Any) -> None:
        task.running = False
        _live.discard(task)
        try:
            if on_done is not None:
                on_done(result)
        finally:
            task.finished.emit()

    @Slot(object)
    def failed(exc: BaseException) -> None:
        task.running = False
        _live.discard(task)
        try:
            if on_error is not None:
                on_error(exc)
            else:
                from widgets.errors import show_error

                show_error(None, exc)
        finally:
            task.finished.emit()

    task.relay.done.connect(done)
    task.relay.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Runnable(fn, task))
    return task


def running_tasks() -> int:
    """Work in progress the user would lose by quitting (imports, builds; not thumbnails)."""
    return sum(1 for t in _live if not t.quiet)
