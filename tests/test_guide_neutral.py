"""No guide fact in code: a second guide, written here (other items, other table ids, only CNY,
no declaration, no 文号, one stage), builds its packet PDF, workbook, Word templates, online
folder and review summary without a word of the 2019 guide; the 2019 guide's outputs keep
every one of those words (they are its data now)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.guide import load_guide
from app.guide.model import Guide
from app.model import EvidenceFile, PageInfo, ProjectData, Row
from app.outputs.build import BuildOptions, build
from app.outputs.online import write_online
from app.review.discover import find_sources
from app.review.run import review
from app.review.summary import write_summary
from app.rules.evaluation import evaluate
from app.rules.findings import required_documents, validate
from tests.packet_fixtures import COMPANY, GUIDE, MemorySource
from tests.packet_fixtures import project as project_2019

SECOND_GUIDE = """
format = 1
id = "test-trade-2023"
year = 2023
title = "某市外贸发展资金（示例事项）实施细则"
short_title = "2023年示例事项"
issuer = "某市商务局"
form_title = "2023年外贸发展资金（示例事项）申请书"
packet_title = "2023年外贸发展资金（示例事项）申请材料"
period_start = 2022-01-01
period_end = 2022-12-31
districts = ["香洲区", "金湾区"]
base_documents = ["application_form", "license"]
company_fields = [
  { id = "company_size", label = "企业规模", type = "choice", choices = { small = "小微企业", large = "大型企业" } },
  { id = "applicant_type", label = "申报主体类型", type = "text", required = false },
]

[[currencies]]
code = "CNY"
name = "人民币"

[tables.shows]
title = "参展项目"
sheet = "参展项目明细表"
row_label = "name"
period_mark = "【期外】"
columns = [
  { id = "name", label = "展会名称", type = "text" },
  { id = "budget", label = "预算", type = "money", unit = "CNY" },
  { id = "spent", label = "实际支出", type = "money", unit = "CNY" },
  { id = "held", label = "举办日期", type = "date" },
]
checks = [{ column = "spent", op = "<=", other = "budget", message = "实际支出超出预算。" }]

[measures.spent_cny]
label = "期内展位费"
kind = "sum"
table = "shows"
column = "spent"
unit = "CNY"
period_column = "held"

[documents.application_form]
title = "申请书"
kind = "generated"
generator = "application_form"

[documents.license]
title = "营业执照复印件"
kind = "scan"

[documents.shows_table]
title = "参展项目明细表"
kind = "generated"
generator = "table:shows"

[documents.report]
title = "参展情况报告"
kind = "narrative"
headings = ["一、企业基本情况", "二、参展业绩收入", "三、开展外贸业务情况"]

[[items]]
id = "fairs"
number = "一、"
title = "境外展会"
category = "展会"
summary = "境外参展展位费的一半，最高 10 万元。"
table = "shows"
documents = ["shows_table", "report"]
ceiling = { kind = "share", measure = "spent_cny", percent = 50, cap = 100000 }

[[conditions]]
id = "registered"
text = "在本市注册登记的企业。"

[[deadlines]]
id = "submit"
date = 2023-04-30
title = "申报截止"

[process]
[process.places.bureau]
name = "某市商务局"

[[process.stages]]
id = "open"
title = "准备材料"
next = "递交申请材料。"
deadline = "submit"
places = ["bureau"]
"""

# Words of the 2019 guide that lived in code: none may reach another guide's outputs.
WORDS_2019 = (
    "服务贸易",
    "服务外包",
    "珠商",
    "（）",
    "2018年",
    "2019",
    "（不在支持期间）",
    "执行金额",
    "合同金额",
    "折合美元",
    "美元",
    "国家外汇管理局",
    "6.8632",
    "正本",
    "副本",
    "一式两份",
    "ITO",
    "BPO",
    "KPO",
    "指导目录",
    "行业协会",
    "区商务部门",
    "初审",
    "国际认证",
    "人才引进",
    "申报单位承诺",
    "在岸",
    "离岸",
)


def _texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text: PDFs through pdftotext, workbooks cell by cell,
    Word files paragraph by paragraph (tables too), text files as they are. No spaces or line
    breaks, so that a wrapped word is still found."""
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
            ).stdout
        elif suffix == ".xlsx":
            wb = load_workbook(path)
            text = "\n".join(
                str(c.value)
                for ws in wb.worksheets
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            )
            text += "\n".join(f"{ws.title}\n{ws.oddHeader.center.text or ''}" for ws in wb)
        elif suffix == ".docx":
            doc = Document(str(path))
            parts = [p.text for p in doc.paragraphs]
            parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
            text = "\n".join(parts)
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        # Digests (SHA256SUMS.txt, the review's hashes) are random hex: "2019" may occur in one.
        text = re.sub(r"\b[0-9a-fA-F]{32,}\b", " ", text)
        out[str(path.relative_to(folder))] = "".join(text.split())
    return out


def _leaks(texts: dict[str, str], words: Iterable[str]) -> list[str]:
    return [f"{name}: {w}" for name, text in texts.items() for w in words if w in text]


@pytest.fixture(scope="module")
def second_guide(tmp_path_factory: pytest.TempPathFactory) -> Guide:
    path = tmp_path_factory.mktemp("guide") / "second.toml"
    path.write_text(SECOND_GUIDE, encoding="utf-8")
    return load_guide(path)


def _second_project(guide: Guide) -> ProjectData:
    rows = (
        Row("r1", {"name": "汉诺威工业展", "budget": Decimal(80000), "spent": Decimal(90000),
                   "held": dt.date(2022, 4, 20)}),
        Row("r2", {"name": "广交会", "budget": Decimal(50000), "spent": Decimal(40000),
                   "held": dt.date(2021, 10, 15)}),
    )  # fmt: skip
    base = ProjectData(
        guide_id=guide.id,
        company=replace(COMPANY, extra={"company_size": "small"}),
        selected=("fairs",),
        tables={"shows": rows},
        declaration_confirmed=True,
    )
    files = tuple(
        EvidenceFile(
            id=f"{doc_id}-{row_id or 'x'}",
            document_id=doc_id,
            row_id=row_id,
            name=f"{doc_id}.pdf",
            sha256=f"{n:064x}",
            size=1000,
            order=0,
            pages=(PageInfo(595.28, 841.89, 0, None),),
        )
        for n, (doc_id, row_id) in enumerate(required_documents(guide, base))
    )
    return ProjectData(
        guide_id=base.guide_id,
        company=base.company,
        selected=base.selected,
        tables=base.tables,
        evidence=files,
        declaration_confirmed=True,
    )


def _outputs(guide: Guide, data: ProjectData, root: Path) -> dict[str, str]:
    """Build the packet, the online folder and a review of the packet under ``root``."""
    source = MemorySource(data)
    today = dt.date(guide.year, 1, 10)
    result = build(source, root / "packet", BuildOptions(), today=today, guide=guide)
    assert not result.draft
    write_online(source, root / "online", today=today, guide=guide)
    found = find_sources([root / "packet"])
    summary = review(found, today=today)
    assert [r.error for r in summary.results] == [None]
    write_summary(root / "review" / "汇总.xlsx", summary.results)
    return _texts(root)


def test_the_second_guide_loads_with_neutral_defaults(second_guide: Guide) -> None:
    g = second_guide
    assert [c.code for c in g.currencies] == ["CNY"] and g.conversion is None
    assert g.document_no == "" and g.reference == g.title
    assert g.declaration == "" and g.form.opinion_title == ""
    assert g.cover_boxes == () and g.business_types == ()
    assert g.template_prompts == () and g.template_facts == ()
    assert g.process is not None and not g.process.has_review_print
    assert (g.process.review_copies, g.process.final_copies) == (1, 1)
    shows = g.table("shows")
    assert shows.totals == () and shows.period_mark == "【期外】"


def test_the_second_guide_checks_rows_with_its_own_data(second_guide: Guide) -> None:
    data = _second_project(second_guide)
    found = validate(second_guide, data, evaluate(second_guide, data))
    checks = [f for f in found if f.code == "table.row.check"]
    assert [f.message for f in checks] == ["“参展项目”第1行（汉诺威工业展）：实际支出超出预算。"]
    assert not [f for f in found if f.blocking]
    # Its own company field is required: missing, it blocks; the bundled guide asks none.
    bare = replace(data, company=replace(data.company, extra={}))
    missing = [f for f in validate(second_guide, bare, evaluate(second_guide, bare)) if f.blocking]
    assert [(f.code, f.message) for f in missing] == [
        ("company.company_size.missing", "请在“企业信息”页填写企业规模。")
    ]
    assert GUIDE.company_fields == ()


def test_no_word_of_the_bundled_guide_in_another_guides_outputs(
    second_guide: Guide, tmp_path: Path
) -> None:
    texts = _outputs(second_guide, _second_project(second_guide), tmp_path)
    kinds = {Path(name).suffix for name in texts}
    assert {".pdf", ".xlsx", ".docx"} <= kinds
    assert _leaks(texts, WORDS_2019) == []
    every = "".join(texts.values())
    # What the second guide declares does reach its outputs.
    assert second_guide.form_title in every and "参展项目明细表" in every
    assert "【期外】" in every  # 广交会 was held before the period
    assert every.count("企业规模小微企业") >= 2  # its own company field: PDF and Excel 申请表
    assert "申报事项：" + second_guide.title in every  # no （） after it
    # The plain 合计 line under the packet table: the sums of its yuan columns.
    packet = next(t for n, t in texts.items() if n.endswith("-申报材料.pdf"))
    assert packet.count("130,000.00") == 2 and "合计" in packet


def test_the_bundled_guide_outputs_keep_its_words(tmp_path: Path) -> None:
    data = project_2019(("outsourcing_onshore", "outsourcing_offshore", "tcm_projects"))
    *kept, last = data.rows("contracts")  # an onshore contract executed before the period
    early = Row(last.id, {**last.values, "execution_date": dt.date(2017, 12, 1)})
    data = replace(data, tables={**data.tables, "contracts": (*kept, early)})
    texts = _outputs(GUIDE, data, tmp_path)
    every = "".join(texts.values())
    for word in (
        "珠商〔2019〕28号",
        "执行金额折合美元",
        "在岸执行金额合计（不含集团关联公司）（美元）",
        "正本",
        "副本",
        "申报单位承诺",
        "区商务部门初审意见",
        "区商务部门（公章）",
        "（ITO）",
        "（不在支持期间）",
        "2018年度项目取得的业绩收入",  # a Word template's prompt
        "本项目计入支持金额：",  # ... and its facts
    ):
        assert word in every, word


def test_command_line_help_names_no_guide() -> None:
    """`--help` of the program and of every command speaks of guides in general."""
    import argparse

    from app.cli.commands import make_parser

    parser = make_parser()
    helps = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps += [sub.format_help() for sub in action.choices.values()]
    assert len(helps) > 5
    for word in ("服务贸易", "服务外包", "珠海", "区商务部门", "行业协会", "2019", "2018"):
        assert not [h for h in helps if word in h], word


def test_who_stamps_the_form_is_the_guides_word() -> None:
    """Messages about the stamped 申请表 name the guide's stamping body, or a neutral one."""
    from app.guide.loader import CHECKLIST_DIR, load_guide_text

    text = (CHECKLIST_DIR / "zhuhai-2019.toml").read_text(encoding="utf-8")
    own = load_guide_text(text, "2019")
    assert own.process is not None and own.process.stamper == "区商务部门"
    line = next(ln for ln in text.splitlines() if ln.startswith("stamped_by ="))
    other = load_guide_text(text.replace(line + "\n", ""), "无 stamped_by")
    assert other.process is not None and other.process.stamper == "审核单位"
