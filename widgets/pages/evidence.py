"""材料: the checklist of every document the chosen items need, and the files attached to each.

Left: a tree (基本材料, then each selected item in guide order with its documents; per-row
documents grouped under their row; proof sets pointing to the outsourcing documents; shared
documents listed once with a note elsewhere; generated documents marked 由程序生成). Right: the
selected document's requirements, its files in order and the pages of the selected file as
thumbnails rendered in the background. Files come in through the file dialog, a folder, or by
dropping files/folders on a document node or the file list; importing runs in the background
with a progress bar and a Cancel button, and a refused file is explained in place.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError, BuildCancelled, IntakeError
from app.findings import LOW_DPI, required_documents, selected_items
from app.guide.model import DocumentSpec, Guide, ItemSpec
from app.intake import expand_paths, import_files
from app.model import EvidenceFile, ProjectData, Row
from app.rules import cell
from app.values import display
from widgets import errors
from widgets.pages.base import Page
from widgets.preview import PreviewDialog
from widgets.session import ProjectSession
from widgets.tasks import Task, TaskContext, run_task
from widgets.thumbnails import ThumbnailCache, placeholder

DocKey = tuple[str, str | None]  # (document id, row id)

ROLE_NODE = Qt.ItemDataRole.UserRole + 1  # _Node of a tree item
ROLE_FILE = Qt.ItemDataRole.UserRole + 2  # file id of a file list item
ROLE_PAGE = Qt.ItemDataRole.UserRole + 3  # page index of a page strip item

MISSING, ATTACHED, WARNING, NONE, GENERATED = "missing", "attached", "warning", "none", "generated"
_STATE_COLORS = {
    MISSING: "#d93025",
    ATTACHED: "#1e8e3e",
    WARNING: "#e37400",
    NONE: "#9aa0a6",
    GENERATED: "#1a73e8",
}
PAGE_ICON = QSize(106, 150)
FILE_ICON = QSize(34, 48)
PROOF_NOTE = "参照服务外包证明材料"
GENERATED_NOTE = "由程序生成"


def open_document(path: Path) -> None:
    """Open a file with the system's program (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


# ---------------------------------------------------------------------------------------------
# Status icons


_icons: dict[str, QIcon] = {}


def status_icon(state: str) -> QIcon:
    """A small round icon: red with '!' (missing), green with a tick (attached), amber with '!'
    (warning), blue 'A' (generated), grey ring (nothing needed)."""
    if state in _icons:
        return _icons[state]
    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(_STATE_COLORS[state])
    if state == NONE:
        p.setPen(QPen(color, 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(4, 4, size - 8, size - 8)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(2, 2, size - 4, size - 4)
        pen = QPen(QColor("white"), 4)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        if state == ATTACHED:
            path = QPainterPath()
            path.moveTo(9, 17)
            path.lineTo(14, 22)
            path.lineTo(23, 11)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        elif state == GENERATED:
            p.drawLine(10, 16, 22, 16)
            p.drawLine(16, 10, 16, 22)
        else:
            p.drawLine(16, 8, 16, 18)
            p.drawPoint(16, 24)
    p.end()
    icon = QIcon(pixmap)
    _icons[state] = icon
    return icon


def framed(image: QImage, size: QSize) -> QPixmap:
    """The page image scaled into ``size`` (centred, transparent around it) with a thin grey
    frame, so white pages show and every thumbnail takes the same room."""
    canvas = QPixmap(size)
    canvas.fill(Qt.GlobalColor.transparent)
    scaled = image.scaled(
        size.width() - 2,
        size.height() - 2,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    x = (size.width() - scaled.width()) // 2
    y = (size.height() - scaled.height()) // 2
    p = QPainter(canvas)
    p.drawImage(x, y, scaled)
    p.setPen(QPen(QColor("#9aa0a6"), 1))
    p.drawRect(x - 1, y - 1, scaled.width() + 1, scaled.height() + 1)
    p.end()
    return canvas


def combine(states: Iterable[str]) -> str:
    """The state of a group: missing wins, then warning, then attached."""
    found = set(states)
    for state in (MISSING, WARNING, ATTACHED):
        if state in found:
            return state
    return NONE


# ---------------------------------------------------------------------------------------------
# The checklist as plain data


@dataclass
class _Node:
    kind: str  # section, item, row, doc, generated, proof, pointer, empty, unused
    ident: str  # stable across rebuilds (expansion and selection survive a refresh)
    label: str
    key: DocKey | None = None  # documents: the files they hold
    doc: DocumentSpec | None = None
    owner: str = ""  # item title / 基本材料 the document belongs to
    row_label: str = ""
    shared_with: str = ""  # pointer: where the document is listed and attached
    note: str = ""  # status column text
    state: str = NONE
    required: bool = False
    children: list[_Node] = field(default_factory=list)

    @property
    def attachable(self) -> bool:
        return self.key is not None and self.kind in ("doc", "pointer")


def row_label(guide: Guide, table_id: str, row: Row, n: int) -> str:
    """“第n行：<label>” for a table row (its TableSpec.row_label column)."""
    table = guide.table(table_id)
    spec = table.column(table.row_label)
    text = display(spec, cell(spec, row.values), guide)
    return f"第{n}行：{text}" if text else f"第{n}行（{spec.label}未填写）"


def file_state(files: Sequence[EvidenceFile]) -> str:
    if not files:
        return MISSING
    low = any(p.dpi is not None and p.dpi < LOW_DPI for f in files for p in f.pages)
    return WARNING if low else ATTACHED


def files_note(files: Sequence[EvidenceFile]) -> str:
    pages = sum(f.page_count for f in files)
    text = f"{len(files)} 个文件，{pages} 页"
    if file_state(files) == WARNING:
        text += "，分辨率偏低"
    return text


def build_checklist(guide: Guide, data: ProjectData) -> tuple[list[_Node], int, int]:
    """The tree of the 材料 page, plus (attached, required) counts for the summary line."""
    required = required_documents(guide, data)
    required_set = set(required)
    files: dict[DocKey, list[EvidenceFile]] = {}
    for f in sorted(data.evidence, key=lambda f: f.order):
        files.setdefault((f.document_id, f.row_id), []).append(f)
    items = selected_items(guide, data)
    shown: dict[DocKey, str] = {}  # document -> where it is listed first (and attached)
    short = {it.full_title: it.number for it in guide.items}

    def doc_node(doc: DocumentSpec, row_id: str | None, owner: str, prefix: str) -> _Node:
        key = (doc.id, row_id)
        ident = f"{prefix}:{doc.id}:{row_id or ''}"
        label = doc.title + ("（可选）" if doc.optional else "")
        if doc.kind == "generated":
            return _Node(
                "generated",
                ident,
                label,
                doc=doc,
                owner=owner,
                note=GENERATED_NOTE,
                state=GENERATED,
            )
        attached = files.get(key, [])
        if key in shown:
            node = _Node("pointer", ident, label, key=key, doc=doc, owner=owner)
            node.shared_with = shown[key]
            node.note = f"与{short.get(shown[key], shown[key])}共用"
            node.state = file_state(attached) if attached else (NONE if doc.optional else MISSING)
            node.required = False
            return node
        shown[key] = owner
        node = _Node("doc", ident, label, key=key, doc=doc, owner=owner)
        node.required = key in required_set
        if attached:
            node.state = file_state(attached)
            node.note = files_note(attached)
        elif node.required:
            node.state, node.note = MISSING, "缺少"
        else:
            node.state, node.note = NONE, "可选" if doc.optional else "无需"
        return node

    roots: list[_Node] = []
    base = _Node("section", "section:base", "基本材料")
    for doc_id in guide.base_documents:
        base.children.append(doc_node(guide.document(doc_id), None, "基本材料", "base"))
    roots.append(base)

    for item in items:
        roots.append(_item_node(guide, data, item, doc_node))

    extra = [k for k in files if k not in shown]
    if extra:
        section = _Node("section", "section:unused", "不在本次申报范围内的文件（不会放入申报材料）")
        labels = _all_row_labels(guide, data)
        for key in extra:
            doc_id, row_id = key
            try:
                title = guide.document(doc_id).title
            except KeyError:
                title = doc_id
            where = ""
            if row_id is not None:
                where = labels.get(row_id, "已删除的行")
            node = _Node("unused", f"unused:{doc_id}:{row_id or ''}", title, key=key)
            node.row_label = where
            if where:
                node.label = f"{title}（{where}）"
            node.state = WARNING
            node.note = files_note(files[key])
            section.children.append(node)
        roots.append(section)

    for root in roots:
        _summarise(root)
    needed = len(required)
    attached_count = sum(1 for k in required if files.get(k))
    return roots, attached_count, needed


def _all_row_labels(guide: Guide, data: ProjectData) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in guide.tables:
        for n, row in enumerate(data.rows(table.id), start=1):
            out[row.id] = f"{table.title}{row_label(guide, table.id, row, n)}"
    return out


_DocNodeMaker = Callable[[DocumentSpec, str | None, str, str], _Node]


def _item_node(guide: Guide, data: ProjectData, item: ItemSpec, doc_node: _DocNodeMaker) -> _Node:
    node = _Node("item", f"item:{item.id}", item.full_title)
    rows = data.rows(item.table) if item.table else ()
    row_nodes: list[_Node] | None = None
    for doc_id in item.documents:
        doc = guide.document(doc_id)
        if doc.kind == "proof_set":
            assert doc.set is not None
            proof = _Node("proof", f"proof:{item.id}:{doc.id}", doc.title, doc=doc, note=PROOF_NOTE)
            proof.owner = item.full_title
            for member in guide.document_set(doc.set).documents:
                proof.children.append(
                    doc_node(guide.document(member), None, item.full_title, f"set:{item.id}")
                )
            node.children.append(proof)
        elif doc.per_row:
            if row_nodes is None:
                row_nodes = []
                table_title = guide.table(item.table).title if item.table else ""
                if not rows:
                    node.children.append(
                        _Node(
                            "empty",
                            f"empty:{item.id}",
                            f"尚未填写“{table_title}”：在“申报项目”页添加后，每行的材料列在这里",
                        )
                    )
                for n, row in enumerate(rows, start=1):
                    label = row_label(guide, item.table or "", row, n)
                    row_node = _Node("row", f"row:{item.id}:{row.id}", label, row_label=label)
                    row_nodes.append(row_node)
                    node.children.append(row_node)
            for row_node, row in zip(row_nodes, rows, strict=True):
                child = doc_node(doc, row.id, item.full_title, f"item:{item.id}")
                child.row_label = row_node.label
                row_node.children.append(child)
        else:
            node.children.append(doc_node(doc, None, item.full_title, f"item:{item.id}"))
    return node


def _summarise(node: _Node) -> str:
    if not node.children:
        return node.state
    states = [_summarise(c) for c in node.children]
    if node.kind in ("section", "item", "row", "proof"):
        node.state = combine(s for s in states if s != GENERATED)
        if node.kind == "proof":
            return node.state
        docs = [d for d in _walk(node) if d.kind == "doc" and d.required]
        if (docs and node.kind != "section") or node.ident == "section:base":
            done = sum(1 for d in docs if d.state in (ATTACHED, WARNING))
            node.note = f"已附 {done} / {len(docs)}"
    return node.state


def _walk(node: _Node) -> Iterable[_Node]:
    for child in node.children:
        yield child
        yield from _walk(child)


# ---------------------------------------------------------------------------------------------
# Widgets


def _local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]


class ChecklistTree(QTreeWidget):
    """The checklist; files or folders dropped on a document node are attached to it."""

    files_dropped = Signal(object, list)  # DocKey, list[Path]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def _target(self, pos: QPoint) -> _Node | None:
        item = self.itemAt(pos)
        node = item.data(0, ROLE_NODE) if item is not None else None
        return node if isinstance(node, _Node) and node.attachable else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls() and self._target(event.position().toPoint()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        node = self._target(event.position().toPoint())
        paths = _local_paths(event)
        if node is None or not paths:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.files_dropped.emit(node.key, paths)


class FileList(QListWidget):
    """The files of one document, in packet order. Drag to reorder; drop files to add."""

    paths_dropped = Signal(list, int)  # paths, position
    move_requested = Signal(str, int)  # file id, new position
    remove_requested = Signal()
    open_requested = Signal()

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
            paths = _local_paths(event)
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


# ---------------------------------------------------------------------------------------------
# The page


class EvidencePage(Page):
    title = "材料"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbnails = ThumbnailCache(self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.thumbnails.failed.connect(self._thumbnail_failed)
        self.password_asker = PasswordAsker(self)
        self.import_task: Task | None = None
        self.template_task: Task | None = None
        self.current: _Node | None = None
        self.attached_count = 0
        self.required_count = 0
        self._nodes: dict[str, QTreeWidgetItem] = {}
        self._collapsed: set[str] = set()
        self._files: list[EvidenceFile] = []
        self._building = False
        self.preview: PreviewDialog | None = None

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 4)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)

        # -- left: summary and checklist
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 8, 0)
        self.summary = QLabel()
        self.summary.setObjectName("evidence_summary")
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.summary.setFont(font)
        lv.addWidget(self.summary)
        hint = QLabel("把扫描件或文件夹拖到左侧材料名称上即可添加。")
        hint.setStyleSheet("color: #5f6368;")
        hint.setWordWrap(True)
        lv.addWidget(hint)
        self.tree = ChecklistTree()
        self.tree.setObjectName("evidence_tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["材料", "状态"])
        self.tree.setAccessibleName("材料清单")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setUniformRowHeights(True)
        self.tree.currentItemChanged.connect(self._on_current_item)
        self.tree.itemCollapsed.connect(lambda it: self._note_expanded(it, False))
        self.tree.itemExpanded.connect(lambda it: self._note_expanded(it, True))
        self.tree.files_dropped.connect(self._dropped_on_tree)
        lv.addWidget(self.tree, 1)
        splitter.addWidget(left)

        # -- right: the selected document
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(8, 0, 0, 0)
        self.doc_title = QLabel("请在左侧选择一项材料")
        self.doc_title.setObjectName("evidence_doc_title")
        self.doc_title.setWordWrap(True)
        tf = self.doc_title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.2)
        tf.setBold(True)
        self.doc_title.setFont(tf)
        rv.addWidget(self.doc_title)
        self.doc_note = QLabel()
        self.doc_note.setObjectName("evidence_doc_note")
        self.doc_note.setWordWrap(True)
        self.doc_note.setStyleSheet("color: #3c4043;")
        self.doc_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rv.addWidget(self.doc_note)

        self.message = QLabel()
        self.message.setObjectName("evidence_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        rv.addWidget(self.message)

        self.progress_frame = QFrame()
        pv = QHBoxLayout(self.progress_frame)
        pv.setContentsMargins(0, 0, 0, 0)
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.clicked.connect(self.cancel_import)
        pv.addWidget(self.progress_label)
        pv.addWidget(self.progress, 1)
        pv.addWidget(self.cancel_button)
        self.progress_frame.hide()
        rv.addWidget(self.progress_frame)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加文件…")
        self.add_button.setToolTip("选择一个或多个扫描件、图片或PDF（Insert）")
        self.add_folder_button = QPushButton("添加文件夹…")
        self.add_folder_button.setToolTip("添加文件夹中的全部文件，按文件名顺序")
        self.remove_button = QPushButton("移除")
        self.remove_button.setToolTip("移除所选文件（Delete），可用 Ctrl+Z 撤销")
        self.rotate_left_button = QPushButton("⟲")
        self.rotate_left_button.setToolTip("所选页面向左旋转90°（Ctrl+L）")
        self.rotate_left_button.setAccessibleName("向左旋转")
        self.rotate_right_button = QPushButton("⟳")
        self.rotate_right_button.setToolTip("所选页面向右旋转90°（Ctrl+R）")
        self.rotate_right_button.setAccessibleName("向右旋转")
        self.template_button = QPushButton("生成Word模板并打开")
        self.template_button.setToolTip(
            "生成已填好企业信息的Word模板，填写、签名盖章后扫描添加到这里"
        )
        for b in (self.rotate_left_button, self.rotate_right_button):
            b.setFixedWidth(40)
        for b in (
            self.add_button,
            self.add_folder_button,
            self.remove_button,
            self.rotate_left_button,
            self.rotate_right_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.template_button)
        rv.addLayout(buttons)
        self.add_button.clicked.connect(self.add_files)
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_button.clicked.connect(self.remove_current_file)
        self.rotate_left_button.clicked.connect(lambda: self.rotate_current_page(-90))
        self.rotate_right_button.clicked.connect(lambda: self.rotate_current_page(90))
        self.template_button.clicked.connect(self.make_template)

        files_label = QLabel("文件（按装订顺序，可拖动调整，Alt+↑/↓ 移动）：")
        rv.addWidget(files_label)
        self.file_list = FileList()
        self.file_list.setObjectName("evidence_files")
        self.file_list.setAccessibleName("已附文件")
        self.file_list.hint = (
            "把文件或文件夹拖到这里，或点“添加文件…”。\n支持PDF、JPG、PNG、TIFF等扫描件。"
        )
        self.file_list.currentItemChanged.connect(lambda *_: self._show_pages())
        self.file_list.paths_dropped.connect(self._dropped_on_files)
        self.file_list.move_requested.connect(self._move_file)
        self.file_list.remove_requested.connect(self.remove_current_file)
        self.file_list.open_requested.connect(lambda: self.open_preview(0))
        files_label.setBuddy(self.file_list)
        rv.addWidget(self.file_list, 2)

        self.pages_label = QLabel("页面（双击放大查看）：")
        rv.addWidget(self.pages_label)
        self.page_strip = QListWidget()
        self.page_strip.setObjectName("evidence_pages")
        self.page_strip.setAccessibleName("页面缩略图")
        self.page_strip.setViewMode(QListView.ViewMode.IconMode)
        self.page_strip.setFlow(QListView.Flow.LeftToRight)
        self.page_strip.setWrapping(True)
        self.page_strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.page_strip.setMovement(QListView.Movement.Static)
        self.page_strip.setIconSize(PAGE_ICON)
        self.page_strip.setSpacing(6)
        self.page_strip.setUniformItemSizes(True)
        self.page_strip.itemActivated.connect(lambda it: self.open_preview(int(it.data(ROLE_PAGE))))
        self.page_strip.itemDoubleClicked.connect(
            lambda it: self.open_preview(int(it.data(ROLE_PAGE)))
        )
        self.page_strip.currentItemChanged.connect(lambda *_: self._update_buttons())
        rv.addWidget(self.page_strip, 3)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([560, 640])

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (
            ("Ctrl+L", lambda: self.rotate_current_page(-90)),
            ("Ctrl+R", lambda: self.rotate_current_page(90)),
            ("Insert", self.add_files),
        ):
            QShortcut(QKeySequence(keys), self, slot, context=ctx)
        self.setTabOrder(self.tree, self.add_button)
        self.setTabOrder(self.add_button, self.add_folder_button)
        self.setTabOrder(self.add_folder_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.rotate_left_button)
        self.setTabOrder(self.rotate_left_button, self.rotate_right_button)
        self.setTabOrder(self.rotate_right_button, self.template_button)
        self.setTabOrder(self.template_button, self.file_list)
        self.setTabOrder(self.file_list, self.page_strip)
        self._show_document()

    # -- session ---------------------------------------------------------------------------------
    def set_session(self, session: ProjectSession | None) -> None:
        if session is not self.session:
            if self.import_task is not None:  # its files belong to the project being left
                self.import_task.cancel()
            self.thumbnails.set_source(session.store.evidence_pdf if session is not None else None)
            self._collapsed.clear()
            self.current = None
            self.hide_message()
        super().set_session(session)

    def on_changed(self, topic: str) -> None:
        if topic in ("selected", "tables", "evidence"):
            self.refresh()

    def refresh(self) -> None:
        if self.session is None:
            self.tree.clear()
            self._nodes.clear()
            self.summary.setText("")
            self.current = None
            self._show_document()
            return
        roots, self.attached_count, self.required_count = build_checklist(
            self.session.guide, self.session.data
        )
        self.summary.setText(f"已附 {self.attached_count} / {self.required_count} 项材料")
        keep = self.current.ident if self.current is not None else None
        self._building = True
        try:
            self.tree.clear()
            self._nodes.clear()
            for node in roots:
                self._add_tree_item(self.tree.invisibleRootItem(), node)
        finally:
            self._building = False
        item = self._nodes.get(keep) if keep else None
        if item is None and keep is not None and self.current is not None and self.current.key:
            item = self._find_key(self.current.key)
        if item is None:
            item = self._first_missing() or self.tree.topLevelItem(0)
        if item is not None:
            self.tree.setCurrentItem(item)
            self.current = item.data(0, ROLE_NODE)
        self._show_document()

    def _add_tree_item(self, parent: QTreeWidgetItem, node: _Node) -> None:
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
            item.setForeground(1, QBrush(QColor(_STATE_COLORS[MISSING])))
        if node.kind == "empty":
            item.setForeground(0, QBrush(QColor("#5f6368")))
        self._nodes[node.ident] = item
        for child in node.children:
            self._add_tree_item(item, child)
        item.setExpanded(node.ident not in self._collapsed)

    def _note_expanded(self, item: QTreeWidgetItem, expanded: bool) -> None:
        if self._building:
            return
        node = item.data(0, ROLE_NODE)
        if isinstance(node, _Node):
            if expanded:
                self._collapsed.discard(node.ident)
            else:
                self._collapsed.add(node.ident)

    def _first_missing(self) -> QTreeWidgetItem | None:
        it = QTreeWidgetItemIterator(self.tree)
        while it.value() is not None:
            node = it.value().data(0, ROLE_NODE)
            if isinstance(node, _Node) and node.kind == "doc" and node.state == MISSING:
                return it.value()
            it += 1
        return None

    def _find_key(self, key: DocKey) -> QTreeWidgetItem | None:
        """The tree item where ``key`` is attached (its first, real listing)."""
        fallback = None
        for item in self._nodes.values():
            node = item.data(0, ROLE_NODE)
            if node.key == key:
                if node.kind in ("doc", "unused"):
                    return item
                fallback = fallback or item
        return fallback

    def tree_item(self, key: DocKey) -> QTreeWidgetItem | None:
        """The tree item of a document (for tests and navigation)."""
        return self._find_key(key)

    def tree_item_for_item(self, item_id: str) -> QTreeWidgetItem | None:
        """The tree item of a selected funding item."""
        return self._nodes.get(f"item:{item_id}")

    def _on_current_item(self, item: QTreeWidgetItem | None, _old: object = None) -> None:
        if self._building:
            return
        node = item.data(0, ROLE_NODE) if item is not None else None
        self.current = node if isinstance(node, _Node) else None
        self._show_document()

    # -- right side ----------------------------------------------------------------------------
    def _show_document(self) -> None:
        node = self.current
        doc = node.doc if node is not None else None
        if node is None:
            self.doc_title.setText("请在左侧选择一项材料")
            self.doc_note.setText("")
        elif node.kind in ("section", "item", "row", "proof", "empty"):
            self.doc_title.setText(node.label)
            self.doc_note.setText(self._group_note(node))
        else:
            self.doc_title.setText(node.label)
            self.doc_note.setText(self._requirement_note(node))
        self.template_button.setVisible(
            node is not None
            and doc is not None
            and doc.kind == "narrative"
            and node.key is not None
        )
        self.file_list.accepting = node is not None and node.attachable
        self._fill_files()
        self._update_buttons()

    def _group_note(self, node: _Node) -> str:
        if node.kind == "proof":
            return (
                f"{PROOF_NOTE}：以下材料在申报材料中只放一份，"
                "已在服务外包项目下附过的，这里不必再附。请选择下面的具体材料添加文件。"
            )
        if node.kind == "empty":
            return "请先在“申报项目”页的表格中添加行。"
        if node.kind == "unused":
            return ""
        docs = [d for d in _walk(node) if d.kind == "doc" and d.required]
        missing = [d for d in docs if d.state == MISSING]
        if not docs:
            return "这里的材料由程序生成，无需附文件。"
        if not missing:
            return f"共 {len(docs)} 项材料，均已附上。"
        return f"共 {len(docs)} 项材料，还缺 {len(missing)} 项。请选择下面的具体材料添加文件。"

    def _requirement_note(self, node: _Node) -> str:
        doc = node.doc
        lines: list[str] = []
        if node.kind == "unused":
            return (
                "该材料不在本次申报范围内（未选择相应项目或该行已删除），这些文件不会放入申报材料。"
                "可以移除它们；如果重新选择该项目或撤销删除行，文件会回到原位。"
            )
        assert doc is not None
        where = node.owner + (f" › {node.row_label}" if node.row_label else "")
        if where:
            lines.append(f"所属：{where}")
        if doc.kind == "generated":
            lines.append("由程序根据您填写的数据生成，无需附文件。打印后按要求签名盖章。")
        elif doc.original:
            lines.append("要求：原件，放入申报材料。")
        elif doc.copy_of_original:
            lines.append("要求：复印件（扫描件），递交时携带原件以便核对。")
        else:
            lines.append("要求：扫描件或截图。")
        if doc.kind == "narrative":
            signs = "、".join(doc.signatures or ("法定代表人签名", "企业盖章"))
            lines.append(
                f"需由企业填写并{signs}后扫描添加。可先点“生成Word模板并打开”，模板已填好企业信息。"
            )
        elif doc.signatures:
            lines.append("需要：" + "、".join(doc.signatures) + "。")
        if doc.optional:
            lines.append("此项为可选材料，没有可以不附。")
        if node.kind == "pointer":
            lines.append(
                f"与“{node.shared_with}”共用，只需附一次：在这里添加的文件就是该处的文件。"
            )
        if doc.note:
            lines.append(doc.note)
        return "\n".join(lines)

    def _current_files(self) -> list[EvidenceFile]:
        node = self.current
        if self.session is None or node is None or node.key is None:
            return []
        return list(self.session.data.files_for(*node.key))

    def _fill_files(self) -> None:
        keep = self.current_file_id()
        self._files = self._current_files()
        self.file_list.blockSignals(True)
        self.file_list.clear()
        for n, f in enumerate(self._files, start=1):
            low = [p for p in f.pages if p.dpi is not None and p.dpi < LOW_DPI]
            text = f"{n}. {f.name}\n    {f.page_count} 页" + (
                f"，{len(low)} 页分辨率偏低" if low else ""
            )
            item = QListWidgetItem(text)
            item.setData(ROLE_FILE, f.id)
            item.setToolTip(f"{f.name}（{f.page_count} 页，{f.size / 1024:,.0f} KB）")
            if low:
                item.setForeground(QBrush(QColor(_STATE_COLORS[WARNING])))
            item.setIcon(self._file_icon(f))
            self.file_list.addItem(item)
        self.file_list.blockSignals(False)
        row = next((i for i, f in enumerate(self._files) if f.id == keep), 0 if self._files else -1)
        self.file_list.setCurrentRow(row)
        self.file_list.viewport().update()
        self._show_pages()

    def _file_icon(self, f: EvidenceFile) -> QIcon:
        rotation = f.pages[0].user_rotation if f.pages else 0
        image = self.thumbnails.get(f.id, 0, rotation) if f.pages else None
        if image is None:
            return QIcon(placeholder(FILE_ICON, ""))
        return QIcon(framed(image, FILE_ICON))

    def current_file(self) -> EvidenceFile | None:
        fid = self.current_file_id()
        return next((f for f in self._files if f.id == fid), None)

    def current_file_id(self) -> str | None:
        item = self.file_list.currentItem()
        return str(item.data(ROLE_FILE)) if item is not None else None

    def current_page(self) -> int | None:
        item = self.page_strip.currentItem()
        return int(item.data(ROLE_PAGE)) if item is not None else None

    def _show_pages(self) -> None:
        f = self.current_file()
        keep = self.current_page() if f is not None and self._pages_of == f.id else None
        self.page_strip.clear()
        self._pages_of = f.id if f is not None else None
        if f is None:
            self.pages_label.setText("页面（双击放大查看）：")
            self._update_buttons()
            return
        self.pages_label.setText(f"“{f.name}”的页面（双击放大查看，共 {f.page_count} 页）：")
        for index, info in enumerate(f.pages):
            text = f"第 {index + 1} 页"
            if info.user_rotation:
                text += f"（已转{info.user_rotation}°）"
            if info.dpi is not None and info.dpi < LOW_DPI:
                text += f"\n约 {info.dpi:.0f} dpi，偏低"
            item = QListWidgetItem(text)
            item.setData(ROLE_PAGE, index)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            item.setSizeHint(QSize(PAGE_ICON.width() + 34, PAGE_ICON.height() + 44))
            self._set_page_icon(item, f, index)
            self.page_strip.addItem(item)
        self.page_strip.setCurrentRow(keep if keep is not None and keep < f.page_count else 0)
        self._update_buttons()

    _pages_of: str | None = None

    def _set_page_icon(self, item: QListWidgetItem, f: EvidenceFile, index: int) -> bool:
        rotation = f.pages[index].user_rotation
        image = self.thumbnails.get(f.id, index, rotation)
        if image is None:
            text = "无法预览" if self.thumbnails.has_failed(f.id) else "正在生成…"
            item.setIcon(QIcon(placeholder(PAGE_ICON, text)))
            return False
        item.setIcon(QIcon(framed(image, PAGE_ICON)))
        return True

    def page_thumbnail_ready(self, index: int) -> bool:
        """Whether the page strip shows a real thumbnail for page ``index`` (tests)."""
        f = self.current_file()
        if f is None or index >= f.page_count:
            return False
        return self.thumbnails.get(f.id, index, f.pages[index].user_rotation) is not None

    def _thumbnail_ready(self, file_id: str, page: int) -> None:
        for row, listed in enumerate(self._files):
            if listed.id == file_id and page == 0:
                entry = self.file_list.item(row)
                if entry is not None:
                    entry.setIcon(self._file_icon(listed))
        f = self.current_file()
        if f is not None and f.id == file_id:
            item = self.page_strip.item(page)
            if item is not None:
                self._set_page_icon(item, f, page)

    def _thumbnail_failed(self, file_id: str) -> None:
        f = self.current_file()
        if f is not None and f.id == file_id:
            for i in range(self.page_strip.count()):
                self._set_page_icon(self.page_strip.item(i), f, i)

    def _update_buttons(self) -> None:
        node = self.current
        can_add = node is not None and node.attachable and self.import_task is None
        has_file = self.file_list.currentItem() is not None
        has_page = has_file and self.page_strip.currentItem() is not None
        self.add_button.setEnabled(can_add)
        self.add_folder_button.setEnabled(can_add)
        self.remove_button.setEnabled(has_file)
        self.rotate_left_button.setEnabled(has_page)
        self.rotate_right_button.setEnabled(has_page)
        self.template_button.setEnabled(self.template_task is None)

    # -- messages ---------------------------------------------------------------------------------
    def show_message(self, text: str, kind: str = "error") -> None:
        """The strip above the file list: error (red), warning (amber) or info (green)."""
        colors = {
            "error": ("#fce8e6", "#a50e0e", "#f3b7b2"),
            "warning": ("#fef7e0", "#8a4b00", "#f6d58b"),
            "info": ("#e6f4ea", "#0d652d", "#a8dab5"),
        }
        bg, fg, border = colors[kind]
        self.message.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; border: 1px solid {border};"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.message.setProperty("kind", kind)
        self.message.setText(text)
        self.message.show()

    def hide_message(self) -> None:
        self.message.hide()
        self.message.setText("")

    # -- adding files -------------------------------------------------------------------------------
    def add_files(self) -> None:
        node = self.current
        if node is None or not node.attachable or self.session is None:
            return
        paths = errors.choose_files(self, f"添加到“{_short(node.label)}”")
        if paths:
            self.start_import(node.key, [Path(p) for p in paths])  # type: ignore[arg-type]

    def add_folder(self) -> None:
        node = self.current
        if node is None or not node.attachable or self.session is None:
            return
        folder = errors.choose_directory(self, f"选择文件夹，全部添加到“{_short(node.label)}”")
        if folder:
            self.start_import(node.key, [Path(folder)])  # type: ignore[arg-type]

    def _dropped_on_tree(self, key: DocKey, paths: list[Path]) -> None:
        item = self._find_key(key)
        if item is not None:
            self.tree.setCurrentItem(item)
        self.start_import(key, paths)

    def _dropped_on_files(self, paths: list[Path], position: int) -> None:
        if self.current is not None and self.current.key is not None:
            self.start_import(self.current.key, paths, position)

    def start_import(self, key: DocKey, paths: list[Path], position: int | None = None) -> None:
        """Import ``paths`` (files and folders) into the document ``key`` in the background:
        all or nothing, one undo step."""
        if self.session is None:
            return
        if self.import_task is not None:
            self.show_message("正在导入其他文件，请等导入完成后再添加。", "warning")
            return
        session = self.session
        store = session.store
        doc_id, row_id = key
        title = self.session.guide.document(doc_id).title
        asker = self.password_asker

        def work(ctx: TaskContext) -> tuple[list[str], list[str], int]:
            files = expand_paths(paths)
            if not files:
                return [], [], 0
            imported = import_files(
                files, password=asker.callback(ctx), progress=ctx.progress, cancel=ctx.cancelled
            )
            if ctx.cancelled():
                raise BuildCancelled()
            ids = store.add_evidence_many(doc_id, row_id, imported, position)
            warnings = [w for f in imported for w in f.warnings]
            return ids, warnings, sum(f.page_count for f in imported)

        self.hide_message()
        self.progress.setRange(0, 0)
        self.progress_label.setText("正在准备导入…")
        self.cancel_button.setEnabled(True)
        self.progress_frame.show()
        task = run_task(
            self,
            work,
            lambda result: self._import_done(session, key, title, result),
            lambda exc: self._import_failed(exc) if self.session is session else None,
        )
        task.progress.connect(self._import_progress)
        task.finished.connect(self._import_finished)
        self.import_task = task
        self._update_buttons()

    def cancel_import(self) -> None:
        if self.import_task is not None:
            self.import_task.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("正在取消…")

    def _import_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if label and self.cancel_button.isEnabled():
            self.progress_label.setText(f"正在导入“{_short(label, 24)}”（{done + 1}/{total}）")

    def _import_finished(self) -> None:
        self.import_task = None
        self.progress_frame.hide()
        self._update_buttons()

    def _import_done(
        self,
        session: ProjectSession,
        key: DocKey,
        title: str,
        result: tuple[list[str], list[str], int],
    ) -> None:
        ids, warnings, pages = result
        if ids:
            session.record_attach(ids)  # on the project they went into, even if switched
        if self.session is not session:
            return
        if not ids:
            self.show_message("所选文件夹中没有可添加的文件。", "warning")
            return
        # Show the document the files went to, with the first new file selected.
        self.refresh()
        item = self._find_key(key)
        if item is not None:
            self.tree.setCurrentItem(item)
        for row in range(self.file_list.count()):
            if self.file_list.item(row).data(ROLE_FILE) == ids[0]:
                self.file_list.setCurrentRow(row)
                break
        text = f"已添加 {len(ids)} 个文件（{pages} 页）到“{_short(title)}”。"
        if warnings:
            self.show_message(text + "\n" + "\n".join(warnings), "warning")
        else:
            self.show_message(text + "按 Ctrl+Z 可撤销。", "info")

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, BuildCancelled):
            self.show_message("已取消导入，没有添加任何文件。", "warning")
        elif isinstance(exc, IntakeError):
            self.show_message(f"{exc.message}\n没有添加任何文件，请处理后重新添加。", "error")
        elif isinstance(exc, AppError):
            self.show_message(errors.message_for(exc), "error")
        elif isinstance(exc, KeyError):
            self.show_message("该行已被删除，文件没有添加。", "error")
        else:
            errors.show_error(self, exc, "无法添加文件")

    # -- editing files ------------------------------------------------------------------------------
    def _move_file(self, file_id: str, position: int) -> None:
        if self.session is not None:
            self.session.move_file(file_id, position)
            self._select_file(file_id)

    def _select_file(self, file_id: str) -> None:
        self.refresh()
        for row in range(self.file_list.count()):
            if self.file_list.item(row).data(ROLE_FILE) == file_id:
                self.file_list.setCurrentRow(row)
                return

    def move_current_file(self, step: int) -> None:
        f = self.current_file()
        if f is not None:
            self._move_file(f.id, max(0, self.file_list.currentRow() + step))

    def remove_current_file(self) -> None:
        f = self.current_file()
        if f is None or self.session is None:
            return
        row = self.file_list.currentRow()
        self.session.remove_file(f.id)
        self.refresh()
        if self.file_list.count():
            self.file_list.setCurrentRow(min(row, self.file_list.count() - 1))
        self.show_message(f"已移除“{f.name}”。按 Ctrl+Z 可撤销。", "info")

    def rotate_current_page(self, degrees: int) -> None:
        f = self.current_file()
        page = self.current_page()
        if f is None or page is None or self.session is None:
            return
        self.session.rotate_page(f.id, page, degrees)
        self.refresh()
        self.page_strip.setCurrentRow(page)

    def open_preview(self, page: int) -> None:
        f = self.current_file()
        if f is None or self.session is None or f.page_count == 0:
            return
        dialog = PreviewDialog(self.session.store.evidence_pdf, f, page, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.open()

    # -- Word templates --------------------------------------------------------------------------
    def template_folder(self) -> Path:
        assert self.session is not None
        path = self.session.path
        return path.parent / f"{path.stem}-Word模板"

    def make_template(self) -> None:
        node = self.current
        if self.session is None or node is None or node.doc is None or node.key is None:
            return
        if node.doc.kind != "narrative" or self.template_task is not None:
            return
        from app.templates import template_file_name, write_template

        guide, data, doc, row_id = self.session.guide, self.session.data, node.doc, node.key[1]
        folder = self.template_folder()

        def work(ctx: TaskContext) -> tuple[Path, bool]:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / template_file_name(guide, data, doc, row_id)
            if path.exists():  # never overwrite what the company may have filled in
                return path, False
            write_template(path, guide, data, doc, row_id)
            return path, True

        def done(result: tuple[Path, bool]) -> None:
            path, new = result
            open_document(path)
            if new:
                self.show_message(
                    f"已生成Word模板“{path.name}”（保存在“{folder}”）。"
                    "填写并签名盖章后扫描，再添加到这里。",
                    "info",
                )
            else:
                self.show_message(
                    f"已打开之前生成的“{path.name}”（在“{folder}”）。"
                    "如需按最新数据重新生成，请先删除或改名该文件。",
                    "info",
                )

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AppError):
                self.show_message(errors.message_for(exc), "error")
            elif isinstance(exc, OSError):
                self.show_message(
                    f"无法在“{folder}”中写入Word模板。请检查该文件夹是否可写，"
                    "或关闭正在打开该文件的Word后重试。",
                    "error",
                )
            else:
                errors.show_error(self, exc, "无法生成Word模板")

        task = run_task(self, work, done, failed)
        self.template_task = task

        def finished() -> None:
            self.template_task = None
            with contextlib.suppress(RuntimeError):
                self._update_buttons()

        task.finished.connect(finished)
        self._update_buttons()

    # -- navigation ------------------------------------------------------------------------------
    def focus_where(self, where: str) -> bool:
        if self.session is None:
            return False
        parts = where.split(".")
        if parts[0] == "document" and len(parts) >= 2:
            key: DocKey = (parts[1], parts[2] if len(parts) > 2 else None)
            item = self._find_key(key)
            if item is None:
                return False
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            return True
        if parts[0] == "evidence" and len(parts) == 2:
            f = next((f for f in self.session.data.evidence if f.id == parts[1]), None)
            if f is None:
                return False
            item = self._find_key((f.document_id, f.row_id))
            if item is None:
                return False
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            for row in range(self.file_list.count()):
                if self.file_list.item(row).data(ROLE_FILE) == f.id:
                    self.file_list.setCurrentRow(row)
            return True
        return False


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
