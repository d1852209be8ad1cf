"""The model behind ``TableEditor``: ``RowsModel`` is a QAbstractTableModel over
``session.data.rows(table_id)``. Every edit goes through the session's undoable methods
(set_cell, move_row) and the model reloads from the session afterwards, so the store is the
only truth. Rows are dragged by id (``ROW_MIME``); rows that do not count are tinted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
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
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from app.entry.values import ValueProblem, coerce, display
from app.guide.model import FieldSpec, TableSpec
from app.model import Row
from widgets.session import ProjectSession

ROW_MIME = "application/x-packet-assembler-row-ids"
NUMERIC = ("money", "decimal", "int")
TINT = QColor("#fdecea")  # a row that does not count for its item
Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """The rows of one table. Emits ``problem`` with a Chinese message when a typed cell cannot
    be read (the edit is refused, nothing is stored)."""

    problem = Signal(str)
    edited = Signal()  # a cell the user typed into was stored

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
            typed = coerce(spec, raw, self.session.guide, self.session.data.rates)
        except ValueProblem as exc:
            self.problem.emit(f"第 {index.row() + 1} 行“{spec.label}”：{exc}")
            return False
        self.session.set_cell(self.table.id, self._rows[index.row()].id, spec.id, typed)
        self.reload()
        self.edited.emit()
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
