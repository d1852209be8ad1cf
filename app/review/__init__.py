"""The association's desk: check and summarise many companies' applications at once.

``find_sources`` walks folders for project files, manifests and built packet folders;
``review`` checks each (the same validation as ``check``; a packet folder alone is verified
against its checksums, its 目录 and its Excel file) and reports one :class:`SourceResult` per
source, duplicates by credit code included; ``write_summary`` writes the summary workbook.
"""

from app.review.discover import Found, find_sources
from app.review.model import ItemAmount, SourceKind, SourceResult
from app.review.run import Review, review, review_source
from app.review.summary import summary_rows, write_summary

__all__ = [
    "Found",
    "ItemAmount",
    "Review",
    "SourceKind",
    "SourceResult",
    "find_sources",
    "review",
    "review_source",
    "summary_rows",
    "write_summary",
]
