"""The open project as the GUI sees it: the store, the guide, the undo stack, and cached
derived data (ProjectData, Evaluation, findings) refreshed after every committed change.

Every edit goes through the store (one transaction each, saved at once). Edits that users
expect to undo (attaching, removing, reordering files, table edits, item selection) are
QUndoCommands on ``undo_stack``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from shiboken6 import Shiboken

from app.guide.model import Guide
from app.model import Company, EvidenceFile, ProjectData, Rate, Value
from app.project import EvidenceSnapshot, ProjectStore, RowSnapshot, failures
from app.project.records import DECLARATION_OPTION
from app.rules.evaluation import Evaluation, evaluate
from app.rules.findings import Finding
from app.system.errors import AppError
from widgets.errors import show_error
from widgets.late_check import LatePageCheck
from widgets.session_prepare import Prepared, project_findings, project_guide_of
from widgets.tasks import Task, TaskContext, run_task


class EditNotSaved(AppError):
    """An edit, undo or redo that did not happen; the message says so (never “nothing lost”)."""


_ALL_TOPICS = (
    "company",
    "selected",
    "inputs",
    "requested",
    "rates",
    "tables",
    "evidence",
    "options",
)


def _address(command: QUndoCommand) -> int:
    return int(Shiboken.getCppPointer(command)[0])


class _Command(QUndoCommand):
    """An undo step. Errors are kept, not raised: an exception crossing Qt's C++ would come
    back with an English prefix, and the stack would move on as if the step had run."""

    def __init__(
        self,
        text: str,
        do: Callable[[], None],
        undo: Callable[[], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        super().__init__(text)
        self._do = do
        self._undo = undo
        self._failed = failed

    def redo(self) -> None:
        try:
            self._do()
        except Exception as exc:
            self._failed(exc)

    def undo(self) -> None:
        try:
            self._undo()
        except Exception as exc:
            self._failed(exc)


class ProjectSession(QObject):
    """One open project. ``changed`` fires (on the main thread) after every committed edit."""

    changed = Signal(str)  # topic: company/selected/inputs/requested/rates/tables/evidence/options
    evidence_checked = Signal()  # the opening check of the stored evidence is done

    def __init__(
        self,
        store: ProjectStore,
        parent: QObject | None = None,
        *,
        data: ProjectData | None = None,
        prepared: Prepared | None = None,
    ) -> None:
        """``data``: the project as just loaded (read in the background while opening);
        ``prepared``: that and what is worked out from it (``prepare``, in the background)."""
        if prepared is not None:
            data = prepared.data
        super().__init__(parent)
        self.store = store
        self.undo_stack = QUndoStack(self)
        # The page the clerk is on (the window keeps it current); each undo step remembers
        # the page it was made on, so that Ctrl+Z elsewhere can say what it would undo.
        self.where = ""
        self._where_of: dict[int, str] = {}
        self._data: ProjectData | None = data
        # The evidence files of the last snapshot while no "evidence" change came since: any
        # other change reads the rest again and keeps them (~40 ms of the window's thread at
        # 1,000 files, after every option or field saved).
        self._files: tuple[EvidenceFile, ...] | None = data.evidence if data is not None else None
        self._changes = 0  # changes noted so far (a snapshot read across one is not kept)
        self._kept = threading.Lock()  # a snapshot kept vs a change noted in another thread
        self._evaluation = prepared.evaluation if prepared is not None else None
        self._findings = list(prepared.findings) if prepared is not None else None
        self._pending: set[str] = set()
        # Set (per thread) while ``save_options`` writes: options outside the project's data
        # leave what was worked out from the data (data, evaluation, findings) as it is.
        self._local = threading.local()
        # The options as last read or saved here (None: read them again). A build's worker
        # holds the project file between its reads: asking the file on the window's thread
        # then waits for it.
        self._options: dict[str, Any] | None = None
        self._step_error: BaseException | None = None
        # Evidence whose stored bytes no longer match their SHA-256, checked once on opening
        # (files attached later are fresh; a damaged file leaves the list once removed). The
        # check reads every byte of the project (seconds for a large one): it runs in the
        # background and what it finds arrives as findings (``evidence_checked``).
        try:
            self.guide: Guide = prepared.guide if prepared is not None else project_guide_of(store)
        except BaseException:
            store.close()  # e.g. damaged text found while reading: the file is refused
            raise
        self._damaged: dict[str, tuple[str, ...]] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # not the shared pool: thumbnails keep their threads
        self._check: Task | None = None
        # Pages stored before the page check existed, checked in the background (its
        # ``progress`` shows in the window's status line).
        self.page_check = LatePageCheck(store, self._pool, self)
        store.on_change.append(self._on_store_change)
        self._start_evidence_check()
        self._start_page_check()

    # -- the damaged-evidence check (background) -------------------------------------------------
    def _start_evidence_check(self) -> None:
        store = self.store

        def work(ctx: TaskContext) -> dict[str, tuple[str, ...]]:
            found: dict[str, tuple[str, ...]] = {}
            for file_id, parts in store.damaged_evidence_each():
                if ctx.cancelled():
                    break
                if parts:
                    found[file_id] = parts
            return found

        self._check = run_task(
            self,
            work,
            self._evidence_checked,
            self._evidence_check_failed,
            pool=self._pool,
            quiet=True,
        )

    @property
    def checking_evidence(self) -> bool:
        """The opening check of the stored evidence is still running."""
        return self._check is not None

    def _evidence_checked(self, found: dict[str, tuple[str, ...]]) -> None:
        self._check = None
        if self.store.closed:
            return
        if found:
            self._damaged = found
            self._findings = None
            self._pending.add("evidence")
            self._emit_pending()
        self.evidence_checked.emit()

    def _evidence_check_failed(self, exc: BaseException) -> None:
        self._check = None
        if self.store.closed:  # closed while checking: nothing to say
            return
        show_error(None, exc, "无法检查证明材料")
        self.evidence_checked.emit()

    # -- the late page check (background) ---------------------------------------------------------
    def _start_page_check(self) -> None:
        """Check the pages stored before the page check existed (after the opening check: the
        same one-thread pool) and store what it finds."""
        self.page_check.start(lambda: self.data.evidence, set(self._damaged))

    @property
    def checking_pages(self) -> bool:
        """The late page check is running."""
        return self.page_check.running

    # -- lifecycle ------------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, guide_id: str, guide_text: str | None = None, guide_file: str = ""
    ) -> ProjectSession:
        """A new project keeping ``guide_text`` (else the bundled guide of ``guide_id``)."""
        return cls(
            ProjectStore.create(path, guide_id, guide_text=guide_text, guide_file=guide_file)
        )

    @classmethod
    def open(
        cls, path: Path, *, read_only: bool = False, take_over: bool = False
    ) -> ProjectSession:
        """Open for editing (locked: see app.project.lock), or ``read_only`` to look at a project
        open elsewhere; ``take_over`` replaces another PC's lock the user confirmed is gone."""
        return cls(ProjectStore.open(path, read_only=read_only, take_over=take_over))

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def reload(self) -> None:
        """Forget the cached data and redraw every page from the file (what a read-only view
        does to show the other window's latest saved state)."""
        for topic in _ALL_TOPICS:
            self._on_store_change(topic)

    def close(self) -> None:
        if self._check is not None:
            self._check.cancel()
        self.page_check.cancel()
        if self._on_store_change in self.store.on_change:
            self.store.on_change.remove(self._on_store_change)
        self.store.close()

    # -- derived data (cached until the next change) --------------------------------------------
    def _on_store_change(self, topic: str) -> None:
        # May run in a worker thread (imports, a build saving its options): only note it and
        # let the timer emit on the main thread.
        if topic == "options":
            self._options = None
        if not (topic == "options" and getattr(self._local, "outside_data", False)):
            self._forget_derived(topic)
        if getattr(self._local, "read_ahead", False):
            with contextlib.suppress(Exception):  # a failure: the window's own reading says it
                self.data  # noqa: B018  (read for its cache)
        self._pending.add(topic)
        if not Shiboken.isValid(self):  # a late write while the program shuts down
            return
        QTimer.singleShot(0, self, self._emit_pending)

    def _forget_derived(self, topic: str) -> None:
        with self._kept:
            self._changes += 1
            if topic == "evidence":
                self._files = None
            elif self._data is not None:
                self._files = self._data.evidence
            self._data = self._evaluation = self._findings = None

    def _emit_pending(self) -> None:
        topics, self._pending = self._pending, set()
        if self.store.closed:  # a change noted just before the project was closed
            return
        for t in sorted(topics):
            self.changed.emit(t)
        if "evidence" in topics:  # pages put back unchecked (an undo), a file changed
            self._start_page_check()

    @property
    def data(self) -> ProjectData:
        data = self._data
        if data is None:
            changes = self._changes
            data = self.store.load(self._files)
            with self._kept:
                if changes == self._changes:  # no change noted meanwhile (in another thread)
                    self._data = data
                    self._files = data.evidence
        return data

    # Kept only when no change was noted while they were worked out (by a worker's thread: the
    # late page check, an import), else a stale result would stay until the next change.
    @property
    def has_snapshot(self) -> bool:
        """Whether ``data`` is read (asking it reads nothing from the file)."""
        return self._data is not None

    @contextlib.contextmanager
    def reading_ahead(self) -> Iterator[None]:
        """Changes made inside, in this (background) thread, are read back here before the
        window hears of them (at 1,000 files that read was most of an import's landing turn)."""
        self._local.read_ahead = True
        try:
            yield
        finally:
            self._local.read_ahead = False

    @property
    def evaluation(self) -> Evaluation:
        found, changes = self._evaluation, self._changes
        if found is None:
            found = evaluate(self.guide, self.data)
            self._evaluation = found if changes == self._changes else None
        return found

    @property
    def findings(self) -> list[Finding]:
        found, changes = self._findings, self._changes
        if found is None:
            found = project_findings(self.guide, self.data, self._damaged, self.evaluation)
            self._findings = found if changes == self._changes else None
        return found

    def findings_later(self) -> Callable[[], list[Finding]]:
        """The findings, for a worker thread to have: those known now, else worked out there
        from the project as stored (not on the window's thread)."""
        known = self._findings
        if known is not None:
            return lambda: known
        guide, store, damaged, files = self.guide, self.store, self._damaged, self._files
        return lambda: project_findings(guide, store.load(files), damaged)

    # -- plain edits (saved at once; text fields have their own undo) ---------------------------
    def set_company_field(self, field_id: str, value: str) -> None:
        if self.data.company.get(field_id) != value:
            self.store.set_company_field(field_id, value)

    def set_company(self, company: Company) -> None:
        self.store.set_company(company)

    def set_input(self, item_id: str, field_id: str, value: Value | None) -> None:
        if self.data.item_inputs(item_id).get(field_id) != value:
            self.store.set_input(item_id, field_id, value)

    def set_requested(self, item_id: str, amount: Decimal | None) -> None:
        self.store.set_requested(item_id, amount)

    def set_rate(self, code: str, rate: Rate | None) -> None:
        self.store.set_rate(code, rate)

    def set_stage(self, stage_id: str, date: dt.date) -> None:
        """The company now stands at ``stage_id`` (reached on ``date``): later stages, if any
        were recorded, are forgotten. Undoable."""
        process = self.guide.process
        if process is None:
            return
        before = dict(self.data.stages)
        later = [s.id for s in process.stages[process.index(stage_id) + 1 :]]
        ids = [s.id for s in process.stages]

        def redo() -> None:
            self.store.set_stage(stage_id, date, forget=later)

        def undo() -> None:
            for sid in ids:
                self.store.set_stage(sid, before.get(sid))

        title = process.stage(stage_id).title
        self.push(f"记录阶段“{title}”", redo, undo)

    def set_review_figures(self, figures: Mapping[str, str]) -> None:
        self.store.set_review_figures(figures)

    def set_declaration_confirmed(self, confirmed: bool) -> None:
        if self.data.declaration_confirmed != confirmed:
            self.store.set_declaration_confirmed(confirmed)

    def options(self) -> dict[str, Any]:
        known = self._options
        if known is None:
            known = self._options = self.store.get_options()
        return dict(known)

    def set_option(self, key: str, value: Any) -> None:
        self.store.set_option(key, value)

    def save_options(self, values: Mapping[str, Any]) -> None:
        """Save output options (not the project's data: not ``declaration_confirmed``), one
        write and disk sync per option changed. Any thread (a build saves them in its worker)."""
        if DECLARATION_OPTION in values:
            raise ValueError(f"{DECLARATION_OPTION} is project data, not an output option")
        saved = self.store.get_options()
        self._local.outside_data = True
        try:
            for key, value in values.items():
                if key not in saved or saved[key] != value:
                    self.store.set_option(key, value)
        finally:
            self._local.outside_data = False
        saved.update(values)
        self._options = {key: value for key, value in saved.items() if value is not None}

    # -- undoable edits --------------------------------------------------------------------------
    def push(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        """Do an edit now and, only if it was saved, make it an undo step."""
        if self.read_only:
            raise failures.opened_read_only(self.path)
        try:
            do()
        except KeyError as exc:
            self.reload()
            raise EditNotSaved(
                f"要修改的内容已不在项目中（可能刚被删除），“{text}”没有保存。"
                "页面已按项目文件中保存的内容刷新，请核对后重新操作。"
            ) from exc
        first = [True]

        def redo() -> None:
            if first[0]:  # QUndoStack.push calls redo at once; the edit is already done
                first[0] = False
                return
            do()

        self._push_command(text, redo, undo)

    def _push_command(
        self,
        text: str,
        redo: Callable[[], None],
        undo: Callable[[], None],
        where: str | None = None,
    ) -> None:
        command = _Command(text, redo, undo, self._note_step_error)
        self._where_of[_address(command)] = self.where if where is None else where
        self.undo_stack.push(command)

    def next_undo(self) -> tuple[str, str] | None:
        """(what, the page it was done on) of the step Ctrl+Z undoes; None when there is none."""
        index = self.undo_stack.index()
        if index <= 0:
            return None
        command = self.undo_stack.command(index - 1)
        if command is None:
            return None
        return command.text(), self._where(command)

    def _where(self, command: QUndoCommand) -> str:
        found = self._where_of.get(_address(command))
        if found is not None:
            return found
        for n in range(command.childCount()):  # a macro: where its steps were made
            child = command.child(n)
            if child is not None and (where := self._where(child)):
                return where
        return ""

    def _note_step_error(self, exc: BaseException) -> None:
        self._step_error = exc

    def undo(self) -> None:
        """Undo one step; if it fails, say what is saved and clear the undo history."""
        self._step("撤销", self.undo_stack.canUndo, self.undo_stack.undo)

    def redo(self) -> None:
        self._step("重做", self.undo_stack.canRedo, self.undo_stack.redo)

    def _step(self, verb: str, can: Callable[[], bool], step: Callable[[], None]) -> None:
        if not can():
            return
        if self.read_only:
            raise failures.opened_read_only(self.path)
        self._step_error = None
        step()
        exc, self._step_error = self._step_error, None
        if exc is None:
            return
        self.undo_stack.clear()  # its steps no longer match the file
        self.reload()
        reason = exc.message if isinstance(exc, AppError) else "要恢复的内容已不在项目中"
        raise EditNotSaved(
            f"{verb}没有完成（{reason}）。项目中已保存的内容以现在显示的为准，请核对；"
            f"为避免继续{verb}出错，撤销记录已清空。"
        ) from exc

    def set_item_selected(self, item_id: str, selected: bool) -> None:
        before = list(self.data.selected)
        order = self.guide.item_ids
        after = [i for i in order if (i in before and i != item_id) or (i == item_id and selected)]
        title = self.guide.item(item_id).full_title
        self.push(
            f"{'选择' if selected else '取消'}“{title}”",
            lambda: self.store.set_selected(after),
            lambda: self.store.set_selected(before),
        )

    def add_row(
        self, table_id: str, values: Mapping[str, Value], position: int | None = None
    ) -> str:
        row_id = self.store.add_row(table_id, values, position)
        self._record_added_rows(f"添加“{self.guide.table(table_id).title}”行", table_id, [row_id])
        return row_id

    def add_rows(self, table_id: str, rows: Sequence[Mapping[str, Value]]) -> list[str]:
        """Several rows as one undo step (paste, import from Excel)."""
        ids = [self.store.add_row(table_id, values) for values in rows]
        title = self.guide.table(table_id).title
        self._record_added_rows(f"粘贴 {len(ids)} 行到“{title}”", table_id, ids)
        return ids

    def _push_done(
        self,
        text: str,
        remove: Callable[[], list[Any]],
        restore: Callable[[Any], None],
        where: str | None = None,
    ) -> None:
        """An undo step for something already done: undo calls ``remove`` (which returns the
        snapshots), redo restores those snapshots in reverse order."""
        snaps: list[Any] = []
        first = [True]

        def redo() -> None:
            if first[0]:  # QUndoStack.push calls redo at once; the work is already done
                first[0] = False
                return
            for snap in reversed(snaps):
                restore(snap)
            snaps.clear()

        def undo() -> None:
            snaps.extend(remove())

        self._push_command(text, redo, undo, where)

    def _record_added_rows(self, text: str, table_id: str, ids: Sequence[str]) -> None:
        self._push_done(
            text,
            lambda: [self.store.delete_row(table_id, rid) for rid in reversed(ids)],
            self.store.restore_row,
        )

    def delete_row(self, table_id: str, row_id: str) -> None:
        box: list[RowSnapshot] = []
        self.push(
            f"删除“{self.guide.table(table_id).title}”行",
            lambda: box.append(self.store.delete_row(table_id, row_id)),
            lambda: self.store.restore_row(box.pop()),
        )

    def set_cell(self, table_id: str, row_id: str, field_id: str, value: Value | None) -> None:
        rows = {r.id: r for r in self.data.rows(table_id)}
        old = rows[row_id].values.get(field_id) if row_id in rows else None
        if old == value:
            return
        self.push(
            f"修改“{self.guide.table(table_id).column(field_id).label}”",
            lambda: self.store.update_cell(table_id, row_id, field_id, value),
            lambda: self.store.update_cell(table_id, row_id, field_id, old),
        )

    def move_row(self, table_id: str, row_id: str, new_position: int) -> None:
        ids = [r.id for r in self.data.rows(table_id)]
        old = ids.index(row_id)
        self.push(
            "移动行",
            lambda: self.store.move_row(table_id, row_id, new_position),
            lambda: self.store.move_row(table_id, row_id, old),
        )

    def attach(
        self,
        document_id: str,
        row_id: str | None,
        imported: Sequence[Any],
        position: int | None = None,
    ) -> list[str]:
        """Store imported files as one undo step (small sets; see ``record_attach``)."""
        ids = self.store.add_evidence_many(document_id, row_id, imported, position)
        self.record_attach(ids)
        return ids

    def record_attach(self, ids: Sequence[str], where: str | None = None) -> None:
        """Make files already stored (by a background task calling
        ``store.add_evidence_many``) one undo step. Call on the main thread. ``where``: the
        page the import was started on (the clerk may be on another when it lands)."""
        ids = list(ids)
        self._push_done(
            f"添加 {len(ids)} 个文件",
            lambda: [self.store.remove_evidence(fid) for fid in reversed(ids)],
            self.store.restore_evidence,
            where,
        )

    def remove_file(self, file_id: str) -> None:
        box: list[EvidenceSnapshot] = []
        name = next((f.name for f in self.data.evidence if f.id == file_id), "")
        self.push(
            f"移除“{name}”",
            lambda: box.append(self.store.remove_evidence(file_id)),
            lambda: self.store.restore_evidence(box.pop()),
        )

    def move_file(self, file_id: str, new_position: int) -> None:
        f = next(f for f in self.data.evidence if f.id == file_id)
        old = f.order
        if old == new_position:
            return
        self.push(
            f"调整“{f.name}”的顺序",
            lambda: self.store.move_evidence(file_id, new_position),
            lambda: self.store.move_evidence(file_id, old),
        )

    def rotate_page(self, file_id: str, page_index: int, degrees: int) -> None:
        name = next((f.name for f in self.data.evidence if f.id == file_id), "")
        self.push(
            f"旋转“{name}”第 {page_index + 1} 页",
            lambda: self.store.rotate_page(file_id, page_index, degrees),
            lambda: self.store.rotate_page(file_id, page_index, -degrees),
        )

    def turn_pages_upright(self, file_id: str, turns: Mapping[int, int]) -> None:
        """Turn pages of a file clockwise (page index -> degrees): one undo step."""
        f = next(f for f in self.data.evidence if f.id == file_id)
        todo = {page: degrees % 360 for page, degrees in turns.items() if degrees % 360}
        if not todo:
            return

        def do() -> None:
            for page, degrees in todo.items():
                self.store.rotate_page(file_id, page, degrees)

        def undo() -> None:
            for page, degrees in todo.items():
                self.store.rotate_page(file_id, page, -degrees)

        self.push(f"转正“{f.name}”{_pages_text(todo)}", do, undo)

    def remove_pages(self, file_id: str, pages: Sequence[int]) -> None:
        """Remove pages of a file (all of them: the file) as one undo step."""
        f = next(f for f in self.data.evidence if f.id == file_id)
        if not pages:
            return
        if len(set(pages)) >= f.page_count:
            self.remove_file(file_id)
            return
        box: list[EvidenceSnapshot] = []
        self.push(
            f"删除“{f.name}”{_pages_text(pages)}",
            lambda: box.append(self.store.remove_pages(file_id, pages)),
            lambda: self.store.replace_evidence(box.pop()),
        )

    def set_page_fine(self, file_id: str, page_index: int, fine: bool = True) -> None:
        """The clerk says a flagged page is right as it is ("此页无误"), or takes it back: the
        finding the page has (blank, else sideways as shown now) goes, or comes back. One undo
        step."""
        f = next(f for f in self.data.evidence if f.id == file_id)
        page = f.pages[page_index]
        before = (page.fine_blank, page.fine_turn)
        if not fine:
            after: tuple[bool, int | None] = (False, None)
        elif page.blank:
            after = (True, page.fine_turn)
        elif page.sideways:
            after = (page.fine_blank, page.user_rotation)
        else:
            return
        if after == before:
            return

        def put(values: tuple[bool, int | None]) -> None:
            self.store.set_page_fine(file_id, page_index, fine_blank=values[0], fine_turn=values[1])

        verb = "确认" if fine else "取消确认"
        self.push(
            f"{verb}“{f.name}”{_pages_text([page_index])}无误",
            lambda: put(after),
            lambda: put(before),
        )


def _pages_text(pages: Iterable[int]) -> str:
    return "第 " + "、".join(str(p + 1) for p in sorted(pages)) + " 页"
