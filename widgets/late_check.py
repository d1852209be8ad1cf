"""The page check (sideways, blank) for pages stored by a version before it existed
(:mod:`app.intake.latecheck`), run in the background for an open project: one file's pages at a
time, what it finds stored in one transaction per file, a cancel seen between pages (what is
stored stays; the rest waits for the next opening). The window shows its progress in the
status line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.intake.latecheck import check_stored, unchecked
from app.model import EvidenceFile
from app.project import ProjectStore
from app.system.errors import AppError
from widgets.tasks import Task, TaskContext, run_task


class LatePageCheck(QObject):
    """``progress`` (pages done, of how many) while it runs, (0, 0) once it is over; ``state``
    holds the last of them for a listener that comes late."""

    progress = Signal(int, int)

    def __init__(self, store: ProjectStore, pool: QThreadPool, parent: QObject) -> None:
        super().__init__(parent)
        self._store = store
        self._pool = pool
        self._task: Task | None = None
        self._again: Callable[[], None] | None = None
        self.state = (0, 0)

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(
        self, files: Callable[[], Collection[EvidenceFile]], skip: Collection[str] = ()
    ) -> None:
        """Check the unchecked pages of ``files()`` (but those of the files in ``skip``: damaged,
        their own finding says so). While a check runs, it is started again once it is over
        (the evidence changed meanwhile)."""
        if self._store.read_only or self._store.closed:
            return
        if self._task is not None:
            self._again = lambda: self.start(files, skip)
            return
        self._again = None
        todo = {fid: pages for fid, pages in unchecked(files()).items() if fid not in skip}
        if not todo:
            return
        store = self._store
        total = sum(len(pages) for pages in todo.values())

        def work(ctx: TaskContext) -> None:
            done = 0
            for file_id, pages in todo.items():
                if ctx.cancelled():
                    return
                try:
                    pdf = store.evidence_pdf(file_id)
                except (KeyError, AppError):  # gone, damaged (its own finding) or closed
                    continue
                found = check_stored(pdf, pages, ctx.cancelled)
                if found is None:
                    return
                try:
                    store.record_page_checks(file_id, hashlib.sha256(pdf).hexdigest(), found)
                except AppError:  # closed meanwhile: the next opening checks the rest
                    return
                done += len(pages)
                ctx.progress(done, total, "")

        task = run_task(
            self,
            work,
            lambda _none: self._over(),
            lambda _exc: self._over(),  # advice only: never an error in the clerk's way
            pool=self._pool,
            quiet=True,
        )
        task.progress.connect(lambda done, of, _label: self._at(done, of))
        self._task = task
        self._at(0, total)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _at(self, done: int, total: int) -> None:
        self.state = (done, total)
        self.progress.emit(done, total)

    def _over(self) -> None:
        self._task = None
        if self._store.closed:
            return
        self._at(0, 0)
        again, self._again = self._again, None
        if again is not None:
            again()
