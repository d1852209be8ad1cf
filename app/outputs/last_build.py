"""What an earlier build left in the output folder: the window says "尚未生成" only when
nothing is there (a reopened project has no build result in memory, but its files may well
exist). Reads file names and times only; no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.files import LONGEST_TAIL, PACKET_TAIL, company_file_name


@dataclass(frozen=True)
class EarlierBuild:
    pdf: Path
    workbook: Path | None  # None when it is no longer there
    stage: str  # "final" or "review"
    modified: dt.datetime

    @property
    def folder(self) -> Path:
        return self.pdf.parent


def earlier_build(company_name: str, out_dir: Path) -> EarlierBuild | None:
    """The newest packet PDF in ``out_dir`` named for ``company_name`` (the bound print or the
    初审 print), with its Excel file; None when there is none."""
    found: list[EarlierBuild] = []
    workbook = out_dir / company_file_name(company_name.strip(), ".xlsx", out_dir).name
    for stage, tail in (("final", PACKET_TAIL), ("review", LONGEST_TAIL)):
        pdf = out_dir / company_file_name(company_name.strip(), tail, out_dir).name
        try:
            if not pdf.is_file():
                continue
            when = dt.datetime.fromtimestamp(pdf.stat().st_mtime)
            book = workbook if workbook.is_file() else None
        except OSError:
            continue
        found.append(EarlierBuild(pdf, book, stage, when))
    return max(found, key=lambda b: b.modified) if found else None
