"""Printing the packet through Qt's printer on every platform: two copies and the duplex choice
are set on the QPrinter (a PDF viewer's print verb, the old Windows route, ignored both). Each
page is rendered by PDFium (pypdfium2, which draws with Python's GIL released: the window keeps
running) at the printer's resolution, one page at a time, in the background with progress and
cancel, so memory stays at about one page image whatever the packet's length.

Where the printer cannot make copies itself (``supportsMultipleCopies()`` is false: a PDF file
target, printers without a spooler that does it), the copies are sent one after another; in
duplex each copy then starts on a front side."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.errors import AppError
from app.process import copies_word
from widgets import errors
from widgets.tasks import Task, TaskContext, run_task
from widgets.thumbnails import PDFIUM_LOCK, render_page

MAX_DPI = 600  # a 600 dpi A4 page is ~140 MB as an image; higher adds nothing on paper


class PrintError(AppError):
    pass


def make_printer(copies: int = 2, duplex: bool = False) -> QPrinter:
    return configure(QPrinter(QPrinter.PrinterMode.HighResolution), copies, duplex)


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


def sheets_plan(pages: int, copies: int, printer_copies: bool, duplex: bool) -> list[int | None]:
    """The page indexes sent to the printer, in order; None is a blank back side."""
    if printer_copies or copies <= 1:
        return list(range(pages))
    plan: list[int | None] = []
    for copy in range(copies):
        plan.extend(range(pages))
        if duplex and pages % 2 and copy < copies - 1:
            plan.append(None)  # the next copy starts on a new sheet
    return plan


def render_pages(
    printer: QPrinter,
    pdf: Path,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    duplex: bool = False,
) -> int:
    """Draw ``pdf`` into ``printer`` (any thread: QPainter on a QPrinter is thread-safe, the
    document is opened here). ``duplex`` is the packet's own choice (it was built for two-sided
    printing); the printer's duplex setting is what the driver is asked to do. Returns the pages
    sent; raises PrintError when it cannot."""
    with PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(str(pdf))
            count = len(doc)
        except (pdfium.PdfiumError, OSError) as exc:
            raise PrintError(f"无法读取“{pdf.name}”，请重新生成申报材料后再打印。") from exc
    try:
        return _send(printer, doc, count, progress, cancelled, duplex)
    finally:
        with PDFIUM_LOCK:
            doc.close()


def _page_image(doc: pdfium.PdfDocument, index: int, dpi: int) -> QImage:
    """One page at ``dpi`` (the lock is taken per page: thumbnails may render in between)."""
    with PDFIUM_LOCK:
        page = doc[index]
        try:
            width, height = page.get_size()
            return render_page(page, round(width * dpi / 72), round(height * dpi / 72))
        finally:
            page.close()


def _send(
    printer: QPrinter,
    doc: pdfium.PdfDocument,
    count: int,
    progress: Callable[[int, int, str], None] | None,
    cancelled: Callable[[], bool] | None,
    duplex: bool,
) -> int:
    copies = max(printer.copyCount(), 1)
    printer_copies = printer.supportsMultipleCopies()
    duplex = duplex or printer.duplex() != QPrinter.DuplexMode.DuplexNone
    plan = sheets_plan(count, copies, printer_copies, duplex)
    dpi = min(printer.resolution(), MAX_DPI)
    scale = printer.resolution() / dpi
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法连接打印机，请检查打印机是否开启、设置是否正确。")
    sent = 0
    try:
        target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        for n, index in enumerate(plan):
            if cancelled is not None and cancelled():
                printer.abort()
                break
            if n:
                printer.newPage()
            if index is not None:
                image: QImage | None = _page_image(doc, index, dpi)
                assert image is not None
                drawn = QRectF(0, 0, image.width() * scale, image.height() * scale)
                # fit the page inside the paper, centred (A4 packets fill it exactly)
                factor = min(target.width() / drawn.width(), target.height() / drawn.height())
                drawn.setSize(drawn.size() * factor)
                drawn.moveCenter(target.center())
                painter.drawImage(drawn, image)
                image = None  # one page image alive at a time
            sent += 1
            if progress is not None:
                progress(n + 1, len(plan), f"正在打印第 {n + 1} / {len(plan)} 页")
    finally:
        painter.end()
    return sent


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
    in the background."""
    printer = make_printer(copies, duplex)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(
        f"打印申报材料（一式{copies_word(copies)}）" if copies > 1 else "打印申报材料"
    )
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return print_in_background(parent, printer, pdf, duplex=duplex)
