"""Verifying a built packet folder on its own (no project file at hand).

The folder our build writes holds ``<企业全称>-申报材料.pdf``, ``<企业全称>.xlsx`` and
``SHA256SUMS.txt``. A packet passes when every listed file matches its checksum, the PDF opens,
every page is A4, the 目录 (printed and in the Excel file) agrees with the bookmarks, the Excel
file is named with the company's full name and its amounts are those of the PDF's 申请表, and
the packet is not a draft. Each failure is a blocking finding naming what to do.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.files import company_file_name
from app.outputs.build import SUMS_NAME
from app.review.model import ItemAmount, SourceResult
from app.rules.evaluation import fmt_money
from app.rules.findings import Finding
from app.workbook.cells import FORM_SHEET, TOC_SHEET

A4 = (595.2756, 841.8898)
A4_TOLERANCE = 2.0  # points
DRAFT_MARK = "（草稿）"
CENT = Decimal("0.01")
PDF_SUFFIX = "-申报材料.pdf"
# "<企业全称>-申报材料.pdf", or with a stage mark: "<企业全称>-申报材料（初审用）.pdf".
PDF_NAME = re.compile(r"(?P<stem>.+)-申报材料(?:（(?P<mark>[^（）]+)）)?\.pdf", re.IGNORECASE)
_LABELS = {"企业全称": "company", "统一社会信用代码": "credit_code", "所在区": "district"}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        return Decimal(str(value)).quantize(CENT)
    except InvalidOperation:
        return None


@dataclass
class _Sheet:
    """What the Excel file's 申请表 and 材料目录 say."""

    fields: dict[str, str] = field(default_factory=dict)
    items: list[ItemAmount] = field(default_factory=list)
    total: Decimal | None = None
    total_ceiling: Decimal | None = None
    toc: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class _Check:
    folder: Path
    shown: str
    findings: list[Finding] = field(default_factory=list)

    def fail(self, code: str, where: str, message: str) -> None:
        self.findings.append(Finding(f"packet.{code}", "blocking", where, message))

    def warn(self, code: str, where: str, message: str) -> None:
        self.findings.append(Finding(f"packet.{code}", "warning", where, message))


def _handed_in(rel: str) -> bool:
    """The files handed in: the packet PDF and the Excel file. The Word templates are for the
    company to fill in and the originals checklist is a working list: a change there is
    pointed out, not a failure."""
    return "/" not in rel and (rel.lower().endswith(".xlsx") or PDF_NAME.fullmatch(rel) is not None)


def _read_sums(check: _Check) -> list[tuple[str, str]] | None:
    sums = check.folder / SUMS_NAME
    try:
        text = sums.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        check.fail("sums_unreadable", SUMS_NAME, f"无法读取 {SUMS_NAME}（{exc}）。")
        return None
    entries: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, rel = line.partition("  ")
        if len(digest) != 64 or not rel:
            check.fail("sums_malformed", SUMS_NAME, f"{SUMS_NAME} 中有无法识别的一行：{line[:80]}")
            continue
        entries.append((digest.lower(), rel))
    return entries


def _verify_sums(check: _Check, entries: list[tuple[str, str]]) -> None:
    for digest, rel in entries:
        path = check.folder / rel
        handed_in = _handed_in(rel)
        if not path.is_file():
            if handed_in:
                check.fail(
                    "file_missing", rel, f"校验清单列出的文件“{rel}”不存在。请重新生成申报材料。"
                )
            else:
                check.warn("file_missing", rel, f"校验清单列出的文件“{rel}”不存在。")
            continue
        try:
            actual = _sha256(path)
        except OSError as exc:
            check.fail("file_unreadable", rel, f"无法读取“{rel}”（{exc.strerror or exc}）。")
            continue
        if actual == digest:
            continue
        if handed_in:
            check.fail(
                "checksum",
                rel,
                f"“{rel}”与校验清单不符：生成后被修改或损坏。请向企业索取重新生成的申报材料。",
            )
        else:
            check.warn("changed", rel, f"“{rel}”在生成后被修改过（如已填写的 Word 模板）。")


def _read_workbook(check: _Check, path: Path) -> _Sheet | None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        check.fail("excel_unreadable", path.name, f"无法打开 Excel 文件“{path.name}”（{exc}）。")
        return None
    sheet = _Sheet()
    try:
        if FORM_SHEET not in wb.sheetnames:
            check.fail(
                "excel_no_form", path.name, f"Excel 文件“{path.name}”中没有“{FORM_SHEET}”工作表。"
            )
            return None
        in_items = False
        for row in wb[FORM_SHEET].iter_rows(values_only=True):
            cells = list(row) + [None] * 6
            label = str(cells[0]).strip() if cells[0] is not None else ""
            if label in _LABELS and cells[2] is not None:
                sheet.fields[_LABELS[label]] = str(cells[2]).strip()
            if label == "序号" and cells[1] == "项目编号":
                in_items = True
                continue
            if in_items:
                if cells[1] == "合计":
                    sheet.total = _decimal(cells[5])
                    sheet.total_ceiling = _decimal(cells[4])
                    in_items = False
                elif isinstance(cells[0], int):
                    sheet.items.append(
                        ItemAmount(
                            str(cells[1] or ""),
                            f"{cells[1] or ''}{cells[2] or ''}",
                            _decimal(cells[4]),
                            _decimal(cells[5]),
                        )
                    )
        if TOC_SHEET in wb.sheetnames:
            for row in wb[TOC_SHEET].iter_rows(min_row=4, values_only=True):
                if row and row[0] and len(row) > 1 and isinstance(row[1], int):
                    sheet.toc.append((str(row[0]).strip(), row[1]))
    finally:
        wb.close()
    return sheet


_AMOUNT = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d])")
_PAGES = re.compile(r"(\d+)(?:–\d+)?")
_FOOTER = re.compile(r"第\d+页共\d+页")


def _toc_entries(text: str) -> list[tuple[str, int]]:
    """The (title, first page) lines of a printed 目录 page, titles without white space.

    Text extraction gives each title (possibly wrapped over lines) followed by its page or
    page range on a line of its own; the heading and the page footer are skipped."""
    lines = [_flat(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines or not lines[0].startswith("目录"):
        return []
    entries: list[tuple[str, int]] = []
    title = ""
    for line in lines[1:]:
        m = _PAGES.fullmatch(line)
        if m and title:
            entries.append((title, int(m.group(1))))
            title = ""
        elif not _FOOTER.fullmatch(line):
            title += line
    return entries


def _outline(reader: Any) -> list[tuple[str, int]]:
    marks: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                marks.append((str(it.title), reader.get_destination_page_number(it) + 1))

    walk(reader.outline)
    return marks


def _is_a4(page: Any) -> bool:
    box = page.mediabox
    w, h = float(box.width), float(box.height)
    return any(abs(w - a) <= A4_TOLERANCE and abs(h - b) <= A4_TOLERANCE for a, b in (A4, A4[::-1]))


@dataclass
class _Pdf:
    pages: int
    author: str
    marks: list[tuple[str, int]]
    form_text: str
    subject: str = ""  # the guide the packet was built under (its title and 文号)


def _read_pdf(check: _Check, path: Path) -> _Pdf | None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(path)
        pages = len(reader.pages)
        meta: Mapping[str, Any] = reader.metadata or {}
        title = str(meta.get("/Title", "") or "")
        author = str(meta.get("/Author", "") or "")
        subject = str(meta.get("/Subject", "") or "")
        if title.endswith(DRAFT_MARK):
            check.fail(
                "draft",
                path.name,
                f"“{path.name}”是草稿（每页有“草稿”水印），不能作为正式申报材料。"
                "请企业解决问题后重新生成。",
            )
        wrong = [n for n, p in enumerate(reader.pages, start=1) if not _is_a4(p)]
        if wrong:
            listed = "、".join(str(n) for n in wrong[:10]) + ("等" if len(wrong) > 10 else "")
            check.fail("not_a4", path.name, f"“{path.name}”第 {listed} 页不是 A4 纸张大小。")
        marks = _outline(reader)
        toc: list[tuple[str, int]] = []
        form_text = ""
        if marks:
            # The 目录 is printed on the pages before the first section (after the cover).
            for page in reader.pages[: max(marks[0][1] - 1, 0)]:
                toc += _toc_entries(page.extract_text() or "")
            form = next((p for t, p in marks if "申请表" in t), None)
            if form is None:  # a guide calling it otherwise: the page with the form's total
                form = next(
                    (
                        p
                        for _, p in marks
                        if 0 < p <= pages
                        and "合计（大写）"
                        in "".join((reader.pages[p - 1].extract_text() or "").split())
                    ),
                    None,
                )
            if form is not None:
                after = [p for _, p in marks if p > form]
                end = min([*after, form + 3, pages + 1])
                form_text = "\n".join(
                    reader.pages[n - 1].extract_text() or "" for n in range(form, end)
                )
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        check.fail(
            "pdf_unreadable",
            path.name,
            f"无法打开申报材料 PDF“{path.name}”（{type(exc).__name__}）：文件已损坏或不完整。",
        )
        return None
    if not marks:
        check.fail("no_bookmarks", path.name, f"“{path.name}”没有书签，无法与目录核对。")
    elif not toc:
        check.fail("no_toc", path.name, f"“{path.name}”中找不到目录页。")
    else:
        flat_marks = [(_flat(t), p) for t, p in marks]
        differ = [n for n, pair in enumerate(flat_marks) if n >= len(toc) or toc[n] != pair]
        differ += list(range(len(flat_marks), len(toc)))
        if differ:
            n = differ[0]
            t, p = marks[n] if n < len(marks) else toc[n]
            check.fail(
                "toc_mismatch",
                path.name,
                f"“{path.name}”的目录与书签不一致（共 {len(differ)} 处），第一处：“{t}”（第 {p} 页）。",
            )
    return _Pdf(pages, author, marks, form_text, subject)


def _company_stem(company: str, folder: Path) -> str:
    """The file-name stem a build into ``folder`` gives ``company`` (the one naming rule)."""
    return company_file_name(company.strip(), ".xlsx", folder).stem


def verify_packet(folder: Path, shown: str) -> SourceResult:
    """Verify a built packet folder; every failure is a blocking finding, and ``error`` says
    the first of them (or why the folder could not be read)."""
    check = _Check(folder, shown)
    entries = _read_sums(check)
    if entries is not None:
        _verify_sums(check, entries)
    listed = [rel for _, rel in entries or []]
    # The PDF the checksums list (a later build into the same folder lists its own).
    pdfs = [rel for rel in listed if "/" not in rel and PDF_NAME.fullmatch(rel)]
    if not pdfs:
        pdfs = sorted(p.name for p in folder.glob("*.pdf") if PDF_NAME.fullmatch(p.name))
    pdf = _read_pdf(check, folder / pdfs[0]) if pdfs else None
    if not pdfs:
        check.fail("no_pdf", "", f"文件夹中没有申报材料 PDF（“企业全称{PDF_SUFFIX}”）。")
    named = PDF_NAME.fullmatch(pdfs[0]) if pdfs else None
    mark = (named.group("mark") or "") if named else ""

    company = (pdf.author if pdf else "") or ""
    if not company and named:
        company = named.group("stem")
    sheet: _Sheet | None = None
    stem = _company_stem(company, folder) if company else ""
    xlsx_name = f"{stem}.xlsx" if company else ""
    if company and (folder / xlsx_name).is_file():
        sheet = _read_workbook(check, folder / xlsx_name)
    else:
        others = sorted(p.name for p in folder.glob("*.xlsx") if not p.name.startswith("."))
        check.fail(
            "excel_name",
            xlsx_name,
            f"没有以企业全称命名的 Excel 文件“{xlsx_name or '企业全称.xlsx'}”"
            + (f"（文件夹中有：{'、'.join(others)}）" if others else "")
            + "。请重新生成申报材料。",
        )
        if others:
            sheet = _read_workbook(check, folder / others[0])

    if named and company and named.group("stem") != stem:
        check.fail("pdf_name", pdfs[0], f"申报材料 PDF 的文件名与企业全称“{company}”不符。")
    if sheet is not None:
        _compare(check, sheet, pdf, company)

    result_company = (sheet.fields.get("company") if sheet else None) or company or None
    error = None
    failures = [f for f in check.findings if f.blocking]
    if failures:
        first = failures[0].message
        more = f"（共 {len(failures)} 个问题）" if len(failures) > 1 else ""
        error = f"申报材料校验未通过：{first}{more}"
    return SourceResult(
        path=shown,
        kind="packet",
        company=result_company,
        credit_code=sheet.fields.get("credit_code") if sheet else None,
        district=sheet.fields.get("district") if sheet else None,
        items=tuple(sheet.items) if sheet else (),
        total_requested_cny=sheet.total if sheet else None,
        findings=tuple(check.findings),
        error=error,
        stage="草稿" if any(f.code == "packet.draft" for f in check.findings) else mark or "已生成",
        pages=pdf.pages if pdf else None,
        guide=(pdf.subject or None) if pdf else None,
    )


def _compare(check: _Check, sheet: _Sheet, pdf: _Pdf | None, company: str) -> None:
    name = sheet.fields.get("company", "")
    if company and name and name != company:
        check.fail(
            "excel_company", FORM_SHEET, f"Excel 文件中的企业全称“{name}”与 PDF 的“{company}”不符。"
        )
    if pdf is None:
        return
    if sheet.toc and pdf.marks and sheet.toc != pdf.marks:
        check.fail("excel_toc", TOC_SHEET, "Excel 文件的“材料目录”与 PDF 的书签（页码）不一致。")
    if not pdf.form_text:
        check.fail("no_form", "", "PDF 中找不到申请表页，无法核对金额。")
        return
    # The form prints each item's ceiling then its amount, and the totals last, in the order
    # of the Excel rows: they must appear in that order among the page's figures.
    expected = [(it.title, a) for it in sheet.items for a in (it.ceiling_cny, it.requested_cny)]
    expected += [("合计", sheet.total_ceiling), ("合计", sheet.total)]
    figures = iter(_AMOUNT.findall(pdf.form_text))
    wrong: list[str] = []
    for title, amount in expected:
        if amount is None or fmt_money(amount) not in figures:
            wrong.append(title)
            figures = iter(_AMOUNT.findall(pdf.form_text))  # look for the next from the start
    if wrong:
        check.fail(
            "amounts",
            FORM_SHEET,
            f"Excel 文件与 PDF 申请表的金额不一致：{'、'.join(dict.fromkeys(wrong))}。"
            "请重新生成申报材料。",
        )
