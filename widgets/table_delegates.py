"""The view side of ``TableEditor``: ``CellDelegate`` picks an editor by column type and
``RowsView`` turns keys (add, delete, move, paste) into signals for the editor."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QHelpEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QWidget,
)

from app.entry.values import ValueProblem
from app.rules.evaluation import currency_choices
from widgets.date_edit import DateLineEdit
from widgets.table_model import NUMERIC, Index, RowsModel


class CellDelegate(QStyledItemDelegate):
    """Editors by column type: a calendar for dates, lists for choices, text for the rest."""

    def __init__(self, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        spec = self.rows.spec(index.column())
        guide = self.rows.session.guide
        if spec.type == "date":
            # Typed text is read by app.entry.values.parse_date when committed (the model's
            # setData): a date as written, or a refusal with a message.
            date_edit = DateLineEdit(parent, guide.period_start, spec.label)
            date_edit.row = index.row()
            date_edit.picked.connect(lambda e=date_edit: self._commit(e))
            return date_edit
        if spec.type in ("choice", "currency", "business_type", "certification"):
            combo = QComboBox(parent)
            if spec.type == "choice":
                for key, label in spec.choices:
                    combo.addItem(label, key)
            elif spec.type == "currency":
                for code, name in currency_choices(guide, self.rows.session.data):
                    combo.addItem(f"{name}（{code}）", code)
            elif spec.type == "business_type":
                for b in guide.business_types:
                    combo.addItem(b.label, b.id)
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

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        """A date that cannot be read keeps its editor open on Enter or Tab, with the reason
        above the table: the clerk corrects it instead of retyping it (Esc gives up)."""
        if (
            isinstance(editor, DateLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key()
            in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            try:
                editor.date()
            except ValueProblem as exc:
                self.rows.problem.emit(f"第 {editor.row + 1} 行“{editor.label}”：{exc}")
                editor.selectAll()
                return True
        return super().eventFilter(editor, event)

    def _commit(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, DateLineEdit):
            editor.set_date(value if isinstance(value, QDate) else None)
            editor.selectAll()
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
        if isinstance(editor, DateLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
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

    def event(self, event: QEvent) -> bool:
        """Tab moves between cells; Ctrl+Tab (Ctrl+Shift+Tab) leaves the table."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                forward = event.key() == Qt.Key.Key_Tab and not (
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                # QWidget's own: the view's would move to the next cell.
                QWidget.focusNextPrevChild(self, forward)
                return True
        return super().event(event)

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

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Tab from the last column of the last row adds a row (as in Excel and Word tables),
        whether the cell was being edited or not; the new row's first cell is then current."""
        current = self.currentIndex()
        model = self.model()
        if (
            cursorAction == QAbstractItemView.CursorAction.MoveNext
            and model is not None
            and current.isValid()
            and current.row() == model.rowCount() - 1
            and current.column() == model.columnCount() - 1
            and self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
        ):
            QTimer.singleShot(0, self.add_requested.emit)  # after the editor has closed
            return current
        return super().moveCursor(cursorAction, modifiers)

    def full_text_tip(self, row: int, column: int) -> str | None:
        """The tooltip of a cell: its whole text when the column is too narrow to show it,
        followed by what the model says (why the row does not count, the column's help)."""
        model = self.model()
        if model is None:
            return None
        index = model.index(row, column)
        if not index.isValid():
            return None
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        note = index.data(Qt.ItemDataRole.ToolTipRole)
        cut = bool(text) and (
            self.fontMetrics().horizontalAdvance(text) + 14 > self.columnWidth(column)
        )
        parts = [text] if cut else []
        if note:
            parts.append(str(note))
        return "\n\n".join(parts) or None

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.indexAt(event.pos())
            tip = self.full_text_tip(index.row(), index.column()) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)
