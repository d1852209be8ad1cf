"""The build pipeline: every output, refusals, atomic output folder, progress, the real store."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.manifest.transfer import write_project_data
from app.model import Company, ProjectData
from app.outputs.build import BlockedError, BuildOptions, BuildResult, build
from app.project import ProjectStore
from app.system.errors import AppError, BuildCancelled, ProjectFileError
from tests.packet_fixtures import COMPANY, GUIDE, MemorySource, marker, project
from tests.pdftools import pdf_text
from tests.project_store_fixtures import imported

TODAY = dt.date(2019, 1, 10)
SELECTED = ["outsourcing_onshore", "international_certification", "export_credit_insurance"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_outputs_named_and_listed(tmp_path: Path) -> None:
    src = MemorySource(project(SELECTED))
    out = tmp_path / "申报输出"
    result = build(src, out, BuildOptions(), today=TODAY)
    name = COMPANY.name
    assert result.pdf == out / f"{name}-申报材料.pdf"
    assert result.workbook == out / f"{name}.xlsx"
    assert result.originals == out / "原件核对清单.pdf"
    assert result.manifest == out / "SHA256SUMS.txt"
    assert [p.name for p in result.templates] == ["国际资质认证奖励申请报告.docx"]
    assert all(p.parent == out / "Word模板" for p in result.templates)
    assert not result.draft and not any(f.blocking for f in result.findings)
    # nothing else in the folder, no temporary folder left beside it
    assert sorted(snapshot(out)) == sorted(
        p.relative_to(out).as_posix()
        for p in [result.pdf, result.workbook, *result.templates, result.originals, result.manifest]
    )
    assert [p.name for p in tmp_path.iterdir()] == ["申报输出"]

    sums = result.manifest.read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in sums:
        if not line.startswith("#"):
            digest, rel = line.split("  ", 1)
            listed[rel] = digest
    for p in [result.pdf, result.workbook, *result.templates, result.originals]:
        assert listed[p.relative_to(out).as_posix()] == hashlib.sha256(p.read_bytes()).hexdigest()
    check = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS.txt"], cwd=out, check=False)
    assert check.returncode == 0
    text = "\n".join(sums)
    for f in src.data.evidence:
        assert f"# {f.sha256}  " in text and f.name in text

    # the workbook's 目录 sheet carries the plan's page numbers: same as the PDF bookmarks
    wb = load_workbook(result.workbook)
    assert "材料目录" in wb.sheetnames
    cells = [str(c.value) for row in wb["材料目录"].iter_rows() for c in row if c.value is not None]
    assert any("申请表" in c for c in cells)
    reader = PdfReader(result.pdf)
    assert len(reader.pages) == result.pages
    assert PdfReader(result.originals).pages


def test_blocking_findings_refuse_a_final_build(tmp_path: Path) -> None:
    data = project(SELECTED, missing=["oso_contracts"])
    out = tmp_path / "out"
    with pytest.raises(BlockedError) as err:
        build(MemorySource(data), out, BuildOptions(), today=TODAY)
    blocked = [f for f in err.value.findings if f.blocking]
    assert blocked and any(f.where == "document.oso_contracts" for f in blocked)
    assert err.value.message.startswith(f"存在 {len(blocked)} 个必须解决的问题")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    # the same project builds as a draft, with the gap shown
    result = build(MemorySource(data), out, BuildOptions(draft=True), today=TODAY)
    assert result.draft and any(f.blocking for f in result.findings)
    assert result.pdf.exists()


def _existing_output(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    build(MemorySource(project(SELECTED)), out, BuildOptions(), today=TODAY)
    (out / "用户自己的说明.txt").write_text("不要动我", encoding="utf-8")
    return out, snapshot(out)


@pytest.mark.parametrize(
    "at_label",
    ["正在绘制第 3 页", "正在合成第 5 页", "正在生成 Excel 文件和 Word 模板"],
)
def test_cancel_leaves_the_output_folder_as_it_was(tmp_path: Path, at_label: str) -> None:
    out, before = _existing_output(tmp_path)
    seen: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        seen.append(label.rstrip("…"))

    def cancel() -> bool:
        return at_label in seen

    changed = project([*SELECTED, "talent_introduction"], pages=2)
    with pytest.raises(BuildCancelled):
        build(
            MemorySource(changed),
            out,
            BuildOptions(),
            progress=progress,
            cancel=cancel,
            today=TODAY,
        )
    assert at_label in seen
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_before_the_move_leaves_the_output_folder(tmp_path: Path) -> None:
    out, before = _existing_output(tmp_path)
    src = MemorySource(project(SELECTED))
    broken = next(f.id for f in src.data.evidence if f.document_id == "oso_contracts")
    src.pdfs[broken] = b"%PDF-1.4 this is not really a pdf"
    with pytest.raises(ProjectFileError) as err:
        build(src, out, BuildOptions(), today=TODAY)
    assert "已损坏" in err.value.message
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_damaged_evidence_file_is_named_by_the_name_the_user_knows(tmp_path: Path) -> None:
    src = MemorySource(project(SELECTED))
    broken = next(f for f in src.data.evidence if f.document_id == "oso_contracts")
    src.pdfs[broken.id] = b"%PDF-1.4 this is not really a pdf"
    with pytest.raises(ProjectFileError) as err:
        build(src, tmp_path / "out", BuildOptions(), today=TODAY)
    assert f"“{broken.name}”" in err.value.message
    assert broken.id not in err.value.message and "编号" not in err.value.message


def test_progress_runs_once_across_the_build(tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    result = build(
        MemorySource(project(SELECTED)),
        tmp_path / "out",
        BuildOptions(),
        progress=lambda d, t, label: calls.append((d, t, label)),
        today=TODAY,
    )
    totals = {t for _, t, _ in calls}
    assert len(totals) == 1
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and done[-1] == calls[-1][1]
    labels = [label for _, _, label in calls]
    assert labels[0] == "正在生成申请表"
    assert f"正在合成第 {result.pages} 页…" in labels
    assert "正在生成 Excel 文件和 Word 模板" in labels and labels[-1] == "完成"


def test_unsafe_company_name_gives_safe_file_names(tmp_path: Path) -> None:
    odd = Company(**{**COMPANY.__dict__, "name": "珠海/示例:科技*有限公司"})
    data = project(["export_credit_insurance"], company=odd)
    result = build(MemorySource(data), tmp_path / "out", BuildOptions(draft=True), today=TODAY)
    assert result.pdf.name == "珠海／示例：科技＊有限公司-申报材料.pdf"
    assert result.workbook.name == "珠海／示例：科技＊有限公司.xlsx"
    assert any("文件名" in w for w in result.warnings)
    assert PdfReader(result.pdf).metadata.author == odd.name  # type: ignore[union-attr]


def _store_with(path: Path, data: ProjectData) -> ProjectStore:
    store = ProjectStore.create(path, GUIDE.id)
    write_project_data(store, data)
    for f in data.evidence:
        store.add_evidence(f.document_id, f.row_id, imported(f.id, pages=f.page_count))
    return store


def test_builds_from_the_real_project_store(tmp_path: Path) -> None:
    data = project(SELECTED, pages=2)
    with _store_with(tmp_path / "p.sbproj", data) as store:
        result = build(store, tmp_path / "out", BuildOptions(duplex=True), today=TODAY)
        loaded = store.load()
    assert isinstance(result, BuildResult) and result.pages > 20
    text = pdf_text(result.pdf)
    for f in data.evidence:  # the store fixture writes "<name> p<n>" on each page
        for i in range(f.page_count):
            assert text.count(f"{f.id} p{i + 1}") == 1
    sums = result.manifest.read_text(encoding="utf-8")
    for f in loaded.evidence:
        assert f.sha256 in sums
    assert marker("x", 0) not in text


def test_errors_are_app_errors(tmp_path: Path) -> None:
    src = MemorySource(project(SELECTED))
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(AppError):
        build(src, blocker / "out", BuildOptions(), today=TODAY)
