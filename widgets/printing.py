"""Printing a PDF through Qt (QtPdf renders each page into the printer), two copies preselected."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from widgets import errors


def make_printer(copies: int = 2, duplex: bool = False) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setCopyCount(copies)
    printer.setFullPage(True)
    printer.setDuplex(
        QPrinter.DuplexMode.DuplexLongSide if duplex else QPrinter.DuplexMode.DuplexNone
    )
    return printer


def render_to_printer(printer: QPrinter, pdf: Path, parent: QWidget | None = None) -> int:
    """Draw every page of ``pdf`` into ``printer``; returns the number of pages printed."""
    doc = QPdfDocument()
    if doc.load(str(pdf)) != QPdfDocument.Error.None_:
        errors.inform(parent, "无法打印", f"无法读取“{pdf.name}”。", error=True)
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        errors.inform(parent, "无法打印", "无法连接打印机，请检查打印机设置。", error=True)
        return 0
    progress = QProgressDialog("正在发送到打印机…", "取消", 0, doc.pageCount(), parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    printed = 0
    try:
        rect: QRect = printer.pageLayout().fullRectPixels(printer.resolution())
        for n in range(doc.pageCount()):
            if progress.wasCanceled():
                break
            if n:
                printer.newPage()
            image = doc.render(n, QSize(rect.width(), rect.height()))
            painter.drawImage(rect, image)
            printed += 1
            progress.setValue(n + 1)
            QApplication.processEvents()
    finally:
        painter.end()
        progress.close()
    return printed


def print_pdf_with_qt(
    parent: QWidget | None, pdf: Path, copies: int = 2, duplex: bool = False
) -> int:
    printer = make_printer(copies, duplex)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印申报材料（一式两份）")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return 0
    return render_to_printer(printer, pdf, parent)
