"""What the rest of the program needs of the Excel file without building one (no openpyxl):
its name and the 目录 lines the packet builder hands it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.files import company_file_name


@dataclass(frozen=True)
class TocRow:
    """One line of the packet's 目录, given by the packet builder."""

    level: int  # 0 section/item, 1 document, 2 per-row document
    title: str
    first_page: int | None  # stamped page numbers; None for entries without pages
    last_page: int | None
    parent: int | None = None  # index of the parent line (None: a top line)


def workbook_file_name(company_name: str, out_dir: Path | None = None) -> tuple[str, bool]:
    """``"<企业全称>.xlsx"`` made safe for Windows (the same stem as the packet PDF's, see
    :func:`app.files.company_file_name`), and whether the name had to change."""
    result = company_file_name(company_name.strip(), ".xlsx", out_dir)
    return result.name, result.changed
