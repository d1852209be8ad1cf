"""Benchmark: print jobs through Qt's printer (widgets.printing.render_pages), the route the
打印 button takes on every platform, against the reference route measured in the same run (every
page rendered at the printer's full resolution in colour, as the program printed before).

Run by hand (not by pytest)::

    python benchmarks/bench_print.py [--pages 400] [--dpi 600] [--copies 2]

The printer is Qt's PDF-file target (a file printer: no driver here); each run is a fresh child
process. Printed: pages sent, seconds, bytes per printed page of the file (what a spool holds,
give or take the driver's own format), peak memory (VmHWM), for a tenth of the packet and the
whole; the packet mixes generated text pages with 150-300 dpi grey and colour scans, as ours do.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def _scan(dpi: int, colour: bool, seed: int) -> object:
    """An A4 'scan' at ``dpi``: lines of text-like bars, grain, a red seal when ``colour``."""
    import io
    import random

    from PIL import Image, ImageDraw, ImageFilter
    from reportlab.lib.utils import ImageReader

    rng = random.Random(seed)
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("RGB", (w, h), (246, 245, 240))
    draw = ImageDraw.Draw(image)
    y = dpi
    while y < h - dpi:
        x = dpi
        while x < w - dpi:
            length = rng.randint(dpi // 8, dpi // 2)
            draw.rectangle((x, y, x + length, y + dpi // 12), fill=(35, 35, 40))
            x += length + dpi // 10
        y += dpi // 4
    if colour:
        draw.ellipse(
            (w - 3 * dpi, h - 3 * dpi, w - dpi, h - dpi), outline=(210, 30, 30), width=dpi // 20
        )
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    out.seek(0)
    return ImageReader(out)


def make_packet(path: Path, pages: int) -> None:
    """A packet like ours: a generated text page every fourth page, the others scans (grey at
    150, 200 or 300 dpi, every fifth in colour), each with its page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    scans = {
        (dpi, colour): _scan(dpi, colour, dpi)
        for dpi in (150, 200, 300)
        for colour in (False, True)
    }
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        if n % 4 == 0:
            c.setFont("Helvetica", 11)
            for row in range(40):
                c.drawString(60, 780 - row * 14, f"Page {n + 1} line {row + 1} " + "x" * 60)
            c.setFillGray(0.85)
            c.rect(60, 80, 470, 120, fill=1, stroke=0)
            c.setFillGray(0)
        else:
            c.drawImage(scans[((150, 200, 300)[n % 3], n % 5 == 0)], 0, 0, *A4)  # type: ignore[arg-type]
        c.drawString(280, 30, f"- {n + 1} -")
        c.showPage()
    c.save()


def reference_pages(printer: object, packet: Path) -> int:
    """The reference route: every page at the printer's resolution, in colour."""
    import pypdfium2 as pdfium
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    doc = pdfium.PdfDocument(str(packet))
    dpi = printer.resolution()  # type: ignore[attr-defined]
    painter = QPainter()
    painter.begin(printer)  # type: ignore[arg-type]
    copies = printer.copyCount()  # type: ignore[attr-defined]
    target = QRectF(printer.pageLayout().fullRectPixels(dpi))  # type: ignore[attr-defined]
    sent = 0
    for _copy in range(copies):
        for i in range(len(doc)):
            if sent:
                printer.newPage()  # type: ignore[attr-defined]
            image = doc[i].render(scale=dpi / 72, rev_byteorder=True).to_pil().convert("RGB")
            q = QImage(
                image.tobytes(),
                image.width,
                image.height,
                image.width * 3,
                QImage.Format.Format_RGB888,
            )
            painter.drawImage(target, q)
            sent += 1
    painter.end()
    return sent


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(packet: Path, out: Path, dpi: int, copies: int, route: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from widgets.printing import configure, render_pages

    app = QApplication([])
    base = peak_rss_mb()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(dpi)
    configure(printer, copies, duplex=False)
    start = time.perf_counter()
    sent = render_pages(printer, packet) if route == "ours" else reference_pages(printer, packet)
    wall = time.perf_counter() - start
    del app
    print(
        json.dumps(
            {
                "sent": sent,
                "wall": wall,
                "peak_mb": peak_rss_mb(),
                "base_mb": base,
                "out_mb": out.stat().st_size / 2**20,
            }
        )
    )


def run(packet: Path, out: Path, dpi: int, copies: int, route: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(packet), str(out), str(dpi), str(copies), route],
        capture_output=True,
        text=True,
        check=True,
    )
    out.unlink(missing_ok=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--dpi", type=int, default=600)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        for pages in (max(args.pages // 10, 1), args.pages):
            packet = Path(tmp) / f"packet-{pages}.pdf"
            make_packet(packet, pages)
            packet_mb = packet.stat().st_size / 2**20
            results = {}
            for route in ("reference", "ours"):
                r = results[route] = run(
                    packet, Path(tmp) / "printed.pdf", args.dpi, args.copies, route
                )
                print(
                    f"{route:9s} {pages:4d} pages x{args.copies} at {args.dpi} dpi: "
                    f"{r['sent']:.0f} sent in {r['wall']:.1f} s "
                    f"({r['wall'] / r['sent'] * 1000:.0f} ms/page), "
                    f"{r['out_mb'] * 2**20 / r['sent'] / 1000:.0f} kB/page printed "
                    f"(packet {packet_mb * 2**20 / pages / 1000:.0f} kB/page), "
                    f"peak RSS {r['peak_mb']:.0f} MB (Qt started: {r['base_mb']:.0f} MB)"
                )
            ours, ref = results["ours"], results["reference"]
            print(
                f"          ours/reference: time {ours['wall'] / ref['wall']:.2f}x, "
                f"bytes {ours['out_mb'] / ref['out_mb']:.2f}x, peak memory "
                f"{ours['peak_mb'] / ref['peak_mb']:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
