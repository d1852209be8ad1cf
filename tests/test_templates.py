"""Word templates: which are written, their names, headings, company data, fonts and page."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

from app.outputs.templates import (
    narrative_documents,
    template_file_name,
    write_template,
    write_templates,
)
from tests.outputs_fixtures import guide, project

SELECTED = ("technology_trade", "tcm_projects", "international_certification")


def test_narrative_documents_per_row_for_tcm_projects() -> None:
    docs = narrative_documents(guide(), project(SELECTED))
    assert [(d.id, r) for d, r in docs] == [
        ("tt_advancement_statement", None),
        ("tcm_project_description", "t1"),
        ("tcm_project_description", "t2"),
        ("ic_application_report", None),
    ]
    assert narrative_documents(guide(), project(("outsourcing_onshore",))) == []


def test_file_names_are_safe_and_name_the_row() -> None:
    g, p = guide(), project(SELECTED)
    names = [template_file_name(g, p, d, r) for d, r in narrative_documents(g, p)]
    assert names == [
        "技术先进性说明材料.docx",
        "项目简单说明-澳门中医诊疗.docx",
        "项目简单说明-葡萄牙针灸培训.docx",
        "国际资质认证奖励申请报告.docx",
    ]


def test_templates_headings_in_order_company_data_and_facts(tmp_path: Path) -> None:
    g, p = guide(), project(SELECTED)
    paths = write_templates(tmp_path, g, p)
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(f.name for f in paths)
    report = docx.Document(str(tmp_path / "国际资质认证奖励申请报告.docx"))
    headings = [para.text for para in report.paragraphs if para.style.name == "Heading 1"]
    assert headings == list(g.document("ic_application_report").headings)
    texts = [para.text for para in report.paragraphs]
    cells = [c.text for t in report.tables for row in t.rows for c in row.cells]
    for value in ("珠海/测试:科技有限公司", "91440400MA4UXXXX0R", "张三", "李四", "0756-1234567"):
        assert value in cells
    # the certifications table with dates and costs, and the requested amount
    assert "CMMI-2018-001" in cells and "2018年5月20日" in cells and "10,000.00 美元" in cells
    assert any("134,316.00" in t for t in texts)
    # each heading is followed by a grey italic prompt
    prompts = [
        para
        for para in report.paragraphs
        if para.runs and para.runs[0].italic and para.text.startswith("【请在此填写")
    ]
    assert len(prompts) == len(headings)
    assert str(prompts[0].runs[0].font.color.rgb) == "808080"
    assert texts[-3].startswith("法定代表人签名") and texts[-1].startswith("日期")


def test_one_template_per_tcm_project_with_its_data(tmp_path: Path) -> None:
    g, p = guide(), project(SELECTED)
    doc = g.document("tcm_project_description")
    path = tmp_path / template_file_name(g, p, doc, "t2")
    write_template(path, g, p, doc, "t2")
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert "葡萄牙针灸培训" in cells and "里斯本己学院" in cells and "150,000.00 欧元" in cells
    assert "澳门中医诊疗" not in cells
    texts = "\n".join(para.text for para in d.paragraphs)
    assert "折合美元：171,750.00 美元" in texts  # 150,000 EUR x 1.1450
    headings = [para.text for para in d.paragraphs if para.style.name == "Heading 1"]
    assert headings == list(doc.headings)


def test_a4_page_and_east_asian_fonts(tmp_path: Path) -> None:
    g, p = guide(), project(SELECTED)
    path = write_templates(tmp_path, g, p)[0]
    d = docx.Document(str(path))
    section = d.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= section.left_margin.mm <= 35
    fonts = d.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:eastAsiaTheme")) is None
    heading = d.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:asciiTheme")) is None
    run = next(r for para in d.paragraphs for r in para.runs if r.text.strip())
    assert run.element.rPr.rFonts.get(qn("w:eastAsia")) in ("宋体", "黑体")


def test_tables_footer_and_properties_a_reviewer_sees(tmp_path: Path) -> None:
    import datetime as dt
    import zipfile

    from app.outputs.templates import TEXT_WIDTH_MM

    g, p = guide(), project(SELECTED)
    path = next(
        x for x in write_templates(tmp_path, g, p) if x.name == "国际资质认证奖励申请报告.docx"
    )
    d = docx.Document(str(path))
    text = "\n".join(para.text for para in d.paragraphs)
    assert "（（" not in text and "元（（" not in text
    # the certification table: columns follow their content and span the text width
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "认证名称")
    widths = [c.width.mm for c in table.rows[0].cells]
    assert abs(sum(widths) - TEXT_WIDTH_MM) < 1
    assert len({round(w) for w in widths}) > 2, "not seven equal columns"
    # the info table's label column is narrower than its value column
    info = d.tables[0]
    assert info.rows[0].cells[0].width < info.rows[0].cells[1].width
    # room between the title and the first table
    assert d.paragraphs[0].paragraph_format.space_after.pt >= 12
    # a page-number footer with PAGE and NUMPAGES fields
    footer = d.sections[0].footer.paragraphs[0]
    instrs = [f.get(qn("w:instr")) for f in footer._p.iter(qn("w:fldSimple"))]
    assert any("PAGE" in i for i in instrs) and any("NUMPAGES" in i for i in instrs)
    assert footer.text.startswith("第 ")
    # file properties: the template's title, the company, today's dates; no preview picture
    props = d.core_properties
    assert props.title == "国际资质认证奖励申请报告"
    assert props.author == p.company.name and props.last_modified_by == p.company.name
    assert props.comments == "" and props.created is not None
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert abs(props.created.replace(tzinfo=None) - now) < dt.timedelta(hours=1)
    assert props.created == props.modified
    with zipfile.ZipFile(path) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]
        assert "python-docx" not in z.read("docProps/core.xml").decode("utf-8")
        app_xml = z.read("docProps/app.xml").decode("utf-8")
        assert "<Application>申报材料助手</Application>" in app_xml and "Macintosh" not in app_xml
