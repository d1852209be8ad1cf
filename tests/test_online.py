"""The online-declaration folder: numbered per-document PDFs named as in the 目录, each within
the size limit (a 25 MB 600-dpi scan is reduced and stays readable), the Excel file with its
对照表 sheet, the one-page 对照表, the notes; written atomically; the CLI command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import time
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from openpyxl import load_workbook
from PIL import Image, ImageDraw
from pypdf import PdfReader

from app.cli import main
from app.guide import guide_by_id
from app.intake import import_file
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import BlockedError
from app.outputs.demo import SAMPLE_MANIFEST
from app.outputs.online import MB, NOTES_NAME, TABLE_NAME, document_files, write_online
from app.packet.layout import A4
from app.project import ProjectStore
from app.rules.evaluation import evaluate, fmt_money
from app.system.errors import BuildCancelled, OutputError
from tests.outputs_support import snapshot, windows_error
from tests.packet_fixtures import evidence_pdf, marker
from tests.pdftools import pdf_text
from tests.pdftools import render as render_page
from tests.project_store_fixtures import imported

TODAY_ARG = "2019-02-20"
GUIDE = guide_by_id("zhuhai-service-trade-2019")


def sample(tmp_path: Path) -> Path:
    path = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), path)
    return path


def big_scan(path: Path) -> Path:
    """A 600-dpi A4 colour scan of grainy paper, about 27 MB as a JPEG, with a black block."""
    w, h = 4961, 7016
    noise = Image.frombytes("L", (w, h), os.urandom(w * h))
    grain = Image.merge(
        "RGB",
        (
            noise,
            noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
            noise.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
        ),
    )
    img = Image.blend(Image.new("RGB", (w, h), "white"), grain, 0.32)
    ImageDraw.Draw(img).rectangle((600, 600, 2400, 1400), fill="black")
    img.save(path, "JPEG", quality=96, dpi=(600, 600))
    return path


@pytest.fixture(scope="module")
def online(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("online")
    project = sample(tmp)
    with ProjectStore.open(project) as store:
        result = write_online(store, tmp / "网上申报", guide=GUIDE)
        data = store.load()
    return result, data, tmp


def test_numbered_documents_named_as_in_the_toc(online) -> None:  # type: ignore[no-untyped-def]
    result, data, tmp = online
    names = [p.name for p in result.documents]
    assert names[0] == f"01-{GUIDE.form_title}.pdf"
    assert names[1].startswith("02-企业营业执照")
    assert "07-服务外包合同（协议）复印件.pdf" in names
    assert any(n.endswith("（CMMI）.pdf") for n in names)  # per-row documents name their row
    assert [n[:3] for n in names] == [f"{k:02d}-" for k in range(1, len(names) + 1)]
    # every file is A4, within the limit; together they hold each evidence page once
    pages = 0
    for path in result.documents:
        assert path.stat().st_size <= result.limit_bytes == 10 * MB
        reader = PdfReader(path)
        pages += len(reader.pages)
        for page in reader.pages:
            box = page.mediabox
            assert abs(float(box.width) - A4[0]) < 0.5 and abs(float(box.height) - A4[1]) < 0.5
    assert pages >= sum(f.page_count for f in data.evidence)
    text = pdf_text(result.documents[1])
    assert "企业营业执照" in text  # the heading band names the document
    assert "共" not in text  # no page numbers: they would not be the bound packet's
    # nothing else in the folder, nothing left beside it
    expected = {*names, result.workbook.name, result.table_pdf.name, NOTES_NAME}
    assert {p.name for p in result.folder.iterdir()} == expected
    assert sorted(p.name for p in tmp.iterdir()) == ["示例.sbproj", "网上申报"]
    assert result.reductions == [] and result.too_large == []
    assert any("未经区商务部门盖章" in w for w in result.warnings)


def test_the_table_in_the_workbook_and_on_one_page(online) -> None:  # type: ignore[no-untyped-def]
    result, data, _ = online
    ev = evaluate(GUIDE, data)
    wb = load_workbook(result.workbook)
    assert wb.sheetnames[-1] == TABLE_NAME
    ws = wb[TABLE_NAME]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert len(rows) == len(ev.selected) + 1
    assert rows[-1][1] == "合计" and Decimal(str(rows[-1][4])) == ev.total_requested_cny
    for row, item_id in zip(rows, ev.selected, strict=False):
        assert row[1] == GUIDE.item(item_id).full_title
        assert Decimal(str(row[3])) == ev.items[item_id].ceiling_cny
    pdf = PdfReader(result.table_pdf)
    assert len(pdf.pages) == 1
    text = pdf_text(result.table_pdf)
    assert fmt_money(ev.total_requested_cny) in text and data.company.credit_code in text
    notes = result.notes.read_text(encoding="utf-8-sig")
    assert "http://ywgl.zhcz.gov.cn/" in notes and "10.0 MB" in notes and "实际要求" in notes
    # the guide states no size limit: ours is said as the program's, never the platform's
    assert "本程序的默认上限（建议），不是申报指南或平台公布的限制" in notes
    # What a clerk reads names no key of the guide file (size_limit_mb, min_dpi...).
    assert not re.search(r"[a-z]+_[a-z_]+", notes), notes


def test_a_25_mb_600_dpi_scan_is_reduced_and_stays_readable(tmp_path: Path) -> None:
    project = sample(tmp_path)
    scan = big_scan(tmp_path / "营业执照600dpi.jpg")
    assert scan.stat().st_size > 25 * MB
    with ProjectStore.open(project) as store:
        for f in store.load().files_for("business_license"):
            store.remove_evidence(f.id)
        store.add_evidence("business_license", None, import_file(scan, lambda _: None))
        result = write_online(store, tmp_path / "out", guide=GUIDE)
    (reduced,) = result.reductions
    license_pdf = next(p for p in result.documents if p.name.startswith("02-企业营业执照"))
    assert reduced.name == license_pdf.name and reduced.dpi == 200
    assert reduced.before > 25 * MB and reduced.after == license_pdf.stat().st_size
    assert license_pdf.stat().st_size <= result.limit_bytes and result.too_large == []
    notes = result.notes.read_text(encoding="utf-8-sig")
    assert license_pdf.name in notes and "200 dpi" in notes
    # still at least 200 dpi over a whole A4 page (so never below 150), and the block is black
    images: list[tuple[int, int]] = []

    def walk(resources: object) -> None:
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        for obj in xobjects.values() if isinstance(xobjects, pikepdf.Dictionary) else []:
            if obj.get("/Subtype") == "/Image":
                images.append((int(obj.Width), int(obj.Height)))
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    with pikepdf.open(license_pdf) as pdf:
        for page in pdf.pages:
            walk(page.obj.get("/Resources"))
    assert images and all(w >= 8.27 * 200 - 1 and h >= 11.69 * 200 - 1 for w, h in images), images
    page = render_page(license_pdf, 1, 30, gray=True)
    # the black block (4 % of the scan) is still black, the grainy paper still light
    histogram = page.histogram()
    dark = sum(histogram[:60]) / sum(histogram)
    assert 0.02 < dark < 0.06
    assert page.getpixel((page.width // 2, page.height * 2 // 3)) > 150


def test_the_stamped_form_is_what_is_uploaded(tmp_path: Path) -> None:
    project = sample(tmp_path)
    stamped = imported("盖章申请表.pdf", pages=1)
    stamped = dataclasses.replace(stamped, pdf=evidence_pdf("stamped", 1))
    with ProjectStore.open(project) as store:
        store.add_evidence("district_stamped_form", None, stamped)
        result = write_online(store, tmp_path / "out", guide=GUIDE)
    first = result.documents[0]
    assert first.name == f"01-{GUIDE.form_title}.pdf"
    assert marker("stamped", 0) in pdf_text(first)
    assert not any("未经区商务部门盖章" in w for w in result.warnings)


def test_a_file_over_a_tiny_limit_is_reported_and_blocking_problems_refuse(tmp_path: Path) -> None:
    assert GUIDE.process is not None
    tiny = dataclasses.replace(
        GUIDE,
        process=dataclasses.replace(
            GUIDE.process,
            online=dataclasses.replace(GUIDE.process.online, size_limit_mb=Decimal("0.01")),
        ),
    )
    project = sample(tmp_path)
    with ProjectStore.open(project) as store:
        result = write_online(store, tmp_path / "out", guide=tiny)
        assert len(result.too_large) == len(result.documents)  # vector pages: nothing to shrink
        assert "建议拆分后上传" in result.notes.read_text(encoding="utf-8-sig")
        store.set_company_field("name", "")
        with pytest.raises(BlockedError):
            write_online(store, tmp_path / "blocked", guide=GUIDE)
    assert not (tmp_path / "blocked").exists()


def test_cancel_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    project = sample(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "旧文件.txt").write_text("old", encoding="utf-8")
    calls = {"n": 0}

    def cancel() -> bool:
        calls["n"] += 1
        return calls["n"] > 30

    with ProjectStore.open(project) as store, pytest.raises(BuildCancelled):
        write_online(store, out, guide=GUIDE, cancel=cancel)
    assert [p.name for p in out.iterdir()] == ["旧文件.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "示例.sbproj"]


def test_a_file_held_open_half_way_leaves_the_old_online_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passed, then the 对照表 was opened: the set is rolled back as a whole."""
    project = sample(tmp_path)
    out = tmp_path / "网上申报"
    with ProjectStore.open(project) as store:
        write_online(store, out, guide=GUIDE)
        before = snapshot(out)
        real = os.replace

        def flaky(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
            if Path(b) == out / f"{TABLE_NAME}.pdf" and Path(a).parent.name == "new":
                raise windows_error(32)
            real(a, b)

        monkeypatch.setattr(os, "replace", flaky)
        monkeypatch.setattr(time, "sleep", lambda s: None)
        with pytest.raises(OutputError) as caught:
            write_online(store, out, guide=GUIDE, today=dt.date(2019, 2, 20))
    assert TABLE_NAME in caught.value.message and "占用" in caught.value.message
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["示例.sbproj", "网上申报"]


def test_cli_online(tmp_path: Path) -> None:
    project = sample(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["online", str(project), "--out", str(tmp_path / "o"), "--today", TODAY_ARG], out, err
    )
    assert code == 0, err.getvalue()
    assert "已生成网上申报文件夹" in out.getvalue() and "10.0 MB" in out.getvalue()
    assert (tmp_path / "o" / f"{TABLE_NAME}.pdf").exists()
    assert main(["online", str(tmp_path / "nope.sbproj"), "--out", str(tmp_path)], out, err) == 2
    with ProjectStore.open(project) as store:
        store.set_company_field("legal_rep", "")
    err = io.StringIO()
    assert main(["online", str(project), "--out", str(tmp_path / "b")], out, err) == 1
    assert "未生成网上申报文件夹" in err.getvalue() and "✗" in err.getvalue()
    assert not (tmp_path / "b").exists()


def test_document_files_skip_reference_pages(online) -> None:  # type: ignore[no-untyped-def]
    result, _, _ = online
    # the outsourcing proofs are printed once and referred to by later items: uploaded once
    names = [p.name for p in result.documents]
    assert sum("服务外包合同（协议）复印件" in n for n in names) == 1
    assert document_files  # the function the folder is cut by is public for the window
