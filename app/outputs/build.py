"""The build: every output of an application, written atomically into one folder.

Steps: evaluate and validate (blocking findings refuse a final build); measure the drawn parts,
plan the packet, draw the drawn pages and the overlay, assemble the PDF; write the Excel file,
the Word templates, the originals checklist and ``SHA256SUMS.txt``. Everything is written into a
temporary folder beside the output folder (same file system) and only then put in place by
:class:`app.files.OutputSet`, so a failure or a cancel leaves the output folder as it was and a
killed process leaves the old set or the new one (restored by the next build).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.files import OutputSet, check_output_paths, company_file_name, company_name_notice
from app.guide import project_guide
from app.guide.model import Guide
from app.model import ProjectData
from app.outputs.originals import originals_checklist, write_originals_pdf
from app.outputs.side import PROCESS_FROM_PAGES, SideJob, SideOutputs, mapped
from app.outputs.template_names import narrative_documents, template_file_name
from app.packet.assemble import DocInfo, DrawnPage, EvidencePage, OutlineNode, OutputPage, assemble
from app.packet.draw import Context, measure_parts, render_drawn
from app.packet.layout import Layout
from app.packet.overlay import render_overlay
from app.packet.plan import BuildOptions, Plan, make_plan
from app.rules.evaluation import evaluate
from app.rules.findings import Finding, blocking, blocking_for, validate
from app.rules.process import copies, form_figures, stamped_form_title, uses_stamped_form
from app.system.errors import AppError, BuildCancelled, EvidenceDamagedError
from app.workbook.names import TocRow, workbook_file_name

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]

TEMPLATE_DIR = "Word模板"
ORIGINALS_NAME = "原件核对清单.pdf"
SUMS_NAME = "SHA256SUMS.txt"

__all__ = [
    "BlockedError",
    "BuildOptions",
    "BuildResult",
    "EvidenceSource",
    "build",
    "outline",
    "packet_file_name",
    "toc_rows",
]


class EvidenceSource(Protocol):
    """Where a build reads from: the project store, or anything holding the same data."""

    def load(self) -> ProjectData: ...

    def evidence_pdf(self, file_id: str) -> bytes: ...


class BlockedError(AppError):
    """The project has problems that must be solved before a final (non-draft) build."""

    exit_code = 1

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        n = len(blocking(self.findings))
        super().__init__(
            f"存在 {n} 个必须解决的问题，未生成申报材料。请按提示逐项处理后重新生成；"
            f"如只想先看草稿，请选择“生成草稿”。"
        )


@dataclass(frozen=True)
class BuildResult:
    pdf: Path
    workbook: Path
    templates: list[Path]
    originals: Path
    manifest: Path  # SHA256SUMS.txt
    pages: int
    warnings: list[str]
    findings: list[Finding]
    draft: bool
    stage: str = "final"
    figures: dict[str, str] = field(default_factory=dict)  # on the 申请表 (kept for 初审 prints)
    plan: Plan | None = None  # what the PDF holds, page by page (the online folder cuts it up)


def packet_file_name(
    company_name: str, stage: str = "final", out_dir: Path | None = None
) -> tuple[str, bool]:
    """``"<企业全称>-申报材料.pdf"`` made safe for Windows (:func:`app.files.output_name`; its
    path in ``out_dir`` within Windows' limits), and whether the name changed; the 初审 print
    is ``"<企业全称>-申报材料（初审用）.pdf"`` so that both can share a folder."""
    mark = "（初审用）" if stage == "review" else ""
    result = company_file_name(company_name.strip(), f"-申报材料{mark}.pdf", out_dir)
    return result.name, result.changed


def toc_rows(plan: Plan) -> list[TocRow]:
    """The plan's 目录 lines as :class:`app.workbook.TocRow`."""
    return [TocRow(e.level, e.title, e.first_page, e.last_page, e.parent) for e in plan.entries]


def outline(plan: Plan) -> list[OutlineNode]:
    """Bookmarks: the plan's entries as a tree (parents hold their children)."""
    children: dict[int | None, list[int]] = {}
    for i, e in enumerate(plan.entries):
        children.setdefault(e.parent, []).append(i)

    def node(i: int) -> OutlineNode | None:
        e = plan.entries[i]
        if e.first_page is None:
            return None
        kids = tuple(n for n in (node(k) for k in children.get(i, [])) if n is not None)
        return OutlineNode(e.title, e.first_page - 1, kids)

    return [n for n in (node(i) for i in children.get(None, [])) if n is not None]


class _Progress:
    def __init__(self, fn: ProgressFn | None, total: int) -> None:
        self.fn = fn
        self.total = total
        self.done = 0

    def step(self, label: str) -> None:
        self.at(self.done, label)
        self.done += 1

    def at(self, done: int, label: str) -> None:
        if self.fn is not None:
            self.fn(min(done, self.total), self.total, label)


def owner_of(company_name: str) -> str:
    """Who writes an output folder, as another writer's refusal names it."""
    name = company_name.strip()
    return f"“{name}”的材料" if name else ""


def _check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise BuildCancelled()


def _output_names(
    guide: Guide, data: ProjectData, out_dir: Path, pdf_name: str, xlsx_name: str
) -> list[str]:
    """Every file the build writes, relative to the output folder."""
    templates = [
        f"{TEMPLATE_DIR}/{template_file_name(guide, data, doc, row_id, out_dir / TEMPLATE_DIR)}"
        for doc, row_id in narrative_documents(guide, data)
    ]
    return [pdf_name, xlsx_name, ORIGINALS_NAME, SUMS_NAME, *templates]


def build(
    source: EvidenceSource,
    out_dir: Path,
    options: BuildOptions,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    today: dt.date | None = None,
    guide: Guide | None = None,
    side_process: bool | None = None,
    before_install: Callable[[], None] | None = None,
) -> BuildResult:
    """Build every output of the project into ``out_dir`` (created if needed).

    ``side_process``: write the Excel file, the Word templates and the originals checklist in
    a process of their own while the PDF is assembled (:mod:`app.outputs.side`); by default
    from :data:`~app.outputs.side.PROCESS_FROM_PAGES` packet pages on. ``before_install``:
    called once everything is written, before anything is put in the output folder (a check
    that ran beside the build, e.g. the project file's; what it raises stops the build there).

    Raises :class:`BlockedError` when validation finds blocking problems and ``options.draft``
    is off, :class:`app.system.errors.BuildCancelled` when ``cancel()`` turns true (``out_dir`` is then
    left as it was), and :class:`app.system.errors.OutputError` when an output cannot be written.
    """
    today = today or dt.date.today()
    data = source.load()
    guide = guide or project_guide(data)
    evaluation = evaluate(guide, data)
    findings = validate(guide, data, evaluation, today=today)
    # The stamped form concerns the bound packet only: a 初审 print is what gets stamped, and
    # the online folder says itself when the scan is missing.
    gate = blocking_for(findings, options.stage)
    if gate and not options.draft:
        raise BlockedError(findings)
    draft = options.draft

    out_dir = Path(out_dir)
    layout = Layout(gutter_mm=options.gutter_mm, duplex=options.duplex)
    ctx = Context(guide, data, evaluation, layout, today)
    with mapped("申请表和汇总表"):
        counts = measure_parts(ctx)
    plan = make_plan(guide, data, evaluation, options, counts)
    drawn_pages = sum(1 for p in plan.pages if p.drawn)
    bar = _Progress(progress, 1 + drawn_pages + plan.total + 4)
    bar.step("正在生成申请表")

    pdf_name, _ = packet_file_name(data.company.name, options.stage, out_dir)
    xlsx_name, _ = workbook_file_name(data.company.name, out_dir)
    warnings: list[str] = []
    notice = company_name_notice(data.company.name, out_dir)
    if notice:
        warnings.append(notice)
    if options.stage == "final":  # the scan no longer matches: say it with the result too
        warnings += [f.message for f in findings if f.code == "process.stamped_form_stale"]
    stamped_title = stamped_form_title(guide)
    stamper = guide.process.stamper if guide.process is not None else ""
    if (
        options.stage == "final"
        and stamped_title
        and not uses_stamped_form(guide.process, data)
        and not any(f.code == "process.stamped_form_missing" for f in findings)
    ):
        warnings.append(
            f"尚未附上“{stamped_title}”：本材料中的申请表未经{stamper}盖章。"
            f"正式装订材料中的申请表须为{stamper}盖章的原件：请附上其扫描件后重新生成，"
            f"装订时换入盖章原件。"
        )

    check_output_paths(out_dir, _output_names(guide, data, out_dir, pdf_name, xlsx_name))
    with OutputSet(out_dir, owner=owner_of(data.company.name)) as staged:
        # Refuse before the work when an output cannot be replaced (held open, read-only, a
        # folder in its place); install() checks again before it touches anything.
        staged.check([pdf_name, xlsx_name, ORIGINALS_NAME, SUMS_NAME])
        tmp = staged.folder
        # The Excel file and the Word templates do not depend on the PDF: for a large packet
        # another process writes them meanwhile.
        side = SideOutputs(
            SideJob(
                tmp,
                xlsx_name,
                TEMPLATE_DIR,
                out_dir / TEMPLATE_DIR,
                guide,
                data,
                evaluation,
                tuple(toc_rows(plan)),
            ),
            in_process=not (
                side_process if side_process is not None else plan.total >= PROCESS_FROM_PAGES
            ),
        )
        try:
            with mapped("申请表、目录等页面"):
                drawn = render_drawn(
                    ctx,
                    plan,
                    progress=lambda p: bar.step(f"正在绘制第 {p.number} 页"),
                    cancel=cancel,
                )
                overlay = render_overlay(ctx, plan, draft, cancel=cancel)
            warnings += ctx.ink.warnings
            pages: list[OutputPage] = []
            for p in plan.pages:
                if p.kind == "evidence":
                    assert p.file_id is not None
                    pages.append(
                        EvidencePage(p.file_id, p.page_index, p.user_rotation, p.band is not None)
                    )
                else:
                    pages.append(DrawnPage(drawn.index[p.number]))
            info = DocInfo(
                title=guide.packet_title
                + ("（初审用）" if options.stage == "review" else "")
                + ("（草稿）" if draft else ""),
                author=data.company.name,
                subject=guide.reference,
                copies=_copies(guide, options),
                duplex=options.duplex,
            )
            pdf_path = tmp / pdf_name

            base = bar.done

            def on_page(done: int, total: int, label: str) -> None:
                bar.at(base + done, label + "…" if done < total else label)

            pdf_digest = hashlib.sha256()  # the checksum list's line, taken as the file is written
            with mapped(f"申报材料 PDF“{pdf_name}”"):
                assemble(
                    pdf_path,
                    pages,
                    drawn.pdf,
                    overlay,
                    _checked_reader(source, guide, data),
                    layout,
                    outline(plan),
                    drawn.links,
                    info=info,
                    progress=on_page,
                    cancel=cancel,
                    file_names={f.id: f.name for f in data.evidence},
                    digest=pdf_digest,
                    keep_cached=options.stage == "online",  # cut up into files right after
                )
            bar.done = base + plan.total
            _check_cancel(cancel)
            bar.step("正在生成原件核对清单")
            with mapped(ORIGINALS_NAME):
                write_originals_pdf(
                    tmp / ORIGINALS_NAME, guide, data, originals_checklist(guide, data), today
                )
            _check_cancel(cancel)
            bar.step("正在生成 Excel 文件和 Word 模板")
            templates = side.result(cancel)
            # A template already in the output folder may hold what the company typed into it:
            # never overwrite it (deleting it lets the next build write a fresh one).
            kept: list[Path] = []
            for t in list(templates):
                existing = out_dir / t.relative_to(tmp)
                if existing.exists():
                    t.unlink()
                    templates.remove(t)
                    kept.append(existing)
                    warnings.append(
                        f"“{TEMPLATE_DIR}/{existing.name}”已存在（可能已填写），未覆盖；"
                        "如需按最新信息重新生成，请先删除或改名该文件。"
                    )
            _check_cancel(cancel)
            bar.step("正在写入校验清单")
            outputs = [pdf_path, tmp / xlsx_name, *templates, tmp / ORIGINALS_NAME]
            with mapped(SUMS_NAME):
                _write_sums(
                    tmp / SUMS_NAME,
                    tmp,
                    outputs,
                    data,
                    guide,
                    kept,
                    out_dir,
                    known={pdf_path: pdf_digest.hexdigest()},
                )
            _check_cancel(cancel)
            bar.step("正在写入输出文件夹")
            if before_install is not None:
                before_install()
            # The checksum list goes last: it is the seal of the set (see OutputSet).
            moved = staged.install([*outputs, tmp / SUMS_NAME])
        finally:
            side.stop()  # before the staging folder goes, whatever happened
    if progress is not None:
        progress(bar.total, bar.total, "完成")
    return BuildResult(
        pdf=moved[0],
        workbook=moved[1],
        templates=sorted([*moved[2 : 2 + len(templates)], *kept]),
        originals=moved[2 + len(templates)],
        manifest=moved[-1],
        pages=plan.total,
        warnings=warnings,
        findings=findings,
        draft=draft,
        stage=options.stage,
        figures={**form_figures(guide, data, evaluation), "printed_on": today.isoformat()},
        plan=plan,
    )


def _copies(guide: Guide, options: BuildOptions) -> int:
    """Copies the PDF asks the printer for: the guide's, for this stage (1 without a process)."""
    return copies(guide, options.stage)


def _checked_reader(
    source: EvidenceSource, guide: Guide, data: ProjectData
) -> Callable[[str], bytes]:
    """``source.evidence_pdf`` whose damaged-file refusal also names the file's document."""
    documents = {f.id: f.document_id for f in data.evidence}

    def read(file_id: str) -> bytes:
        try:
            return source.evidence_pdf(file_id)
        except EvidenceDamagedError as exc:
            try:
                title = guide.document(documents[file_id]).title
            except KeyError:
                title = exc.document
            raise EvidenceDamagedError(file_id, exc.name, title) from exc

    return read


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_sums(
    path: Path,
    root: Path,
    outputs: Sequence[Path],
    data: ProjectData,
    guide: Guide,
    kept: Sequence[Path] = (),
    out_dir: Path | None = None,
    known: Mapping[Path, str] | None = None,
) -> None:
    """``known``: outputs whose SHA-256 was taken while they were written."""
    known = known or {}
    lines = [
        "# 申报材料助手 SHA-256 校验清单（UTF-8）",
        "# 输出文件：可用 sha256sum -c SHA256SUMS.txt 校验",
    ]
    for p in outputs:
        lines.append(f"{known.get(p) or _sha256(p)}  {p.relative_to(root).as_posix()}")
    for p in kept:  # already in the output folder, left as the company edited it
        assert out_dir is not None
        lines.append(f"{_sha256(p)}  {p.relative_to(out_dir).as_posix()}")
    lines.append("# 证明材料原始文件（导入时的原件；格式：# SHA-256  材料 / 原文件名）")
    for f in data.evidence:
        try:
            title = guide.document(f.document_id).title
        except KeyError:
            title = f.document_id
        lines.append(f"# {f.sha256}  {title} / {f.name}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
