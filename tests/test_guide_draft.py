"""``guide draft``: a guide file drafted from a guide's published text.

The 2019 text (tests/data/guide-2019-text.txt, copied from the published notice) is drafted and
compared with the bundled, hand-written checklists/zhuhai-2019.toml: at least 80 % of its items
must come out with the same cap, tiers, share and thresholds, and at least 80 % of its documents
with the same title. Two made-up texts of other shapes (第X条 articles with a list inside each
item, GB18030; 一、/（一）/（1） with lists on one line, a BOM, a .docx) show the reader is not
fitted to one text."""

from __future__ import annotations

import io
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from app.cli import main
from app.guide import load_guide
from app.guide.draft.command import run_draft
from app.guide.draft.meta import draft_guide
from app.guide.draft.model import TODO
from app.guide.draft.write import render
from app.guide.model import Ceiling, Guide, ItemSpec
from app.system.errors import GuideError

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TEXT_2019 = DATA / "guide-2019-text.txt"
ARTICLES = DATA / "guide-draft-articles.txt"
OUTLINE = DATA / "guide-draft-outline.txt"


def _draft_file(text: str, tmp_path: Path, name: str = "draft.toml", rate: str = "") -> Path:
    body = render(draft_guide(text), "原文.txt")
    if rate:
        body = body.replace(f'per_usd = "{TODO}"', f'per_usd = "{rate}"')
    out = tmp_path / name
    out.write_text(body, encoding="utf-8")
    return out


def _ceiling_key(c: Ceiling) -> tuple[object, ...]:
    return (
        c.kind,
        c.amount if c.kind == "fixed" else None,
        c.tiers,
        c.percent if c.kind == "share" else None,
        c.cap,
        c.per is not None,
        c.row_amount,
        c.row_share_percent if c.row_share_column else None,
        c.row_cap,
        c.max_rows,
        c.company_cap,
    )


def _bounds(item: ItemSpec, measures_only: bool) -> set[tuple[str, Decimal]]:
    out = set()
    for r in item.conditions:
        if isinstance(r.value, bool) or r.value is None or r.value == 0:
            continue
        if measures_only and r.measure is None:
            continue
        out.add((r.op, Decimal(str(r.value))))
    return out


def _norm(title: str) -> str:
    t = re.sub(r"[“”《》（）()、，,。；;：:\s]|提供|的", "", title)
    return t


def _same_title(a: str, b: str) -> bool:
    x, y = _norm(a), _norm(b)
    if x in y or y in x:
        return True
    bx = {x[i : i + 2] for i in range(len(x) - 1)}
    by = {y[i : i + 2] for i in range(len(y) - 1)}
    return 2 * len(bx & by) / (len(bx) + len(by)) >= 0.6


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Guide, Guide]:
    tmp = tmp_path_factory.mktemp("draft2019")
    drafted = load_guide(_draft_file(TEXT_2019.read_text(encoding="utf-8"), tmp, rate="6.8632"))
    bundled = load_guide(ROOT / "checklists" / "zhuhai-2019.toml")
    return bundled, drafted


def test_2019_items_recovered_with_amounts_tiers_and_thresholds(pair: tuple[Guide, Guide]) -> None:
    bundled, drafted = pair
    by_number = {i.number: i for i in drafted.items}
    recovered = []
    for item in bundled.items:
        got = by_number.get(item.number)
        if got is None:
            continue
        if _ceiling_key(got.ceiling) != _ceiling_key(item.ceiling):
            continue
        if not _bounds(item, measures_only=True) <= _bounds(got, measures_only=False):
            continue
        recovered.append(item.id)
    assert len(drafted.items) == len(bundled.items)
    assert len(recovered) >= 0.8 * len(bundled.items), recovered


def test_2019_documents_recovered(pair: tuple[Guide, Guide]) -> None:
    bundled, drafted = pair
    by_number = {i.number: i for i in drafted.items}
    wanted = found = 0
    for doc_id in bundled.base_documents:
        wanted += 1
        title = bundled.document(doc_id).title
        found += any(_same_title(title, drafted.document(d).title) for d in drafted.base_documents)
    for item in bundled.items:
        got = by_number.get(item.number)
        titles = [drafted.document(d).title for d in got.documents] if got else []
        for doc_id in item.documents:
            wanted += 1
            found += any(_same_title(bundled.document(doc_id).title, t) for t in titles)
    assert found >= 0.8 * wanted, f"{found}/{wanted}"


def test_2019_facts_and_kinds(pair: tuple[Guide, Guide]) -> None:
    bundled, drafted = pair
    assert drafted.year == 2019 and drafted.document_no == bundled.document_no
    assert (drafted.period_start, drafted.period_end) == (bundled.period_start, bundled.period_end)
    assert [d.date for d in drafted.deadlines] == [d.date for d in bundled.deadlines]
    assert [c.text for c in drafted.conditions] == [c.text for c in bundled.conditions]
    assert drafted.form_title == bundled.form_title
    assert drafted.document(drafted.base_documents[0]).generator == "application_form"
    assert len(set(bundled.notes) & set(drafted.notes)) == 3  # the 4th is in 申报时间
    report = next(d for d in drafted.documents if d.title == "书面申请报告")
    assert report.kind == "narrative" and report.headings[0] == "一、平台的功能说明"
    original = next(d for d in drafted.documents if "海关一般贸易统计证明" in d.title)
    assert original.original and not original.copy_of_original
    # "参照第2点“服务外包”准备…": a proof set standing for list 2's documents, as bundled
    cert = next(i for i in drafted.items if i.number == "（六）")
    proof = drafted.document(cert.documents[0])
    assert proof.kind == "proof_set" and proof.set is not None
    got_set = [drafted.document(d).title for d in drafted.document_set(proof.set).documents]
    bundled_set = [
        bundled.document(d).title for d in bundled.document_set("outsourcing_proof").documents
    ]
    assert sorted(map(_norm, got_set)) == sorted(map(_norm, bundled_set))
    # "离岸业务需提供…；在岸业务需提供…" splits between the two outsourcing items
    onshore, offshore = (
        next(i for i in drafted.items if i.number == n) for n in ("（二）1.", "（二）2.")
    )
    assert any("发票" in drafted.document(d).title for d in onshore.documents)
    assert not any("收汇凭证" in drafted.document(d).title for d in onshore.documents)
    assert any("收汇凭证" in drafted.document(d).title for d in offshore.documents)


def test_every_value_carries_its_source_and_the_rate_is_to_fill(tmp_path: Path) -> None:
    text = _draft_file(TEXT_2019.read_text(encoding="utf-8"), tmp_path).read_text(encoding="utf-8")
    tomllib.loads(text)  # valid TOML as written
    lines = text.splitlines()
    given = TEXT_2019.read_text(encoding="utf-8").splitlines()
    ceilings = [n for n, line in enumerate(lines) if line.startswith("ceiling = ")]
    assert len(ceilings) == 13
    for n in ceilings:  # each cap: a 【待核对】 comment just above, quoting its line of the text
        above = n - 1
        while lines[above].startswith("#     "):
            above -= 1
        m = re.match(r"# 【待核对】支持金额，第 (\d+) 行：“(.{6})", lines[above])
        assert m is not None, lines[above]
        assert m.group(2) in given[int(m.group(1)) - 1]
    items = text.count("[[items]]")
    assert text.count("# 【待核对】原文第") >= items == 13
    assert "分别给予每家企业不超过5万元" in text
    assert f'per_usd = "{TODO}"' in text and "须填写" in text
    with pytest.raises(GuideError, match="per_usd"):
        load_guide(tmp_path / "draft.toml")


def test_articles_guide_in_gb18030_loads_as_drafted(tmp_path: Path) -> None:
    src = tmp_path / "细则.txt"
    src.write_bytes(ARTICLES.read_text(encoding="utf-8").encode("gb18030"))
    out = tmp_path / "细则.toml"
    buf = io.StringIO()
    assert main(["guide", "draft", str(src), "--out", str(out)], out=buf) == 0
    assert "本程序已能读取此草稿" in buf.getvalue()
    g = load_guide(out)  # the rate, period and districts are in the text: loads as drafted
    assert g.document_no == "示商〔2023〕9号" and g.year == 2023
    assert g.districts == ("香洲区", "金湾区", "斗门区")
    assert g.currency("CNY").rate.value == Decimal("6.9")
    assert [i.number for i in g.items] == ["第四条", "第五条", "第六条"]
    offshore, fairs, platform = g.items
    assert offshore.ceiling.kind == "fixed" and offshore.ceiling.amount == 200000
    assert [(r.op, r.value) for r in offshore.conditions if r.measure] == [(">", 2000000)]
    assert fairs.ceiling.kind == "per_row" and fairs.ceiling.row_share_percent == 60
    assert (fairs.ceiling.row_cap, fairs.ceiling.max_rows) == (30000, 4)
    assert platform.ceiling.amount == 500000
    titles = [g.document(d).title for d in fairs.documents]
    assert titles == ["参展情况报告", "展位费发票复印件", "参展照片"]
    assert g.document(fairs.documents[0]).headings[1] == "二、成交情况"
    assert [g.document(d).title for d in g.base_documents][1] == "营业执照复印件"


def test_outline_guide_with_bom_and_one_line_lists(tmp_path: Path) -> None:
    src = tmp_path / "指南.txt"
    src.write_bytes(OUTLINE.read_text(encoding="utf-8").encode("utf-8-sig"))
    out = tmp_path / "指南.toml"
    buf = io.StringIO()
    assert main(["guide", "draft", str(src), "--out", str(out)], out=buf) == 0
    said = buf.getvalue()
    assert "districts" in said and "per_usd" in said  # not in the text: to fill
    assert "未能归位的原文" in said and "未用上的比例" in said  # the 60 % band has no place
    text = out.read_text(encoding="utf-8")
    assert "未能归位的原文" in text.split("[[items]]")[-1]
    g = load_guide(_draft_file(OUTLINE.read_text(encoding="utf-8"), tmp_path, "b.toml", "7.0"))
    scale, growth, marks, insurance = g.items
    assert scale.number == "（一）（1）" and scale.category == "出口规模增长"
    assert scale.ceiling.tiers == (
        (Decimal(10000000), Decimal(100000)),
        (Decimal(50000000), Decimal(200000)),
        (Decimal(100000000), Decimal(300000)),
    )
    assert growth.ceiling.amount == 50000
    assert (">", Decimal(20)) in _bounds(growth, measures_only=False)  # 增幅超过20%: a bound
    assert (marks.ceiling.kind, marks.ceiling.percent, marks.ceiling.cap) == ("share", 50, 150000)
    assert (insurance.ceiling.percent, insurance.ceiling.cap) == (80, 500000)
    assert [g.document(d).title for d in marks.documents] == [
        "境外商标注册证书复印件",
        "注册费用发票复印件",
        "银行付款凭证复印件",
    ]
    assert g.document(g.base_documents[2]).original


def test_docx_reads_like_the_text(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    for line in OUTLINE.read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    src = tmp_path / "指南.docx"
    doc.save(str(src))
    from_docx = render(draft_guide(_read(src)), "x")
    from_text = render(draft_guide(OUTLINE.read_text(encoding="utf-8")), "x")
    assert from_docx == from_text


def test_docx_table_rows_are_numbered_parts_in_place(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph("示例市展会资金申报指南（2024年）")
    doc.add_paragraph("二、支持内容和标准")
    table = doc.add_table(rows=3, cols=3)
    rows = [
        ("序号", "项目", "支持标准"),
        ("1", "境外展会", "按展位费的50%给予支持，每个展会最高不超过3万元。"),
        ("2", "线上展会", "给予每家企业不超过2万元支持。"),
    ]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    doc.add_paragraph("三、申报材料")
    doc.add_paragraph("1. 营业执照复印件。")
    src = tmp_path / "表格.docx"
    doc.save(str(src))
    draft = draft_guide(_read(src))
    assert [(i.number, i.title) for i in draft.items] == [("1.", "境外展会"), ("2.", "线上展会")]
    fair, online = draft.items
    assert fair.ceiling is not None and fair.ceiling["kind"] == "per_row"
    assert online.ceiling == {"kind": "fixed", "amount": Decimal(20000)}
    assert [d.title for d in draft.documents if d.id in draft.base_documents][
        -1
    ] == "营业执照复印件"


def _read(path: Path) -> str:
    from app.guide.draft.text import read_text

    return read_text(path)


def test_refusals_leave_nothing_behind(tmp_path: Path) -> None:
    err = io.StringIO()
    out = tmp_path / "d.toml"
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\xff\xfe" * 100)
    assert main(["guide", "draft", str(binary), "--out", str(out)], err=err) == 2
    assert "scan.txt" in err.getvalue() and "UTF-8" in err.getvalue() and not out.exists()
    for name, body in (("坏.docx", b"PK\x03\x04 not a zip"), ("指南.pdf", b"%PDF-1.4")):
        bad = tmp_path / name
        bad.write_bytes(body)
        err = io.StringIO()
        assert main(["guide", "draft", str(bad), "--out", str(out)], err=err) == 2
        assert name in err.getvalue() and ".docx" in err.getvalue() and not out.exists()
    notice = tmp_path / "notice.txt"
    notice.write_text("特此通知。\n示例市商务局\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["guide", "draft", str(notice), "--out", str(out)], err=err) == 2
    assert "没有找到任何申报项目" in err.getvalue() and not out.exists()
    err = io.StringIO()
    assert main(["guide", "draft", str(tmp_path / "无.txt"), "--out", str(out)], err=err) == 2
    assert "找不到" in err.getvalue()
    # an existing file (perhaps a checked guide) is not overwritten unless asked
    out.write_text("# 已核对\n", encoding="utf-8")
    err = io.StringIO()
    assert main(["guide", "draft", str(TEXT_2019), "--out", str(out)], err=err) == 2
    assert "--force" in err.getvalue() and out.read_text(encoding="utf-8") == "# 已核对\n"
    assert (
        main(["guide", "draft", str(TEXT_2019), "--out", str(out), "--force"], out=io.StringIO())
        == 0
    )
    assert "[[items]]" in out.read_text(encoding="utf-8")


def test_run_draft_reports_what_is_missing(tmp_path: Path) -> None:
    import argparse

    buf = io.StringIO()
    args = argparse.Namespace(text=TEXT_2019, out=tmp_path / "x.toml", force=False)
    assert run_draft(args, buf) == 0
    said = buf.getvalue()
    assert "13 个申报项目" in said and "基本材料 3 份" in said
    assert "per_usd" in said and "填写后本程序才能读取" in said


def test_the_filled_2019_draft_computes_tiers_and_rows(pair: tuple[Guide, Guide]) -> None:
    """The draft is a working guide once filled: the rules compute its tiers and per-row caps."""
    from app.model import ProjectData, Row
    from app.rules.evaluation import evaluate

    _bundled, drafted = pair
    onshore = next(i for i in drafted.items if i.number == "（二）1.")
    talent = next(i for i in drafted.items if i.number == "（七）1.")
    assert talent.table is not None
    salary, months = (c.id for c in drafted.table(talent.table).columns[1:3])

    def run(amount: int, rows: tuple[Row, ...] = ()) -> tuple[bool, Decimal, bool, Decimal]:
        project = ProjectData(
            guide_id=drafted.id,
            selected=(onshore.id, talent.id),
            inputs={
                onshore.id: {"eligible": True, "amount": Decimal(amount)},
                talent.id: {"eligible": True, "amount": Decimal(amount)},
            },
            tables={talent.table or "": rows},
        )
        ev = evaluate(drafted, project)
        a, b = ev.items[onshore.id], ev.items[talent.id]
        return a.eligible, a.ceiling_cny, b.eligible, b.ceiling_cny

    people = (
        Row("p1", {"name": "甲", salary: Decimal(250000), months: 24}),
        Row("p2", {"name": "乙", salary: Decimal(150000), months: 24}),  # 年薪 below 20万
        Row("p3", {"name": "丙", salary: Decimal(200000), months: 12}),  # both at the bound
    )
    assert run(5_000_000, people) == (True, Decimal(100000), True, Decimal(100000))
    assert run(4_999_999, people)[:2] == (True, Decimal(50000))
    assert run(999_999, people) == (False, Decimal(0), False, Decimal(0))


def test_mangled_texts_still_give_loadable_drafts(tmp_path: Path) -> None:
    """Lines dropped, swapped, cut, doubled or run together (a bad copy): never a crash, and
    every draft with items loads once its 【待填写】 values are filled."""
    import random

    texts = [p.read_text(encoding="utf-8").splitlines() for p in (TEXT_2019, ARTICLES, OUTLINE)]
    rng = random.Random(18)
    loaded = 0
    for n in range(30):
        lines = list(rng.choice(texts))
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(5)
            if op == 0:
                lines = [ln for ln in lines if rng.random() > 0.15]
            elif op == 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            elif op == 2:
                lines = [
                    ln[: rng.randrange(len(ln) + 1)] if rng.random() < 0.1 else ln for ln in lines
                ]
            elif op == 3:
                lines.insert(rng.randrange(len(lines)), rng.choice(lines) + rng.choice(lines))
            else:
                lines = ["".join(lines[i : i + 3]) for i in range(0, len(lines), 3)]
        draft = draft_guide("\n".join(lines))
        if not draft.items:
            continue
        body = render(draft, "x").replace(f'"{TODO}"', '"7"')
        path = tmp_path / f"{n}.toml"
        path.write_text(body, encoding="utf-8")
        load_guide(path)
        loaded += 1
    assert loaded >= 20
