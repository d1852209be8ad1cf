"""The draft's own model: what was recognised, where in the text it was found, and what could
not be placed. The writer turns it into a guide file; nothing here is a guide fact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

TODO = "【待填写】"  # a value the text does not give: the draft does not load until it is filled
CHECK = "【待核对】"  # a value read from the text: right as far as the reader could tell


@dataclass(frozen=True)
class Src:
    """A sentence of the guide text and its line number in the cleaned text."""

    line: int
    text: str


@dataclass
class DField:
    id: str
    label: str
    type: str
    unit: str | None = None
    required: bool = True
    help: str = ""


@dataclass
class DRule:
    key: str  # "measure", "field" or "column"
    target: str
    op: str
    value: Decimal | bool | None
    reason: str
    src: Src | None = None


@dataclass
class DTable:
    id: str
    title: str
    sheet: str
    row_label: str
    columns: list[DField]


@dataclass
class DMeasure:
    id: str
    label: str
    values: dict[str, Any]  # kind, table/column/unit or item/field/unit


@dataclass
class DDoc:
    id: str
    title: str
    kind: str = "scan"
    original: bool = False
    copy_of_original: bool = False
    optional: bool = False
    generator: str | None = None
    headings: list[str] = field(default_factory=list)
    note: str = ""
    src: Src | None = None
    remark: str = ""  # what the reader guessed (shown as a comment)
    set: str | None = None  # a proof_set: the document set it stands for
    refers: str = ""  # "参照第2点…准备": the number of the list it refers to


@dataclass
class DSet:
    id: str
    title: str
    documents: list[str]


@dataclass
class DItem:
    id: str
    number: str
    title: str
    category: str
    summary: str
    src: list[Src]
    documents: list[str] = field(default_factory=list)
    inputs: list[DField] = field(default_factory=list)
    conditions: list[DRule] = field(default_factory=list)
    row_conditions: list[DRule] = field(default_factory=list)
    ceiling: dict[str, Any] | None = None
    ceiling_src: Src | None = None
    table: str | None = None
    remarks: list[str] = field(default_factory=list)
    exclusive_with: list[str] = field(default_factory=list)
    match_text: str = ""  # title and text, for matching the 申报材料 lists to it


@dataclass
class DDeadline:
    id: str
    date: dt.date
    title: str
    detail: str
    src: Src


@dataclass
class Meta:
    """A top-level key: its value, the sentence it came from, and whether the text gave it."""

    key: str
    value: Any
    src: Src | None = None
    found: bool = True
    remark: str = ""


@dataclass
class Unplaced:
    line: int
    text: str
    why: str


@dataclass
class Draft:
    meta: list[Meta] = field(default_factory=list)
    deadlines: list[DDeadline] = field(default_factory=list)
    conditions: list[tuple[str, Src]] = field(default_factory=list)
    rate: Meta | None = None  # CNY per USD
    tables: list[DTable] = field(default_factory=list)
    measures: list[DMeasure] = field(default_factory=list)
    documents: list[DDoc] = field(default_factory=list)
    base_documents: list[str] = field(default_factory=list)
    document_sets: list[DSet] = field(default_factory=list)
    items: list[DItem] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)

    def meta_value(self, key: str) -> Any:
        for m in self.meta:
            if m.key == key:
                return m.value
        return None

    def missing(self) -> list[str]:
        """What the text did not give and the file needs before it loads (key paths)."""
        out = [m.key + (f"（{m.remark}）" if m.remark else "") for m in self.meta if not m.found]
        if self.rate is not None and not self.rate.found:
            out.append("currencies（人民币 CNY 对美元的汇率 per_usd）")
        out += [f"items（{i.number}{i.title}）.ceiling" for i in self.items if i.ceiling is None]
        return out
