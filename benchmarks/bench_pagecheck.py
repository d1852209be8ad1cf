"""How well and how fast the import's page check (``app.intake.pagecheck``) finds sideways and
blank pages, on generated pages (``tests/pagecheck_support.py``): Chinese and Latin text,
tables, photos of text (skew, perspective, uneven light), sparse forms and receipts with red
stamps, blank and nearly blank sheets; scanner noise, grey paper, JPEG loss; laid at 0, 90,
180 and 270 degrees. Every page goes through ``import_bytes`` as a JPEG (a few also as a
scanned PDF and a PNG), as the window imports it.

    .venv/bin/python benchmarks/bench_pagecheck.py --pages 400
    .venv/bin/python benchmarks/bench_pagecheck.py --pages 60 --seed 3 --list

Prints the rates and the time the check adds to an import (median per page, the check alone,
at 150 and 300 dpi).
"""

from __future__ import annotations

import argparse
import collections
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import img2pdf  # noqa: E402

from app.intake import import_bytes, pagecheck  # noqa: E402
from tests.pagecheck_support import jpeg, page, sample_set, turned  # noqa: E402


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "0/0"


def measure(pages: int, seed: int, show: bool) -> None:
    counts: collections.Counter[str] = collections.Counter()
    for number, (sample, turn) in enumerate(sample_set(pages, seed)):
        image = turned(sample.image, turn)
        if number % 10 == 3:
            data, name = img2pdf.convert(jpeg(image)), f"{sample.name}.pdf"
        elif number % 10 == 7:
            buf = io.BytesIO()
            image.convert("L").save(buf, "PNG", dpi=(150, 150))
            data, name = buf.getvalue(), f"{sample.name}.png"
        else:
            data, name = jpeg(image), f"{sample.name}.jpg"
        info = import_bytes(name, data).pages[0]
        need = (360 - turn) % 360
        if sample.kind == "blank":
            counts["blank"] += 1
            counts["blank flagged"] += info.blank
            wrong = not info.blank
        else:
            group = {0: "upright", 180: "upside down"}.get(turn, "sideways")
            counts[f"{sample.kind} {group}"] += 1
            counts[f"{sample.kind} {group} flagged"] += info.sideways
            counts[f"{sample.kind} {group} exact"] += info.upright_turns == (need,)
            counts[f"{sample.kind} {group} offered"] += need in info.upright_turns
            counts[f"{sample.kind} wrongly blank"] += info.blank
            wrong = info.blank or (info.sideways if turn == 0 else not info.sideways)
        if show and wrong:
            print(f"  {name} laid at {turn}: turns {info.upright_turns} blank {info.blank}")
    print(f"{pages} pages, seed {seed}")
    for kind in ("text", "light"):
        side = counts[f"{kind} sideways"]
        print(f"{kind} pages at 90/270 flagged: {_rate(counts[f'{kind} sideways flagged'], side)}")
        print(
            f"  turn offered stands it upright: {_rate(counts[f'{kind} sideways offered'], side)}"
        )
        print(
            f"  one sure turn (else both offered): {_rate(counts[f'{kind} sideways exact'], side)}"
        )
        head = counts[f"{kind} upside down"]
        print(f"{kind} pages at 180 flagged: {_rate(counts[f'{kind} upside down flagged'], head)}")
        up = counts[f"{kind} upright"]
        print(f"{kind} pages upright flagged: {_rate(counts[f'{kind} upright flagged'], up)}")
        total = side + head + up
        print(f"{kind} pages flagged blank: {_rate(counts[f'{kind} wrongly blank'], total)}")
    print(f"blank / nearly blank flagged: {_rate(counts['blank flagged'], counts['blank'])}")


def timing(runs: int) -> None:
    """The check alone: median ms per page, on a JPEG scan imported as an image (judging the
    reduced-scale decode the import's damage check made anyway) and inside a scanned PDF."""
    from app.intake.images import image_to_pdf, jpeg_view
    from app.intake.pdfs import normalise_pdf
    from app.intake.sniff import Kind

    for dpi, size in ((150, (1240, 1754)), (300, (2480, 3508))):
        pdfs, views = [], []
        for seed in range(5):
            data = jpeg(turned(page("cn", seed, size).image, 90 * (seed % 2)), 85)
            pdfs.append(normalise_pdf("x", image_to_pdf("x", data, Kind.JPEG).pdf).pdf)
            views.append(jpeg_view(data))
        took, judged = [], []
        for _ in range(runs):
            for pdf, view in zip(pdfs, views, strict=True):
                start = time.perf_counter()
                pagecheck.check_pdf(pdf)
                took.append(time.perf_counter() - start)
                assert view is not None
                start = time.perf_counter()
                pagecheck.judge(view)
                judged.append(time.perf_counter() - start)
        print(
            f"check of an A4 JPEG scan at {dpi} dpi: as an image {1000 * statistics.median(judged):.1f}"
            f" ms (its decode shared), in a PDF {1000 * statistics.median(took):.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--list", action="store_true", help="name every page judged wrongly")
    args = parser.parse_args()
    measure(args.pages, args.seed, args.list)
    timing(args.runs)


if __name__ == "__main__":
    main()
