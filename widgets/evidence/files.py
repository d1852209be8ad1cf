"""The file list and the page strip of the 材料 page's document panel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from app.model import EvidenceFile, PageInfo
from app.rules.findings import LOW_DPI
from widgets.evidence.checklist import STATE_COLORS, WARNING
from widgets.evidence.icons import FILE_ICON, PAGE_ICON
from widgets.evidence.tree import local_paths

ROLE_FILE = Qt.ItemDataRole.UserRole + 2  # file id of a file list item
ROLE_PAGE = Qt.ItemDataRole.UserRole + 3  # page index of a page strip item


class FileList(QListWidget):
    """The files of one document, in packet order. Drag to reorder; drop files to add."""

    paths_dropped = Signal(list, int)  # paths, position
    move_requested = Signal(str, int)  # file id, new position
    remove_requested = Signal()
    open_requested = Signal()
    viewport_moved = Signal()  # scrolled, resized or shown: other lines may be in view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accepting = False
        self.setIconSize(FILE_ICON)
        self.setSpacing(1)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hint = ""
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.viewport_moved.emit())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.viewport_moved.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.viewport_moved.emit()

    def drop_row(self, pos: QPoint) -> int:
        """Where a drop at ``pos`` would put a file (0..count)."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.count()
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.accepting:
            event.acceptProposedAction()
        elif event.source() is self:
            super().dragEnterEvent(event)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self.accepting:
            event.acceptProposedAction()
        elif event.source() is self:
            super().dragMoveEvent(event)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        pos = event.position().toPoint()
        target = self.drop_row(pos)
        if event.mimeData().hasUrls() and self.accepting:
            paths = local_paths(event)
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if paths:
                self.paths_dropped.emit(paths, target)
            return
        if event.source() is self and self.currentItem() is not None:
            old = self.currentRow()
            new = target if target <= old else target - 1
            # Copy, not move: the view must not delete the item itself; the list is rebuilt
            # from the project once the move is stored.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if new != old:
                self.move_requested.emit(self.currentItem().data(ROLE_FILE), new)
            return
        event.ignore()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if item is not None and alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if event.key() == Qt.Key.Key_Up else 1
            new = self.currentRow() + step
            if 0 <= new < self.count():
                self.move_requested.emit(item.data(ROLE_FILE), new)
            event.accept()
            return
        if item is not None and event.key() == Qt.Key.Key_Delete:
            self.remove_requested.emit()
            event.accept()
            return
        if item is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0 and self.hint:
            p = QPainter(self.viewport())
            p.setPen(QColor("#6b7280"))
            p.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.hint,
            )
            p.end()


def file_item(n: int, f: EvidenceFile, icon: QIcon) -> QListWidgetItem:
    """The ``n``-th line of the file list: name, pages, a warning colour for low resolution."""
    low = [p for p in f.pages if p.dpi is not None and p.dpi < LOW_DPI]
    text = f"{n}. {f.name}\n    {f.page_count} 页" + (f"，{len(low)} 页分辨率偏低" if low else "")
    sideways = sum(1 for p in f.pages if p.flagged_sideways)
    blank = sum(1 for p in f.pages if p.flagged_blank)
    text += f"，{sideways} 页方向不对" if sideways else ""
    text += f"，{blank} 页空白" if blank else ""
    warn = bool(low or sideways or blank)
    item = QListWidgetItem(text)
    item.setData(ROLE_FILE, f.id)
    item.setToolTip(f"{f.name}（{f.page_count} 页，{f.size / 1024:,.0f} KB）")
    if warn:
        item.setForeground(QBrush(QColor(STATE_COLORS[WARNING])))
    item.setIcon(icon)
    return item


class PageStrip(QListWidget):
    """The pages of the selected file as thumbnails, left to right, wrapping."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(PAGE_ICON)
        self.setSpacing(6)
        self.setUniformItemSizes(True)


def page_item(index: int, info: PageInfo) -> QListWidgetItem:
    """The page strip's entry for page ``index`` (its icon is set by the caller)."""
    text = f"第 {index + 1} 页"
    if info.user_rotation:
        text += f"（已转{info.user_rotation}°）"
    if info.dpi is not None and info.dpi < LOW_DPI:
        text += f"\n约 {info.dpi:.0f} dpi，偏低"
    if info.flagged_blank:
        text += "\n空白页？"
    elif info.flagged_sideways:
        text += "\n方向不对？"
    elif info.blank_dismissed or info.sideways_dismissed:
        text += "\n已确认无误"
    item = QListWidgetItem(text)
    item.setData(ROLE_PAGE, index)
    item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    item.setSizeHint(QSize(PAGE_ICON.width() + 34, PAGE_ICON.height() + 44))
    return item
