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

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

PROGRESS_EVERY_MS = 50
"""A task's progress reaches the window at most this often (the latest state each time): a
build reports every page (~270 a second on a large packet) and an import every file, and each
report shown is Python run on the window's thread, which waits for the GIL the worker holds."""

Progress = tuple[int, int, str]


class TaskContext:
    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._latest: Progress | None = None
        self._signalled = False  # the window has been told and has not taken it yet

    def progress(self, done: int, total: int, label: str = "") -> None:
        """(worker) Report progress: kept as the latest; the window is told once until it takes
        it (:meth:`take_progress`), so reports between two of its looks cost it nothing."""
        with self._lock:
            self._latest = (done, total, label)
            if self._signalled:
                return
            self._signalled = True
        self._relay.progress_ready.emit()

    def take_progress(self) -> Progress | None:
        """(window) The latest report not yet taken, if any."""
        with self._lock:
            latest, self._latest = self._latest, None
            self._signalled = False
        return latest

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress_ready = Signal()


class Task(QObject):
    """A running background job. Keep a reference while it runs (run_task does).

    ``progress(done, total, label)`` is emitted on the window's thread with the latest report, at
    most every :data:`PROGRESS_EVERY_MS` (the first at once), and once more with the last report
    before the job's result is delivered."""

    finished = Signal()
    progress = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.relay = _Relay()
        self.context = TaskContext(self.relay)
        self.running = True
        self.quiet = False
        self._pace = QTimer(self)
        self._pace.setSingleShot(True)
        self._pace.setInterval(PROGRESS_EVERY_MS)
        self._pace.timeout.connect(self._show_progress)
        self.relay.progress_ready.connect(self._progress_ready)

    def cancel(self) -> None:
        self.context.cancel()

    def _progress_ready(self) -> None:
        if not self._pace.isActive():  # else shown when the interval is over
            self._show_progress()

    def _show_progress(self) -> None:
        latest = self.context.take_progress()
        if latest is not None:
            self._pace.start()
            self.progress.emit(*latest)

    def flush_progress(self) -> None:
        """Show the last report now (before the result): nothing is left to come after it."""
        self._show_progress()
        self._pace.stop()


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
        task.flush_progress()
        task.running = False
        _live.discard(task)
        try:
            if on_done is not None:
                on_done(result)
        finally:
            task.finished.emit()

    @Slot(object)
    def failed(exc: BaseException) -> None:
        task.flush_progress()
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
