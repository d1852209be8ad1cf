"""Plain, immutable project data: what the rules, findings, packet plan and renderers read.

The SQLite store (``app.project``) and the manifest (``app.manifest``) both load into and save
from these types, so every consumer is independent of where the data lives. Values of item
inputs and table cells are typed by the guide's field type:

=============  =====================================================
field type     Python value
=============  =====================================================
text, choice,  ``str``
currency,
business_type,
certification
int            ``int``
money, decimal ``decimal.Decimal``
bool           ``bool``
date           ``datetime.date``
=============  =====================================================

A missing value is simply absent from the mapping (never ``None``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

Value = str | int | bool | Decimal | _dt.date

EMPTY: Mapping[str, Value] = MappingProxyType({})

COMPANY_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "企业全称"),
    ("credit_code", "统一社会信用代码"),
    ("district", "所在区"),
    ("address", "注册地址"),
    ("legal_rep", "法定代表人"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
    ("bank", "开户银行"),
    ("account", "银行账号"),
)
"""The company fields, in form order, with their Chinese labels."""

_BASIC_IDS = frozenset(field_id for field_id, _label in COMPANY_FIELDS)


Quote = Literal["per_usd", "usd_per"]


@dataclass(frozen=True)
class Rate:
    """An exchange rate against the US dollar, written the way SAFE's year-end table
    《各种货币对美元折算率表》 quotes it, so that it is stored exactly as published:

    - ``quote="per_usd"``: ``value`` units of the currency buy one US dollar (CNY 6.8632);
    - ``quote="usd_per"``: ``units`` units of the currency are worth ``value`` US dollars
      (EUR 1.1450 per 1, or JPY 0.9040 per 100).

    Conversions are exact (rational arithmetic): an amount exactly at a USD bound converts to
    exactly that bound. ``name`` is the Chinese name of a currency the guide does not list
    (a currency the user added); it plays no part in equality."""

    value: Decimal
    quote: Quote = "per_usd"
    units: int = 1
    name: str = field(default="", compare=False)

    def to_usd(self, amount: Decimal | int) -> Fraction:
        """``amount`` of this currency in US dollars, exactly."""
        if self.quote == "per_usd":
            return Fraction(amount) / Fraction(self.value)
        return Fraction(amount) * Fraction(self.value) / self.units

    def from_usd(self, usd: Fraction) -> Fraction:
        """``usd`` US dollars in this currency, exactly."""
        if self.quote == "per_usd":
            return usd * Fraction(self.value)
        return usd * self.units / Fraction(self.value)

    def describe(self, name: str) -> str:
        """The rate as the table reads, e.g. “1 美元 = 6.8632 人民币”, “100 日元 = 0.9040 美元”."""
        if self.quote == "per_usd":
            return f"1 美元 = {self.value} {name}"
        return f"{self.units} {name} = {self.value} 美元"


@dataclass(frozen=True)
class Company:
    name: str = ""
    credit_code: str = ""
    district: str = ""
    address: str = ""
    legal_rep: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    bank: str = ""
    account: str = ""
    # The guide's own company fields (``company_fields``: company size, applicant type...),
    # by field id; a choice stores its id.
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, field_id: str) -> str:
        if field_id in _BASIC_IDS:
            return str(getattr(self, field_id))
        return self.extra.get(field_id, "")


@dataclass(frozen=True)
class Row:
    """One row of a table (a contract, a certification, a person...)."""

    id: str  # stable, unique within the project (uuid4 hex); per-row documents refer to it
    values: Mapping[str, Value] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class PageInfo:
    """Preflight of one stored evidence page, recorded at import."""

    width_pt: float  # of the normalised page as stored (rotation folded in), in PDF points
    height_pt: float
    source_rotation: int  # /Rotate or EXIF rotation that was folded in at import (0/90/180/270)
    dpi: float | None  # effective resolution once fitted to A4 (None for vector/text pages)
    user_rotation: int = 0  # extra clockwise rotation the user asked for (0/90/180/270)
    # Judged at import (app.intake.pagecheck): the clockwise turns that make the page upright
    # (() when not judged: no text, unclear; two turns when it lies sideways one way or the
    # other), and whether it is blank or nearly blank.
    upright_turns: tuple[int, ...] = ()
    blank: bool = False
    # The check ran on this page (False: stored before the check existed, or it failed).
    checked: bool = False
    # The clerk said a flagged page is right as it is ("此页无误"): a nearly empty page that is
    # meant (``fine_blank``); a page right the way it is shown at this user rotation
    # (``fine_turn``: turning the page again lifts it, turning it back restores it).
    fine_blank: bool = False
    fine_turn: int | None = None

    @property
    def sideways(self) -> bool:
        """Judged at import to lie sideways or on its head, and not yet turned upright."""
        turns = self.upright_turns
        return bool(turns) and 0 not in turns and self.user_rotation not in turns

    @property
    def blank_dismissed(self) -> bool:
        """Judged blank, and the clerk said the page is meant."""
        return self.blank and self.fine_blank

    @property
    def sideways_dismissed(self) -> bool:
        """Judged sideways, and the clerk said it is right the way it is shown now."""
        return self.sideways and self.fine_turn == self.user_rotation

    @property
    def flagged_blank(self) -> bool:
        """A blank page the clerk has not said is meant: a ``page.blank`` finding."""
        return self.blank and not self.fine_blank

    @property
    def flagged_sideways(self) -> bool:
        """A sideways page not turned upright nor said to be right as shown: a
        ``page.sideways`` finding (unless it is also flagged blank)."""
        return self.sideways and not self.sideways_dismissed and not self.flagged_blank

    def turns_to_upright(self) -> tuple[int, ...]:
        """The clockwise turns (from how the page is shown now) that stand it upright."""
        return tuple((t - self.user_rotation) % 360 for t in self.upright_turns)


@dataclass(frozen=True)
class EvidenceFile:
    """An attached evidence file. Its bytes live in the project file, not here."""

    id: str
    document_id: str  # a DocumentSpec id of the guide
    row_id: str | None  # the Row for per-row documents, else None
    name: str  # original file name, as the user knew it
    sha256: str  # of the original bytes
    size: int  # of the original bytes
    order: int  # position among the files of the same (document_id, row_id)
    pages: tuple[PageInfo, ...] = ()

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class ProjectData:
    """Everything a project holds except the evidence bytes."""

    guide_id: str
    company: Company = field(default_factory=Company)
    selected: tuple[str, ...] = ()  # item ids, in the guide's order
    inputs: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)  # item id -> field -> v
    tables: Mapping[str, tuple[Row, ...]] = field(default_factory=dict)  # table id -> rows
    rates: Mapping[str, Rate] = field(default_factory=dict)  # code -> the project's own rate
    requested: Mapping[str, Decimal] = field(default_factory=dict)  # item id -> CNY asked for
    evidence: tuple[EvidenceFile, ...] = ()
    stages: Mapping[str, _dt.date] = field(default_factory=dict)  # stage id -> date reached
    review_figures: Mapping[str, str] = field(default_factory=dict)  # of the last 初审 print
    # The user confirmed the guide's applicant conditions (申请对象和条件) as a declaration.
    declaration_confirmed: bool = False
    # The text of the guide file the project follows (its stored copy; a manifest's
    # ``guide_file``); empty: the bundled guide of ``guide_id`` (app.guide.project_guide).
    guide_text: str = field(default="", repr=False, compare=False)

    def rows(self, table_id: str) -> tuple[Row, ...]:
        return self.tables.get(table_id, ())

    def item_inputs(self, item_id: str) -> Mapping[str, Value]:
        return self.inputs.get(item_id, EMPTY)

    def files_for(self, document_id: str, row_id: str | None = None) -> tuple[EvidenceFile, ...]:
        found = [f for f in self.evidence if f.document_id == document_id and f.row_id == row_id]
        return tuple(sorted(found, key=lambda f: f.order))
