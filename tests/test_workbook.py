"""The Excel file: name, sheets, typed cells, print setup, figures equal to the evaluation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.rules.evaluation import evaluate
from app.workbook.book import MONEY_FORMAT, TocRow, sheet_names, workbook_file_name, write_workbook
from tests.outputs_fixtures import guide, project
from tests.pdftools import pdf_text as read_pdf_text

OUTSOURCING = ("outsourcing_onshore", "outsourcing_offshore")
TOC = (
    TocRow(0, "基本材料", None, None),
    TocRow(1, "申请表", 3, 4),
    TocRow(1, "营业执照复印件", 5, 5),
    TocRow(0, "（二）服务外包", None, None),
    TocRow(2, "合同复印件-数据处理合同", 6, 9),
)


def _write(tmp_path: Path, selected: tuple[str, ...]) -> tuple[openpyxl.Workbook, object]:
    g, p = guide(), project(selected)
    ev = evaluate(g, p)
    name, _ = workbook_file_name(p.company.name)
    path = tmp_path / name
    write_workbook(path, g, p, ev, TOC)
    return openpyxl.load_workbook(path), ev


def _find_row(ws: object, col: int, value: str) -> int:
    for row in ws.iter_rows(min_col=col, max_col=col):  # type: ignore[attr-defined]
        if row[0].value == value:
            return int(row[0].row)
    raise AssertionError(f"{value} not in column {col}")


def test_file_name_is_the_company_name_made_safe() -> None:
    assert workbook_file_name("珠海/测试:科技有限公司") == ("珠海／测试：科技有限公司.xlsx", True)
    assert workbook_file_name("珠海甲乙科技有限公司") == ("珠海甲乙科技有限公司.xlsx", False)


def test_written_under_the_safe_name_and_no_temp_file_left(tmp_path: Path) -> None:
    _write(tmp_path, OUTSOURCING)
    assert [f.name for f in tmp_path.iterdir()] == ["珠海／测试：科技有限公司.xlsx"]


@pytest.mark.parametrize(
    ("selected", "sheets"),
    [
        (("service_trade_statistics",), ["申请表", "材料目录"]),
        (OUTSOURCING, ["申请表", "材料目录", "2018年度服务外包执行情况汇总表"]),
        (
            ("tcm_projects", "international_certification"),
            [
                "申请表",
                "材料目录",
                "中医药服务贸易项目表",
                "2018年度服务外包执行情况汇总表",
                "国际认证明细表",
            ],
        ),
        (
            (
                "talent_introduction",
                "talent_training",
                "public_service_center",
                "export_credit_insurance",
            ),
            [
                "申请表",
                "材料目录",
                "2018年度服务外包执行情况汇总表",
                "引进人才明细表",
                "培训花名册",
                "公共服务中心运营维护费用明细表",
                "投保明细表",
            ],
        ),
    ],
)
def test_exact_sheet_list_for_a_selection(
    tmp_path: Path, selected: tuple[str, ...], sheets: list[str]
) -> None:
    wb, _ = _write(tmp_path, selected)
    assert wb.sheetnames == sheets
    assert sheet_names(guide(), project(selected)) == sheets
    assert all(len(s) <= 31 and not set(s) & set("[]:*?/\\") for s in wb.sheetnames)


def test_contracts_sheet_typed_cells_and_usd_conversion(tmp_path: Path) -> None:
    wb, ev = _write(tmp_path, OUTSOURCING)
    ws = wb["2018年度服务外包执行情况汇总表"]
    header = [c.value for c in ws[3]]
    assert header == [
        "序号", "合同名称", "发包方", "国家/地区", "业务类型", "在岸/离岸", "集团关联公司",
        "币种", "合同金额（原币）", "执行金额（原币）", "折合美元", "执行日期", "备注",
    ]  # fmt: skip
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    first = [c.value for c in ws[4]]
    # a name that looks like a formula stays text
    assert first[1] == "=HYPERLINK(软件开发合同)" and ws.cell(4, 2).data_type == "s"
    assert first[4] == "软件研发服务（ITO）" and first[5] == "离岸" and first[6] == "否"
    cny = [c.value for c in ws[5]]
    assert cny[7] == "人民币"
    # 8,000,000 CNY ÷ 6.8632 CNY/USD (guide rate) = 1,165,637.02 USD
    assert cny[10] == pytest.approx(1165637.02)
    # HKD at the project's own rate 0.128: 400,000 x 0.128 = 51,200.00, out of period
    hkd = [c.value for c in ws[7]]
    assert hkd[10] == pytest.approx(51200.00)
    assert "不在支持期间" in hkd[12]
    for col in (9, 10, 11):
        c = ws.cell(5, col)
        assert isinstance(c.value, int | float) and c.number_format == MONEY_FORMAT
    date_cell = ws.cell(5, 12)
    assert date_cell.is_date and date_cell.value.date() == dt.date(2018, 9, 1)
    assert date_cell.number_format == "yyyy-mm-dd"
    # totals per scope equal the evaluation's measures
    for label, measure in [
        ("在岸执行金额（不含集团关联公司）", "onshore_execution_usd"),
        ("离岸执行金额", "offshore_execution_usd"),
        ("全年累计执行金额（在岸+离岸）", "outsourcing_total_usd"),
    ]:
        r = _find_row(ws, 2, label)
        # one 合计, merged down beside all the totals lines
        block = next(
            m for m in ws.merged_cells.ranges if m.min_col == 1 <= m.min_row <= r <= m.max_row
        )
        assert ws.cell(block.min_row, 1).value == "合计" and block.max_row > block.min_row
        assert Decimal(str(ws.cell(r, 11).value)) == ev.measures[measure].quantize(Decimal("0.01"))
    assert ev.measures["onshore_execution_usd"] == Decimal(8000000) / Decimal("6.8632")
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    # CJK counts double; the wide sheet's text columns were narrowed (their text wraps) to
    # print at >= 90 %, the business type column no narrower than the country column
    from app.workbook.cells import _LANDSCAPE_WIDTH, _text_width

    assert _text_width("软件研发") == 8 and _text_width("ITO") == 3
    assert ws.column_dimensions["E"].width >= ws.column_dimensions["D"].width
    widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(13)]
    assert sum(widths) <= _LANDSCAPE_WIDTH
    assert ws.cell(4, 5).alignment.wrap_text


def test_form_sheet_totals_equal_the_evaluation(tmp_path: Path) -> None:
    selected = (*OUTSOURCING, "international_certification", "tcm_projects")
    wb, ev = _write(tmp_path, selected)
    ws = wb["申请表"]
    assert ws.cell(1, 1).value.endswith("申请表")
    assert ws.cell(_find_row(ws, 1, "企业全称"), 3).value == "珠海/测试:科技有限公司"
    assert ws.cell(_find_row(ws, 1, "银行账号"), 3).value == "6217000000000000001"
    offshore = _find_row(ws, 3, "服务外包离岸业务")
    assert ws.cell(offshore, 5).value == 100000 and ws.cell(offshore, 6).value == 80000
    assert ws.cell(offshore, 5).number_format == MONEY_FORMAT
    total = _find_row(ws, 2, "合计")
    assert Decimal(str(ws.cell(total, 5).value)) == ev.total_ceiling_cny
    assert Decimal(str(ws.cell(total, 6).value)) == ev.total_requested_cny
    # 50,000 + 100,000 + 100,000 + 134,316.00, and 80,000 asked for offshore
    assert ev.total_ceiling_cny == Decimal("384316.00")
    assert ev.total_requested_cny == Decimal("364316.00")
    assert int(ws.page_setup.paperSize) == 9  # A4


def test_per_row_support_and_ceiling_on_the_certification_sheet(tmp_path: Path) -> None:
    wb, ev = _write(tmp_path, ("international_certification",))
    ws = wb["国际认证明细表"]
    header = [c.value for c in ws[3]]
    support = header.index("计入支持金额（元）") + 1
    # 300,000 CNY x 50 % capped at 100,000; 10,000 USD x 6.8632 x 50 % = 34,316.00
    assert ws.cell(4, support).value == 100000
    assert ws.cell(5, support).value == pytest.approx(34316.00)
    r = _find_row(ws, 2, "（六）国际认证支持上限（元）")
    assert (
        Decimal(str(ws.cell(r, support).value))
        == ev.items["international_certification"].ceiling_cny
    )
    assert ws.cell(4, header.index("类别") + 1).value == "新取得"
    assert ws.cell(4, header.index("取得（维护、升级）日期") + 1).is_date


def test_toc_sheet_keeps_page_numbers(tmp_path: Path) -> None:
    wb, _ = _write(tmp_path, OUTSOURCING)
    ws = wb["材料目录"]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=4)]
    assert rows == [
        ("基本材料", None, None, None),
        ("申请表", 3, 4, 2),
        ("营业执照复印件", 5, 5, 1),
        ("（二）服务外包", None, None, None),
        ("合同复印件-数据处理合同", 6, 9, 4),
    ]
    assert ws.cell(8, 1).alignment.indent == 4
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"


def test_unwritable_destination_is_an_output_error(tmp_path: Path) -> None:
    from app.system.errors import OutputError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    g, p = guide(), project(OUTSOURCING)
    with pytest.raises(OutputError, match="Excel"):
        write_workbook(blocker / "a.xlsx", g, p, evaluate(g, p), TOC)


def test_the_form_has_the_same_sections_in_the_pdf_and_the_excel_file(tmp_path: Path) -> None:
    """One 申请表: the same sections in the same order in both files, with seal boxes big enough
    for a 42 mm company seal and the district's seal (≥ 45 mm square)."""
    from openpyxl import load_workbook

    from app.outputs.build import BuildOptions, build
    from app.packet import form_layout
    from tests.packet_fixtures import MemorySource, project

    result = build(
        MemorySource(project(["export_credit_insurance"])),
        tmp_path / "out",
        BuildOptions(),
        today=dt.date(2019, 1, 10),
    )
    ws = load_workbook(result.workbook)["申请表"]
    cells = [(c.row, str(c.value)) for row in ws.iter_rows() for c in row if c.value is not None]
    found = [text for _r, text in cells if text in form_layout.sections(guide())]
    assert found == list(form_layout.sections(guide()))
    pdf_text = read_pdf_text(result.pdf).replace(" ", "")
    at = [pdf_text.find(s) for s in form_layout.sections(guide())]
    assert all(a >= 0 for a in at) and at == sorted(at)
    mm = 72 / 25.4
    for label, least in (
        (form_layout.COMPANY_SEAL_LABEL, 44),
        (guide().form.opinion_seal, 45),
    ):
        row = next(r for r, text in cells if text == label)
        assert ws.row_dimensions[row].height >= least * mm
    assert form_layout.LEGAL_REP_LINE in pdf_text.replace("\n", "")
    assert form_layout.COMPANY_SEAL_MM >= 44 and form_layout.DISTRICT_SEAL_MM >= 45
