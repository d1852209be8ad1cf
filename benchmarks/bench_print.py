"""Benchmark: a 400-page print job through Qt's printer (widgets.printing.render_pages), the
route the 打印 button takes on every platform. Pages are rendered one at a time at the printer's
resolution; the question is whether memory stays bounded as the packet grows.

Run by hand (not by pytest)::

    python benchmarks/bench_print.py [--pages 400] [--dpi 300] [--copies 1]

The printer is Qt's PDF-file target (no printer driver here); each run is a fresh child process,
peak memory is its peak RSS (VmHWM), measured for the full packet and for a tenth of it.
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


def make_packet(path: Path, pages: int) -> None:
    """A packet like ours: text, a table of lines, a grey 'scan' block on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont("Helvetica", 11)
        for row in range(40):
            c.drawString(60, 780 - row * 14, f"Page {n + 1} line {row + 1} " + "x" * 60)
        c.setFillGray(0.85)
        c.rect(60, 80, 470, 120, fill=1, stroke=0)
        c.setFillGray(0)
        c.drawString(280, 30, f"- {n + 1} -")
        c.showPage()
    c.save()


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(packet: Path, out: Path, dpi: int, copies: int) -> None:
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
    sent = render_pages(printer, packet)
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


def run(packet: Path, out: Path, dpi: int, copies: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(packet), str(out), str(dpi), str(copies)],
        capture_output=True,
        text=True,
        check=True,
    )
    out.unlink(missing_ok=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-print-") as tmp:
        for pages in (max(args.pages // 10, 1), args.pages):
            packet = Path(tmp) / f"packet-{pages}.pdf"
            make_packet(packet, pages)
            r = run(packet, Path(tmp) / "printed.pdf", args.dpi, args.copies)
            print(
                f"{pages:4d} pages x{args.copies} at {args.dpi} dpi: {r['sent']:.0f} pages sent in "
                f"{r['wall']:.1f} s ({r['wall'] / r['sent'] * 1000:.0f} ms/page), peak RSS "
                f"{r['peak_mb']:.0f} MB (Qt started: {r['base_mb']:.0f} MB), "
                f"printed file {r['out_mb']:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
