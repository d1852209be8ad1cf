"""A large view of one evidence file: page by page, zoom, keyboard (PgUp/PgDn, Ctrl+±, Escape).

Pages are rendered in the background (``widgets.tasks.run_task``) at the zoom asked for, with
the user's rotation applied, so the window never freezes on a large scan.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.model import EvidenceFile
from widgets.screen_fit import fit_to_screen
from widgets.tasks import TaskContext, run_task
from widgets.thumbnails import render_pages, rotated

ZOOMS = (25, 33, 50, 67, 75, 90, 100, 125, 150, 200, 300, 400)
SCREEN_DPI = 96.0
MAX_SIDE = 5000


class PreviewDialog(QDialog):
    """Shows ``file`` (pages from ``pdf_source(file.id)``) starting at ``page``."""

    def __init__(
        self,
        pdf_source: Callable[[str], bytes],
        file: EvidenceFile,
        page: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.file = file
        self._source = pdf_source
        self._pdf: bytes | None = None
        self.page = max(0, min(page, max(file.page_count - 1, 0)))
        self.zoom: int | None = None  # None: fit the page to the window
        self._request = 0
        self.rendered: tuple[int, int] | None = None  # (page, request) shown now
        self.setWindowTitle(f"预览：{file.name}")
        fit_to_screen(self, 900, 700)

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.prev_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        self.page_label = QLabel()
        self.zoom_out_button = QPushButton("缩小")
        self.zoom_in_button = QPushButton("放大")
        self.fit_button = QPushButton("适合窗口")
        self.zoom_label = QLabel()
        self.prev_button.setToolTip("上一页（PgUp）")
        self.next_button.setToolTip("下一页（PgDn）")
        self.zoom_out_button.setToolTip("缩小（Ctrl+-）")
        self.zoom_in_button.setToolTip("放大（Ctrl++）")
        self.fit_button.setToolTip("整页显示（Ctrl+0）")
        for w in (self.prev_button, self.next_button, self.page_label):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(w)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bar.addWidget(close)
        layout.addLayout(bar)

        self.scroll_area = QScrollArea()
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setStyleSheet("QScrollArea { background: #5f6368; }")
        self.image = QLabel("正在加载…")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("color: white;")
        self.scroll_area.setWidget(self.image)
        self.scroll_area.setWidgetResizable(False)
        layout.addWidget(self.scroll_area, 1)

        self.prev_button.clicked.connect(lambda: self.go(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go(self.page + 1))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.fit_button.clicked.connect(self.fit)
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence("Ctrl+="), lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
            (QKeySequence("Ctrl+0"), self.fit),
            (QKeySequence("Home"), lambda: self.go(0)),
            (QKeySequence("End"), lambda: self.go(self.file.page_count - 1)),
        ):
            QShortcut(keys, self, slot)
        self._update_controls()
        self._render()

    # -- navigation -------------------------------------------------------------------------------
    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_PageDown:
            self.go(self.page + 1)
        elif event.key() == Qt.Key.Key_PageUp:
            self.go(self.page - 1)
        else:
            super().keyPressEvent(event)  # Escape closes

    def go(self, page: int) -> None:
        if 0 <= page < self.file.page_count and page != self.page:
            self.page = page
            self._update_controls()
            self._render()

    def step_zoom(self, direction: int) -> None:
        current = self.zoom if self.zoom is not None else self._fit_percent()
        if direction > 0:
            bigger = [z for z in ZOOMS if z > current]
            self.zoom = bigger[0] if bigger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < current]
            self.zoom = smaller[-1] if smaller else ZOOMS[0]
        self._update_controls()
        self._render()

    def fit(self) -> None:
        self.zoom = None
        self._update_controls()
        self._render()

    def _update_controls(self) -> None:
        count = self.file.page_count
        self.page_label.setText(f"第 {self.page + 1} / {count} 页")
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < count - 1)
        self.zoom_label.setText("整页" if self.zoom is None else f"{self.zoom}%")

    # -- rendering --------------------------------------------------------------------------------
    def _page_size_pt(self) -> tuple[float, float, int]:
        info = self.file.pages[self.page] if self.file.pages else None
        if info is None:
            return 595.0, 842.0, 0
        return info.width_pt, info.height_pt, info.user_rotation

    def _fit_percent(self) -> int:
        width, height, rotation = self._page_size_pt()
        if rotation % 180:
            width, height = height, width
        view = self.scroll_area.viewport().size()
        scale = min((view.width() - 16) / width, (view.height() - 16) / height)
        return max(10, int(scale * 72 / SCREEN_DPI * 100))

    def _render(self) -> None:
        width, height, rotation = self._page_size_pt()
        percent = self.zoom if self.zoom is not None else self._fit_percent()
        # The height asked of the renderer is of the upright page (rotation comes after).
        # Rendered at the screen's device pixel ratio (sharp at 125 %/150 % scaling); the
        # MAX_SIDE bound is on real pixels.
        ratio = max(1.0, self.devicePixelRatioF())
        px = height * percent / 100 * SCREEN_DPI / 72
        scale = min(1.0, MAX_SIDE / (ratio * max(px, px * width / height)))
        target = max(16, int(px * scale))
        self._request += 1
        request, page, file_id = self._request, self.page, self.file.id
        source, known = self._source, self._pdf

        def work(ctx: TaskContext) -> tuple[bytes, dict]:
            pdf = known if known is not None else source(file_id)
            return pdf, render_pages(pdf, [page], target, ratio)

        run_task(
            None,
            work,
            lambda result: self._show(request, page, rotation, result),
            lambda exc: self._failed(request),
            quiet=True,
        )

    def _show(self, request: int, page: int, rotation: int, result: tuple) -> None:
        with contextlib.suppress(RuntimeError):  # closed meanwhile
            pdf, images = result
            self._pdf = pdf
            if request != self._request:
                return
            image = images.get(page)
            if image is None:
                self._failed(request)
                return
            pixmap = QPixmap.fromImage(rotated(image, rotation))
            self.image.setPixmap(pixmap)
            self.image.resize(pixmap.deviceIndependentSize().toSize())
            self.rendered = (page, request)

    def _failed(self, request: int) -> None:
        with contextlib.suppress(RuntimeError):
            if request == self._request:
                self.image.setText("无法显示这一页。文件可能已被移除，请关闭后重试。")
                self.image.adjustSize()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.zoom is None and self.rendered is not None:
            self._render()
