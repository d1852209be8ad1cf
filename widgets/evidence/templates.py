"""Word templates of the 材料 page: a narrative document's template, filled with the company's
data, written in the background beside the project file and opened with the system's program.
An existing template is opened again, never overwritten."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from app.system.errors import AppError
from widgets import errors
from widgets.evidence.checklist import Node
from widgets.evidence.message import MessageStrip
from widgets.pages.base import Page
from widgets.tasks import Task, TaskContext, run_task


class TemplateMaker(QObject):
    """Makes the templates of ``page``'s project; ``open_file(path)`` opens one,
    ``busy_changed()`` is called when making one starts and when it ends."""

    def __init__(
        self,
        page: Page,
        message: MessageStrip,
        open_file: Callable[[Path], None],
        busy_changed: Callable[[], None],
    ) -> None:
        super().__init__(page)
        self._page = page
        self._message = message
        self._open_file = open_file
        self._busy_changed = busy_changed
        self.task: Task | None = None

    def folder(self) -> Path:
        """Where the templates of the page's project go: beside the project file."""
        assert self._page.session is not None
        path = self._page.session.path
        return path.parent / f"{path.stem}-Word模板"

    def start(self, node: Node | None) -> None:
        """Write (or reuse) and open the template of the narrative document ``node``."""
        session = self._page.session
        if session is None or node is None or node.doc is None or node.key is None:
            return
        if node.doc.kind != "narrative" or self.task is not None:
            return
        from app.outputs.templates import template_file_name, write_template

        guide, data, doc, row_id = session.guide, session.data, node.doc, node.key[1]
        folder = self.folder()
        show = self._message.show_message

        def work(ctx: TaskContext) -> tuple[Path, bool]:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / template_file_name(guide, data, doc, row_id, folder)
            if path.exists():  # never overwrite what the company may have filled in
                return path, False
            write_template(path, guide, data, doc, row_id)
            return path, True

        def done(result: tuple[Path, bool]) -> None:
            path, new = result
            self._open_file(path)
            if new:
                show(
                    f"已生成Word模板“{path.name}”（保存在“{folder}”）。"
                    "填写并签名盖章后扫描，再添加到这里。",
                    "info",
                )
            else:
                show(
                    f"已打开之前生成的“{path.name}”（在“{folder}”）。"
                    "如需按最新数据重新生成，请先删除或改名该文件。",
                    "info",
                )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AppError):
                show(errors.message_for(exc), "error")
            elif isinstance(exc, OSError):
                show(
                    f"无法在“{folder}”中写入Word模板。请检查该文件夹是否可写，"
                    "或关闭正在打开该文件的Word后重试。",
                    "error",
                )
            else:
                errors.show_error(self._page, exc, "无法生成Word模板")

        task = run_task(self._page, work, done, failed)
        self.task = task

        def finished() -> None:
            self.task = None
            with contextlib.suppress(RuntimeError):
                self._busy_changed()

        task.finished.connect(finished)
        self._busy_changed()
