"""Printing the packet through Qt's printer on every platform. Each page is rendered by PDFium
(pypdfium2, which draws with Python's GIL released: the window keeps running) one page at a
time, in the background with progress and cancel, so memory stays at about one page image.

What reaches the spool is kept near the packet's own size (:mod:`app.outputs.print_pages`): each
page at the resolution it needs (its scan's own, capped at 300 dpi; text pages at 300 dpi;
never above the printer's) and in 8-bit grey where it has no colour, not every page as a
600-dpi colour image (~139 MB raw an A4 page). The copies are always sent by us, one after the
other, each starting on a fresh sheet (in duplex a blank back side follows an odd copy): a
driver that ignores the copy count, or reports copies it does not make, still prints both. The
job carries the packet's name (``setDocName``); 取消 stops drawing and, on Windows, where Qt's
``abort()`` does nothing, withdraws the job from the spooler (:mod:`widgets.winspool`).

Each page image reaches the printer in bands of about a quarter of a million pixels: Qt's print engine
encodes what one ``drawImage`` hands it while holding Python's GIL (its PDF engine took ~40 ms
for a 150-dpi page and ~150 ms at 300 dpi), and the window cannot repaint until it lets go."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.outputs.print_pages import bands, is_grey, page_resolution, sheets_plan
from app.rules.process import copies_word
from app.system.errors import AppError
from widgets import errors, winspool
from widgets.tasks import Task, TaskContext, run_task
from widgets.thumbnails import PDFIUM_LOCK

__all__ = [
    "PrintError",
    "bands",
    "configure",
    "draw_in_bands",
    "make_printer",
    "render_pages",
    "sheets_plan",
]


BAND_PAUSE_S = 0.001
"""A pause after each band (GIL released): a click or a repaint of the window waiting for the GIL
runs then, not after the next band (~1 % of a page's printing time)."""


class PrintError(AppError):
    pass


def make_printer(copies: int = 2, duplex: bool = False, name: str = "") -> QPrinter:
    printer = configure(QPrinter(QPrinter.PrinterMode.HighResolution), copies, duplex)
    if name:
        printer.setDocName(name)
    return printer


def configure(printer: QPrinter, copies: int, duplex: bool) -> QPrinter:
    """A4 portrait, full page, the copies and the packet's duplex choice (set after the output
    format: changing it resets the printer's settings)."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setCopyCount(copies)
    printer.setFullPage(True)
    printer.setDuplex(
        QPrinter.DuplexMode.DuplexLongSide if duplex else QPrinter.DuplexMode.DuplexNone
    )
    return printer


def render_pages(
    printer: QPrinter,
    pdf: Path,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    duplex: bool = False,
) -> int:
    """Draw ``pdf`` into ``printer`` (any thread: QPainter on a QPrinter is thread-safe, the
    document is opened here), the printer's copy count laid out as copies of our own.
    ``duplex`` is the packet's own choice (it was built for two-sided printing); the printer's
    duplex setting is what the driver is asked to do. Returns the sheets' sides sent; raises
    PrintError when it cannot."""
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(pdf))
            count = len(doc)
        except (pdfium.PdfiumError, OSError) as exc:
            raise PrintError(f"无法读取“{pdf.name}”，请重新生成申报材料后再打印。") from exc
    if not printer.docName():
        printer.setDocName(pdf.stem)  # "<企业全称>-申报材料", not "document1", in the queue
    try:
        return _send(printer, doc, count, progress, cancelled, duplex)
    finally:
        with PDFIUM_LOCK:
            doc.close()


def page_image(
    doc: pdfium.PdfDocument, index: int, printer_dpi: int, grey_job: bool = False
) -> tuple[QImage, int]:
    """Page ``index`` as the image to print and its resolution: the resolution the page needs
    (not above the printer's), grey where the page has no colour (every page of a 黑白 job).
    The lock is taken per page: thumbnails may render in between."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            dpi = page_resolution(page, printer_dpi)
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
        finally:
            page.close()
    if grey_job or is_grey(image):
        grey = image.convert("L")
        data = grey.tobytes()
        return QImage(
            data, grey.width, grey.height, grey.width, QImage.Format.Format_Grayscale8
        ).copy(), dpi
    data = image.tobytes()
    fmt = QImage.Format.Format_RGB888
    return QImage(data, image.width, image.height, image.width * 3, fmt).copy(), dpi


def _send(
    printer: QPrinter,
    doc: pdfium.PdfDocument,
    count: int,
    progress: Callable[[int, int, str], None] | None,
    cancelled: Callable[[], bool] | None,
    duplex: bool,
) -> int:
    copies = max(printer.copyCount(), 1)
    printer.setCopyCount(1)  # the copies are ours: see the module's docstring
    duplex = duplex or printer.duplex() != QPrinter.DuplexMode.DuplexNone
    plan = sheets_plan(count, copies, duplex)
    resolution = printer.resolution()
    grey_job = printer.colorMode() == QPrinter.ColorMode.GrayScale
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法连接打印机，请检查打印机是否开启、设置是否正确。")
    sent = 0
    try:
        target = QRectF(printer.pageLayout().fullRectPixels(resolution))
        for n, index in enumerate(plan):
            if cancelled is not None and cancelled():
                _cancel(printer)
                break
            if n:
                printer.newPage()
            if index is not None:
                image, dpi = page_image(doc, index, resolution, grey_job)
                scale = resolution / dpi
                drawn = QRectF(0, 0, image.width() * scale, image.height() * scale)
                # fit the page inside the paper, centred (A4 packets fill it exactly)
                factor = min(target.width() / drawn.width(), target.height() / drawn.height())
                drawn.setSize(drawn.size() * factor)
                drawn.moveCenter(target.center())
                draw_in_bands(painter, drawn, image)
                del image  # one page image alive at a time
            sent += 1
            if progress is not None:
                progress(n + 1, len(plan), f"正在打印第 {n + 1} / {len(plan)} 页")
    finally:
        painter.end()
        printer.setCopyCount(copies)
    return sent


def draw_in_bands(painter: QPainter, target: QRectF, image: QImage) -> None:
    """Draw ``image`` into ``target`` (device pixels) band by band (:func:`bands`: the print
    engine holds Python's GIL while it encodes each call's image, and the window waits). The
    bands meet on whole device pixels, each edge computed once for the band above and the band
    below: no gap, no overlap."""
    last = image.height()
    if last <= 0:
        return
    scale = target.height() / last

    def edge(row: int) -> float:
        if row == 0:
            return target.top()
        if row == last:
            return target.bottom()
        return float(round(target.top() + row * scale))

    for top, bottom in bands(image.width(), image.height()):
        y0, y1 = edge(top), edge(bottom)
        painter.drawImage(
            QRectF(target.left(), y0, target.width(), y1 - y0),
            image,
            QRectF(0, top, image.width(), bottom - top),
        )
        time.sleep(BAND_PAUSE_S)  # the window's Python work waiting for the GIL goes first


def _cancel(printer: QPrinter) -> None:
    """Stop the job: Qt's abort() (honoured by CUPS and the PDF target) and, on Windows where
    it is not, the job deleted from the spooler."""
    printer.abort()
    winspool.withdraw(printer.printerName(), printer.docName())


def print_in_background(
    parent: QWidget | None,
    printer: QPrinter,
    pdf: Path,
    on_done: Callable[[int], None] | None = None,
    duplex: bool = False,
) -> Task:
    """Print with a progress dialog whose 取消 stops after the current page."""
    dialog = QProgressDialog("正在发送到打印机…", "取消", 0, 1, parent)
    dialog.setWindowTitle("打印")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)

    def work(ctx: TaskContext) -> int:
        return render_pages(printer, pdf, ctx.progress, ctx.cancelled, duplex=duplex)

    def finished(sent: Any) -> None:
        dialog.close()
        if on_done is not None:
            on_done(int(sent))

    def failed(exc: BaseException) -> None:
        dialog.close()
        errors.show_error(parent, exc, "无法打印")

    task = run_task(parent, work, finished, failed)
    task.printer = printer  # type: ignore[attr-defined]  # alive until the job ends

    def step(done: int, total: int, label: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(label)

    task.progress.connect(step)
    dialog.canceled.connect(task.cancel)
    dialog.show()
    return task


def print_pdf_with_qt(
    parent: QWidget | None, pdf: Path, copies: int = 2, duplex: bool = False
) -> Task | None:
    """Ask for the printer (two copies and the packet's duplex choice preselected), then print
    in the background. The job is named after the packet ("<企业全称>-申报材料")."""
    printer = make_printer(copies, duplex, name=pdf.stem)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(
        f"打印申报材料（一式{copies_word(copies)}）" if copies > 1 else "打印申报材料"
    )
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return print_in_background(parent, printer, pdf, duplex=duplex)
