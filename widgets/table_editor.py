"""A reusable editor for one table of the guide (contracts, certifications, persons...).

``RowsModel`` is a QAbstractTableModel over ``session.data.rows(table_id)``: every edit goes
through the session's undoable methods (set_cell, add_row(s), delete_row, move_row) and the
model reloads from the session afterwards, so the store is the only truth. ``TableEditor`` is
the view with its buttons, keyboard shortcuts, paste from Excel, import from .xlsx and an
inline message strip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.guide.model import FieldSpec, TableSpec
from app.model import Row, Value
from app.values import ValueProblem, coerce, display
from widgets import errors
from widgets.row_import import GridRows, RowImportError, rows_from_text, rows_from_xlsx
from widgets.session import ProjectSession
from widgets.tasks import Task, TaskContext, run_task

ROW_MIME = "application/x-packet-assembler-row-ids"
NUMERIC = ("money", "decimal", "int")
TINT = QColor("#fdecea")  # a row that does not count for its item
Index = QModelIndex | QPersistentModelIndex

XLSX_FILTER = "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)"


class RowsModel(QAbstractTableModel):
    """The rows of one table. Emits ``problem`` with a Chinese message when a typed cell cannot
    be read (the edit is refused, nothing is stored)."""

    problem = Signal(str)

    def __init__(
        self, session: ProjectSession, table_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.table: TableSpec = session.guide.table(table_id)
        self.columns: tuple[FieldSpec, ...] = self.table.columns
        self._rows: list[Row] = []
        self._not_counted: dict[str, tuple[str, ...]] = {}
        self._items = [it.id for it in session.guide.items if it.table == table_id]
        self.reload()

    # -- data from the session ------------------------------------------------------------------
    @property
    def table_id(self) -> str:
        return self.table.id

    def reload(self) -> None:
        """Take the rows (and their counted/not-counted state) from the session again."""
        rows = list(self.session.data.rows(self.table.id))
        not_counted: dict[str, list[str]] = {}
        evaluation = self.session.evaluation
        for item_id in self._items:
            for rr in evaluation.items[item_id].rows:
                if not rr.counted:
                    not_counted.setdefault(rr.row_id, []).extend(rr.reasons)
        old_tint = self._not_counted
        self._not_counted = {k: tuple(dict.fromkeys(v)) for k, v in not_counted.items()}
        if [r.id for r in rows] == [r.id for r in self._rows]:
            # Same rows: signal only the cells that changed, so an editor open in another
            # cell keeps what the user is typing (Qt 6 refreshes editors inside the range).
            old_rows, self._rows = self._rows, rows
            last = len(self.columns) - 1
            for n, (old, new) in enumerate(zip(old_rows, rows, strict=True)):
                if old.values != new.values:
                    for c, spec in enumerate(self.columns):
                        if old.values.get(spec.id) != new.values.get(spec.id):
                            self.dataChanged.emit(self.index(n, c), self.index(n, c))
                if old_tint.get(new.id) != self._not_counted.get(new.id):
                    self.dataChanged.emit(
                        self.index(n, 0),
                        self.index(n, last),
                        [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole],
                    )
        else:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    def row_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, row_id: str) -> int:
        for n, r in enumerate(self._rows):
            if r.id == row_id:
                return n
        return -1

    def column_of(self, column_id: str) -> int:
        for n, c in enumerate(self.columns):
            if c.id == column_id:
                return n
        return -1

    def spec(self, column: int) -> FieldSpec:
        return self.columns[column]

    def not_counted(self, row_id: str) -> tuple[str, ...] | None:
        return self._not_counted.get(row_id)

    # -- QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        spec = self.columns[index.column()]
        value = row.values.get(spec.id)
        if role == Qt.ItemDataRole.DisplayRole:
            if spec.type == "bool":
                return None
            if value is None and spec.default is not None:
                value = spec.default  # what the rules use for an empty cell
            return display(spec, value, self.session.guide)
        if role == Qt.ItemDataRole.ForegroundRole and value is None and spec.default is not None:
            return QColor("#80868b")
        if role == Qt.ItemDataRole.EditRole:
            if isinstance(value, dt.date):
                return QDate(value.year, value.month, value.day)
            if isinstance(value, Decimal):
                return format(value, "f")
            return value
        if role == Qt.ItemDataRole.CheckStateRole and spec.type == "bool":
            return Qt.CheckState.Checked if value is True else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and spec.type in NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.BackgroundRole and row.id in self._not_counted:
            return TINT
        if role == Qt.ItemDataRole.ToolTipRole:
            why = self._not_counted.get(row.id)
            if why:
                return "此行不计入：\n" + "\n".join(why)
            return spec.help or None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            spec = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{spec.label} *" if spec.required else spec.label
            if role == Qt.ItemDataRole.ToolTipRole:
                parts = [spec.label + ("（必填）" if spec.required else "（选填）")]
                if spec.help:
                    parts.append(spec.help)
                return "\n".join(parts)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        if self.columns[index.column()].type == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        spec = self.columns[index.column()]
        raw: object = value
        if role == Qt.ItemDataRole.CheckStateRole:
            if spec.type != "bool":
                return False
            raw = _check_state(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        if isinstance(raw, QDate):
            raw = dt.date(raw.year(), raw.month(), raw.day()) if raw.isValid() else None
        try:
            typed = coerce(spec, raw, self.session.guide)
        except ValueProblem as exc:
            self.problem.emit(f"第 {index.row() + 1} 行“{spec.label}”：{exc}")
            return False
        self.session.set_cell(self.table.id, self._rows[index.row()].id, spec.id, typed)
        self.reload()
        return True

    # -- drag and drop: rows are reordered through session.move_row -------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = list(dict.fromkeys(self._rows[i.row()].id for i in indexes if i.isValid()))
        mime = QMimeData()
        mime.setData(ROW_MIME, "\n".join(ids).encode("ascii"))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(ROW_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(ROW_MIME):
            return False
        ids = [i for i in bytes(data.data(ROW_MIME).data()).decode("ascii").split("\n") if i]
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._rows))
        self.move_rows(ids, target)
        # The move is done through the session; returning False keeps the view from also
        # "removing" the dragged cells (it would clear them in overwrite mode).
        return False

    def move_rows(self, ids: Sequence[str], target: int) -> None:
        """Move the rows ``ids`` (in table order) so they sit before row ``target``."""
        order = [r.id for r in self._rows]
        moving = [i for i in order if i in set(ids)]
        if not moving:
            return
        before = sum(1 for i in order[:target] if i not in set(moving))
        rest = [i for i in order if i not in set(moving)]
        new_order = rest[:before] + moving + rest[before:]
        if new_order == order:
            return
        stack = self.session.undo_stack
        stack.beginMacro("移动行")
        try:
            for pos, rid in enumerate(new_order):
                current = [r.id for r in self.session.data.rows(self.table.id)]
                if current.index(rid) != pos:
                    self.session.move_row(self.table.id, rid, pos)
        finally:
            stack.endMacro()
        self.reload()


def _check_state(value: Any) -> Qt.CheckState:
    if isinstance(value, Qt.CheckState):
        return value
    try:
        return Qt.CheckState(int(value))
    except (TypeError, ValueError):
        return Qt.CheckState.Unchecked


class CellDelegate(QStyledItemDelegate):
    """Editors by column type: a calendar for dates, lists for choices, text for the rest."""

    def __init__(self, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spec = self.rows.spec(index.column())
        guide = self.rows.session.guide
        if spec.type == "date":
            date_edit = QDateEdit(parent)
            date_edit.setCalendarPopup(True)
            date_edit.setDisplayFormat("yyyy-MM-dd")
            return date_edit
        if spec.type in ("choice", "currency", "business_type", "certification"):
            combo = QComboBox(parent)
            if spec.type == "choice":
                for key, label in spec.choices:
                    combo.addItem(label, key)
            elif spec.type == "currency":
                for c in guide.currencies:
                    combo.addItem(f"{c.name}（{c.code}）", c.code)
            elif spec.type == "business_type":
                for b in guide.business_types:
                    combo.addItem(f"{b.name}（{b.category}）", b.id)
            else:
                combo.setEditable(True)  # the list is open: other certifications are typed
                for name in guide.certifications:
                    combo.addItem(name, name)
            combo.activated.connect(lambda _i, c=combo: self._commit(c))
            return combo
        line = QLineEdit(parent)
        if spec.type in NUMERIC:
            line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return line

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QDateEdit):
            if isinstance(value, QDate) and value.isValid():
                editor.setDate(value)
            else:
                start = self.rows.session.guide.period_start
                editor.setDate(QDate(start.year, start.month, start.day))
        elif isinstance(editor, QComboBox):
            pos = editor.findData(value)
            if pos >= 0:
                editor.setCurrentIndex(pos)
            elif editor.isEditable():
                editor.setEditText("" if value is None else str(value))
            else:
                editor.setCurrentIndex(-1)
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
            editor.selectAll()

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractTableModel,  # type: ignore[override]
        index: Index,
    ) -> None:
        if isinstance(editor, QDateEdit):
            model.setData(index, editor.date(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            if editor.isEditable():
                text = editor.currentText().strip()
                model.setData(index, text, Qt.ItemDataRole.EditRole)
            elif editor.currentIndex() >= 0:
                model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class RowsView(QTableView):
    """The table with its keys: Insert / Ctrl+Enter add, Delete removes, Alt+Up/Down move,
    Ctrl+V pastes rows copied from Excel."""

    add_requested = Signal()
    delete_requested = Signal()
    move_requested = Signal(int)
    paste_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers()
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        if key == Qt.Key.Key_Insert or (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and mods & Qt.KeyboardModifier.ControlModifier
        ):
            self.add_requested.emit()
            return
        if key == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.delete_requested.emit()
            return
        if mods & Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)


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
            "在 Excel 中选中若干行复制，再点这里或在表格中按 Ctrl+V；列按表格顺序对应，"
            "首行若是标题会自动跳过"
        )
        self.import_button = QPushButton("从Excel导入…")
        self.import_button.setToolTip("从 .xlsx 文件导入行：按标题行对应列，没有标题行则按列的顺序")
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
        self.message = QLabel()
        self.message.setObjectName(f"table_{table_id}_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_close = QToolButton()
        self.message_close.setText("×")
        self.message_close.setToolTip("关闭提示")
        self.message_close.setAutoRaise(True)
        self.message_close.clicked.connect(self.clear_message)
        strip.addWidget(self.message, 1)
        strip.addWidget(self.message_close, 0, Qt.AlignmentFlag.AlignTop)
        self.message_box = QWidget()
        self.message_box.setLayout(strip)
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
        self.model.modelReset.connect(self._after_reset)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._size_columns()
        self._update_buttons()

    # -- refresh ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.reload()
        self._update_buttons()

    def _after_reset(self) -> None:
        if self._focus_after is not None:
            row_id, column = self._focus_after
            self._focus_after = None
            self.select_cell(row_id, column)
        self._update_buttons()

    def _size_columns(self) -> None:
        metrics = self.view.fontMetrics()
        for n, spec in enumerate(self.model.columns):
            label = self.model.headerData(n, Qt.Orientation.Horizontal) or ""
            width = metrics.horizontalAdvance(str(label)) + 28
            if spec.type == "date":
                width = max(width, metrics.horizontalAdvance("2018-12-31") + 40)
            elif spec.type == "currency":
                width = max(width, metrics.horizontalAdvance("港币（HKD）") + 24)
            elif spec.type in ("money", "business_type"):
                width = max(width, metrics.horizontalAdvance("10,000,000.00") + 24)
            elif spec.type == "text":
                width = max(width, 110)
            self.view.setColumnWidth(n, min(width, 260))

    def _update_buttons(self) -> None:
        has_rows = self.model.rowCount() > 0
        has_selection = bool(self.view.selectionModel().selectedIndexes())
        self.delete_button.setEnabled(has_rows and has_selection)
        self.up_button.setEnabled(has_rows and has_selection)
        self.down_button.setEnabled(has_rows and has_selection)
        self.import_button.setEnabled(self.task is None)
        n = self.model.rowCount()
        self.count_label.setText(
            f"共 {n} 行" if n else "还没有行：点“添加一行”或粘贴 Excel 中复制的行"
        )

    # -- messages --------------------------------------------------------------------------------
    def show_message(self, text: str, error: bool = False) -> None:
        colour = "#b3261e" if error else "#1e4620"
        back = "#fdecea" if error else "#e6f4ea"
        self.message_box.setStyleSheet(f"background: {back}; border-radius: 4px;")
        self.message.setStyleSheet(f"color: {colour}; padding: 4px;")
        self.message.setText(text)
        self.message_box.show()

    def clear_message(self) -> None:
        self.message.clear()
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
        return self.add_grid_rows(rows_from_text(self.table, text, self.session.guide), "粘贴")

    def add_grid_rows(self, got: GridRows, verb: str) -> list[str]:
        """Add the good rows as one undo step and report what was left out."""
        ids: list[str] = []
        if got.rows:
            stack = self.session.undo_stack
            stack.beginMacro(f"{verb} {len(got.rows)} 行到“{self.table.title}”")
            try:
                ids = self.session.add_rows(self.table.id, got.rows)
            finally:
                stack.endMacro()
            self.reload()
            self.select_cell(ids[0], 0)
        lines = []
        if got.rows:
            lines.append(
                f"已{verb} {len(got.rows)} 行" + ("（已跳过标题行）" if got.header else "") + "。"
            )
        if got.skipped:
            lines.append(f"{got.skipped} 行有无法识别的内容，未添加，请改正后重新{verb}：")
            lines.extend(f"· {p}" for p in got.problems[:12])
            if len(got.problems) > 12:
                lines.append(f"……另有 {len(got.problems) - 12} 处问题")
        if not got.rows and not got.skipped:
            lines.append(f"没有可{verb}的行。")
        self.show_message("\n".join(lines), error=bool(got.skipped) or not got.rows)
        if ids:
            self.rows_added.emit(ids)
        return ids

    def choose_and_import(self) -> None:
        path = errors.choose_open_file(self, f"从Excel导入“{self.table.title}”", XLSX_FILTER)
        if path:
            self.import_xlsx(Path(path))

    def import_xlsx(self, path: Path) -> Task:
        """Read rows from ``path`` in the background, then add them as one undo step."""
        table, guide = self.table, self.session.guide
        self.show_message(f"正在读取“{path.name}”……")

        def work(ctx: TaskContext) -> GridRows:
            return rows_from_xlsx(path, table, guide, ctx.progress, ctx.cancelled)

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
