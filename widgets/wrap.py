"""Wrapping instead of eliding in tree views where the text is the information (findings,
material names): a delegate whose row height follows the column's width, and the wiring that
re-lays the rows out when the column is resized."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex


class WrapDelegate(QStyledItemDelegate):
    """Column ``column`` of ``view`` wraps its text at the column's width."""

    def __init__(self, view: QTreeView, column: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent or view)
        self.view = view
        self.column = column

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() != self.column:
            return hint
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if not text:
            return hint
        width = self.view.columnWidth(self.column) - self._indent(index) - self._decoration(index)
        if width <= 40:
            return hint
        metrics = option.fontMetrics
        font = index.data(Qt.ItemDataRole.FontRole)
        if font is not None:
            from PySide6.QtGui import QFontMetrics

            metrics = QFontMetrics(font)
        rect = metrics.boundingRect(
            QRect(0, 0, width - 12, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), rect.height() + 8))

    def _indent(self, index: Index) -> int:
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        root = 1 if self.view.rootIsDecorated() else 0
        return (depth + root) * self.view.indentation()

    def _decoration(self, index: Index) -> int:
        has_icon = index.data(Qt.ItemDataRole.DecorationRole) is not None
        has_check = index.data(Qt.ItemDataRole.CheckStateRole) is not None
        style = self.view.style()
        size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 6
        return (size if has_icon else 0) + (size if has_check else 0)


def wrap_column(view: QTreeView, column: int = 0) -> WrapDelegate:
    """Make ``column`` of ``view`` wrap (no ellipsis); rows grow to fit and follow resizes."""
    view.setWordWrap(True)
    view.setUniformRowHeights(False)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    delegate = WrapDelegate(view, column)
    view.setItemDelegateForColumn(column, delegate)
    view.header().sectionResized.connect(
        lambda section, _old, _new: view.scheduleDelayedItemsLayout() if section == column else None
    )
    return delegate
