"""同一类型项目不可重复申报: one piece of evidence or one contract behind two claims.

Pure functions of (guide, project) returning data; :mod:`app.rules.findings` words them. A *claim*
is an item applied for, or one row of it (a certification, a person, a project). Sharing that
the guide itself allows is not a second claim: a document listed by several items (the
outsourcing documents of （二）1. and 2.) and the outsourcing proof set that （六） and （七）1.
refer to (参照第2点) are one document, attached once.

- :func:`files_behind_two_claims`: the same file (SHA-256) attached for two claims (two items
  that share no document, or two rows of one item);
- :func:`rows_claimed_twice`: the same contract entered in the tables of two items, by the
  tables' ``claim_key`` (guide data: e.g. a contract's name and counterparty).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.guide.model import Guide, TableSpec
from app.model import EvidenceFile, ProjectData, Row
from app.rules.duplicates import duplicate_groups, key_label, normalized, same_files
from app.rules.evaluation import cell
from app.rules.finding_model import Finding

BASE = ""
"""The owner of the base documents (every packet has them)."""
RULE = "申报指南规定“同一类型项目不可重复申报”"


@dataclass(frozen=True)
class Claim:
    items: frozenset[str]  # the selected items the document serves ("" for base documents)
    row_id: str | None

    def same_as(self, other: Claim) -> bool:
        return self.row_id == other.row_id and bool(self.items & other.items)


@dataclass(frozen=True)
class ReusedFile:
    first: EvidenceFile
    again: EvidenceFile  # the same content, attached for another claim
    first_claim: Claim
    again_claim: Claim


@dataclass(frozen=True)
class RowClaimedTwice:
    first_table: TableSpec
    first: Row
    again_table: TableSpec
    again: Row


def document_owners(guide: Guide, project: ProjectData) -> dict[str, frozenset[str]]:
    """Document id -> the selected items it serves (directly or through a proof set)."""
    owners: dict[str, set[str]] = {d: {BASE} for d in guide.base_documents}
    for item in guide.items:
        if item.id not in project.selected:
            continue
        for doc_id in item.documents:
            doc = guide.document(doc_id)
            members: tuple[str, ...] = (doc_id,)
            if doc.kind == "proof_set" and doc.set is not None:
                members = guide.document_set(doc.set).documents
            for m in members:
                owners.setdefault(m, set()).add(item.id)
    return {d: frozenset(s) for d, s in owners.items()}


def files_behind_two_claims(guide: Guide, project: ProjectData) -> list[ReusedFile]:
    """Files whose content is attached again for a different claim (each later attachment
    against the first one of another claim)."""
    owners = document_owners(guide, project)
    out: list[ReusedFile] = []
    for group in same_files(project.evidence):
        placed = [
            (f, Claim(owners[f.document_id], f.row_id)) for f in group if f.document_id in owners
        ]
        for n, (f, claim) in enumerate(placed[1:], start=1):
            other = next(((g, c) for g, c in placed[:n] if not c.same_as(claim)), None)
            if other is not None:
                out.append(ReusedFile(other[0], f, other[1], claim))
    return out


def rows_claimed_twice(guide: Guide, project: ProjectData) -> list[RowClaimedTwice]:
    """Rows of two different tables (of selected items) agreeing on their ``claim_key``: the
    same contract or project claimed under two items."""
    used = [
        guide.table(t)
        for t in dict.fromkeys(it.table for it in guide.items if it.id in project.selected)
        if t is not None
    ]
    keyed = [t for t in used if t.claim_key]
    seen: dict[tuple[str, ...], tuple[TableSpec, Row]] = {}
    out: list[RowClaimedTwice] = []
    for table in keyed:
        mine: set[tuple[str, ...]] = set()
        for row in project.rows(table.id):
            key = tuple(normalized(row.values.get(c)) for c in table.claim_key)
            if any(not part for part in key) or key in mine:
                continue  # incomplete, or alike within the table (duplicate_key's business)
            mine.add(key)
            if key in seen:
                first_table, first = seen[key]
                out.append(RowClaimedTwice(first_table, first, table, row))
            else:
                seen[key] = (table, row)
    return out


# -- findings ---------------------------------------------------------------------------------


def duplicate_findings(guide: Guide, project: ProjectData) -> list[Finding]:
    """Rows entered twice (they would count twice), the same contract in two items' tables,
    the same file attached for two claims, and the same file attached twice."""
    out: list[Finding] = []
    used = {it.table for it in guide.items if it.id in project.selected and it.table}
    for table in guide.tables:
        if table.id not in used:
            continue
        rows = project.rows(table.id)
        for group in duplicate_groups(table, [r.values for r in rows]):
            first = group[0]
            label = cell(table.column(table.row_label), rows[first].values) or f"第{first + 1}行"
            for n in group[1:]:
                where = f"table.{table.id}.{rows[n].id}"
                if table.duplicate_blocks:  # the key is an identity: the same thing twice
                    out.append(
                        Finding(
                            "table.row.duplicate",
                            "blocking",
                            where,
                            f"“{table.title}”第{n + 1}行与第{first + 1}行（{label}）重复"
                            f"（{key_label(table)}相同）：同一人、同一证书或同一笔费用只能填写"
                            "一次，否则会被重复计入金额和汇总表。请删除多余的一行"
                            "（如确为不同的记录，请修改以示区分）。",
                        )
                    )
                else:  # alike, possibly distinct (a renewed contract): the clerk checks
                    out.append(
                        Finding(
                            "table.row.duplicate",
                            "warning",
                            where,
                            f"“{table.title}”第{n + 1}行与第{first + 1}行（{label}）的"
                            f"{key_label(table)}相同：如是同一条记录填了两次，请删除多余的一行"
                            "（否则会重复计入金额和汇总表）；如确为不同的记录（例如续签的同名"
                            "合同），核对无误后可不处理本提醒。",
                        )
                    )
    out += _claimed_twice(guide, project)
    reused = files_behind_two_claims(guide, project)
    out += [_reused_finding(guide, project, r) for r in reused]
    told = {r.again.id for r in reused}
    for files in same_files(project.evidence):
        titles = "、".join(dict.fromkeys(f"“{guide.document(f.document_id).title}”" for f in files))
        for f in files[1:]:
            if f.id in told:
                continue
            out.append(
                Finding(
                    "evidence.duplicate",
                    "warning",
                    f"evidence.{f.id}",
                    f"文件“{f.name}”与“{files[0].name}”内容完全相同，被附了 {len(files)} 次"
                    f"（{titles}）；如非有意，请删除多余的一份。",
                )
            )
    return out


def _row_label(guide: Guide, project: ProjectData, table: TableSpec, row: Row) -> str:
    rows = project.rows(table.id)
    n = next((i for i, r in enumerate(rows, start=1) if r.id == row.id), 0)
    name = cell(table.column(table.row_label), row.values)
    return f"“{table.title}”第{n}行" + (f"（{name}）" if name else "")


def _claim_label(guide: Guide, project: ProjectData, claim: Claim) -> str:
    titles = [it.full_title for it in guide.items if it.id in claim.items]
    what = "、".join(titles) if titles else "基本材料"
    if claim.row_id is None:
        return what
    for item in guide.items:
        if item.id in claim.items and item.table is not None:
            table = guide.table(item.table)
            row = next((r for r in project.rows(table.id) if r.id == claim.row_id), None)
            if row is not None:
                return f"{what}：{_row_label(guide, project, table, row)}"
    return what


def _reused_finding(guide: Guide, project: ProjectData, r: ReusedFile) -> Finding:
    return Finding(
        "evidence.claimed_twice",
        "warning",
        f"evidence.{r.again.id}",
        f"文件“{r.again.name}”与“{r.first.name}”内容完全相同，分别作为"
        f"“{_claim_label(guide, project, r.first_claim)}”和"
        f"“{_claim_label(guide, project, r.again_claim)}”的证明材料。{RULE}，同一份材料不应"
        "支持两项申报（服务外包证明材料按申报指南“参照第2点”共用的除外）。如确为两份不同的"
        "材料，请附上各自的文件；否则请删除多余的一份，或取消其中一项申报。",
    )


def _claimed_twice(guide: Guide, project: ProjectData) -> list[Finding]:
    out: list[Finding] = []
    for c in rows_claimed_twice(guide, project):
        out.append(
            Finding(
                "table.row.claimed_twice",
                "warning",
                f"table.{c.again_table.id}.{c.again.id}",
                f"{_row_label(guide, project, c.again_table, c.again)}与"
                f"{_row_label(guide, project, c.first_table, c.first)}的"
                f"{key_label_of(c.again_table)}相同：同一份合同（项目）在两个申报项目中申报。"
                f"{RULE}，请核对；如确为不同的合同，请修改以示区分，否则请删除其中一行。",
            )
        )
    return out


def key_label_of(table: TableSpec) -> str:
    """The claim key columns in words: “合同名称、发包方”."""
    return "、".join(table.column(c).label for c in table.claim_key)
