"""Rewrite the generated sections of ``docs/manifest.md`` from the guide file and the sample.

Run from the repository root after changing ``checklists/zhuhai-2019.toml`` or the sample:

    python tools/gen_manifest_doc.py          # rewrite docs/manifest.md
    python tools/gen_manifest_doc.py --check  # exit 1 if it is out of date (changes nothing)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.manifest.doc import DOC_PATH, default_sections, update_document


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only report whether it is up to date")
    args = ap.parse_args(argv)
    current = DOC_PATH.read_text(encoding="utf-8")
    fresh = update_document(current, default_sections())
    if args.check:
        if fresh != current:
            print(f"{DOC_PATH} is out of date: run python tools/gen_manifest_doc.py")
            return 1
        print(f"{DOC_PATH} is up to date")
        return 0
    if fresh != current:
        DOC_PATH.write_text(fresh, encoding="utf-8", newline="\n")
        print(f"rewrote {DOC_PATH}")
    else:
        print(f"{DOC_PATH} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
