"""The packet plan: every entry and every page, numbered, before anything is drawn.

A pure function of (guide, project, evaluation, options, counts of the independently drawn
parts). The 目录, the stamped page numbers and the bookmarks are three views of one plan, so
they cannot disagree.

Numbering: the cover is physical page 1 and is not stamped; every later page carries its
physical number. With ``duplex`` the 目录, the 申请表 and each item start on an odd page; the
blank pages put in for that are counted and stamped like any other page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.guide.model import DocumentSpec, Guide, ItemSpec
from app.model import ProjectData, Row
from app.packet.plan_model import (
    FORM_PART,
    TOC_LINES_FIRST,
    TOC_LINES_NEXT,
    UNBOUND_GUTTER_MM,
    BuildOptions,
    Entry,
    EntryKind,
    PageKind,
    Plan,
    PlanPage,
    Reference,
    table_part,
    toc_page_count,
    toc_slice,
)
from app.rules.evaluation import Evaluation, cell, document_applies

__all__ = [
    "FORM_PART",
    "TOC_LINES_FIRST",
    "TOC_LINES_NEXT",
    "UNBOUND_GUTTER_MM",
    "BuildOptions",
    "Entry",
    "Plan",
    "PlanPage",
    "Reference",
    "item_title",
    "make_plan",
    "span_text",
    "table_part",
    "toc_page_count",
    "toc_slice",
]

# -- building -----------------------------------------------------------------------------------


@dataclass
class _Slot:
    """An unnumbered page, or a marker that the next page must be odd (duplex)."""

    kind: PageKind | Literal["odd"]
    entry: int | None = None
    part_page: int = 0
    table_id: str | None = None
    file_id: str | None = None
    page_index: int = 0
    user_rotation: int = 0
    band: str | None = None
    text: str = ""
    refers_to: tuple[int, ...] = ()  # entries a reference page points at
    extra_entries: list[int] = field(default_factory=list)  # further entries on this page


@dataclass
class _EntryDraft:
    level: int
    title: str
    kind: EntryKind
    parent: int | None
    item_id: str | None = None
    document_id: str | None = None
    row_id: str | None = None
    refers_to: tuple[int, ...] = ()  # the title gets "（见第 x–y 页）"


class _Builder:
    def __init__(
        self,
        guide: Guide,
        project: ProjectData,
        options: BuildOptions,
        drawn_counts: Mapping[str, int],
    ) -> None:
        self.guide = guide
        self.project = project
        self.options = options
        self.counts = drawn_counts
        self.entries: list[_EntryDraft] = []
        self.slots: list[_Slot] = []
        self.placed: dict[str, int] = {}  # non-per-row document id -> its entry (in full)
        self.sets_placed: dict[str, tuple[int, ...]] = {}  # set id -> entries holding it

    def entry(
        self,
        level: int,
        title: str,
        kind: EntryKind,
        parent: int | None,
        item_id: str | None = None,
        document_id: str | None = None,
        row_id: str | None = None,
    ) -> int:
        self.entries.append(_EntryDraft(level, title, kind, parent, item_id, document_id, row_id))
        return len(self.entries) - 1

    def odd(self) -> None:
        self.slots.append(_Slot("odd"))

    # -- documents --

    def band(self, prefix: str, doc: DocumentSpec, row_label: str | None) -> str:
        parts = [prefix, doc.title]
        if row_label:
            parts.append(row_label)
        return " · ".join(p for p in parts if p)

    def document_pages(
        self, doc: DocumentSpec, row_id: str | None, index: int, band: str | None, who: str
    ) -> None:
        """The pages of one document entry, in full."""
        stamped = self.stamped_form(doc)
        if stamped is not None:  # the district-stamped scan, where the form would be
            doc, band = stamped, None
        elif doc.kind == "generated":
            if doc.generator == "application_form":
                for k in range(max(1, self.counts.get(FORM_PART, 1))):
                    self.slots.append(_Slot("form", index, part_page=k))
                return
            table_id = (doc.generator or "").removeprefix("table:")
            for k in range(max(1, self.counts.get(table_part(table_id), 1))):
                self.slots.append(
                    _Slot(
                        "table",
                        index,
                        part_page=k,
                        table_id=table_id,
                        band=band if k == 0 else None,
                    )
                )
            return
        files = self.project.files_for(doc.id, row_id)
        first = True
        for f in files:
            for i, info in enumerate(f.pages):
                self.slots.append(
                    _Slot(
                        "evidence",
                        index,
                        file_id=f.id,
                        page_index=i,
                        user_rotation=info.user_rotation % 360,
                        band=band if first else None,
                    )
                )
                first = False
        if first:  # nothing attached: the draft shows the gap
            self.slots.append(
                _Slot("placeholder", index, band=band, text=f"【缺】{who}{doc.title}")
            )

    def stamped_form(self, doc: DocumentSpec) -> DocumentSpec | None:
        """In a final build, the district-stamped scan that replaces ``doc``, if attached."""
        process = self.guide.process
        if (
            self.options.stage == "review"
            or process is None
            or process.stamped_form is None
            or process.replaces != doc.id
            or not self.project.files_for(process.stamped_form)
        ):
            return None
        return self.guide.document(process.stamped_form)

    def reference(self, index: int, targets: tuple[int, ...], band: str | None, text: str) -> None:
        """A reference page for entry ``index``; consecutive references of one parent (the
        shared outsourcing documents) share one page."""
        self.entries[index].refers_to = targets
        prev = self.slots[-1] if self.slots else None
        if (
            prev is not None
            and prev.kind == "reference"
            and prev.entry is not None
            and self.entries[prev.entry].parent == self.entries[index].parent
        ):
            prev.extra_entries.append(index)
            prev.refers_to = prev.refers_to + targets
            prev.text = f"{prev.text}、{text}"
            if prev.band:
                prev.band = prev.band.split(" · ")[0] + " · 与前述项目共用的材料"
            return
        self.slots.append(_Slot("reference", index, band=band, text=text, refers_to=targets))

    def add_document(
        self,
        item: ItemSpec | None,
        doc: DocumentSpec,
        row: Row | None,
        parent: int,
        level: int,
        number: int,
    ) -> None:
        row_label = self.row_label(item, row) if row is not None else None
        prefix = item_title(item) if item is not None else "基本材料"
        band = None if doc.generator == "application_form" else self.band(prefix, doc, row_label)
        title = f"{number}. {doc.title}"
        if doc.kind == "proof_set":
            self.add_proof_set(item, doc, parent, level, title, band)
            return
        index = self.entry(
            level,
            title,
            "document",
            parent,
            item_id=item.id if item else None,
            document_id=doc.id,
            row_id=row.id if row else None,
        )
        earlier = self.placed.get(doc.id) if row is None else None
        if earlier is not None:
            self.reference(index, (earlier,), band, doc.title)
            return
        who = f"“{row_label}”的" if row_label else ""
        self.document_pages(doc, row.id if row else None, index, band, who)
        if row is None:
            self.placed[doc.id] = index

    def add_proof_set(
        self,
        item: ItemSpec | None,
        doc: DocumentSpec,
        parent: int,
        level: int,
        title: str,
        band: str | None,
    ) -> None:
        assert doc.set is not None
        members = tuple(m for m in self.guide.document_set(doc.set).documents if self.wanted(m))
        index = self.entry(
            level, title, "document", parent, item_id=item.id if item else None, document_id=doc.id
        )
        in_packet = tuple(self.placed[m] for m in members if m in self.placed)
        if not self.options.repeat_shared:
            earlier = self.sets_placed.get(doc.set)
            if earlier is None and in_packet and len(in_packet) == len(members):
                earlier = in_packet
            if earlier is not None:
                self.reference(index, earlier, band, doc.title)
                self.sets_placed.setdefault(doc.set, earlier)
                return
        self.sets_placed.setdefault(doc.set, (index,))
        prefix = item_title(item) if item is not None else "基本材料"
        for n, member_id in enumerate(members, start=1):
            member = self.guide.document(member_id)
            m_index = self.entry(
                level + 1,
                f"（{n}）{member.title}",
                "document",
                index,
                item_id=item.id if item else None,
                document_id=member_id,
            )
            m_band = self.band(prefix, member, None)
            if n == 1 and band:
                m_band = f"{band} · {member.title}"
            placed = self.placed.get(member_id)
            if placed is not None and not self.options.repeat_shared:
                # Part of the set is already in the packet (one outsourcing item applied
                # for): refer to those pages, bring only the rest.
                self.reference(m_index, (placed,), m_band, member.title)
                continue
            self.document_pages(member, None, m_index, m_band, "")
            self.placed.setdefault(member_id, m_index)

    def row_label(self, item: ItemSpec | None, row: Row) -> str:
        if item is None or item.table is None:
            return ""
        table = self.guide.table(item.table)
        spec = table.column(table.row_label)
        value = cell(spec, row.values)
        if value is None or value == "":
            rows = self.project.rows(table.id)
            n = next((i for i, r in enumerate(rows, start=1) if r.id == row.id), 0)
            return f"第{n}行"
        return spec.choice_label(value) if spec.choices else str(value)

    # -- structure --

    def build(self) -> None:
        guide, project = self.guide, self.project
        base = self.entry(0, "一、基本材料", "section", None)
        for n, doc_id in enumerate(guide.base_documents, start=1):
            doc = guide.document(doc_id)
            if doc.generator == "application_form":
                self.odd()
            self.add_document(None, doc, None, base, 1, n)
        items = [it for it in guide.items if it.id in project.selected]
        if not items:
            return
        section = self.entry(0, "二、申报项目材料", "section", None)
        for item in items:
            self.odd()
            item_index = self.entry(0, item_title(item), "item", section, item_id=item.id)
            self.add_item_documents(item, item_index)

    def add_item_documents(self, item: ItemSpec, item_index: int) -> None:
        guide = self.guide
        docs = [guide.document(d) for d in item.documents]
        docs = [d for d in docs if self.wanted(d.id)]
        per_row = [d for d in docs if d.per_row]
        rows_done = False
        number = 0
        for doc in docs:
            if doc.per_row:
                if rows_done:
                    continue
                rows_done = True
                table = guide.table(item.table or "")
                for row in self.project.rows(table.id):
                    number += 1
                    label = self.row_label(item, row)
                    row_index = self.entry(
                        1,
                        f"{number}. {table.title}：{label}",
                        "row",
                        item_index,
                        item_id=item.id,
                        row_id=row.id,
                    )
                    for k, rdoc in enumerate(per_row, start=1):
                        self.add_document(item, rdoc, row, row_index, 2, k)
                continue
            number += 1
            self.add_document(item, doc, None, item_index, 1, number)

    def has_files(self, doc: DocumentSpec) -> bool:
        return any(f.document_id == doc.id for f in self.project.evidence)

    def wanted(self, doc_id: str) -> bool:
        """In the packet: unless optional, or asked for only with rows the project lacks
        (``required_when``), and nothing is attached to it."""
        doc = self.guide.document(doc_id)
        if not doc.needs_files or self.has_files(doc):
            return True
        return not doc.optional and document_applies(self.guide, self.project, doc)


def make_plan(
    guide: Guide,
    project: ProjectData,
    evaluation: Evaluation | None,
    options: BuildOptions,
    drawn_counts: Mapping[str, int],
) -> Plan:
    """Lay out the whole packet. ``drawn_counts`` gives the pages of the independently drawn
    parts (:data:`FORM_PART`, :func:`table_part`); a part not given counts one page.

    ``evaluation`` is accepted so callers pass the figures the drawn parts were made from; the
    layout itself depends only on the selection, the rows and the attached files."""
    del evaluation  # the plan does not depend on amounts
    b = _Builder(guide, project, options, drawn_counts)
    b.build()
    toc_pages = toc_page_count(len(b.entries))

    # Number the pages.
    numbered: list[_Slot] = [_Slot("cover")]
    if options.duplex:
        numbered.append(_Slot("blank"))
    numbered.extend(_Slot("toc", part_page=k) for k in range(toc_pages))
    for slot in b.slots:
        if slot.kind == "odd":
            if options.duplex and len(numbered) % 2 == 1:  # next page would be even
                numbered.append(_Slot("blank"))
            continue
        numbered.append(slot)

    first: list[int | None] = [None] * len(b.entries)
    last: list[int | None] = [None] * len(b.entries)
    for number, slot in enumerate(numbered, start=1):
        for start in [slot.entry, *slot.extra_entries]:
            index = start
            while index is not None:
                if first[index] is None:
                    first[index] = number
                last[index] = number
                index = b.entries[index].parent

    def refs(targets: tuple[int, ...]) -> tuple[Reference, ...]:
        out: list[Reference] = []
        for t in targets:
            f, la = first[t], last[t]
            if f is not None and la is not None:
                out.append(Reference(strip_number(b.entries[t].title), f, la))
        return tuple(out)

    entries: list[Entry] = []
    for i, d in enumerate(b.entries):
        title = d.title
        if d.refers_to:
            span = _span(refs(d.refers_to))
            if span:
                title = f"{title}（见第{span}页）"
        entries.append(
            Entry(
                level=d.level,
                title=title,
                kind=d.kind,
                first_page=first[i],
                last_page=last[i],
                parent=d.parent,
                item_id=d.item_id,
                document_id=d.document_id,
                row_id=d.row_id,
            )
        )
    pages = tuple(
        PlanPage(
            number=n,
            kind=_page_kind(s.kind),
            entry=s.entry,
            part_page=s.part_page,
            table_id=s.table_id,
            file_id=s.file_id,
            page_index=s.page_index,
            user_rotation=s.user_rotation,
            band=s.band,
            text=s.text,
            references=refs(s.refers_to) if s.refers_to else (),
        )
        for n, s in enumerate(numbered, start=1)
    )
    return Plan(pages=pages, entries=tuple(entries), toc_pages=toc_pages, options=options)


def item_title(item: ItemSpec) -> str:
    """ "（二）1. 服务外包在岸业务" (a space after a numbered sub-item)."""
    number = item.number
    return f"{number} {item.title}" if number.endswith(".") else f"{number}{item.title}"


def _page_kind(kind: PageKind | Literal["odd"]) -> PageKind:
    if kind == "odd":
        raise ValueError("an 'odd' marker is not a page")
    return kind


def _span(refs: tuple[Reference, ...]) -> str:
    if not refs:
        return ""
    lo = min(r.first_page for r in refs)
    hi = max(r.last_page for r in refs)
    return str(lo) if lo == hi else f"{lo}–{hi}"


def span_text(refs: tuple[Reference, ...]) -> str:
    """ "5–9" (or "5") over all references."""
    return _span(refs)


def strip_number(title: str) -> str:
    """ "3. 营业执照" -> "营业执照"; "（2）截图" -> "截图"."""
    head, sep, rest = title.partition(". ")
    if sep and head.isdigit():
        return rest
    if title.startswith("（"):
        close = title.find("）")
        if 0 < close <= 4 and title[1:close].isdigit():
            return title[close + 1 :]
    return title
