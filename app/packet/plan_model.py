"""The packet plan's data: options, entries (目录 lines), pages and the 目录 pagination.

See :mod:`app.packet.plan` for how a plan is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TOC_LINES_FIRST = 30
"""目录 lines on its first page (below the title)."""
TOC_LINES_NEXT = 34
"""目录 lines on each further page."""

FORM_PART = "form"
"""Key of the application form in ``drawn_counts``."""


def table_part(table_id: str) -> str:
    """Key of a generated table in ``drawn_counts``."""
    return f"table:{table_id}"


BuildStage = Literal["review", "final", "online"]
UNBOUND_GUTTER_MM = 15.0
"""The binding-side margin of an unbound (初审) print: the plain margin, no binding gutter."""


@dataclass(frozen=True)
class BuildOptions:
    duplex: bool = False
    gutter_mm: float = 25.0
    repeat_shared: bool = False  # repeat proof sets in full instead of referring to them
    draft: bool = False
    # "review": the 初审 copies (unbound, marked 初审用, the generated form with the district's
    # box empty); "final": the bound packet, where a district-stamped scan replaces the form;
    # "online": the final packet's content, cut into one file per document for the platform.
    stage: BuildStage = "final"


EntryKind = Literal["section", "item", "row", "document"]
PageKind = Literal["cover", "toc", "form", "table", "evidence", "reference", "blank", "placeholder"]


@dataclass(frozen=True)
class Entry:
    """One 目录 line (and one bookmark). Pages are physical (stamped) numbers, 1-based."""

    level: int
    title: str
    kind: EntryKind
    first_page: int | None
    last_page: int | None
    parent: int | None = None  # index of the parent entry
    item_id: str | None = None
    document_id: str | None = None
    row_id: str | None = None

    @property
    def pages_text(self) -> str:
        if self.first_page is None:
            return ""
        if self.last_page is None or self.last_page == self.first_page:
            return str(self.first_page)
        return f"{self.first_page}–{self.last_page}"


@dataclass(frozen=True)
class Reference:
    """A line of a reference page: where the material stands in this packet."""

    title: str
    first_page: int
    last_page: int


@dataclass(frozen=True)
class PlanPage:
    number: int  # physical, 1-based
    kind: PageKind
    entry: int | None = None  # index of the innermost entry the page belongs to
    part_page: int = 0  # page index within its drawn part (目录, 申请表, a table)
    table_id: str | None = None  # kind "table"
    file_id: str | None = None  # kind "evidence"
    page_index: int = 0
    user_rotation: int = 0
    band: str | None = None  # heading band text (first page of a document)
    text: str = ""  # placeholder: what is missing; reference: what the page stands for
    references: tuple[Reference, ...] = ()

    @property
    def stamped(self) -> bool:
        return self.kind != "cover"

    @property
    def drawn(self) -> bool:
        return self.kind != "evidence"


@dataclass(frozen=True)
class Plan:
    pages: tuple[PlanPage, ...]
    entries: tuple[Entry, ...]
    toc_pages: int
    options: BuildOptions = field(default_factory=BuildOptions)

    @property
    def total(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> PlanPage:
        return self.pages[number - 1]

    def toc_page_entries(self, toc_page: int) -> range:
        """Indices of the entries listed on 目录 page ``toc_page`` (0-based within the 目录)."""
        return toc_slice(len(self.entries), toc_page)

    def evidence_pages(self) -> list[PlanPage]:
        return [p for p in self.pages if p.kind == "evidence"]


def toc_page_count(entries: int) -> int:
    """Pages the 目录 needs for ``entries`` lines (one line per entry)."""
    if entries <= TOC_LINES_FIRST:
        return 1
    rest = entries - TOC_LINES_FIRST
    return 1 + -(-rest // TOC_LINES_NEXT)


def toc_slice(entries: int, toc_page: int) -> range:
    if toc_page == 0:
        return range(0, min(entries, TOC_LINES_FIRST))
    start = TOC_LINES_FIRST + (toc_page - 1) * TOC_LINES_NEXT
    return range(min(start, entries), min(start + TOC_LINES_NEXT, entries))
