"""Importing files into a document of the 材料 page, in the background: one import at a time,
a progress row with Cancel, PDF passwords asked on the main thread while the worker waits, and
refusals explained in the message strip. All or nothing, one undo step; or, for a folder
the clerk confirmed file by file, every file that can be read (the others are listed)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.system.errors import AppError, BuildCancelled, IntakeError
from widgets import errors
from widgets.evidence.checklist import DocKey
from widgets.evidence.message import MessageStrip, short
from widgets.pages.base import Page
from widgets.session import ProjectSession
from widgets.tasks import Task, TaskContext, run_task

if TYPE_CHECKING:  # app.intake is imported by the import's worker (not at the window's start)
    from app.intake import ImportedFile

ImportResult = tuple[list[str], list[str], int, list[str]]
"""New file ids, warnings, pages, and the refusals of the files left out (lenient imports)."""
Landed = Callable[[ProjectSession, DocKey, str, ImportResult], None]


class _PasswordBox:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.answer: str | None = None


class PasswordAsker(QObject):
    """Lets a worker ask for a PDF password: the question runs on the main thread while the
    worker waits (and gives up if the import is cancelled)."""

    asked = Signal(str, object)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        self.asked.connect(self._ask, Qt.ConnectionType.QueuedConnection)

    def _ask(self, name: str, box: _PasswordBox) -> None:
        try:
            box.answer = errors.ask_password(self._widget, name)
        finally:
            box.event.set()

    def callback(self, ctx: TaskContext) -> Callable[[str], str | None]:
        def ask(name: str) -> str | None:  # worker thread
            box = _PasswordBox()
            self.asked.emit(name, box)
            while not box.event.wait(0.05):
                if ctx.cancelled():
                    return None
            return box.answer

        return ask


class ImportController(QObject):
    """Runs the imports of ``page``. ``landed(session, key, title, result)`` is called when files
    were stored (even if the page has moved to another project since); ``busy_changed()`` when
    an import starts and when it ends, however it ends."""

    def __init__(
        self,
        page: Page,
        message: MessageStrip,
        landed: Landed,
        busy_changed: Callable[[], None],
    ) -> None:
        super().__init__(page)
        self._page = page
        self._message = message
        self._landed = landed
        self._busy_changed = busy_changed
        self.password_asker = PasswordAsker(page)
        self.task: Task | None = None

        self.frame = QFrame()
        pv = QHBoxLayout(self.frame)
        pv.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel)
        pv.addWidget(self.label)
        pv.addWidget(self.bar, 1)
        pv.addWidget(self.cancel_button)
        self.frame.hide()

    def start(self, key: DocKey, paths: list[Path], position: int | None = None) -> None:
        """Import ``paths`` (files and folders) into the document ``key`` of the page's project."""
        self.start_many([(key, paths)], position)

    def start_many(
        self,
        groups: list[tuple[DocKey, list[Path]]],
        position: int | None = None,
        lenient: bool = False,
        refused: list[str] | None = None,
    ) -> None:
        """Import each group's paths into its document: every file is stored as it is read, all
        of them or none (one undo step); the landing reports the first group's document.
        ``lenient``: a file that cannot be read is left out and listed instead of stopping
        the rest; ``refused`` are refusals found before (listed with them)."""
        known = list(refused or [])
        page = self._page
        if page.session is None or not groups:
            return
        if self.task is not None:
            self._message.show_message("正在导入其他文件，请等导入完成后再添加。", "warning")
            return
        session = page.session
        store = session.store
        key = groups[0][0]
        title = session.guide.document(key[0]).title
        if len(groups) > 1:
            title = f"{len(groups)} 项材料"
        asker = self.password_asker

        def work(ctx: TaskContext) -> ImportResult:
            from app.intake import expand_paths, import_stream, import_stream_lenient

            expanded = [(k, expand_paths(p)) for k, p in groups]
            files = [f for _, fs in expanded for f in fs]
            left_out = list(known)
            if not files:
                return [], [], 0, left_out
            warnings: list[str] = []
            pages = 0

            def noted(items: Iterator[ImportedFile]) -> Iterator[ImportedFile]:
                nonlocal pages
                for item in items:
                    warnings.extend(item.warnings)
                    pages += item.page_count
                    yield item

            def readable(items: Iterator[ImportedFile | IntakeError]) -> Iterator[ImportedFile]:
                for item in items:
                    if isinstance(item, IntakeError):
                        left_out.append(item.message)
                    else:
                        yield item

            # each file is written as soon as it is normalised and then let go (memory holds a
            # few files, not the drop); the files appear together, or not at all
            ask, cancelled = asker.callback(ctx), ctx.cancelled
            if lenient:
                raw = import_stream_lenient(files, ask, ctx.progress, cancelled)
                groups_of_items = [
                    (doc_id, row_id, noted(readable(itertools.islice(raw, len(fs)))))
                    for (doc_id, row_id), fs in expanded
                ]
            else:
                items = noted(import_stream(files, ask, ctx.progress, cancelled))
                groups_of_items = [
                    (doc_id, row_id, itertools.islice(items, len(fs)))
                    for (doc_id, row_id), fs in expanded
                ]
            with session.reading_ahead():
                added = store.add_evidence_streams(groups_of_items, position)
            ids = [i for part in added for i in part]
            return ids, warnings, pages, left_out

        self._message.hide_message()
        self.bar.setRange(0, 0)
        self.label.setText("正在准备导入…")
        self.cancel_button.setEnabled(True)
        self.frame.show()
        task = run_task(
            page,
            work,
            lambda result: self._landed(session, key, title, result),
            lambda exc: self._failed(exc) if page.session is session else None,
        )
        task.progress.connect(self._progress)
        task.finished.connect(self._task_finished)
        self.task = task
        self._busy_changed()

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("正在取消…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if label and self.cancel_button.isEnabled():
            self.label.setText(f"正在导入“{short(label, 24)}”（{done + 1}/{total}）")

    def _task_finished(self) -> None:
        self.task = None
        self.frame.hide()
        self._busy_changed()

    def _failed(self, exc: BaseException) -> None:
        show = self._message.show_message
        if isinstance(exc, BuildCancelled):
            show("已取消导入，没有添加任何文件。", "warning")
        elif isinstance(exc, IntakeError):
            show(f"{exc.message}\n没有添加任何文件，请处理后重新添加。", "error")
        elif isinstance(exc, AppError):
            show(errors.message_for(exc), "error")
        elif isinstance(exc, KeyError):
            show("该行已被删除，文件没有添加。", "error")
        else:
            errors.show_error(self._page, exc, "无法添加文件")
