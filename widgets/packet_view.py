"""The built packet inside the program (QtPdf): the 目录 (the PDF's bookmarks) on the left, the
pages on the right; page through it, jump by the 目录, then open it elsewhere or print.

Keys: PgUp/PgDn (or ←/→) a page, Home/End the first/last page, Ctrl+± zoom, Escape closes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument, QPdfPageRenderer
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from widgets.screen_fit import fit_to_screen
from widgets.wrap import wrap_column

SIZES_PER_TURN = 16
"""Pages whose size is read per turn of the event loop at most (~0.5 ms each on a stamped scan)."""

SIZES_SLICE_S = 0.008
"""And no more than this long per turn (a page can take longer on a busy machine)."""


def load_packet(path: Path, on_ready: Callable[[QPdfDocument], None]) -> QPdfDocument:
    """Load the packet's PDF and read every page's size a few pages per turn of the event loop
    (PDFium then keeps them), then call ``on_ready(document)``: laying out a 400-page view at
    once would hold the window ~200 ms. QtPdf calls hold Python's GIL, so a worker thread would
    freeze the window just the same; small slices on the window's thread do not."""
    document = QPdfDocument()
    document.load(str(path))
    count = document.pageCount()
    state = {"next": 0}

    def step() -> None:
        if not Shiboken.isValid(document):
            return
        first = state["next"]
        until = time.perf_counter() + SIZES_SLICE_S
        index = first
        while index < min(first + SIZES_PER_TURN, count):
            document.pagePointSize(index)
            index += 1
            if time.perf_counter() > until:
                break
        state["next"] = index
        if state["next"] < count:
            QTimer.singleShot(0, step)
        else:
            on_ready(document)

    QTimer.singleShot(0, step)
    return document


class PacketViewer(QDialog):
    """Shows the PDF at ``path`` (``document``: already loaded by :func:`load_packet`);
    ``open_outside`` and ``print_it`` are the output page's."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        open_outside: Callable[[], None] | None = None,
        print_it: Callable[[], None] | None = None,
        document: QPdfDocument | None = None,
        print_label: str = "打印…",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{path.name} — 申报材料预览")
        self.setObjectName("packet_viewer")
        if document is None:
            document = QPdfDocument()
            document.load(str(path))
        document.setParent(self)
        self.document = document
        self.bookmarks = QPdfBookmarkModel(self)
        self.bookmarks.setDocument(self.document)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_button = QPushButton("上一页")
        self.prev_button.setToolTip("上一页（PgUp）")
        self.next_button = QPushButton("下一页")
        self.next_button.setToolTip("下一页（PgDn）")
        self.page_box = QSpinBox()
        self.page_box.setObjectName("packet_page")
        self.page_box.setAccessibleName("页码")
        self.page_box.setRange(1, max(self.document.pageCount(), 1))
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(f" 页 / 共 {self.document.pageCount()} 页")
        self.fit_width = QPushButton("适合宽度")
        self.fit_page = QPushButton("整页")
        bar.addWidget(self.prev_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.page_box)
        bar.addSpacing(12)
        bar.addWidget(self.fit_width)
        bar.addWidget(self.fit_page)
        bar.addStretch(1)
        self.outside_button = QPushButton("用 PDF 阅读器打开")
        self.print_button = QPushButton(print_label)
        for button, action in ((self.outside_button, open_outside), (self.print_button, print_it)):
            if action is not None:
                button.clicked.connect(action)
                bar.addWidget(button)
            else:
                button.hide()
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        bar.addWidget(close)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.toc = QTreeView()
        self.toc.setObjectName("packet_toc")
        self.toc.setAccessibleName("目录")
        self.toc.setModel(self.bookmarks)
        self.toc.setHeaderHidden(True)
        wrap_column(self.toc, 0)  # whole titles, wrapped
        self.toc.activated.connect(self._jump_to_bookmark)
        self.toc.clicked.connect(self._jump_to_bookmark)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel("目录（点击跳转）："))
        lv.addWidget(self.toc, 1)
        split.addWidget(left)
        self.view = QPdfView()
        self.view.setObjectName("packet_pages")
        # The view lays out every page again on each of these: set before it has the document
        # (1,369 pages: 6 ms a layout, on the window's thread)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocument(self.document)
        split.addWidget(self.view)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 720])
        layout.addWidget(split, 1)
        self.toc.expandAll()

        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._page_changed)
        self.prev_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_box.editingFinished.connect(lambda: self.go_to(self.page_box.value() - 1))
        self.fit_width.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.fit_page.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitInView))
        for keys, step in (("PgUp", -1), ("PgDown", 1), ("Left", -1), ("Right", 1)):
            QShortcut(QKeySequence(keys), self, lambda s=step: self.go_to(self.current_page() + s))
        QShortcut(QKeySequence("Home"), self, lambda: self.go_to(0))
        QShortcut(QKeySequence("End"), self, lambda: self.go_to(self.document.pageCount() - 1))
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self._zoom(1.25))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self._zoom(0.8))
        fit_to_screen(self, 1100, 760)
        self._page_changed(0)

    def done(self, result: int) -> None:
        """Closed for good (deleted on close): its document is let go in the background."""
        super().done(result)
        document = self.document
        if self.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose) and Shiboken.isValid(document):
            from widgets.disposal import dispose_in_background

            # The view's page renderer waits for the page it is drawing (in its own thread) when
            # deleted: it goes first, in the background too, then the document it draws from.
            # The view goes now (given no document Qt warns; given another, it would wait on
            # QtPdf's lock to draw while the document is deleted).
            renderer = self.view.findChild(QPdfPageRenderer)
            if renderer is not None:
                dispose_in_background(renderer)
            Shiboken.delete(self.view)
            self.bookmarks.setDocument(None)  # type: ignore[arg-type]
            dispose_in_background(document)

    # -- navigation --------------------------------------------------------------------------
    def current_page(self) -> int:
        return int(self.view.pageNavigator().currentPage())

    def go_to(self, page: int) -> None:
        """Show page ``page`` (0-based), clamped to the document."""
        count = self.document.pageCount()
        if count <= 0:
            return
        page = min(max(page, 0), count - 1)
        self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _jump_to_bookmark(self, index: QModelIndex) -> None:
        page = index.data(int(QPdfBookmarkModel.Role.Page))
        if isinstance(page, int) and page >= 0:
            self.go_to(page)

    def _page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < self.document.pageCount() - 1)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(self.view.zoomFactor() * factor, 0.2), 5.0))

    def toc_titles(self) -> list[tuple[str, int]]:
        """(title, 0-based page) of every 目录 entry, in order (tests, accessibility)."""
        out: list[tuple[str, int]] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.bookmarks.rowCount(parent)):
                index = self.bookmarks.index(row, 0, parent)
                title = index.data(int(QPdfBookmarkModel.Role.Title))
                page = index.data(int(QPdfBookmarkModel.Role.Page))
                out.append((str(title), int(page)))
                walk(index)

        walk(QModelIndex())
        return out
