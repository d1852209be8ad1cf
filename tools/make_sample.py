"""Generate the bundled sample company: synthetic scans and ``resources/sample/manifest.json``.

Run from the repository root:  ``python tools/make_sample.py [--out resources/sample]``

Everything here is invented (company, people, banks, certifiers, numbers); every page is marked
样例 / 仅供演示. The scans imitate what applicants attach: A4 pages scanned at 150 dpi as JPEG
(quality 60, mostly white so each stays small), two browser screenshots (PNG), a 3-page audit
report made with reportlab (PDF), one contract scanned in black and white as a 2-page TIFF, one
certificate scanned landscape, and one labour contract photographed with a phone (stored turned,
with EXIF orientation 6) so that intake has to turn it upright.

The script is deterministic (fixed random seeds, reportlab's invariant mode): running it again
with the same library versions gives the same files. The tests never run it; they use its output.
The generator itself is the package ``tools/sample/`` (data, drawing helpers, one module per kind
of document, the manifest writer); this file is its entry point.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.sample.manifest import generate  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the bundled sample company.")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "sample")
    args = ap.parse_args(argv)
    generate(args.out)
    total = 0
    for f in sorted((args.out).rglob("*")):
        if f.is_file():
            total += f.stat().st_size
            print(f"{f.stat().st_size / 1024:7.1f} KB  {f.relative_to(args.out)}")
    print(f"{total / 1024 / 1024:.2f} MB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
