"""Printing through Qt's printer: the copies are always ours (each starting on a fresh sheet),
duplex reaches the output, each page is drawn at the resolution it needs (a scan's own, text
pages at 300 dpi, never above the printer's) and in grey where it has no colour, in the
background, the job carries the packet's name, and Cancel stops the job (on Windows by
withdrawing it from the spooler). The printer here is Qt's PDF-file target."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.pdftools import page_texts
from widgets.printing import bands, configure, make_printer, render_pages, sheets_plan


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
    text = page_texts(tmp_path / "printed.pdf")
    # The pages are images (rendered at the printer's resolution), so no text survives; the
    # blank back side between the copies in duplex is blank in pixels too.
    assert all(not t.strip() for t in text)
    if duplex and pages % 2:
        assert sheets_plan(pages, 2, True)[pages] is None
    assert printer.copyCount() == 2  # restored: the dialog's choice is not lost


def _mixed_packet(path: Path) -> Path:
    """A text page, a grey 200-dpi scan, a colour photo at 400 dpi."""
    import io

    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    def scan(size: tuple[int, int], colour: bool) -> ImageReader:
        image = Image.new("RGB", size, (250, 250, 248))
        draw = ImageDraw.Draw(image)
        for y in range(40, size[1] - 40, 30):
            draw.rectangle((40, y, size[0] - 60, y + 8), fill=(40, 40, 40))
        if colour:
            draw.ellipse((60, 60, 360, 360), outline=(220, 30, 30), width=12)  # a red seal
        out = io.BytesIO()
        image.save(out, format="PNG")
        out.seek(0)
        return ImageReader(out)

    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 30)
    c.drawString(100, 600, "TEXT PAGE")
    c.showPage()
    c.drawImage(scan((1000, 1000), colour=False), 0, 0, 360, 360)  # 1000 px on 5 in: 200 dpi
    c.showPage()
    c.drawImage(scan((1600, 1600), colour=True), 0, 0, 288, 288)  # 1600 px on 4 in: 400 dpi
    c.showPage()
    c.save()
    return path


def _printed_images(pdf: Path) -> list[tuple[int, str]]:
    """Per printed page: the width of its image and its colour space (the page image is sent
    in bands: every band has the page image's width and colour space)."""
    out = []
    for page in PdfReader(pdf).pages:
        xobjects = page["/Resources"]["/XObject"]
        images = [
            x.get_object() for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"
        ]
        assert images
        assert len({(int(i["/Width"]), str(i["/ColorSpace"])) for i in images}) == 1
        out.append((int(images[0]["/Width"]), str(images[0]["/ColorSpace"])))
    return out


def test_each_page_is_printed_at_the_resolution_and_colour_it_needs(
    tmp_path: Path, gui_app
) -> None:  # type: ignore[no-untyped-def]
    packet = _mixed_packet(tmp_path / "p.pdf")
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False, dpi=600)
    assert render_pages(printer, packet) == 3
    (text_w, text_cs), (scan_w, scan_cs), (photo_w, photo_cs) = _printed_images(
        tmp_path / "printed.pdf"
    )
    a4_width_in = 595.28 / 72  # (PDFium rounds a page's pixel size up: one pixel of slack)
    assert abs(text_w - a4_width_in * 300) <= 1  # text pages: 300 dpi, not the printer's 600
    assert abs(scan_w - a4_width_in * 200) <= 1  # the scan's own 200 dpi
    assert abs(photo_w - a4_width_in * 300) <= 1  # a 400-dpi photo: capped at 300
    assert photo_cs == "/DeviceRGB"  # the red seal keeps its colour
    # grey pages are handed to Qt as 8-bit grey (Qt's PDF engine writes them as DeviceGray
    # only when the job is set to 黑白; its Windows engine draws 32-bit DIBs either way)
    import pypdfium2 as pdfium
    from PySide6.QtGui import QImage

    from widgets.printing import page_image

    doc = pdfium.PdfDocument(str(packet))
    try:
        formats = [page_image(doc, i, 600)[0].format() for i in range(3)]
    finally:
        doc.close()
    grey, colour = QImage.Format.Format_Grayscale8, QImage.Format.Format_RGB888
    assert formats == [grey, grey, colour]
    assert text_cs and scan_cs


def test_a_black_and_white_job_prints_grey_images(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    packet = _mixed_packet(tmp_path / "p.pdf")
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False, dpi=300)
    printer.setColorMode(QPrinter.ColorMode.GrayScale)  # 黑白 chosen in the print dialog
    assert render_pages(printer, packet) == 3
    assert {cs for _w, cs in _printed_images(tmp_path / "printed.pdf")} == {"/DeviceGray"}


def test_never_above_the_printers_resolution(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    packet = _mixed_packet(tmp_path / "p.pdf")
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False, dpi=150)
    assert render_pages(printer, packet) == 3
    widths = [w for w, _cs in _printed_images(tmp_path / "printed.pdf")]
    assert all(abs(w - 595.28 * 150 / 72) <= 1 for w in widths), widths


def test_the_copies_are_ours_whatever_the_printer_says(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    printer = make_printer(2, duplex=True, name="珠海某公司-申报材料")
    assert printer.copyCount() == 2 and printer.fullPage()
    assert printer.docName() == "珠海某公司-申报材料"
    assert sheets_plan(3, 2, duplex=True) == [0, 1, 2, None, 0, 1, 2]
    assert sheets_plan(2, 2, duplex=True) == [0, 1, 0, 1]
    assert sheets_plan(3, 2, duplex=False) == [0, 1, 2, 0, 1, 2]


def test_the_job_is_named_after_the_packet(tmp_path: Path, gui_app) -> None:  # type: ignore[no-untyped-def]
    packet = _packet(tmp_path / "珠海某公司-申报材料.pdf", 1)
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False)
    assert printer.docName() == ""
    render_pages(printer, packet)
    assert printer.docName() == "珠海某公司-申报材料"


def test_cancel_on_windows_withdraws_our_newest_job_only() -> None:
    from widgets.winspool import Job, job_to_withdraw

    jobs = [
        Job(7, "珠海某公司-申报材料", "clerk"),
        Job(9, "珠海某公司-申报材料", "clerk"),  # ours: the newest of that name
        Job(12, "珠海某公司-申报材料", "boss"),  # someone else's, same packet
        Job(10, "会议纪要.docx", "clerk"),
    ]
    assert job_to_withdraw(jobs, "珠海某公司-申报材料", "CLERK") == jobs[1]
    assert job_to_withdraw(jobs, "别的-申报材料", "clerk") is None
    assert job_to_withdraw([], "珠海某公司-申报材料", "clerk") is None


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


def test_bands_cover_every_row_once_within_the_limit() -> None:
    for width, height, limit in ((1241, 1754, 512 * 1024), (2481, 3508, 100_000), (10, 7, 10)):
        found = bands(width, height, limit)
        assert found[0][0] == 0 and found[-1][1] == height
        assert all(a[1] == b[0] for a, b in pairwise(found))  # no gap, no overlap
        assert all(0 < (bottom - top) * width <= max(limit, width) for top, bottom in found)
    assert bands(5000, 3, 10) == [(0, 1), (1, 2), (2, 3)]  # at least a row a band
    assert bands(100, 0) == []


def test_a_page_sent_in_bands_prints_whole_without_seams(
    tmp_path: Path, gui_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A page dark all over, printed in many bands: the printed page, rendered again, matches
    the page row by row (a gap between two bands would be a white line across it)."""
    import pypdfium2 as pdfium

    from app.outputs import print_pages

    packet = tmp_path / "dark.pdf"
    c = canvas.Canvas(str(packet), pagesize=A4)
    c.setFillGray(0.3)
    c.rect(0, 0, A4[0], A4[1], fill=1, stroke=0)
    c.setFillGray(1)
    c.setFont("Helvetica", 40)
    c.drawString(100, 600, "DARK PAGE")
    c.showPage()
    c.save()
    printer = _pdf_printer(tmp_path / "printed.pdf", copies=1, duplex=False, dpi=100)
    monkeypatch.setattr(print_pages, "BAND_PIXELS", 20_000)  # ~40 bands for this page
    assert render_pages(printer, packet) == 1
    page = PdfReader(tmp_path / "printed.pdf").pages[0]
    assert len(page["/Resources"]["/XObject"]) > 20
    printed = pdfium.PdfDocument(str(tmp_path / "printed.pdf"))
    original = pdfium.PdfDocument(str(packet))
    try:
        got = printed[0].render(scale=100 / 72).to_pil().convert("L")
        want = original[0].render(scale=100 / 72).to_pil().convert("L").resize(got.size)
    finally:
        printed.close()
        original.close()
    from PIL import Image

    # each row's mean grey (a box filter down to one column)
    rows_got = got.resize((1, got.height), Image.Resampling.BOX).tobytes()
    rows_want = want.resize((1, want.height), Image.Resampling.BOX).tobytes()
    assert max(abs(a - b) for a, b in zip(rows_got, rows_want, strict=True)) < 12
