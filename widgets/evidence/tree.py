"""The checklist tree of the 材料 page: shows the nodes of ``build_checklist`` with status icons,
remembers which groups the user collapsed, and takes files or folders dropped on a document."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QWidget,
)

from widgets.evidence.checklist import MISSING, NONE, STATE_COLORS, DocKey, Node
from widgets.evidence.icons import status_icon
from widgets.wrap import wrap_column

ROLE_NODE = Qt.ItemDataRole.UserRole + 1  # Node of a tree item


def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    """The local files and folders a drag carries."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


class ChecklistTree(QTreeWidget):
    """The checklist; files or folders dropped on a document node are attached to it."""

    files_dropped = Signal(object, list)  # DocKey, list[Path]
    folder_dropped = Signal(list)  # list[Path]: a folder dropped outside any document

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nodes: dict[str, QTreeWidgetItem] = {}  # by Node.ident
        self.collapsed_idents: set[str] = set()  # idents the user collapsed (kept across refreshes)
        self.building = False  # True while ``fill`` rebuilds the items
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setColumnCount(2)
        self.setHeaderLabels(["材料", "状态"])
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        wrap_column(self, 0)  # whole material names, wrapped, never cut in the middle
        self.itemCollapsed.connect(lambda it: self._note_expanded(it, False))
        self.itemExpanded.connect(lambda it: self._note_expanded(it, True))

    # -- contents ----------------------------------------------------------------------------------
    def fill(self, roots: list[Node]) -> None:
        """Rebuild the items from ``roots`` (``building`` is set meanwhile)."""
        self.building = True
        try:
            self.clear()
            self.nodes.clear()
            for node in roots:
                self._add_item(self.invisibleRootItem(), node)
        finally:
            self.building = False

    def clear_checklist(self) -> None:
        """Remove every item (the current-item signal fires as usual)."""
        self.clear()
        self.nodes.clear()

    def _add_item(self, parent: QTreeWidgetItem, node: Node) -> None:
        item = QTreeWidgetItem(parent, [node.label, node.note])
        item.setData(0, ROLE_NODE, node)
        item.setIcon(0, status_icon(node.state))
        tip = node.label + (f"\n{node.note}" if node.note else "")
        if node.shared_with:
            tip += f"：{node.shared_with}"
        item.setToolTip(0, tip)
        item.setToolTip(1, node.note)
        if node.kind in ("section", "item"):
            f = QFont(item.font(0))
            f.setBold(True)
            item.setFont(0, f)
        if node.kind in ("generated", "empty", "pointer") or node.state == NONE:
            item.setForeground(1, QBrush(QColor("#5f6368")))
        if node.state == MISSING and node.kind == "doc":
            item.setForeground(1, QBrush(QColor(STATE_COLORS[MISSING])))
        if node.kind == "empty":
            item.setForeground(0, QBrush(QColor("#5f6368")))
        self.nodes[node.ident] = item
        for child in node.children:
            self._add_item(item, child)
        item.setExpanded(node.ident not in self.collapsed_idents)

    def _note_expanded(self, item: QTreeWidgetItem, expanded: bool) -> None:
        if self.building:
            return
        node = item.data(0, ROLE_NODE)
        if isinstance(node, Node):
            if expanded:
                self.collapsed_idents.discard(node.ident)
            else:
                self.collapsed_idents.add(node.ident)

    # -- lookups -----------------------------------------------------------------------------------
    def first_missing(self) -> QTreeWidgetItem | None:
        """The first document that still needs a file."""
        it = QTreeWidgetItemIterator(self)
        while it.value() is not None:
            node = it.value().data(0, ROLE_NODE)
            if isinstance(node, Node) and node.kind == "doc" and node.state == MISSING:
                return it.value()
            it += 1
        return None

    def find_key(self, key: DocKey) -> QTreeWidgetItem | None:
        """The tree item where ``key`` is attached (its first, real listing)."""
        fallback = None
        for item in self.nodes.values():
            node = item.data(0, ROLE_NODE)
            if node.key == key:
                if node.kind in ("doc", "unused"):
                    return item
                fallback = fallback or item
        return fallback

    # -- dropping files ----------------------------------------------------------------------------
    def _target(self, pos: QPoint) -> Node | None:
        item = self.itemAt(pos)
        node = item.data(0, ROLE_NODE) if item is not None else None
        return node if isinstance(node, Node) and node.attachable else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and (
            self._target(event.position().toPoint()) is not None
            or any(p.is_dir() for p in local_paths(event))
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        node = self._target(event.position().toPoint())
        paths = local_paths(event)
        if node is None and any(p.is_dir() for p in paths):
            # A folder dropped on the page as a whole: the page proposes where each file goes.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.folder_dropped.emit(paths)
            return
        if node is None or not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.files_dropped.emit(node.key, paths)
