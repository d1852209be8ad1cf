"""Proposing where each file of a dropped folder goes: by its name.

A company's scans usually say what they are in their file names (营业执照副本.jpg,
周明轩-劳动合同.jpg, CMMI证书.jpg). Each file is scored against every document the project still
needs (:func:`app.rules.findings.required_documents`):

* document words — a small, guide-independent vocabulary of the words Chinese application
  documents are called by (营业执照, 审计报告, 合同, 发票, 收汇, 证书, 劳动合同, 社保, 个税,
  保险费…, with their everyday variants) — count for a document when both its title and the
  file name use them (longer, more specific words count more); a word of the file name the
  title lacks counts against (劳动合同 is not 服务外包合同);
* a word of the item a document belongs to counts for it too (在岸业务发票 is the 在岸 item's
  发票, not the insurance premium's);
* the names in the project's tables — a person, a certification, a contract — tie a file to that
  row's documents (周明轩-社保缴费明细 goes to 周明轩's 社保 document, not 何静怡's).

A file is placed only when one document is clearly ahead; otherwise it is left for the clerk
with the reason (no document word in its name, the candidates it could not tell apart, or a file
of the same name already attached — a folder dropped twice is not attached twice).
Nothing is attached here: the caller shows the proposal for confirmation first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.guide.model import Guide
from app.model import ProjectData
from app.rules.evaluation import cell
from app.rules.findings import required_documents

DocKey = tuple[str, str | None]

# (word, variants a file name may use instead). Weight: the word's length.
VOCABULARY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("营业执照", ("执照", "营业证")),
    ("信用中国", ()),
    ("信用", ("失信", "征信")),
    ("审计报告", ("审计",)),
    ("财务报表", ("财报", "报表")),
    ("申请报告", ()),
    ("报告", ()),
    ("劳动合同", ("聘用合同", "劳务合同")),
    ("合同", ("协议", "合约")),
    ("发票", ("税票",)),
    ("清单", ("汇总表",)),
    ("收汇", ("结汇", "水单", "入账")),
    ("证书", ("证照",)),
    ("身份证", ("身份", "护照")),
    ("学历", ("学位", "毕业证")),
    ("社保", ("社会保险",)),
    ("个人所得税", ("个税", "完税", "纳税")),
    ("保险费", ("保费", "保单", "信保")),
    ("通知书", ("缴费通知",)),
    ("截图", ("截屏",)),
    ("填报", ()),
    ("认证", ()),
    ("在岸", ("境内",)),
    ("离岸", ("境外",)),
    ("凭证", ("付款", "支付", "回单")),
)
ROW_BONUS = 10.0  # the file names a row (person, certification) of a per-row document
NO_ROW = 1.0  # a per-row document when the file names none of its rows
TABLE_BONUS = 3.0  # the file names a row of the table the document's item uses
MISSING_WEIGHT = 0.5  # a word of the file name its title lacks
MARGIN = 1.0  # how far ahead the best document must be


@dataclass(frozen=True)
class Target:
    key: DocKey
    label: str  # the document title, after the row's name for a per-row document


@dataclass(frozen=True)
class Proposal:
    path: Path
    key: DocKey | None  # None: left for the clerk
    reason: str  # Chinese: why there, or why not placed


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _words(text: str) -> set[str]:
    """The vocabulary words ``text`` uses (by the word or one of its variants)."""
    t = _norm(text)
    return {w for w, variants in VOCABULARY if w in t or any(v in t for v in variants)}


def _weight(word: str) -> float:
    return float(len(word))


def _tokens(label: str) -> list[str]:
    """Searchable pieces of a row's name: the whole name and its parts (ISO27001/BS7799)."""
    name = _norm(label).strip()
    parts = [p for p in re.split(r"[\s/、，,;；()（）\-]+", name) if len(p) >= 2]
    return [name, *parts] if name else parts


def targets(guide: Guide, project: ProjectData) -> list[Target]:
    """Every document (per row: every row's) the project needs, in packet order."""
    out: list[Target] = []
    for doc_id, row_id in required_documents(guide, project):
        title = guide.document(doc_id).title
        label = title
        if row_id is not None:
            name = _row_name(guide, project, doc_id, row_id)
            label = f"{name}：{title}" if name else title
        out.append(Target((doc_id, row_id), label))
    return out


def _doc_tables(guide: Guide) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for item in guide.items:
        if item.table:
            for doc_id in item.documents:
                tables.setdefault(doc_id, set()).add(item.table)
    return tables


def _row_name(guide: Guide, project: ProjectData, doc_id: str, row_id: str) -> str:
    for table_id in _doc_tables(guide).get(doc_id, set()):
        table = guide.table(table_id)
        for row in project.rows(table_id):
            if row.id == row_id:
                return str(cell(table.column(table.row_label), row.values) or "")
    return ""


def _row_hits(guide: Guide, project: ProjectData, name: str) -> dict[str, set[str]]:
    """Table id -> ids of the rows whose name appears in the file name ``name``."""
    hits: dict[str, set[str]] = {}
    for table in guide.tables:
        for row in project.rows(table.id):
            label = str(cell(table.column(table.row_label), row.values) or "")
            if any(tok in name for tok in _tokens(label)):
                hits.setdefault(table.id, set()).add(row.id)
    return hits


def propose(guide: Guide, project: ProjectData, paths: Sequence[Path]) -> list[Proposal]:
    """Where each of ``paths`` goes (or why it is left for the clerk), in the given order."""
    docs = targets(guide, project)
    labels = {t.key: t.label for t in docs}
    doc_tables = _doc_tables(guide)
    item_titles: dict[str, str] = {}
    for item in guide.items:
        for doc_id in item.documents:
            if item.id in project.selected:
                item_titles[doc_id] = item_titles.get(doc_id, "") + item.title
    # A document's words: its title's, and its items' (发票 of 在岸业务).
    titles = {
        t.key: _words(guide.document(t.key[0]).title) | _words(item_titles.get(t.key[0], ""))
        for t in docs
    }
    attached = {f.name: (f.document_id, f.row_id) for f in project.evidence}
    out: list[Proposal] = []
    for path in paths:
        if path.name in attached:
            doc_id, row_id = attached[path.name]
            where = labels.get((doc_id, row_id)) or guide.document(doc_id).title
            out.append(Proposal(path, None, f"已有同名文件在“{where}”中；如需再次添加，请选择。"))
            continue
        name = _norm(path.stem)
        words = _words(name)
        hits = _row_hits(guide, project, name)
        scores: list[tuple[float, DocKey]] = []
        for t in docs:
            doc_id, row_id = t.key
            shared = words & titles[t.key]
            if not shared and row_id is None:
                continue
            score = sum(_weight(w) for w in shared)
            score -= MISSING_WEIGHT * sum(_weight(w) for w in words - titles[t.key])
            tables = doc_tables.get(doc_id, set())
            if row_id is not None:
                rows = {r for tb in tables for r in hits.get(tb, set())}
                if row_id in rows:
                    score += ROW_BONUS
                elif rows or not shared:
                    continue  # names another row, or nothing at all of this document
                else:
                    score -= NO_ROW
            elif any(tb in hits for tb in tables):
                score += TABLE_BONUS
            scores.append((score, t.key))
        scores.sort(key=lambda s: -s[0])
        if not scores or scores[0][0] <= 0:
            out.append(Proposal(path, None, "文件名中没有可识别的材料名称，请选择。"))
        elif len(scores) > 1 and scores[0][0] - scores[1][0] < MARGIN:
            tied = [labels[k] for s, k in scores if scores[0][0] - s < MARGIN][:3]
            out.append(
                Proposal(
                    path, None, "无法确定是" + "还是".join(f"“{x}”" for x in tied) + "，请选择。"
                )
            )
        else:
            key = scores[0][1]
            used = words & titles[key]
            shown = [w for w in used if not any(w != o and w in o for o in used)]
            why = "、".join(sorted(shown, key=len, reverse=True)) or "表格中的名称"
            out.append(Proposal(path, key, f"文件名含“{why}”"))
    return out
