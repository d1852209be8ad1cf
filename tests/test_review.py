"""`review`: many companies' project files, manifests and built packets checked at once, one
row each with the right verdict, and a summary workbook the association can print."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from app.cli import main
from app.outputs.build import BuildOptions, build
from app.project import ProjectStore
from app.review import find_sources, review, review_source, write_summary
from app.review.discover import Found, ReviewUsageError
from app.review.summary import (
    BY_DISTRICT_SHEET,
    BY_ITEM_SHEET,
    FINDINGS_SHEET,
    ITEMS_SHEET,
    SUMMARY_SHEET,
)
from tests.review_fixtures import (
    PROBLEM_NAME,
    SAMPLE_CODE,
    SAMPLE_NAME,
    TODAY,
    Desk,
    desk,
    resum,
)

__all__ = ["desk"]  # the session fixture, used by name


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["review", *argv, "--today", TODAY.isoformat()], out, err)
    return code, out.getvalue(), err.getvalue()


def _by_path(sources: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(s["path"]): s for s in sources}


def test_one_row_per_source_with_the_right_verdicts(desk: Desk) -> None:
    code, out, err = _run(str(desk.root), "--json")
    assert code == 1  # the problem project, the damaged file and the tampered packet
    sources = json.loads(out)["sources"]
    assert len(sources) == 6
    rows = _by_path(sources)
    for s in sources:
        assert set(s) == {
            "path",
            "kind",
            "company",
            "credit_code",
            "guide",
            "total_requested_cny",
            "blocking",
            "warnings",
            "error",
        }
        assert str(s["path"]).startswith(str(desk.root))
        if s["company"] == SAMPLE_NAME:  # read, or verified: the guide it was made under
            assert "服务贸易发展事项" in str(s["guide"])

    for path, kind in [(desk.project, "project"), (desk.manifest, "manifest")]:
        good = rows[str(path)]
        assert good["kind"] == kind
        assert (good["company"], good["credit_code"]) == (SAMPLE_NAME, SAMPLE_CODE)
        assert good["total_requested_cny"] == 419000
        assert good["blocking"] == 0 and good["error"] is None
        assert good["warnings"] >= 1  # the same company appears more than once

    packet = rows[str(desk.packet)]
    assert packet["kind"] == "packet"
    assert (packet["company"], packet["credit_code"]) == (SAMPLE_NAME, SAMPLE_CODE)
    assert packet["total_requested_cny"] == 419000
    assert packet["blocking"] == 0 and packet["error"] is None

    problem = rows[str(desk.problem)]
    assert problem["company"] == PROBLEM_NAME
    assert problem["blocking"] >= 1 and problem["error"] is None

    damaged = rows[str(desk.damaged)]
    assert damaged["kind"] == "project" and damaged["company"] is None
    assert "损坏" in str(damaged["error"]) and str(desk.damaged) in str(damaged["error"])

    tampered = rows[str(desk.tampered)]
    assert tampered["kind"] == "packet" and tampered["blocking"] >= 1
    assert "与校验清单不符" in str(tampered["error"])

    assert "[1/6]" in err and "[6/6]" in err  # progress on the terminal, not in the JSON


def test_duplicates_by_credit_code_are_reported(desk: Desk) -> None:
    result = review(find_sources([desk.root]), today=TODAY)
    dup = {
        r.path: r for r in result.results if any(f.code == "review.duplicate" for f in r.findings)
    }
    assert set(dup) == {str(desk.project), str(desk.manifest), str(desk.packet), str(desk.tampered)}
    note = next(f for f in dup[str(desk.project)].findings if f.code == "review.duplicate")
    assert SAMPLE_CODE in note.message and str(desk.packet) in note.message
    assert str(desk.project) not in note.message  # names the others, not itself


def test_exit_codes(desk: Desk, tmp_path: Path) -> None:
    code, out, _ = _run(str(desk.project))
    assert code == 0 and "可以申报" in out
    assert _run(str(desk.packet))[0] == 0
    assert _run(str(desk.problem))[0] == 1
    assert _run(str(desk.damaged))[0] == 1  # a row with its message, not the end of the run
    missing = _run(str(tmp_path / "没有"))
    assert missing[0] == 2 and "找不到" in missing[2]
    (tmp_path / "空").mkdir()
    empty = _run(str(tmp_path / "空"))
    assert empty[0] == 2 and "没有找到" in empty[2]
    bad_out = _run(str(desk.project), "--out", str(tmp_path / "x.txt"))
    assert bad_out[0] == 2 and ".xlsx" in bad_out[2]
    assert main(["review"], io.StringIO(), io.StringIO()) == 2


def test_discovery_skips_what_is_not_a_source(desk: Desk, tmp_path: Path) -> None:
    shutil.copytree(desk.packet, tmp_path / "a" / "packet")
    (tmp_path / "a" / "packet" / "sub").mkdir()
    shutil.copyfile(desk.project, tmp_path / "a" / "packet" / "sub" / "inside.sbproj")
    (tmp_path / "a" / "other.json").write_text('{"name": "not a manifest"}', encoding="utf-8")
    (tmp_path / "a" / ".tmp-build").mkdir()
    shutil.copyfile(desk.project, tmp_path / "a" / ".tmp-build" / "hidden.sbproj")
    shutil.copyfile(desk.project, tmp_path / "a" / "x.sbproj")
    found = find_sources([tmp_path / "a", tmp_path / "a" / "x.sbproj"])
    assert [(Path(f.shown).name, f.kind) for f in found] == [
        ("packet", "packet"),
        ("x.sbproj", "project"),
    ]
    (tmp_path / "a" / "other.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ReviewUsageError, match="无法识别"):
        find_sources([tmp_path / "a" / "other.txt"])
    sums = tmp_path / "a" / "packet" / "SHA256SUMS.txt"
    (given,) = find_sources([sums, tmp_path / "a" / "packet"])  # the same packet, once
    assert (given.kind, given.path, given.shown) == ("packet", sums.parent, str(sums))


def _packet_copy(desk: Desk, tmp_path: Path) -> Path:
    folder = tmp_path / "packet"
    shutil.copytree(desk.packet, folder)
    return folder


def _codes(folder: Path) -> set[str]:
    result = review_source(Found(folder, str(folder), "packet"))
    assert result.error is not None
    return {f.code for f in result.findings}


def test_packet_excel_amount_changed(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    xlsx = folder / f"{SAMPLE_NAME}.xlsx"
    wb = load_workbook(xlsx)
    ws = wb["申请表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 138000)
    cell.value = 238000
    wb.save(xlsx)
    resum(folder)
    assert _codes(folder) == {"packet.amounts"}


def test_packet_excel_not_named_after_the_company(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    (folder / f"{SAMPLE_NAME}.xlsx").rename(folder / "汇总表.xlsx")
    codes = _codes(folder)
    assert "packet.excel_name" in codes and "packet.file_missing" in codes
    assert "packet.amounts" not in codes  # the renamed file is still read and agrees


def test_packet_page_not_a4_and_toc_off(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    (pdf,) = folder.glob("*-申报材料.pdf")
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.pages[7].mediabox = RectangleObject([0, 0, 612, 792])  # US Letter
    writer.add_outline_item(title="目录里没有的书签", page_number=9)
    writer.write(pdf)
    resum(folder)
    assert _codes(folder) == {"packet.not_a4", "packet.toc_mismatch", "packet.excel_toc"}

    sheet_folder = _packet_copy(desk, tmp_path / "b")
    xlsx = sheet_folder / f"{SAMPLE_NAME}.xlsx"
    wb = load_workbook(xlsx)
    ws = wb["材料目录"]
    cell = next(c for c in ws["B"] if isinstance(c.value, int) and c.value > 1)
    cell.value += 1
    wb.save(xlsx)
    resum(sheet_folder)
    assert _codes(sheet_folder) == {"packet.excel_toc"}


def test_a_packet_for_the_first_review_is_recognised(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    old = f"{SAMPLE_NAME}-申报材料.pdf"
    new = f"{SAMPLE_NAME}-申报材料（初审用）.pdf"
    (folder / old).rename(folder / new)
    sums = folder / "SHA256SUMS.txt"
    sums.write_text(sums.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = review_source(Found(folder, "p", "packet"))
    assert result.error is None and result.findings == ()
    assert result.stage == "初审用" and result.pages == len(PdfReader(folder / new).pages)


def test_a_filled_in_word_template_is_pointed_out_not_failed(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    (template,) = (folder / "Word模板").glob("*.docx")
    template.write_bytes(template.read_bytes() + b"\0")  # the company filled it in
    (folder / "原件核对清单.pdf").unlink()
    result = review_source(Found(folder, "p", "packet"))
    assert result.error is None and result.blocking == 0
    assert sorted(f.code for f in result.findings) == ["packet.changed", "packet.file_missing"]


def test_packet_damaged_pdf(desk: Desk, tmp_path: Path) -> None:
    folder = _packet_copy(desk, tmp_path)
    (pdf,) = folder.glob("*-申报材料.pdf")
    pdf.write_bytes(b"%PDF-1.7\n" + b"\0" * 1000)
    codes = _codes(folder)
    assert {"packet.checksum", "packet.pdf_unreadable"} <= codes


def test_a_draft_packet_is_not_final(desk: Desk, tmp_path: Path) -> None:
    with ProjectStore.open(desk.problem) as store:
        build(store, tmp_path / "draft", BuildOptions(draft=True), today=TODAY)
    result = review_source(Found(tmp_path / "draft", "draft", "packet"))
    assert [f.code for f in result.findings] == ["packet.draft"]
    assert result.stage == "草稿" and result.company == PROBLEM_NAME
    assert result.error is not None and "草稿" in result.error


def test_summary_workbook(desk: Desk, tmp_path: Path) -> None:
    dest = tmp_path / "汇总.xlsx"
    code, _, err = _run(str(desk.root), "--out", str(dest))
    assert code == 1 and str(dest) in err
    wb = load_workbook(dest)
    assert wb.sheetnames == [
        SUMMARY_SHEET,
        ITEMS_SHEET,
        FINDINGS_SHEET,
        BY_ITEM_SHEET,
        BY_DISTRICT_SHEET,
    ]
    for ws in wb:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4")
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A3:")
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.print_title_rows == "$3:$3"

    summary = wb[SUMMARY_SHEET]
    header = [c.value for c in summary[3]]
    rows = [
        dict(zip(header, r, strict=True)) for r in summary.iter_rows(min_row=4, values_only=True)
    ]
    assert len(rows) == 6
    by_path = {r["来源路径"]: r for r in rows}
    sample = by_path[str(desk.project)]
    assert sample["企业全称"] == SAMPLE_NAME and sample["所在区"] == "高新区"
    assert sample["申请金额合计（元）"] == 419000
    assert sample["申报项目"] == "（二）1.、（二）2.、（六）、（七）1.、（九）"
    assert sample["支持上限合计（元）"] == 419000
    assert sample["同一信用代码有多份"] == "是"
    (packet_pdf,) = Path(desk.packet).glob("*-申报材料.pdf")
    assert by_path[str(desk.packet)]["页数"] == len(PdfReader(packet_pdf).pages)
    assert by_path[str(desk.damaged)]["无法读取或校验未通过"].startswith("项目文件")
    assert by_path[str(desk.problem)]["必须解决的问题"] >= 1

    items_of = [r for r in wb[ITEMS_SHEET].iter_rows(min_row=4, values_only=True)]
    assert ("（六）国际认证", 138000, 138000) in {
        r[3:6] for r in items_of if r[6] == str(desk.packet)
    }
    assert sum(1 for r in items_of if r[6] == str(desk.project)) == 5

    findings = list(wb[FINDINGS_SHEET].iter_rows(min_row=4, values_only=True))
    assert any(r[2] == "无法读取" and r[6] == str(desk.damaged) for r in findings)
    assert any(r[3] == "packet.checksum" and r[6] == str(desk.tampered) for r in findings)

    # Totals count each company once (the sample's three copies once), unreadable ones never.
    items = {r[0]: r for r in wb[BY_ITEM_SHEET].iter_rows(min_row=4, values_only=True)}
    assert items["（六）国际认证"][1] == 2  # the sample and the problem company
    assert items["（六）国际认证"][3] == 2 * 138000
    assert items["合计"][3] == 2 * 419000
    districts = {r[0]: r for r in wb[BY_DISTRICT_SHEET].iter_rows(min_row=4, values_only=True)}
    assert districts["高新区"][1:] == (1, 419000)
    assert districts["香洲区"][1:] == (1, 419000)
    assert districts["合计"][1:] == (2, 2 * 419000)


def test_summary_is_written_atomically(desk: Desk, tmp_path: Path) -> None:
    dest = tmp_path / "汇总.xlsx"
    dest.write_bytes(b"old")
    result = review([Found(desk.project, "p", "project")], today=TODAY)
    write_summary(dest, result.results)
    assert load_workbook(dest)[SUMMARY_SHEET]["B4"].value == SAMPLE_NAME
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]  # no temporary file left


def test_a_packet_named_by_the_naming_rule_is_recognised(tmp_path: Path) -> None:
    """A long name with a pasted line break: the build cut and cleaned it for the file names;
    review applies the same rule and finds the PDF and the Excel file it expects."""
    import datetime as dt

    from app.model import Company
    from tests.packet_fixtures import COMPANY, MemorySource, project

    name = "珠海\v" + "很长的科技服务外包有限公司" * 8
    data = project(
        ["export_credit_insurance"], company=Company(**{**COMPANY.__dict__, "name": name})
    )
    folder = tmp_path / "输出"
    result = build(MemorySource(data), folder, BuildOptions(), today=dt.date(2019, 1, 10))
    assert len(result.workbook.stem) < len(name)  # the name was cleaned and cut
    codes = {f.code for f in review_source(Found(folder, "p", "packet")).findings}
    assert not codes & {"excel_name", "pdf_name", "no_pdf"}
