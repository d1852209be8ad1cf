"""The online-declaration folder: what the clerk uploads to, and types into, the platform.

- one A4 PDF per document of the packet, numbered and named as in the 目录
  (``07-服务外包合同（协议）复印件.pdf``; per-row documents add the row: ``…（CMMI）.pdf``);
- each within the guide's per-file size limit (``[process.online]``): a file over it has its
  scanned images re-encoded as JPEG at ``image_dpi``, then at ``min_dpi`` (never lower), and the
  result says which files were reduced and to what;
- the Excel file, with one more sheet, 对照表;
- 对照表.pdf: one page with, per item, the key figures, the support ceiling and the requested
  amount (what the platform's form asks for);
- 网上申报说明.txt: the platform's address, the size limit and the reductions.

The documents are cut from a packet built for this purpose (stage ``online``: the final
packet's content, the district-stamped form if attached, no binding gutter, no blank pages), so
every file is exactly what the bound packet shows. Everything is written into a staging folder
and put in place by :class:`app.files.OutputSet`, like the build: the folder ends with the old
set or the new one, never a mix.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from openpyxl.styles import Alignment, Font
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.files import OutputSet, safe_file_stem, write_atomic
from app.guide import project_guide
from app.guide.model import Guide, OnlineRules
from app.model import ProjectData
from app.outputs.build import (
    BuildOptions,
    EvidenceSource,
    build,
    owner_of,
    toc_rows,
)
from app.packet.plan import UNBOUND_GUTTER_MM, Plan, strip_number
from app.rules.evaluation import Evaluation, evaluate, fmt_money
from app.rules.findings import Finding
from app.rules.process import stamped_form_title, uses_stamped_form
from app.system.errors import AppError, OutputError
from app.system.fonts import register_fonts
from app.workbook.book import build_workbook
from app.workbook.names import workbook_file_name

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

TABLE_NAME = "对照表"
NOTES_NAME = "网上申报说明.txt"
MB = 1024 * 1024
A4_LONG_IN = A4[1] / 72
A4_SHORT_IN = A4[0] / 72
JPEG_QUALITY = 85
MAX_NAME = 80  # characters of a document file's stem: paths stay short on Windows


@dataclass(frozen=True)
class Reduction:
    name: str  # the file's name in the folder
    before: int  # bytes
    after: int
    dpi: int  # the resolution its images were re-encoded at


@dataclass(frozen=True)
class OnlineResult:
    folder: Path
    documents: list[Path]  # the numbered per-document PDFs, in 目录 order
    workbook: Path
    table_pdf: Path
    notes: Path
    limit_bytes: int
    reductions: list[Reduction]
    too_large: list[str]  # still over the limit at the lowest resolution allowed
    warnings: list[str]
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class _Doc:
    number: int
    name: str  # file name
    first: int  # physical pages, 1-based, inclusive
    last: int


def online_options() -> BuildOptions:
    """The packet the documents are cut from: final content, unbound, single-sided."""
    return BuildOptions(duplex=False, gutter_mm=UNBOUND_GUTTER_MM, stage="online")


def document_files(plan: Plan) -> list[_Doc]:
    """The documents of ``plan`` as files: every innermost 目录 entry holding its own pages
    (reference pages, which stand for a document printed earlier, are not uploaded twice)."""
    parents = {e.parent for e in plan.entries if e.parent is not None}
    docs: list[_Doc] = []
    for i, e in enumerate(plan.entries):
        if e.kind != "document" or i in parents or e.first_page is None:
            continue
        last = e.last_page or e.first_page
        kinds = {plan.page(n).kind for n in range(e.first_page, last + 1)}
        if kinds <= {"reference", "blank"}:
            continue
        title = strip_number(e.title)
        if e.parent is not None and plan.entries[e.parent].kind == "row":
            row = plan.entries[e.parent].title.split("：", 1)[-1]
            title = f"{title}（{row}）"
        number = len(docs) + 1
        stem, _ = safe_file_stem(f"{number:02d}-{title}")
        if len(stem) > MAX_NAME:
            stem = stem[:MAX_NAME].rstrip(". ")
        docs.append(_Doc(number, f"{stem}.pdf", e.first_page, last))
    return docs


def write_online(
    source: EvidenceSource,
    out_dir: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    today: dt.date | None = None,
    guide: Guide | None = None,
) -> OnlineResult:
    """Write the online-declaration folder into ``out_dir`` (created if needed).

    Raises :class:`app.outputs.build.BlockedError` when the project has blocking problems (other than
    the district-stamped form, which is only warned about here), ``BuildCancelled`` and
    :class:`app.system.errors.OutputError` like the build."""
    today = today or dt.date.today()
    data = source.load()
    guide = guide or project_guide(data)
    rules = guide.process.online if guide.process is not None else OnlineRules()
    limit = int(rules.size_limit_mb * MB)
    out_dir = Path(out_dir)

    def step(done: int, total: int, label: str) -> None:
        if progress is not None:
            progress(done, total, label)

    try:
        with OutputSet(out_dir, owner=owner_of(data.company.name)) as staged:
            packet = build(
                source,
                staged.root / "packet",
                online_options(),
                progress=lambda d, t, label: step(
                    d, 2 * t, "正在排版" if label == "完成" else label
                ),
                cancel=cancel,
                today=today,
                guide=guide,
            )
            assert packet.plan is not None
            plan = packet.plan
            evaluation = evaluate(guide, data)
            docs = document_files(plan)
            folder = staged.folder
            written: list[Path] = []
            reductions: list[Reduction] = []
            too_large: list[str] = []
            with pikepdf.open(packet.pdf) as whole:
                for n, doc in enumerate(docs, start=1):
                    if cancel is not None and cancel():
                        from app.system.errors import BuildCancelled

                        raise BuildCancelled()
                    step(len(docs) + n, len(docs) * 2, f"正在生成 {doc.name}")
                    path = folder / doc.name
                    size = _write_pages(whole, doc.first, doc.last, path)
                    if size > limit:
                        reduced = _reduce(path, size, limit, rules)
                        if reduced is not None:
                            reductions.append(reduced)
                        if path.stat().st_size > limit:
                            too_large.append(doc.name)
                    written.append(path)
            xlsx_name, _ = workbook_file_name(data.company.name, out_dir)
            workbook = folder / xlsx_name
            _write_workbook(workbook, guide, data, evaluation, plan)
            table_pdf = folder / f"{TABLE_NAME}.pdf"
            _write_table_pdf(table_pdf, guide, data, evaluation, today)
            warnings = list(packet.warnings)
            stamped = stamped_form_title(guide)
            stamper = guide.process.stamper if guide.process is not None else ""
            if stamped and not uses_stamped_form(guide.process, data):
                warnings.append(
                    f"尚未附上“{stamped}”：上传的申请表是未经{stamper}盖章的那份。"
                    f"如平台要求上传盖章的申请表，请先附上扫描件后重新生成。"
                )
            notes = folder / NOTES_NAME
            _write_notes(notes, guide, docs, limit, rules, reductions, too_large, warnings)
            outputs = [*written, workbook, table_pdf, notes]
            step(len(docs) * 2 - 1, len(docs) * 2, "正在写入输出文件夹")
            moved = staged.install(outputs)  # the notes file last: the set's seal
    except AppError:
        raise
    except (OSError, pikepdf.PdfError, ValueError) as exc:
        raise OutputError(
            f"生成网上申报文件夹时出错（{exc}），文件夹未改动。请检查输出文件夹是否可写、磁盘空间"
            f"是否充足后重试。"
        ) from exc
    step(1, 1, "完成")
    k = len(written)
    return OnlineResult(
        folder=out_dir,
        documents=moved[:k],
        workbook=moved[k],
        table_pdf=moved[k + 1],
        notes=moved[k + 2],
        limit_bytes=limit,
        reductions=reductions,
        too_large=too_large,
        warnings=warnings,
        findings=packet.findings,
    )


# -- the documents ----------------------------------------------------------------------------


def _write_pages(whole: pikepdf.Pdf, first: int, last: int, path: Path) -> int:
    out = pikepdf.new()
    for n in range(first, last + 1):
        out.pages.append(whole.pages[n - 1])
    out.docinfo["/Producer"] = "申报材料助手"
    out.save(path, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return path.stat().st_size


def _reduce(path: Path, before: int, limit: int, rules: OnlineRules) -> Reduction | None:
    """Re-encode the file's large images at ``image_dpi``, then ``min_dpi`` while it is still
    over ``limit``. Returns what was done, or None when nothing could be reduced."""
    done: Reduction | None = None
    for dpi in sorted({rules.image_dpi, rules.min_dpi}, reverse=True):
        data = path.read_bytes()
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if not _reencode_images(pdf, dpi):
                continue
            buf = io.BytesIO()
            pdf.save(buf, compress_streams=True)
        if buf.tell() < len(data):
            path.write_bytes(buf.getvalue())
            done = Reduction(path.name, before, buf.tell(), dpi)
        if path.stat().st_size <= limit:
            break
    return done


def _reencode_images(pdf: pikepdf.Pdf, dpi: int) -> bool:
    """Downsample every image larger than ``dpi`` would need on an A4 page, as JPEG. An image
    shown anywhere on an A4 page (in any quarter turn) then still has at least ``dpi``."""
    changed = False
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        for image in _images(page.obj.get("/Resources"), seen):
            changed |= _reencode(image, dpi)
    return changed


def _images(resources: Any, seen: set[tuple[int, int]]) -> list[pikepdf.Stream]:
    found: list[pikepdf.Stream] = []
    if not isinstance(resources, pikepdf.Dictionary):
        return found
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return found
    for _, obj in xobjects.items():
        if not isinstance(obj, pikepdf.Stream):
            continue
        key = obj.objgen
        if key in seen and key != (0, 0):
            continue
        seen.add(key)
        subtype = obj.get("/Subtype")
        if subtype == pikepdf.Name.Image:
            found.append(obj)
        elif subtype == pikepdf.Name.Form:
            found += _images(obj.get("/Resources"), seen)
    return found


def _reencode(obj: pikepdf.Stream, dpi: int) -> bool:
    if obj.get("/ImageMask") or "/SMask" in obj or "/Mask" in obj:
        return False
    width, height = int(obj.get("/Width", 0)), int(obj.get("/Height", 0))
    if width <= 0 or height <= 0:
        return False
    long_px, short_px = max(width, height), min(width, height)
    scale = max(dpi * A4_LONG_IN / long_px, dpi * A4_SHORT_IN / short_px)
    if scale >= 0.95:  # already about this resolution or below: leave it
        return False
    try:
        pil = pikepdf.PdfImage(obj).as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, ValueError, OSError):
        return False
    if pil.mode not in ("L", "RGB"):
        pil = pil.convert("L" if pil.mode in ("1", "LA", "I", "I;16") else "RGB")
    size = (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale)))
    small = pil.resize(size, Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True)
    obj.write(buf.getvalue(), filter=pikepdf.Name.DCTDecode)
    obj.Width, obj.Height = size
    obj.ColorSpace = pikepdf.Name.DeviceGray if small.mode == "L" else pikepdf.Name.DeviceRGB
    obj.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode", "/Interpolate"):
        if key in obj:
            del obj[key]
    return True


# -- 对照表 ----------------------------------------------------------------------------------


def table_rows(guide: Guide, evaluation: Evaluation) -> list[tuple[str, str, str, str, str]]:
    """(序号, 申报项目, 关键数据, 支持上限, 申请金额) per selected item, then the total."""
    rows: list[tuple[str, str, str, str, str]] = []
    for n, item_id in enumerate(evaluation.selected, start=1):
        r = evaluation.items[item_id]
        basis = "\n".join(f"{label}：{value}" for label, value in r.basis) or "—"
        rows.append(
            (
                str(n),
                guide.item(item_id).full_title,
                basis,
                fmt_money(r.ceiling_cny),
                fmt_money(r.requested_cny),
            )
        )
    rows.append(
        (
            "",
            "合计",
            "",
            fmt_money(evaluation.total_ceiling_cny),
            fmt_money(evaluation.total_requested_cny),
        )
    )
    return rows


TABLE_HEADER = ("序号", "申报项目", "关键数据（申报依据）", "支持上限（元）", "申请金额（元）")


def _write_workbook(
    path: Path, guide: Guide, data: ProjectData, evaluation: Evaluation, plan: Plan
) -> None:
    wb = build_workbook(guide, data, evaluation, toc_rows(plan))
    ws = wb.create_sheet(TABLE_NAME)
    ws.append([f"{data.company.name} 网上申报对照表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"统一社会信用代码：{data.company.credit_code}　所在区：{data.company.district}"])
    ws.append(list(TABLE_HEADER))
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in table_rows(guide, evaluation):
        values: list[object] = list(row)
        for j in (3, 4):  # figures as numbers, so they can be copied
            values[j] = float(Decimal(row[j].replace(",", ""))) if row[j] else None
        ws.append(values)
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for j in (4, 5):
            ws.cell(ws.max_row, j).number_format = "#,##0.00"
    for col, width in zip("ABCDE", (6, 30, 50, 16, 16), strict=True):
        ws.column_dimensions[col].width = width

    def save(tmp: Path) -> None:
        wb.save(str(tmp))

    write_atomic(path, save)


def _write_table_pdf(
    path: Path, guide: Guide, data: ProjectData, evaluation: Evaluation, today: dt.date
) -> None:
    font = register_fonts()
    rows = table_rows(guide, evaluation)
    size = 10.0 if len(rows) <= 8 else 8.5 if len(rows) <= 12 else 7.0
    base = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.35)
    base.wordWrap = "CJK"
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1)
    head = ParagraphStyle("head", parent=base, textColor=colors.white)
    right = ParagraphStyle("right", parent=base, alignment=2)

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story: list[Flowable] = [
        para("网上申报对照表", title),
        Spacer(1, 3 * mm),
        para(f"企业全称：{data.company.name}　统一社会信用代码：{data.company.credit_code}"),
        para(f"申报事项：{guide.reference}"),
        para(
            f"制表日期：{today.year}年{today.month}月{today.day}日　金额单位：人民币元。"
            "网上申报时，请按本表逐项填写平台上的金额。"
        ),
        Spacer(1, 4 * mm),
    ]
    table_data: list[list[object]] = [[para(h, head) for h in TABLE_HEADER]]
    for row in rows:
        table_data.append(
            [para(row[0]), para(row[1]), para(row[2]), para(row[3], right), para(row[4], right)]
        )
    table = Table(table_data, colWidths=[12 * mm, 44 * mm, 76 * mm, 24 * mm, 24 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#404040")),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#E8E8E8")),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)

    def write(tmp: Path) -> None:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=15 * mm,
            title="网上申报对照表",
            author=data.company.name or "申报材料助手",
        )
        doc.build(story)

    write_atomic(path, write)


def _write_notes(
    path: Path,
    guide: Guide,
    docs: Sequence[_Doc],
    limit: int,
    rules: OnlineRules,
    reductions: Sequence[Reduction],
    too_large: Sequence[str],
    warnings: Sequence[str],
) -> None:
    lines = ["网上申报说明", ""]
    process = guide.process
    if process is not None:
        for place in process.places:
            if place.url:
                lines.append(f"申报平台：{place.name}　{place.url}")
    lines.append(
        f"每个文件不超过 {fmt_size(limit)}：这是本程序的默认上限（建议），不是申报指南或平台"
        f"公布的限制，请以平台的实际要求为准；如平台的限制不同，请告知本程序的维护人员更新"
        f"申报指南文件。"
    )
    lines += ["", f"上传文件（{len(docs)} 个，按目录顺序编号）："]
    lines += [f"  {d.name}" for d in docs]
    lines += ["", f"另附：Excel 文件（含“{TABLE_NAME}”工作表）、{TABLE_NAME}.pdf。"]
    if reductions:
        lines += [
            "",
            "为不超过上述默认上限，以下文件中的扫描图像已由本程序重新压缩（分辨率不低于所示值）：",
        ]
        lines += [
            f"  {r.name}：{fmt_size(r.before)} → {fmt_size(r.after)}（{r.dpi} dpi）"
            for r in reductions
        ]
    if too_large:
        lines += [
            "",
            f"以下文件压缩到 {rules.min_dpi} dpi 后仍超过上述默认上限，建议拆分后上传，或向协会确认：",
        ]
        lines += [f"  {name}" for name in too_large]
    if warnings:
        lines += ["", "提醒："] + [f"  {w}" for w in warnings]
    text = "\r\n".join(lines) + "\r\n"  # Notepad on older Windows wants CRLF

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8-sig")

    write_atomic(path, write)


def fmt_size(size: int) -> str:
    return f"{size / MB:.1f} MB"
