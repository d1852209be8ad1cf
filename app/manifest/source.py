"""Loading one source — a project file or a JSON manifest with its evidence — the same way
for ``check``, ``build``, ``online`` and the batch ``review``. It sits below both ``app.cli`` and
``app.review``, which import it and not each other. A project follows its stored guide:
:func:`check_project_guide` (``--guide``) and :func:`version_findings` (bundled files with the same
guide id but other text) are here for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from app.guide import project_guide
from app.guide.model import Guide
from app.guide.registry import (
    GuideCopy,
    bundled_guides,
    differing_files,
    guide_label,
    read_guide_file,
)
from app.model import EvidenceFile, ProjectData
from app.rules.findings import Finding, damaged_evidence_findings
from app.system.about import command_name
from app.system.errors import AppError, IntakeError

PROJECT_SUFFIXES = (".sbproj", ".sqlite", ".db")


class SourceError(AppError):
    """The source named is missing or is neither a project file nor a manifest."""


def load_source(
    src: Path,
    password: Callable[[str], str | None],
    allow_outside: bool = False,
    guide_file: Path | None = None,
    late_checked: Callable[[int], None] | None = None,
) -> tuple[Guide, ProjectData, list[Finding]]:
    """Guide, project data and extra findings (refused evidence) for a project file or manifest.
    ``guide_file``: a manifest's guide (``--guide``); a project's must be its own. A project's
    pages the page check never ran on (stored before it existed) are judged now, in memory: the
    file is only read; ``late_checked`` is told how many pages were."""
    if not src.exists():
        raise SourceError(f"找不到文件 {src}。")
    if src.suffix.lower() == ".json":
        return _load_manifest(src, password, allow_outside, guide_file)
    if src.suffix.lower() in PROJECT_SUFFIXES:
        from app.project import ProjectLockedError, ProjectStore

        try:
            store = ProjectStore.open(src)
        except ProjectLockedError:  # open for editing elsewhere: checking only reads it
            store = ProjectStore.open(src, read_only=True)
        with store:
            data = store.load()
            damaged = store.damaged_evidence()
            left = store.left_guides()
            from app.intake.latecheck import checked_in_memory  # PDFium only when asked

            data, count = checked_in_memory(data, store.evidence_pdf, skip=damaged)
        if late_checked is not None:
            late_checked(count)
        check_project_guide(data, guide_file)
        guide = project_guide(data)
        found = damaged_evidence_findings(guide, data, damaged)
        return guide, data, found + version_findings(guide, data, left)
    raise SourceError(f"无法识别 {src.name}：请给出项目文件（.sbproj）或清单文件（.json）。")


def _load_manifest(
    src: Path, password: Callable[[str], str | None], allow_outside: bool, guide_file: Path | None
) -> tuple[Guide, ProjectData, list[Finding]]:
    from dataclasses import replace

    from app.intake import import_file
    from app.manifest.load import load_manifest
    from app.manifest.pages import applied, beyond, beyond_message

    manifest = load_manifest(src, allow_outside=allow_outside, guide_file=guide_file)
    files: list[EvidenceFile] = []
    extra: list[Finding] = []
    orders: dict[tuple[str, str | None], int] = {}
    for n, ref in enumerate(manifest.evidence):
        where = f"document.{ref.document_id}" + (f".{ref.row_id}" if ref.row_id else "")
        if ref.outside:  # allowed with --allow-outside, and still said
            extra.append(
                Finding(
                    "evidence.outside",
                    "warning",
                    where,
                    f"使用了清单文件夹以外的文件：{ref.path}，请确认它确实是本次申报的材料。",
                )
            )
        if not ref.path.is_file():
            extra.append(
                Finding(
                    "evidence.file_missing",
                    "blocking",
                    where,
                    f"清单列出的文件不存在：{ref.path}，请检查路径（相对于清单文件所在文件夹）。",
                )
            )
            continue
        try:
            imp = import_file(ref.path, password)
        except IntakeError as exc:
            extra.append(Finding("evidence.refused", "blocking", where, exc.message))
            continue
        extra.extend(Finding("evidence.intake_note", "warning", where, w) for w in imp.warnings)
        # the page edits, as import applies them: a page marked right or turned upright is not
        # a finding here either
        missing = beyond(ref.pages, imp.page_count)
        if missing is not None:
            message = beyond_message(manifest.source.name, imp.name, missing, imp.page_count)
            extra.append(Finding("evidence.page_missing", "blocking", where, message))
            continue
        key = (ref.document_id, ref.row_id)
        order = orders.get(key, 0)
        orders[key] = order + 1
        files.append(
            EvidenceFile(
                id=f"f{n}",
                document_id=ref.document_id,
                row_id=ref.row_id,
                name=imp.name,
                sha256=imp.sha256,
                size=len(imp.original),
                order=order,
                pages=applied(imp.pages, ref.pages),
            )
        )
    return manifest.guide, replace(manifest.data, evidence=tuple(files)), extra


def check_project_guide(data: ProjectData, given: Path | None) -> None:
    """A project follows its stored guide: ``--guide`` may only name that same text."""
    if given is None:
        return
    guide, copy = read_guide_file(given)
    if data.guide_text and GuideCopy.of(data.guide_text).sha256 == copy.sha256:
        return
    current = project_guide(data)
    raise AppError(
        f"项目按其保存的申报指南《{current.title}》准备，与 --guide 指定的 {given.name}"
        f"（{guide_label(guide)}）不同。项目不会悄悄改用另一份申报指南；如要更换，请运行："
        f"{command_name()} guide upgrade 项目文件 {given}（先列出变化，确认后更换）。"
    )


def other_versions(guide: Guide, data: ProjectData, left: Iterable[str] = ()) -> list[str]:
    """Bundled guide files with the project's guide id but other text (not a version the
    project left, SHA-256 in ``left``), said in Chinese."""
    if not data.guide_text:
        return []
    found = differing_files(guide, GuideCopy.of(data.guide_text), bundled_guides(), left)
    return [
        f"本程序自带的申报指南文件 {e.path.name} 与本项目保存的申报指南编号相同（{guide.id}）"
        f"但内容不同。项目仍按自己保存的版本检查和生成；如要改用该文件，请运行 "
        f"{command_name()} guide upgrade 项目文件 {e.path}"
        for e in found
    ]


def version_findings(guide: Guide, data: ProjectData, left: Iterable[str] = ()) -> list[Finding]:
    return [
        Finding("guide.other_version", "warning", "guide", m)
        for m in other_versions(guide, data, left)
    ]
