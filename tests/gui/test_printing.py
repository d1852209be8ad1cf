"""Printing through Qt's printer: copies and duplex set on the QPrinter reach the output, pages
are drawn at the printer's resolution, in the background, and Cancel stops the job. The
printer here is Qt's PDF-file target, which cannot make copies itself: the copies are sent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from widgets.printing import configure, make_printer, render_pages, sheets_plan


def _packet(path: Path, pages: int) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont("Helvetica", 40)
        c.drawString(100, 600, f"PAGE {n + 1}")
        c.rect(50, 50, 200, 200, fill=1)
        c.showPage()
    c.save()
    return path


def _pdf_printer(out: Path, copies: int, duplex: bool, dpi: int = 72):  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(dpi)
    return configure(printer, copies, duplex)


@pytest.mark.parametrize(
    ("pages", "duplex", "expected"), [(3, False, 6), (3, True, 7), (4, True, 8)]
)
def test_two_copies_and_duplex_reach_the_printer(
    tmp_path: Path, gui_app, pages: int, duplex: bool, expected: int
) -> None:  # type: ignore[no-untyped-def]
    packet = _packet(tmp_path / "申报材料.pdf", pages)
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=2, duplex=duplex)
    assert printer.copyCount() == 2
    # (Qt keeps a duplex mode only for a real printer that offers it: none exists here, so the
    # packet's duplex choice is passed along, and the driver's duplex is on the release list.)
    assert not printer.supportsMultipleCopies()  # so the copies are ours to send
    seen: list[tuple[int, int]] = []
    sent = render_pages(
        printer, packet, progress=lambda d, t, _l: seen.append((d, t)), duplex=duplex
    )
    assert sent == expected and seen[-1] == (expected, expected)
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == expected
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "printed.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\f")
    # The pages are images (rendered at the printer's resolution), so no text survives; the
    # blank back side between the copies in duplex is blank in pixels too.
    assert all(not t.strip() for t in text)
    if duplex and pages % 2:
        assert sheets_plan(pages, 2, False, True)[pages] is None


def test_pages_are_rendered_at_the_printer_resolution(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    packet = _packet(tmp_path / "p.pdf", 1)
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False, dpi=150)
    assert render_pages(printer, packet) == 1
    listing = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "printed.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    width, height = (int(v) for v in listing[0].split()[3:5])
    assert (width, height) == (round(595.28 * 150 / 72), round(841.89 * 150 / 72))


def test_a_printer_that_makes_copies_gets_the_document_once(gui_app) -> None:  # type: ignore[no-untyped-def]
    printer = make_printer(2, duplex=True)
    assert printer.copyCount() == 2 and printer.fullPage()
    assert sheets_plan(3, 2, printer_copies=True, duplex=True) == [0, 1, 2]
    assert sheets_plan(2, 2, printer_copies=False, duplex=True) == [0, 1, 0, 1]


def test_printing_runs_in_the_background_and_cancel_stops_it(
    tmp_path: Path, gui_app, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

    from widgets.printing import print_in_background

    packet = _packet(tmp_path / "长.pdf", 40)
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=2, duplex=False, dpi=100)
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    results: list[int] = []
    print_in_background(window, printer, packet, on_done=results.append)
    dialog = window.findChild(QProgressDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.value() >= 2, timeout=20000)  # the window stays responsive
    assert dialog.maximum() == 80 and "80" in dialog.labelText()
    dialog.findChild(QPushButton).click()  # 取消
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert 2 <= results[0] < 80
    assert not dialog.isVisible()


def test_an_unreadable_packet_is_a_clear_message(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    from widgets.printing import PrintError

    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"not a pdf")
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=2, duplex=False)
    with pytest.raises(PrintError, match=r"坏\.pdf"):
        render_pages(printer, bad)
