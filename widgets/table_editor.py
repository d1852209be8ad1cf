"""A reusable editor for one table of the guide (contracts, certifications, persons...).

``RowsModel`` (in ``widgets.table_model``) is a QAbstractTableModel over
``session.data.rows(table_id)``: every edit goes through the session's undoable methods
(set_cell, add_row(s), delete_row, move_row) and the model reloads from the session afterwards,
so the store is the only truth. ``CellDelegate`` and ``RowsView`` (in ``widgets.table_delegates``)
are the cell editors and the keys. ``TableEditor`` is the view with its buttons, keyboard
shortcuts, paste from Excel, import from .xlsx and an inline message strip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.entry.row_import import (
    GridRows,
    RowImportError,
    retry_rows,
    rows_from_text,
    rows_from_xlsx,
)
from app.model import Value
from app.rules.duplicates import IncomingDuplicates, incoming_duplicates, key_label
from app.system.errors import AppError
from widgets import errors
from widgets.message_text import MessageScroll
from widgets.paste_preview import PastePreview
from widgets.readonly import mark_view_only
from widgets.session import ProjectSession
from widgets.table_delegates import CellDelegate, RowsView
from widgets.table_model import NUMERIC, ROW_MIME, TINT, Index, RowsModel
from widgets.tasks import Task, TaskContext, run_task
from widgets.wrapped_label import WrappedLabel

__all__ = [
    "NUMERIC",
    "ROW_MIME",
    "TINT",
    "XLSX_FILTER",
    "CellDelegate",
    "Index",
    "RowsModel",
    "RowsView",
    "TableEditor",
]

SHOWN_PROBLEMS = 100  # the message scrolls: every problem of a usual paste is listed
XLSX_FILTER = "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)"


class TableEditor(QWidget):
    """Buttons, a message strip and the rows of one table. ``rows_added`` carries the ids
    added by a paste or an import (one undo step each)."""

    rows_added = Signal(list)

    def __init__(
        self, session: ProjectSession, table_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.model = RowsModel(session, table_id, self)
        self.table = self.model.table
        self.task: Task | None = None
        self._focus_after: tuple[str, int] | None = None
        # The rows the last paste / import added: a re-paste may replace them.
        self._last_batch: tuple[str, list[str]] | None = None
        self.preview: PastePreview | None = None  # open while a paste waits to be confirmed
        # The undo index after the step a message announces ("已粘贴 3 行"): undone, it goes.
        self._announced: int | None = None
        session.undo_stack.indexChanged.connect(self._stack_moved)
        self.setObjectName(f"table_{table_id}")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.add_button = QPushButton("添加一行")
        self.add_button.setToolTip("在当前行之后添加一行（Insert 或 Ctrl+Enter）")
        self.delete_button = QPushButton("删除所选行")
        self.delete_button.setToolTip("删除选中的行（Delete），可撤销")
        self.up_button = QToolButton()
        self.up_button.setText("上移")
        self.up_button.setToolTip("上移当前行（Alt+↑）")
        self.down_button = QToolButton()
        self.down_button.setText("下移")
        self.down_button.setToolTip("下移当前行（Alt+↓）")
        self.paste_button = QPushButton("粘贴Excel行")
        self.paste_button.setToolTip(
            "在 Excel 中选中若干行复制，再点这里或在表格中按 Ctrl+V。首行是标题时按列名对应，"
            "添加前先显示预览；没有标题行时按表格的列顺序对应"
        )
        self.import_button = QPushButton("从Excel导入…")
        self.import_button.setToolTip(
            "从 .xlsx 文件导入行：按标题行的列名对应（添加前先显示预览），没有标题行则按列的顺序"
        )
        for w in (
            self.add_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            self.paste_button,
            self.import_button,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #5f6368;")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)

        strip = QHBoxLayout()
        strip.setSpacing(4)
        self.message = WrappedLabel()
        self.message.setObjectName(f"table_{table_id}_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_close = QToolButton()
        mark_view_only(self.message_close)
        self.message_close.setText("×")
        self.message_close.setToolTip("关闭提示")
        self.message_close.setAutoRaise(True)
        self.message_close.clicked.connect(self.clear_message)
        self.action_row = QHBoxLayout()
        self.action_row.setContentsMargins(4, 0, 4, 4)
        self.action_row.setSpacing(6)
        text_and_actions = QVBoxLayout()
        text_and_actions.setContentsMargins(0, 0, 0, 0)
        text_and_actions.setSpacing(2)
        # The whole text is kept: as tall as it wraps to, scrolling past twelve lines.
        self.message_scroll = MessageScroll(self.message)
        text_and_actions.addWidget(self.message_scroll)
        text_and_actions.addLayout(self.action_row)
        strip.addLayout(text_and_actions, 1)
        strip.addWidget(self.message_close, 0, Qt.AlignmentFlag.AlignTop)
        self.message_box = QWidget()
        self.message_box.setObjectName(f"table_{table_id}_message_box")
        self.message_box.setLayout(strip)
        self.message_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.action_buttons: list[QPushButton] = []
        self.message_box.hide()
        layout.addWidget(self.message_box)

        self.view = RowsView()
        self.view.setObjectName(f"table_{table_id}_view")
        self.view.setAccessibleName(self.table.title)
        self.view.setModel(self.model)
        self.view.setItemDelegate(CellDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropOverwriteMode(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setAlternatingRowColors(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.verticalHeader().setDefaultSectionSize(28)
        layout.addWidget(self.view, 1)

        self.add_button.clicked.connect(self.add_row)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.paste_button.clicked.connect(self.paste)
        self.import_button.clicked.connect(self.choose_and_import)
        self.view.add_requested.connect(self.add_row)
        self.view.delete_requested.connect(self.delete_selected)
        self.view.move_requested.connect(self.move_current)
        self.view.paste_requested.connect(self.paste)
        self.model.problem.connect(lambda text: self.show_message(text, error=True))
        # A message about the table goes once the user has changed the table by hand.
        self.model.edited.connect(self.clear_message)
        self.model.modelReset.connect(self._after_reset)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._size_columns()
        self._update_buttons()

    def tab_chain(self) -> list[QWidget]:
        """The editor's widgets in reading order, for the page's Tab order."""
        return [
            self.add_button,
            self.delete_button,
            self.up_button,
            self.down_button,
            self.paste_button,
            self.import_button,
            self.view,
        ]

    # -- refresh ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.reload()
        self._update_buttons()

    def _after_reset(self) -> None:
        self._size_columns()
        if self._focus_after is not None:
            row_id, column = self._focus_after
            self._focus_after = None
            self.select_cell(row_id, column)
        self._update_buttons()

    def _size_columns(self) -> None:
        """Columns as wide as their header and (up to a limit) their longest text, so names
        are not cut off; a cell still too narrow shows its whole text on hover."""
        metrics = self.view.fontMetrics()
        rows = min(self.model.rowCount(), 200)
        for n, spec in enumerate(self.model.columns):
            label = self.model.headerData(n, Qt.Orientation.Horizontal) or ""
            width = metrics.horizontalAdvance(str(label)) + 28
            for r in range(rows):
                text = self.model.index(r, n).data(Qt.ItemDataRole.DisplayRole)
                if text:
                    width = max(width, metrics.horizontalAdvance(str(text)) + 16)
            if spec.type == "date":
                width = max(width, metrics.horizontalAdvance("2018-12-31") + 40)
            elif spec.type == "currency":
                width = max(width, metrics.horizontalAdvance("港币（HKD）") + 24)
            elif spec.type in ("money", "business_type"):
                width = max(width, metrics.horizontalAdvance("10,000,000.00") + 24)
            elif spec.type == "text":
                width = max(width, 110)
            self.view.setColumnWidth(n, min(width, 300))

    def _update_buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        has_selection = bool(self.view.selectionModel().selectedIndexes())
        self.delete_button.setEnabled(has_rows and has_selection)
        self.up_button.setEnabled(has_rows and has_selection)
        self.down_button.setEnabled(has_rows and has_selection)
        self.import_button.setEnabled(self.task is None)
        n = self.model.rowCount()
        self.count_label.setText(
            f"共 {n} 行 · Ctrl+Tab 离开表格"
            if n
            else "还没有行：点“添加一行”或粘贴 Excel 中复制的行"
        )

    # -- messages --------------------------------------------------------------------------------
    def show_message(
        self,
        text: str,
        error: bool = False,
        actions: Sequence[tuple[str, str, Callable[[], object]]] = (),
    ) -> None:
        """Show ``text`` above the table; ``actions`` are (label, tooltip, handler) buttons
        offered with it (a click runs the handler and the message goes)."""
        self._announced = None  # a new message: no longer about an earlier step
        colour = "#b3261e" if error else "#1e4620"
        back = "#fdecea" if error else "#e6f4ea"
        self.message_box.setStyleSheet(
            f"QWidget#{self.message_box.objectName()} {{ background: {back}; border-radius: 4px; }}"
        )
        self.message.setStyleSheet(f"color: {colour}; padding: 4px;")
        self.message.setText(text)
        self._clear_actions()
        for label, tip, handler in actions:
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, h=handler: self._run_action(h))
            self.action_row.addWidget(button)
            self.action_buttons.append(button)
        if actions:
            self.action_row.addStretch(1)
        self.message_box.show()

    def _run_action(self, handler: Callable[[], object]) -> None:
        self._clear_actions()
        handler()

    def _clear_actions(self) -> None:
        for button in self.action_buttons:
            self.action_row.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons = []
        while self.action_row.count():
            self.action_row.takeAt(0)

    def action_labels(self) -> list[str]:
        return [b.text() for b in self.action_buttons]

    def click_action(self, prefix: str) -> bool:
        """Press the offered button whose label starts with ``prefix`` (tests, shortcuts)."""
        for button in self.action_buttons:
            if button.text().startswith(prefix):
                button.click()
                return True
        return False

    def _stack_moved(self, index: int) -> None:
        if self._announced is not None and index < self._announced:
            self.clear_message()

    def clear_message(self) -> None:
        self._announced = None
        self.message.clear()
        self._clear_actions()
        self.message_box.hide()

    def message_text(self) -> str:
        return self.message.text() if self.message_box.isVisibleTo(self) else ""

    # -- selection -------------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_row_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        if not rows and self.current_row() >= 0:
            rows = [self.current_row()]
        return [self.model.row_id(r) for r in rows if r < self.model.rowCount()]

    def select_cell(self, row: str | int, column: str | int = 0) -> bool:
        """Select a cell (row by id or position, column by id or position) and focus it."""
        r = row if isinstance(row, int) else self.model.row_of(row)
        c = column if isinstance(column, int) else self.model.column_of(column)
        if not 0 <= r < self.model.rowCount():
            return False
        c = max(c, 0)
        index = self.model.index(r, c)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # -- edits -----------------------------------------------------------------------------------
    def add_row(self) -> str:
        self.clear_message()
        values: dict[str, Value] = {
            c.id: c.default for c in self.table.columns if c.default is not None
        }
        current = self.current_row()
        position = current + 1 if current >= 0 else None
        row_id = self.session.add_row(self.table.id, values, position)
        self._focus_after = (row_id, 0)
        self.reload()
        return row_id

    def delete_selected(self) -> int:
        ids = self.selected_row_ids()
        if not ids:
            return 0
        attached = [f for f in self.session.data.evidence if f.row_id in set(ids)]
        if attached and not errors.ask(
            self,
            "删除行",
            f"要删除的 {len(ids)} 行已附 {len(attached)} 个证明文件，删除行会一并移除这些文件。\n"
            "（删除后可按 Ctrl+Z 撤销，文件会一起恢复。）确定删除吗？",
        ):
            return 0
        first = self.model.row_of(ids[0])
        stack = self.session.undo_stack
        stack.beginMacro(f"删除 {len(ids)} 行“{self.table.title}”")
        try:
            for rid in ids:
                self.session.delete_row(self.table.id, rid)
        finally:
            stack.endMacro()
        self.reload()
        if self.model.rowCount():
            self.select_cell(
                min(first, self.model.rowCount() - 1), max(self.view.currentIndex().column(), 0)
            )
        self.show_message(f"已删除 {len(ids)} 行，可按 Ctrl+Z 撤销。")
        self._announced = self.session.undo_stack.index()
        return len(ids)

    def move_current(self, delta: int) -> None:
        ids = self.selected_row_ids()
        if not ids:
            return
        rows = [self.model.row_of(i) for i in ids]
        column = max(self.view.currentIndex().column(), 0)
        target = min(rows) - 1 if delta < 0 else max(rows) + 2
        if target < 0 or target > self.model.rowCount():
            return
        self.model.move_rows(ids, target)
        self.view.clearSelection()
        for rid in ids:
            self.select_cell(rid, column)

    # -- paste and import ------------------------------------------------------------------------
    def paste(self) -> list[str]:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.show_message("剪贴板中没有文字：请先在 Excel 中选中要粘贴的行并复制。", error=True)
            return []
        added = tuple(self.session.data.rates)
        return self.add_grid_rows(
            rows_from_text(self.table, text, self.session.guide, added), "粘贴"
        )

    def add_grid_rows(self, got: GridRows, verb: str, preview: bool = True) -> list[str]:
        """Add the good rows as one undo step and report what was left out. Rows with a
        header row are first shown in a preview (the columns' mapping, the rows to add, the
        rows that cannot be read) and added only when the clerk confirms it. Rows repeating
        what the table holds (or each other) are not added at once: the message offers to
        replace the rows of the earlier paste, to add only the new rows, or to add all."""
        if preview and got.header and (got.rows or got.skipped):
            self._open_preview(got, verb)
            return []
        dup = incoming_duplicates(self.table, self._existing(), got.rows)
        if dup.count:
            self._offer_duplicates(got, verb, dup)
            return []
        return self._commit(got, verb, got.rows)

    def _open_preview(self, got: GridRows, verb: str) -> PastePreview:
        if self.preview is not None:
            self.preview.reject()
        dialog = PastePreview(self.table, got, verb, self.session.guide, self)
        self.preview = dialog

        def finished(result: int) -> None:
            if self.preview is dialog:
                self.preview = None
            dialog.deleteLater()
            if result == PastePreview.DialogCode.Accepted or not dialog.got.rows:
                # Nothing could be added: the rows left out stay listed (and copyable).
                self.add_grid_rows(dialog.got, verb, preview=False)
            else:
                self.show_message(f"已取消{verb}，没有添加任何行。")

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def _existing(self) -> list[tuple[str, Mapping[str, Value]]]:
        return [(r.id, r.values) for r in self.session.data.rows(self.table.id)]

    def _earlier_batch(self) -> list[str]:
        """Ids of the rows the last paste / import added that are still in the table."""
        if self._last_batch is None:
            return []
        present = {r.id for r in self.session.data.rows(self.table.id)}
        return [i for i in self._last_batch[1] if i in present]

    def _offer_duplicates(self, got: GridRows, verb: str, dup: IncomingDuplicates) -> None:
        n = len(got.rows)
        fresh = [v for k, v in enumerate(got.rows) if k not in dup.positions]
        label = self.table.row_label
        names = [str(got.rows[k].get(label) or f"第 {k + 1} 行") for k in sorted(dup.positions)]
        shown = "、".join(f"“{x}”" for x in names[:5]) + ("等" if len(names) > 5 else "")
        lines = [
            f"要{verb}的 {n} 行中，有 {dup.count} 行与表中已有的行或彼此重复"
            f"（{key_label(self.table)}相同）：{shown}。重复的行会被重复计入金额和汇总表。"
        ]
        lines += self._problem_lines(got, verb)
        lines.append("尚未添加任何行，请选择：")
        actions: list[tuple[str, str, Callable[[], object]]] = []
        earlier = self._earlier_batch()
        if earlier and self._last_batch is not None:
            before = self._last_batch[0]
            actions.append(
                (
                    f"替换上次{before}的 {len(earlier)} 行",
                    f"删除上次{before}添加的 {len(earlier)} 行（连同其证明文件），"
                    f"再添加这次的行；可按 Ctrl+Z 撤销",
                    lambda: self._replace_earlier(got, verb, earlier),
                )
            )
        if fresh:
            actions.append(
                (
                    f"只添加不重复的 {len(fresh)} 行",
                    "跳过重复的行，只添加表中还没有的行",
                    lambda: self._commit(got, verb, fresh, left_out=dup.count),
                )
            )
        actions.append(
            (
                "仍全部添加",
                "重复的行也添加（如确为不同的记录）",
                lambda: self._commit(got, verb, got.rows),
            )
        )
        actions.append(("取消", "不添加任何行", self.clear_message))
        self.show_message("\n".join(lines), error=True, actions=actions)

    def _replace_earlier(self, got: GridRows, verb: str, earlier: list[str]) -> list[str]:
        attached = [f for f in self.session.data.evidence if f.row_id in set(earlier)]
        if attached and not errors.ask(
            self,
            "替换行",
            f"上次添加的行已附 {len(attached)} 个证明文件，替换会一并移除这些文件"
            "（可按 Ctrl+Z 撤销）。确定替换吗？",
        ):
            return []
        stack = self.session.undo_stack
        stack.beginMacro(f"替换“{self.table.title}”中上次{verb}的 {len(earlier)} 行")
        try:
            for rid in earlier:
                self.session.delete_row(self.table.id, rid)
            dup = incoming_duplicates(self.table, self._existing(), got.rows)
            rows = [v for k, v in enumerate(got.rows) if k not in dup.positions]
            ids = self._commit(got, verb, rows, left_out=dup.count, replaced=len(earlier))
        finally:
            stack.endMacro()
        return ids

    def _commit(
        self,
        got: GridRows,
        verb: str,
        rows: Sequence[Mapping[str, Value]],
        left_out: int = 0,
        replaced: int = 0,
    ) -> list[str]:
        ids: list[str] = []
        if rows:
            stack = self.session.undo_stack
            stack.beginMacro(f"{verb} {len(rows)} 行到“{self.table.title}”")
            try:
                ids = self.session.add_rows(self.table.id, rows)
            finally:
                stack.endMacro()
            self._last_batch = (verb, list(ids))
        self.reload()
        if ids:
            self.select_cell(ids[0], 0)
        lines = []
        if replaced:
            lines.append(f"已删除上次添加的 {replaced} 行。")
        if rows:
            lines.append(
                f"已{verb} {len(rows)} 行" + ("（已跳过标题行）" if got.header else "") + "。"
            )
        if left_out:
            lines.append(f"{left_out} 行与表中已有的行重复，未添加。")
        lines += self._problem_lines(got, verb)
        if not rows and not got.skipped and not left_out:
            lines.append(f"没有可{verb}的行。")
        self.show_message(
            "\n".join(lines),
            error=bool(got.skipped) or not rows,
            actions=self._suggestion_actions(got, verb),
        )
        if ids:
            self._announced = self.session.undo_stack.index()
            self.rows_added.emit(ids)
        return ids

    def _suggestion_actions(
        self, got: GridRows, verb: str
    ) -> list[tuple[str, str, Callable[[], object]]]:
        """One button per column whose refused values have a likely catalogue entry, and one
        copying the rows left out (they are never just dropped)."""
        actions: list[tuple[str, str, Callable[[], object]]] = []
        if got.rejected:
            actions.append(
                (
                    f"复制未添加的 {len(got.rejected)} 行",
                    "把未添加的行复制到剪贴板：在 Excel 中粘贴、改正后，可再粘贴到这里",
                    lambda: QGuiApplication.clipboard().setText(got.copy_text(self.table)),
                )
            )
        for col_id, mapping in got.suggestions().items():
            label = self.table.column(col_id).label
            pairs = "\n".join(f"“{raw}” → “{new}”" for raw, new in mapping.items())
            actions.append(
                (
                    f"“{label}”列按建议修改并添加",
                    f"把这些值改为目录中的名称，再添加因此可以添加的行：\n{pairs}",
                    partial(self._accept, got, verb, col_id, mapping),
                )
            )
        return actions

    def _accept(self, got: GridRows, verb: str, col_id: str, mapping: dict[str, str]) -> None:
        again = retry_rows(self.table, got, {col_id: mapping}, self.session.guide)
        self.add_grid_rows(again, verb, preview=False)

    @staticmethod
    def _problem_lines(got: GridRows, verb: str) -> list[str]:
        lines: list[str] = []
        if got.skipped:
            lines.append(f"{got.skipped} 行有无法识别的内容，未添加，请改正后重新{verb}：")
            lines.extend(f"· {p}" for p in got.problems[:SHOWN_PROBLEMS])
            if len(got.problems) > SHOWN_PROBLEMS:
                lines.append(
                    f"……另有 {len(got.problems) - SHOWN_PROBLEMS} 处问题（可复制未添加的行查看）"
                )
        return lines

    def choose_and_import(self) -> None:
        path = errors.choose_open_file(self, f"从Excel导入“{self.table.title}”", XLSX_FILTER)
        if path:
            self.import_xlsx(Path(path))

    def import_xlsx(self, path: Path) -> Task:
        """Read rows from ``path`` in the background, then add them as one undo step."""
        table, guide = self.table, self.session.guide
        added = tuple(self.session.data.rates)
        self.show_message(f"正在读取“{path.name}”……")

        def work(ctx: TaskContext) -> GridRows:
            return rows_from_xlsx(path, table, guide, ctx.progress, ctx.cancelled, added)

        def done(got: GridRows) -> None:
            self.task = None
            self._update_buttons()
            self.add_grid_rows(got, "从Excel导入")

        def failed(exc: BaseException) -> None:
            self.task = None
            self._update_buttons()
            if isinstance(exc, RowImportError | AppError):
                self.show_message(exc.message, error=True)
            else:
                errors.show_error(self, exc, "导入失败")

        self.task = run_task(self, work, done, failed)
        self.task.progress.connect(
            lambda done_n, total, label: self.show_message(f"正在读取“{path.name}”：{label}")
        )
        self._update_buttons()
        return self.task
