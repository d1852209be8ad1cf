"""Page images of evidence files, rendered in the background with PDFium and cached.

``render_pages`` is plain work (no widgets) that runs in a worker thread. ``ThumbnailCache``
hands out small page images keyed by (file id, page index, rotation); a missing one is
rendered through :func:`widgets.tasks.run_task` and ``ready(file_id, page)`` fires when it
arrives. A file's stored PDF never changes (rotation is metadata), so images stay valid for the
life of the cache; rotated images are derived from the upright one on the main thread.
"""

from __future__ import annotations

import contextlib
import ctypes
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import (
    QObject,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen, QPixmap, QTransform

from app.system.pdfium_lock import PDFIUM_LOCK
from widgets.tasks import TaskContext, run_task

THUMB_HEIGHT = 150
"""Height in pixels of a page thumbnail (width follows the page's shape)."""
FLUSH_FILES = 8
"""Files whose rendering is handed to the worker per turn of the event loop."""


def render_pages(
    pdf: bytes, pages: Sequence[int], height: int, ratio: float = 1.0
) -> dict[int, QImage]:
    """Render ``pages`` (0-based) of a PDF, each ``height`` logical pixels tall on a white
    background, at the screen's device pixel ratio ``ratio`` (1.25, 1.5 on the laptops clerks
    use): the image has ``height * ratio`` real pixels and draws sharp at its logical size.

    Safe in a worker thread, and the window keeps running meanwhile: PDFium (pypdfium2) parses
    and draws with Python's GIL released, where QtPdf's ``render`` holds it for the whole page
    (~58 ms, up to ~800 ms for a dense scan). Pages the document does not have are skipped; an
    unreadable document gives an empty dict."""
    out: dict[int, QImage] = {}
    tall = max(1, round(height * ratio))
    with PDFIUM_LOCK:  # PDFium is not thread-safe: one document at a time in the whole program
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError:
            return out
        try:
            for index in pages:
                if not 0 <= index < len(document):
                    continue
                page = document[index]
                try:
                    width_pt, height_pt = page.get_size()
                    shape = width_pt / height_pt if height_pt > 0 else 1.0
                    out[index] = render_page(page, max(1, round(tall * shape)), tall, ratio)
                except pdfium.PdfiumError:
                    continue
                finally:
                    page.close()
        finally:
            document.close()
    return out


def render_page(page: pdfium.PdfPage, width: int, height: int, ratio: float = 1.0) -> QImage:
    """``page`` drawn on white into exactly ``width`` x ``height`` pixels (call it holding
    :data:`PDFIUM_LOCK`). PDFium draws straight into the image's own memory (BGRx is RGB32 on
    little-endian machines): one page image in memory, not two."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    pixels = (ctypes.c_ubyte * image.sizeInBytes()).from_buffer(image.bits())
    bitmap = pdfium.PdfBitmap.new_native(
        width, height, pdfium.raw.FPDFBitmap_BGRx, buffer=pixels, stride=image.bytesPerLine()
    )
    try:
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
        pdfium.raw.FPDF_RenderPageBitmap(
            bitmap, page, 0, 0, width, height, 0, pdfium.raw.FPDF_ANNOT
        )
    finally:
        bitmap.close()
    image.setDevicePixelRatio(ratio)
    return image


def rotated(image: QImage, rotation: int) -> QImage:
    """``image`` turned ``rotation`` degrees clockwise (a multiple of 90)."""
    if rotation % 360 == 0:
        return image
    turned = image.transformed(QTransform().rotate(rotation % 360))
    turned.setDevicePixelRatio(image.devicePixelRatio())
    return turned


def screen_ratio() -> float:
    """The primary screen's device pixel ratio (1.0 without a screen)."""
    screen = QGuiApplication.primaryScreen()
    return max(1.0, screen.devicePixelRatio()) if screen is not None else 1.0


def placeholder(size: QSize, text: str = "…") -> QPixmap:
    """A light grey page with ``text`` in the middle, shown until the thumbnail is ready."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#eef0f3"))
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#c4c9d2")))
    painter.drawRect(0, 0, size.width() - 1, size.height() - 1)
    painter.setPen(QColor("#7a808a"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


PdfSource = Callable[[str], bytes]
"""Returns the stored PDF bytes of a file id (``ProjectStore.evidence_pdf``); called in a
worker thread."""


class ThumbnailCache(QObject):
    """Small page images of evidence files, rendered off the UI thread."""

    ready = Signal(str, int)  # file id, page index: an image for it is now available
    failed = Signal(str)  # file id: it could not be rendered

    def __init__(
        self,
        parent: QObject | None = None,
        height: int = THUMB_HEIGHT,
        limit: int = 800,
        ratio: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.height = height
        self.ratio = ratio if ratio is not None else screen_ratio()
        self.limit = limit
        self._source: PdfSource | None = None
        self._upright: OrderedDict[tuple[str, int], QImage] = OrderedDict()
        self._images: OrderedDict[tuple[str, int, int], QImage] = OrderedDict()
        self._wanted: dict[str, set[int]] = {}
        self._pending: set[tuple[str, int]] = set()
        self._failed: set[str] = set()
        self._generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # leave the other core to imports and the UI
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

    def set_source(self, source: PdfSource | None) -> None:
        """Use another project's files (or none): forget everything cached and pending."""
        self._source = source
        self._generation += 1
        self._upright.clear()
        self._images.clear()
        self._wanted.clear()
        self._pending.clear()
        self._failed.clear()

    def has_failed(self, file_id: str) -> bool:
        return file_id in self._failed

    def get(self, file_id: str, page: int, rotation: int = 0) -> QImage | None:
        """The image of a page turned ``rotation`` degrees, or None (it is then requested and
        ``ready`` fires once it is available)."""
        image = self.peek(file_id, page, rotation)
        if image is None:
            self.request(file_id, [page])
        return image

    def peek(self, file_id: str, page: int, rotation: int = 0) -> QImage | None:
        """The image of a page turned ``rotation`` degrees if rendered already, else None
        (nothing is requested)."""
        key = (file_id, page, rotation % 360)
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
            return image
        upright = self._upright.get((file_id, page))
        if upright is not None:
            image = rotated(upright, rotation)
            self._images[key] = image
            self._trim(self._images)
            return image
        return None

    def request(self, file_id: str, pages: Sequence[int]) -> None:
        """Render these pages in the background unless cached or already on their way."""
        if self._source is None or file_id in self._failed:
            return
        wanted = [
            p
            for p in pages
            if (file_id, p) not in self._upright and (file_id, p) not in self._pending
        ]
        if not wanted:
            return
        self._wanted.setdefault(file_id, set()).update(wanted)
        self._pending.update((file_id, p) for p in wanted)
        self._flush_timer.start()

    def pending(self) -> int:
        return len(self._pending)

    # -- background ------------------------------------------------------------------------------
    def _flush(self) -> None:
        source = self._source
        if source is None:
            return
        # A few files a turn of the event loop: a task is a few QObjects and signal
        # connections, and 1,000 files asked at once were ~0.3 s of the window's thread.
        files = list(islice(self._wanted, FLUSH_FILES))
        batches = {file_id: self._wanted.pop(file_id) for file_id in files}
        if self._wanted:
            self._flush_timer.start()
        generation = self._generation
        height, ratio = self.height, self.ratio
        for file_id, pages in batches.items():
            ordered = sorted(pages)

            def work(
                ctx: TaskContext, fid: str = file_id, wanted: list[int] = ordered
            ) -> tuple[str, dict[int, QImage]]:
                if ctx.cancelled():
                    return fid, {}
                return fid, render_pages(source(fid), wanted, height, ratio)

            run_task(
                None,
                work,
                partial(self._done, generation, asked=ordered),
                partial(self._fail, generation, file_id, ordered),
                pool=self.pool,
                quiet=True,
            )

    def _done(
        self, generation: int, result: tuple[str, dict[int, QImage]], asked: list[int]
    ) -> None:
        with contextlib.suppress(RuntimeError):  # the cache was deleted meanwhile
            if generation != self._generation:
                return
            file_id, images = result
            for page in asked:
                self._pending.discard((file_id, page))
            for page, image in images.items():
                self._upright[(file_id, page)] = image
            self._trim(self._upright)
            if not images:
                self._failed.add(file_id)
                self.failed.emit(file_id)
            for page in images:
                self.ready.emit(file_id, page)

    def _fail(self, generation: int, file_id: str, asked: list[int], exc: BaseException) -> None:
        # A file removed meanwhile or a closed project: show it as not previewable.
        with contextlib.suppress(RuntimeError):
            if generation != self._generation:
                return
            for page in asked:
                self._pending.discard((file_id, page))
            self._failed.add(file_id)
            self.failed.emit(file_id)

    def _trim(self, cache: OrderedDict[Any, QImage]) -> None:
        while len(cache) > self.limit:
            cache.popitem(last=False)
