"""The funding guide as typed, immutable data (loaded from a ``checklists/*.toml`` file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, TypeVar, get_args

from app.model import Rate, Value

FieldType = Literal[
    "text",
    "int",
    "decimal",
    "money",
    "bool",
    "date",
    "choice",
    "currency",
    "business_type",
    "certification",
]
FIELD_TYPES: tuple[str, ...] = get_args(FieldType)

DocumentKind = Literal["generated", "scan", "narrative", "proof_set"]
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)

Op = Literal[">=", ">", "<=", "<", "==", "in_period", "present"]
OPS: tuple[str, ...] = get_args(Op)


_T = TypeVar("_T")


def _find(entries: Iterable[_T], wanted: str, key: Callable[[_T], str] | None = None) -> _T:
    """The entry whose id (or ``key``) is ``wanted``; KeyError when there is none."""
    get = key or (lambda e: e.id)  # type: ignore[attr-defined]
    for entry in entries:
        if get(entry) == wanted:
            return entry
    raise KeyError(wanted)


@dataclass(frozen=True)
class FieldSpec:
    """An item input or a table column."""

    id: str
    label: str
    type: FieldType
    required: bool = True
    default: Value | None = None
    unit: str | None = None  # fixed currency of a money field ("USD", "CNY")
    currency_field: str | None = None  # sibling field holding the currency of a money field
    choices: tuple[tuple[str, str], ...] = ()  # (stored id, Chinese label) for "choice"
    help: str = ""
    synonyms: tuple[tuple[str, str], ...] = ()  # (other wording, stored id) for "choice"
    aliases: tuple[str, ...] = ()  # other names of a table column in a clerk's own sheet

    def choice_label(self, value: object) -> str:
        for key, label in self.choices:
            if key == value:
                return label
        return str(value)


@dataclass(frozen=True)
class TableTotal:
    """A total line printed under a packet table: a measure and its label (guide data)."""

    measure: str
    label: str


RowCheckOp = Literal["<=", "<", ">=", ">", "=="]
ROW_CHECK_OPS: tuple[str, ...] = get_args(RowCheckOp)


@dataclass(frozen=True)
class RowCheck:
    """A cross-column check of a table row (``column op other``); a row failing it is warned
    with ``message`` (e.g. 执行金额 ≤ 合同金额)."""

    column: str
    op: RowCheckOp
    other: str
    message: str


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    sheet: str  # the workbook sheet / packet table title
    row_label: str  # column whose value names a row (headings of per-row document sets)
    columns: tuple[FieldSpec, ...]
    # Columns that together identify a row: two rows agreeing on all of them (none empty) are
    # the same contract / person / certificate entered twice.
    duplicate_key: tuple[str, ...] = ()
    # Guide data for the packet table (all optional; none: a plain 合计 line, no marks, no checks)
    totals: tuple[TableTotal, ...] = ()  # total lines under the packet table
    period_mark: str = ""  # appended to a period-column date outside the support period
    checks: tuple[RowCheck, ...] = ()  # cross-column checks of each row
    # Rows alike there are refused (the key is an identity: an ID number, a certificate
    # number); otherwise (e.g. a contract's name, client and amount, which a renewed contract
    # may share) they are a warning the clerk checks.
    duplicate_blocks: bool = False
    # Columns that name the contract (or project) a row claims support for, matched across
    # tables: equal in two tables = one contract claimed under two items (同一类型项目不可重复
    # 申报). Tables list them in the same order (a contract's name, then its counterparty).
    claim_key: tuple[str, ...] = ()

    def column(self, column_id: str) -> FieldSpec:
        return _find(self.columns, column_id)


@dataclass(frozen=True)
class Currency:
    """A currency of the guide's rate table, with its default rate as the table quotes it."""

    code: str
    name: str
    rate: Rate


@dataclass(frozen=True)
class BusinessType:
    id: str
    name: str
    category: str = ""  # one of the guide's business_catalogue.categories ("ITO"), or none
    synonyms: tuple[str, ...] = ()  # other wordings clerks use for this area

    @property
    def label(self) -> str:
        """“软件研发服务（ITO）”, or the bare name when the catalogue has no categories."""
        return f"{self.name}（{self.category}）" if self.category else self.name


@dataclass(frozen=True)
class Deadline:
    id: str
    date: dt.date
    title: str
    detail: str = ""
    missed: str = ""  # what the guide says of missing it (逾期不予受理…); "" = it says nothing


@dataclass(frozen=True)
class Condition:
    """Applicant-level condition of the guide (申请对象和条件)."""

    id: str
    text: str
    document: str | None = None


@dataclass(frozen=True)
class Measure:
    """A named figure computed from inputs and rows (see docs/guide-format.md)."""

    id: str
    label: str
    kind: Literal["sum", "count", "field"]
    unit: str | None = None  # "USD", "CNY" or None for counts and plain numbers
    table: str | None = None
    column: str | None = None
    where: tuple[tuple[str, Value], ...] = ()
    period_column: str | None = None  # rows whose date here is outside the period don't count
    item: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Rule:
    """One eligibility condition of an item: compares a measure, an input or a row column."""

    op: Op
    reason: str
    measure: str | None = None
    field: str | None = None
    column: str | None = None
    value: Value | None = None


@dataclass(frozen=True)
class Ceiling:
    kind: Literal["fixed", "tiers", "share", "per_row"]
    amount: Decimal = Decimal(0)  # fixed
    measure: str | None = None  # tiers, share
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()  # (inclusive lower bound, CNY) ascending
    percent: Decimal = Decimal(100)  # share
    cap: Decimal | None = None  # share: per item cap (CNY)...
    per: str | None = None  # share: ...or per value of this column of the measure's table
    row_amount: Decimal | None = None  # per_row: fixed CNY per counted row
    row_share_column: str | None = None  # per_row: percent of this money column...
    row_share_percent: Decimal = Decimal(100)
    row_cap: Decimal | None = None  # ...capped per row
    max_rows: int | None = None  # per_row: best N rows count
    max_rows_reason: str = ""
    company_cap: Decimal | None = None  # per_row: cap on the item total


@dataclass(frozen=True)
class CheckTotal:
    """A consistency check between an entered total and a computed measure."""

    measure: str
    field: str | None = None  # item input compared with the measure
    against: str | None = None  # or another measure
    exact: bool = False  # else a 1 % tolerance


@dataclass(frozen=True)
class RowsPresent:
    """A document's requirement condition: the project has a row of ``table`` matching every
    (column, value) of ``where`` (any row when empty)."""

    table: str
    where: tuple[tuple[str, Value], ...] = ()


@dataclass(frozen=True)
class DocumentSpec:
    id: str
    title: str
    kind: DocumentKind
    per_row: bool = False
    original: bool = False  # the original itself goes into the packet
    copy_of_original: bool = False  # a copy: bring the original for checking
    optional: bool = False
    generator: str | None = None  # "application_form" or "table:<table id>"
    set: str | None = None  # proof_set: the document set it stands for
    headings: tuple[str, ...] = ()  # narrative: the template's headings
    signatures: tuple[str, ...] = ()  # signatures / seals the document needs
    note: str = ""
    # asked for only when the project has such rows (离岸业务需提供…；在岸业务需提供…)
    required_when: RowsPresent | None = None

    @property
    def needs_files(self) -> bool:
        return self.kind in ("scan", "narrative")


@dataclass(frozen=True)
class DocumentSet:
    id: str
    title: str
    documents: tuple[str, ...]


@dataclass(frozen=True)
class ItemSpec:
    id: str
    number: str  # "（二）1."
    title: str
    category: str  # same-type group (同一类型项目)
    summary: str  # one plain-language line
    documents: tuple[str, ...]
    inputs: tuple[FieldSpec, ...] = ()
    table: str | None = None
    conditions: tuple[Rule, ...] = ()
    row_conditions: tuple[Rule, ...] = ()
    ceiling: Ceiling = field(default_factory=lambda: Ceiling(kind="fixed"))
    cost_measure: str | None = None  # support never above this actual cost
    check_total: CheckTotal | None = None
    exclusive_with: tuple[str, ...] = ()

    @property
    def full_title(self) -> str:
        return f"{self.number}{self.title}"

    def input(self, field_id: str) -> FieldSpec:
        return _find(self.inputs, field_id)


# -- What differs between guides in the outputs (all optional: a guide without them gets
#    neutral output, see docs/guide-format.md) ---------------------------------------------


@dataclass(frozen=True)
class Conversion:
    """The currency anchor: amounts in other currencies are also shown in ``anchor`` (the
    packet table's 折合美元 column), at rates from ``rate_source``."""

    anchor: str  # a currency code of the guide
    rate_source: str = ""  # “国家外汇管理局公布的2018年末《各种货币对美元折算率表》”
    note: str = ""  # what the rates dialog says of the rates


@dataclass(frozen=True)
class FormSections:
    """The 申请表's sections after 一/二: the declaration (when the guide has one) and the
    opinion box of a reviewing body (when declared here)."""

    declaration_title: str = "申报单位承诺"
    opinion_title: str = ""  # “区商务部门初审意见”; "" = no opinion box
    opinion_label: str = ""  # “初审意见：”
    opinion_seal: str = ""  # “区商务部门（公章）：”


@dataclass(frozen=True)
class BusinessCatalogue:
    """The catalogue business types come from, as messages name it, and its categories."""

    name: str = ""  # “《服务外包产业重点发展领域指导目录（2018年版）》”
    categories: tuple[str, ...] = ()  # ("ITO", "BPO", "KPO"); () = types have no category


FACT_KINDS: tuple[str, ...] = (
    "company",
    "basis",
    "requested",
    "rows",
    "inputs",
    "row_fields",
    "converted",
    "row_support",
    "measure",
    "distinct",
    "sums",
)


@dataclass(frozen=True)
class TemplateFact:
    """One fact a Word template fills in under a heading (see docs/guide-format.md)."""

    kind: str  # one of FACT_KINDS
    fields: tuple[str, ...] = ()  # inputs / row_fields: ids; converted, distinct, sums: [0]
    measure: str | None = None  # measure
    label: str = ""  # measure: the line's label; sums: the group column's header
    unit: str = ""  # measure: after the figure (“人”)
    by: str | None = None  # sums: the column grouping the sums


@dataclass(frozen=True)
class TemplateHeading:
    """What a Word template says under headings containing ``match``: a grey prompt, or the
    facts the program already knows (first match wins, separately for each)."""

    match: str
    prompt: str = ""
    facts: tuple[TemplateFact, ...] = ()


@dataclass(frozen=True)
class Guide:
    id: str
    year: int
    title: str
    short_title: str
    document_no: str
    issuer: str
    form_title: str
    packet_title: str
    period_start: dt.date
    period_end: dt.date
    districts: tuple[str, ...]
    deadlines: tuple[Deadline, ...]
    conditions: tuple[Condition, ...]
    currencies: tuple[Currency, ...]
    business_types: tuple[BusinessType, ...]
    certifications: tuple[str, ...]
    tables: tuple[TableSpec, ...]
    measures: tuple[Measure, ...]
    documents: tuple[DocumentSpec, ...]
    document_sets: tuple[DocumentSet, ...]
    base_documents: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    declaration: str = ""
    notes: tuple[str, ...] = ()
    district_other: str = ""  # label of a free-named district ("其他"); "" when not allowed
    districts_from_guide: bool = False  # the guide itself lists the districts (else ours)
    source: str = ""  # the file it was loaded from
    process: Process | None = None  # the submission process, when the guide file has one
    # Output data (issue 18.2): optional, neutral when absent.
    conversion: Conversion | None = None
    form: FormSections = field(default_factory=FormSections)
    cover_boxes: tuple[str, ...] = ()  # “正本”, “副本” boxes on the cover
    business_catalogue: BusinessCatalogue = field(default_factory=BusinessCatalogue)
    template_prompts: tuple[TemplateHeading, ...] = ()
    template_facts: tuple[TemplateHeading, ...] = ()
    district_note: str = ""  # why the district matters (“由该区商务部门初审”)
    company_fields: tuple[FieldSpec, ...] = ()  # company data beyond the basics (企业规模…)
    proof_note: str = ""  # the output page's option to repeat shared proof sets

    # Look-ups (small tuples: a linear scan is fine and keeps the model hashable), but for
    # documents: asked for every attached file (1,000 files, 100 documents), by id in a dict
    # kept beside the fields (not one of them: equality and hash are the fields').
    def item(self, item_id: str) -> ItemSpec:
        return _find(self.items, item_id)

    def document(self, document_id: str) -> DocumentSpec:
        index: dict[str, DocumentSpec] | None = self.__dict__.get("_documents_by_id")
        if index is None:
            index = {}
            for doc in self.documents:
                index.setdefault(doc.id, doc)  # the first of an id, as _find gives
            object.__setattr__(self, "_documents_by_id", index)
        try:
            return index[document_id]
        except KeyError:
            raise KeyError(document_id) from None

    def table(self, table_id: str) -> TableSpec:
        return _find(self.tables, table_id)

    def measure(self, measure_id: str) -> Measure:
        return _find(self.measures, measure_id)

    def document_set(self, set_id: str) -> DocumentSet:
        return _find(self.document_sets, set_id)

    def currency(self, code: str) -> Currency:
        return _find(self.currencies, code, key=lambda c: c.code)

    def business_type(self, type_id: str) -> BusinessType:
        return _find(self.business_types, type_id)

    def deadline(self, deadline_id: str) -> Deadline:
        return _find(self.deadlines, deadline_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(it.id for it in self.items)

    @property
    def fallback_currency(self) -> str:
        """The currency of a money cell whose currency column is empty: the anchor, else the
        guide's first currency."""
        if self.conversion is not None:
            return self.conversion.anchor
        return self.currencies[0].code if self.currencies else ""

    @property
    def reference(self) -> str:
        """“《title》（文号）”, without brackets when the guide has no 文号."""
        return f"{self.title}（{self.document_no}）" if self.document_no else self.title


@dataclass(frozen=True)
class Place:
    """Where a step happens: an office, the association, the online platform."""

    id: str
    name: str
    address: str = ""
    contacts: tuple[str, ...] = ()  # "name　电话：..." lines, as the guide prints them
    email: str = ""
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Stage:
    """One step of the submission process, and what to do next from it."""

    id: str
    title: str
    next: str  # the next step, one sentence
    deadline: str | None = None  # a Deadline id: by when
    lead_days: bool = False  # the program suggests handing in ``review_lead_days`` before
    places: tuple[str, ...] = ()  # Place ids: where
    bring: tuple[str, ...] = ()  # what to bring
    originals: bool = False  # bring the originals of the originals checklist too


@dataclass(frozen=True)
class OnlineRules:
    """The online declaration's upload limits (to be checked against the platform)."""

    size_limit_mb: Decimal = Decimal(10)
    image_dpi: int = 200
    min_dpi: int = 150


@dataclass(frozen=True)
class Process:
    """The guide's submission process (申报流程): stages in order, places, upload rules."""

    stages: tuple[Stage, ...]
    places: tuple[Place, ...]
    stamped_form: str | None = None  # scan document id replacing ``replaces`` in a final build
    replaces: str | None = None
    stamp_required_from: str | None = None  # a Stage id
    review_lead_days: int = 0
    review_copies: int = 1
    final_copies: int = 1
    online: OnlineRules = field(default_factory=OnlineRules)
    review_print: str = ""  # the output page's words for the 初审 print
    final_print: str = ""  # ... and for the final print
    stamped_by: str = ""  # who stamps the form (“区商务部门”), named in the messages about it

    @property
    def stamper(self) -> str:
        """Who stamps the form, as messages name it (the guide's words, else a neutral one)."""
        return self.stamped_by or "审核单位"

    @property
    def has_review_print(self) -> bool:
        """A stage gets the form stamped: the 初审 print exists."""
        return self.stamped_form is not None

    def stage(self, stage_id: str) -> Stage:
        return _find(self.stages, stage_id)

    def place(self, place_id: str) -> Place:
        return _find(self.places, place_id)

    def index(self, stage_id: str) -> int:
        return [s.id for s in self.stages].index(stage_id)
