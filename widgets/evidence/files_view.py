"""The files of the selected document and the pages of the selected file, with thumbnails
rendered in the background: the lower half of the 材料 page's document panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QListWidgetItem, QWidget

from app.model import EvidenceFile
from widgets.evidence.files import ROLE_FILE, ROLE_PAGE, FileList, PageStrip, file_item, page_item
from widgets.evidence.icons import FILE_ICON, PAGE_ICON, framed
from widgets.thumbnails import ThumbnailCache, placeholder

ADD_HINT = "把文件或文件夹拖到这里，或点“添加文件…”。\n支持PDF、JPG、PNG、TIFF等扫描件。"
GROUP_HINT = "这是一组材料：请在左侧选择下面的具体材料，再添加文件。"
ICON_LIMIT = 5000
"""Framed file icons kept (about 7 KB each)."""
VISIBLE_GUESS = 40
"""Rows whose thumbnails are asked for while the list is not laid out (not shown yet)."""
VISIBLE_MARGIN = 5
"""Rows beyond either edge of the view whose thumbnails are asked for too."""
FIRST_ROWS = 150
"""Lines of the file list made in the turn a document is shown (several screenfuls; beyond the
selected file's row when it lies further down); the rest follow :data:`ROWS_PER_TURN` a turn."""
ROWS_PER_TURN = 300


class FilesView(QObject):
    """Owns the file list, the page strip and their thumbnail cache; ``selection_changed()`` is
    called whenever the selected file or page may have changed."""

    def __init__(self, parent: QWidget, selection_changed: Callable[[], None]) -> None:
        super().__init__(parent)
        self._selection_changed = selection_changed
        self._files: list[EvidenceFile] = []
        self._pages_of: str | None = None
        # Framed file icons by file and rotation, with the thumbnail they were drawn from: the
        # list is rebuilt after every change, and framing every file's thumbnail again took
        # ~0.3 s of the window's thread at 1,000 files.
        self._icons: dict[tuple[str, int], tuple[int, QIcon]] = {}
        self._waiting_icon: QIcon | None = None
        self.thumbnails = ThumbnailCache(parent)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self.thumbnails.failed.connect(self._thumbnail_failed)

        self.file_list = FileList()
        self.file_list.viewport_moved.connect(self._want_visible_icons)
        self._rows: dict[str, int] = {}  # file id -> its row in the list (once added)
        self._fill_generation = 0
        self._filling = False  # lines still to be added, a few hundred a turn
        self._line_shape: tuple[int, int, int] | None = None  # text lines, fixed width, height
        self._visible_timer = QTimer(self)
        self._visible_timer.setSingleShot(True)
        self._visible_timer.setInterval(0)
        self._visible_timer.timeout.connect(self.request_visible_icons)
        self.file_list.setObjectName("evidence_files")
        self.file_list.setAccessibleName("已附文件")
        self.file_list.hint = ADD_HINT
        self.file_list.currentItemChanged.connect(lambda *_: self._show_pages())

        self.pages_label = QLabel("页面（双击放大查看）：")
        self.page_strip = PageStrip()
        self.page_strip.setObjectName("evidence_pages")
        self.page_strip.setAccessibleName("页面缩略图")

    def set_files(self, files: list[EvidenceFile]) -> None:
        """List ``files``, keeping the selected file if it is still there. A long list is
        filled a screenful first and the rest a few hundred lines a turn of the event loop
        (creating 1,144 lines in one turn held the window 50-110 ms)."""
        if files == self._files and (self.file_list.count() == len(files) or self._filling):
            return  # shown already (a refresh often asks twice: the tree's current item, then)
        keep = self.current_file_id()
        self._files = files
        self._rows = {f.id: row for row, f in enumerate(files)}
        self._fill_generation += 1
        self._filling = False
        self._line_shape = None
        self.file_list.blockSignals(True)
        self.file_list.clear()
        row = self._rows.get(keep, 0) if keep is not None else 0
        row = row if self._files else -1
        # Icons already rendered are shown at once; the others are asked for only for the
        # lines in view (request_visible_icons), as the list scrolls: a document of 1,000
        # files does not render 1,000 thumbnails nobody looks at.
        self._add_rows(max(FIRST_ROWS, row + FIRST_ROWS))
        self.file_list.blockSignals(False)
        self.file_list.setCurrentRow(row)
        self.file_list.viewport().update()
        self._show_pages()
        self.request_visible_icons()
        self._want_visible_icons()  # again once the list is laid out
        if self.file_list.count() < len(self._files):
            self._filling = True
            generation = self._fill_generation
            QTimer.singleShot(0, lambda: self._fill_more(generation))

    def _fill_more(self, generation: int) -> None:
        if generation != self._fill_generation or not self._filling:
            return  # another list came meanwhile
        self._add_rows(self.file_list.count() + ROWS_PER_TURN)
        if self.file_list.count() < len(self._files):
            QTimer.singleShot(0, lambda: self._fill_more(generation))
        else:
            self._filling = False

    def complete(self) -> None:
        """Add the lines still to come at once (before looking for one of them)."""
        if self._filling:
            self._add_rows(len(self._files))
            self._filling = False

    def _add_rows(self, until: int) -> None:
        """Lines for ``self._files`` from the list's end up to row ``until`` (excluded), each
        given its size. Signals stay as they are: adding lines changes no selection."""
        start = self.file_list.count()
        for n in range(start, min(until, len(self._files))):
            f = self._files[n]
            self.file_list.addItem(file_item(n + 1, f, self._file_icon(f, request=False)))
        # Each line's size, measured once: otherwise every thumbnail that arrives (a new icon)
        # makes the list measure the text of every line again (O(files) per thumbnail; ~25 ms
        # a thumbnail at 1,000 files, on the window's thread).
        self._measure_lines(start)

    def _measure_lines(self, start: int = 0) -> None:
        """Give the lines from row ``start`` their size: Qt measures the list's first; a line
        with as many text lines is as high, and as wide as its widest text line plus the icon's
        and margins' part (within a pixel of Qt's own measure: asking Qt for each line was
        ~50 ms at 1,000 files)."""
        view = self.file_list
        if view.count() <= start:
            return
        metrics = view.fontMetrics()
        advances: dict[str, int] = {}  # most second lines are alike ("    1 页")

        def advance(line: str) -> int:
            known = advances.get(line)
            if known is None:
                known = advances[line] = metrics.horizontalAdvance(line)
            return known

        def width(lines: list[str]) -> int:
            return max(map(advance, lines))

        def qt_measure(entry: QListWidgetItem) -> QSize:
            return view.sizeHintForIndex(view.indexFromItem(entry))

        if self._line_shape is None:
            first = view.item(0)
            hint = qt_measure(first)
            first.setSizeHint(hint)
            shape = len(first.text().split("\n"))
            fixed = hint.width() - width(first.text().split("\n")) + 1  # never narrower
            self._line_shape = (shape, fixed, hint.height())
            start = max(start, 1)
        shape, fixed, height = self._line_shape
        for row in range(start, view.count()):
            entry = view.item(row)
            lines = entry.text().split("\n")
            if len(lines) == shape:
                entry.setSizeHint(QSize(fixed + width(lines), height))
            else:  # a name with a line break in it
                entry.setSizeHint(qt_measure(entry))

    def _want_visible_icons(self) -> None:
        self._visible_timer.start()

    def visible_rows(self) -> range:
        """The rows of the file list in view, a few either side (the first screenful's worth
        when the list is not laid out yet)."""
        view = self.file_list
        count = view.count()
        if count == 0:
            return range(0)
        height = view.viewport().height()
        first = view.indexAt(QPoint(4, 2)).row()
        last = view.indexAt(QPoint(4, height - 2)).row()
        if first < 0 or not view.isVisible():
            return range(min(count, VISIBLE_GUESS))
        if last < 0:
            last = count - 1
        return range(max(0, first - VISIBLE_MARGIN), min(count, last + 1 + VISIBLE_MARGIN))

    def request_visible_icons(self) -> None:
        """Ask for the thumbnails of the files in view that have none yet."""
        for row in self.visible_rows():
            f = self._files[row] if row < len(self._files) else None
            if f is not None and f.pages:
                rotation = f.pages[0].user_rotation
                if self.thumbnails.peek(f.id, 0, rotation) is None:
                    self.thumbnails.request(f.id, [0])

    def current_file(self) -> EvidenceFile | None:
        fid = self.current_file_id()
        return next((f for f in self._files if f.id == fid), None)

    def current_file_id(self) -> str | None:
        item = self.file_list.currentItem()
        return str(item.data(ROLE_FILE)) if item is not None else None

    def current_page(self) -> int | None:
        item = self.page_strip.currentItem()
        return int(item.data(ROLE_PAGE)) if item is not None else None

    def page_thumbnail_ready(self, index: int) -> bool:
        """Whether the page strip shows a real thumbnail for page ``index``."""
        f = self.current_file()
        if f is None or index >= f.page_count:
            return False
        return self.thumbnails.get(f.id, index, f.pages[index].user_rotation) is not None

    def _file_icon(self, f: EvidenceFile, request: bool = True) -> QIcon:
        rotation = f.pages[0].user_rotation if f.pages else 0
        look = self.thumbnails.get if request else self.thumbnails.peek
        image = look(f.id, 0, rotation) if f.pages else None
        if image is None:
            if self._waiting_icon is None:  # one for every file still waiting
                self._waiting_icon = QIcon(placeholder(FILE_ICON, ""))
            return self._waiting_icon
        cached = self._icons.get((f.id, rotation))
        if cached is not None and cached[0] == image.cacheKey():
            return cached[1]
        if len(self._icons) >= ICON_LIMIT:
            self._icons.clear()
        icon = QIcon(framed(image, FILE_ICON))
        self._icons[(f.id, rotation)] = (image.cacheKey(), icon)
        return icon

    def _show_pages(self) -> None:
        f = self.current_file()
        keep = self.current_page() if f is not None and self._pages_of == f.id else None
        self.page_strip.clear()
        self._pages_of = f.id if f is not None else None
        if f is None:
            self.pages_label.setText("页面（双击放大查看）：")
            self._selection_changed()
            return
        self.pages_label.setText(f"“{f.name}”的页面（双击放大查看，共 {f.page_count} 页）：")
        for index, info in enumerate(f.pages):
            item = page_item(index, info)
            self._set_page_icon(item, f, index)
            self.page_strip.addItem(item)
        self.page_strip.setCurrentRow(keep if keep is not None and keep < f.page_count else 0)
        self._selection_changed()

    def _set_page_icon(self, item: QListWidgetItem, f: EvidenceFile, index: int) -> bool:
        rotation = f.pages[index].user_rotation
        image = self.thumbnails.get(f.id, index, rotation)
        if image is None:
            text = "无法预览" if self.thumbnails.has_failed(f.id) else "正在生成…"
            item.setIcon(QIcon(placeholder(PAGE_ICON, text)))
            return False
        item.setIcon(QIcon(framed(image, PAGE_ICON)))
        return True

    def _thumbnail_ready(self, file_id: str, page: int) -> None:
        row = self._rows.get(file_id)
        if row is not None and page == 0:
            entry = self.file_list.item(row)
            if entry is not None:
                entry.setIcon(self._file_icon(self._files[row]))
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

    def select_file(self, file_id: str) -> None:
        """Make ``file_id`` the selected file, if it is listed."""
        self.complete()
        for row in range(self.file_list.count()):
            if self.file_list.item(row).data(ROLE_FILE) == file_id:
                self.file_list.setCurrentRow(row)
                return
