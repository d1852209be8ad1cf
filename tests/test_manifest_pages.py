"""The clerk's page edits in a manifest (``app.manifest.pages``): a page turned, a flagged page
said to be right ("此页无误") and pages removed survive export → import, ``check`` applies them
as import does, and a bad page entry is refused naming its key."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.cli import main
from app.guide import DEFAULT_GUIDE_ID
from app.intake import import_bytes
from app.manifest.load import load_manifest
from app.manifest.transfer import export_manifest, import_manifest
from app.model import EvidenceFile, ProjectData
from app.outputs.build import BuildOptions, build
from app.outputs.demo import demo_manifest
from app.project import ProjectStore
from app.rules.findings import page_findings
from app.system.errors import ManifestError
from tests.pagecheck_support import jpeg, page, turned

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = "2019-02-01"
TODAY_DATE = dt.date(2019, 2, 1)
TIFF = "合同02-工业产品外观设计外包合同.tif"


def four_pages() -> bytes:
    """A PDF: upright text, the same text lying sideways, an empty page, upright text."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)
    for angle in (0, 90, None, 0):
        if angle is not None:
            c.saveState()
            c.translate(300, 420)
            c.rotate(angle)
            for i in range(30):
                c.drawString(-250, 280 - i * 15, f"contract line {i} of the service agreement")
            c.restoreState()
        c.showPage()
    c.save()
    return out.getvalue()


def pages_of(f: EvidenceFile) -> list[tuple[int, bool, int | None]]:
    return [(p.user_rotation, p.fine_blank, p.fine_turn) for p in f.pages]


def packet_files(data: ProjectData) -> list[EvidenceFile]:
    return sorted(data.evidence, key=lambda f: (f.document_id, f.row_id or "", f.order))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- the round trip ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample imported, then edited as a clerk would: a four-page PDF with its first page
    removed, the sideways page turned, the empty page said to be meant and one page said right
    at another turn; a JPEG scan on its head turned 180° and said right; a page of the sample's
    two-page TIFF removed. Exported, imported into a new project, exported again."""
    base = tmp_path_factory.mktemp("pages")
    p1 = base / "one.sbproj"
    import_manifest(load_manifest(demo_manifest(base / "src")), p1)
    with ProjectStore.open(p1) as store:
        pdf = store.add_evidence(
            "business_license", None, import_bytes("执照附页.pdf", four_pages())
        )
        head = jpeg(turned(page("cn", 5).image, 180))
        scan = store.add_evidence("business_license", None, import_bytes("倒放扫描.jpg", head))
        store.remove_pages(pdf, [0])
        store.rotate_page(pdf, 0, 90)
        store.set_page_fine(pdf, 1, fine_blank=True, fine_turn=None)
        store.set_page_fine(pdf, 2, fine_blank=False, fine_turn=270)
        store.rotate_page(scan, 0, 180)
        store.set_page_fine(scan, 0, fine_blank=False, fine_turn=180)
        tiff = next(f.id for f in store.load().evidence if f.name == TIFF)
        store.remove_pages(tiff, [1])
        data1 = store.load()
    out1 = base / "export1" / "manifest.json"
    notes: list[str] = []
    with ProjectStore.open(p1) as store:
        export_manifest(store, out1, notes)
    p2 = base / "two.sbproj"
    import_manifest(load_manifest(out1), p2)
    out2 = base / "export2" / "manifest.json"
    with ProjectStore.open(p2) as store:
        data2 = store.load()
        export_manifest(store, out2)
    return {
        "p1": p1,
        "p2": p2,
        "out1": out1,
        "out2": out2,
        "data1": data1,
        "data2": data2,
        "ids": {"pdf": pdf, "scan": scan, "tiff": tiff},
        "notes": notes,
    }


def test_the_edits_are_in_the_new_project(trip: dict[str, Any]) -> None:
    one, two = packet_files(trip["data1"]), packet_files(trip["data2"])
    assert [f.page_count for f in two] == [f.page_count for f in one]
    assert [pages_of(f) for f in two] == [pages_of(f) for f in one]
    by_name = {f.name: f for f in two}
    assert pages_of(by_name["执照附页.pdf"]) == [
        (90, False, None),
        (0, True, None),
        (0, False, 270),
    ]
    assert pages_of(by_name["倒放扫描.jpg"]) == [(180, False, 180)]
    # the TIFF with a page removed came back as the program's PDF of the page kept
    assert TIFF not in by_name
    kept = by_name["合同02-工业产品外观设计外包合同.pdf"]
    assert kept.page_count == 1 and kept.document_id == "oso_contracts"
    # what the checker reports is the same: the turned and dismissed pages are not findings
    assert [(x.code, x.message) for x in page_findings(trip["data2"])] == [
        (x.code, x.message) for x in page_findings(trip["data1"])
    ]
    assert not any(
        "执照附页" in x.message or "倒放扫描" in x.message for x in page_findings(trip["data2"])
    )


def test_the_manifest_says_the_edits_by_page(trip: dict[str, Any]) -> None:
    raw = json.loads(trip["out1"].read_text(encoding="utf-8"))
    license_ = raw["evidence"]["business_license"]
    assert license_[0] == "evidence/business_license/营业执照副本.jpg"  # untouched: a path
    assert license_[1] == {
        "file": "evidence/business_license/执照附页.pdf",
        "pages": [
            {"page": 1, "rotate": 90},
            {"page": 2, "blank_ok": True},
            {"page": 3, "turn_ok": 270},
        ],
    }
    assert license_[2] == {
        "file": "evidence/business_license/倒放扫描.jpg",
        "pages": [{"page": 1, "rotate": 180, "turn_ok": 180}],
    }
    assert (
        "evidence/oso_contracts/合同02-工业产品外观设计外包合同.pdf"
        in raw["evidence"]["oso_contracts"]
    )


def test_exported_files_are_the_originals_unless_pages_were_removed(trip: dict[str, Any]) -> None:
    folder = trip["out1"].parent / "evidence"
    ids = trip["ids"]
    with ProjectStore.open(trip["p1"]) as store:
        scan = (folder / "business_license" / "倒放扫描.jpg").read_bytes()
        assert scan == store.evidence_original(ids["scan"])  # turned only: the original
        for key, rel, count in (
            ("pdf", "business_license/执照附页.pdf", 3),
            ("tiff", "oso_contracts/合同02-工业产品外观设计外包合同.pdf", 1),
        ):
            written = (folder / rel).read_bytes()
            assert written == store.evidence_pdf(ids[key])  # the pages the packet uses
            assert written != store.evidence_original(ids[key])
            assert len(PdfReader(io.BytesIO(written)).pages) == count
        # the sample's files nobody touched are their originals, byte for byte
        licence = next(f for f in store.load().evidence if f.name == "营业执照副本.jpg")
        assert (folder / "business_license" / "营业执照副本.jpg").read_bytes() == (
            store.evidence_original(licence.id)
        )
    # each file written as the program's PDF is said so, and only those
    assert len(trip["notes"]) == 2
    assert "“执照附页.pdf”" in trip["notes"][0] and "不是原文件" in trip["notes"][0]
    assert (
        f"“{TIFF}”" in trip["notes"][1]
        and "合同02-工业产品外观设计外包合同.pdf" in trip["notes"][1]
    )


def test_export_import_export_is_a_fixed_point(trip: dict[str, Any]) -> None:
    one, two = trip["out1"], trip["out2"]
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    files = sorted(
        p.relative_to(one.parent) for p in (one.parent / "evidence").rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(two.parent) for p in (two.parent / "evidence").rglob("*") if p.is_file()
    )
    for rel in files:
        assert sha((one.parent / rel).read_bytes()) == sha((two.parent / rel).read_bytes()), rel


def test_the_packets_have_the_same_pages(trip: dict[str, Any], tmp_path: Path) -> None:
    counts = []
    for key in ("p1", "p2"):
        with ProjectStore.open(trip[key]) as store:
            result = build(store, tmp_path / key, BuildOptions(draft=True), today=TODAY_DATE)
        counts.append(result.pages)
    assert counts[0] == counts[1]


# -- refusals ------------------------------------------------------------------------------------


def manifest_with(tmp_path: Path, entry: Any) -> Path:
    """A minimal manifest whose business licence is ``entry``; the folder holds ``四页.pdf``."""
    (tmp_path / "四页.pdf").write_bytes(four_pages())
    (tmp_path / "空白.jpg").write_bytes(jpeg(page("blank", 4).image))
    raw = {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": DEFAULT_GUIDE_ID,
        "evidence": {"business_license": [entry]},
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = info.value.message
    assert CJK.search(message) and "Traceback" not in message, message
    return message


@pytest.mark.parametrize(
    ("page_entry", "key", "says"),
    [
        ({"page": 1, "rotate": 45}, "pages[0].rotate", "0、90、180 或 270"),
        ({"page": 1, "rotate": "90"}, "pages[0].rotate", "0、90、180 或 270"),
        ({"page": 1, "rotate": 360}, "pages[0].rotate", "0、90、180 或 270"),
        ({"page": 1, "rotate": True}, "pages[0].rotate", "0、90、180 或 270"),
        ({"page": 0}, "pages[0].page", "从 1 数起"),
        ({"page": -2}, "pages[0].page", "从 1 数起"),
        ({"page": 1.5}, "pages[0].page", "从 1 数起"),
        ({"page": 2.0}, "pages[0].page", "从 1 数起"),
        ({"page": 1, "rotate": 90.0}, "pages[0].rotate", "0、90、180 或 270"),
        ({"page": "2"}, "pages[0].page", "从 1 数起"),
        ({"rotate": 90}, "pages[0]", "缺少"),
        ({"page": 1, "roate": 90}, "pages[0].roate", "未知的键"),
        ({"page": 1, "blank_ok": "yes"}, "pages[0].blank_ok", "true 或 false"),
        ({"page": 1, "turn_ok": 45}, "pages[0].turn_ok", "0、90、180、270"),
        ([1, 90], "pages[0]", "每页应为对象"),
    ],
)
def test_a_bad_page_entry_is_refused_naming_its_key(
    tmp_path: Path, page_entry: Any, key: str, says: str
) -> None:
    message = refused(manifest_with(tmp_path, {"file": "四页.pdf", "pages": [page_entry]}))
    assert f"evidence.business_license[0].{key}：" in message
    assert says in message


def test_a_bad_entry_object_is_refused_naming_its_key(tmp_path: Path) -> None:
    where = "evidence.business_license[0]"
    assert f"{where}.page：" in refused(manifest_with(tmp_path, {"file": "四页.pdf", "page": []}))
    assert f"{where}：" in refused(manifest_with(tmp_path, {"pages": []}))
    assert f"{where}.file：" in refused(manifest_with(tmp_path, {"file": 3}))
    assert f"{where}.pages：" in refused(manifest_with(tmp_path, {"file": "四页.pdf", "pages": {}}))
    twice = {"file": "四页.pdf", "pages": [{"page": 2}, {"page": 2, "rotate": 90}]}
    assert "重复" in refused(manifest_with(tmp_path, twice))


def test_the_object_form_and_a_plain_path_read_alike(tmp_path: Path) -> None:
    plain = load_manifest(manifest_with(tmp_path, "四页.pdf")).evidence[0]
    bare = load_manifest(manifest_with(tmp_path, {"file": "四页.pdf"})).evidence[0]
    empty = load_manifest(manifest_with(tmp_path, {"file": "四页.pdf", "pages": None})).evidence[0]
    assert (plain.path, plain.pages) == (bare.path, bare.pages) == (empty.path, empty.pages)
    assert plain.pages == ()
    edited = load_manifest(
        manifest_with(
            tmp_path,
            {
                "file": "四页.pdf",
                "pages": [
                    {"page": 3, "blank_ok": True},
                    {"page": 2, "rotate": 270, "turn_ok": True},
                ],
            },
        )
    ).evidence[0]
    assert [(e.index, e.rotate, e.blank_ok, e.turn_ok) for e in edited.pages] == [
        (1, 270, False, 270),
        (2, 0, True, None),
    ]


def test_a_page_beyond_the_file_is_refused_once_it_is_imported(tmp_path: Path) -> None:
    edits = [{"page": 2, "rotate": 90}, {"page": 5, "rotate": 90}]
    path = manifest_with(tmp_path, {"file": "四页.pdf", "pages": edits})
    manifest = load_manifest(path)  # the file's pages are known only once it is read
    project = tmp_path / "p.sbproj"
    with pytest.raises(ManifestError) as info:
        import_manifest(manifest, project)
    message = info.value.message
    assert "evidence.business_license[0].pages[1].page：" in message
    assert "四页.pdf" in message and "第 5 页" in message and "4 页" in message
    assert not project.exists() and list(tmp_path.glob("*.sbproj*")) == []
    # check says the same, as a blocking finding
    found = check_json(path)
    assert [f["message"] for f in found["findings"] if f["code"] == "evidence.page_missing"] == [
        message
    ]


# -- check applies the edits as import does --------------------------------------------------------


def check_json(path: Path) -> dict[str, Any]:
    out = io.StringIO()
    main(["check", str(path), "--json", "--today", TODAY], out, io.StringIO())
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def page_codes(found: dict[str, Any], key: str = "findings") -> list[str]:
    return sorted(f["code"] for f in found[key] if f["code"].startswith("page."))


def test_check_shows_no_finding_for_a_page_marked_right(tmp_path: Path) -> None:
    bare = check_json(manifest_with(tmp_path, "空白.jpg"))
    assert page_codes(bare) == ["page.blank"]
    marked = check_json(
        manifest_with(tmp_path, {"file": "空白.jpg", "pages": [{"page": 1, "blank_ok": True}]})
    )
    assert page_codes(marked) == [] and page_codes(marked, "dismissed") == ["page.blank"]
    # the four-page file: a sideways page and an empty one, turned and said to be meant
    four = check_json(manifest_with(tmp_path, "四页.pdf"))
    assert page_codes(four) == ["page.blank", "page.sideways"]
    turn = import_bytes("四页.pdf", four_pages()).pages[1].turns_to_upright()[0]
    edits = [{"page": 2, "rotate": turn}, {"page": 3, "blank_ok": True}]
    fixed = check_json(manifest_with(tmp_path, {"file": "四页.pdf", "pages": edits}))
    assert page_codes(fixed) == []
    # and an import of it shows the same
    project = tmp_path / "fixed.sbproj"
    import_manifest(load_manifest(tmp_path / "m.json"), project)
    with ProjectStore.open(project) as store:
        assert page_findings(store.load()) == []


# -- which bytes export writes ----------------------------------------------------------------------


def test_an_older_versions_project_exports_its_originals(tmp_path: Path) -> None:
    """Stored by the program of schema 6: normalising the original again gives the same PDF,
    so the original is written (and the page turned in it since, as an edit)."""
    from tests.pagecheck_support import old_project

    path = old_project(6, tmp_path)
    with ProjectStore.open(path) as store:
        (f,) = store.load().evidence
        store.rotate_page(f.id, 1, 90)
        export_manifest(store, tmp_path / "out" / "m.json")
        original = store.evidence_original(f.id)
    raw = json.loads((tmp_path / "out" / "m.json").read_text(encoding="utf-8"))
    assert raw["evidence"]["business_license"] == [
        {"file": "evidence/business_license/营业执照.pdf", "pages": [{"page": 2, "rotate": 90}]}
    ]
    assert (tmp_path / "out/evidence/business_license/营业执照.pdf").read_bytes() == original


def _damage_pdf(path: Path, file_id: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("UPDATE evidence_blobs SET pdf_sha256 = ? WHERE file_id = ?", ("0" * 64, file_id))
    conn.commit()
    conn.close()


def test_a_damaged_packet_copy_exports_the_original_only_when_it_fits(tmp_path: Path) -> None:
    path = tmp_path / "p.sbproj"
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        whole = store.add_evidence("business_license", None, import_bytes("整.pdf", four_pages()))
        cut = store.add_evidence("credit_record", None, import_bytes("删.pdf", four_pages()))
        store.rotate_page(whole, 3, 270)
        store.remove_pages(cut, [2])
    _damage_pdf(path, whole)
    with ProjectStore.open(path) as store:
        export_manifest(store, tmp_path / "a" / "m.json")  # the original has the four pages
        assert (tmp_path / "a/evidence/business_license/整.pdf").read_bytes() == (
            store.evidence_original(whole)
        )
    raw = json.loads((tmp_path / "a" / "m.json").read_text(encoding="utf-8"))
    assert raw["evidence"]["business_license"][0]["pages"] == [{"page": 4, "rotate": 270}]
    _damage_pdf(path, cut)
    with ProjectStore.open(path) as store, pytest.raises(ManifestError) as info:
        export_manifest(store, tmp_path / "b" / "m.json")
    assert "删.pdf" in info.value.message and "损坏" in info.value.message
    assert not (tmp_path / "b" / "m.json").exists()


def test_the_command_line_export_says_which_files_are_not_originals(tmp_path: Path) -> None:
    path = tmp_path / "p.sbproj"
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        cut = store.add_evidence("business_license", None, import_bytes("删.pdf", four_pages()))
        store.add_evidence("business_license", None, import_bytes("整.pdf", four_pages()))
        store.remove_pages(cut, [2])
    out = io.StringIO()
    assert main(["export", str(path), str(tmp_path / "out" / "m.json")], out, io.StringIO()) == 0
    said = [line for line in out.getvalue().splitlines() if line.startswith("提醒：")]
    assert len(said) == 1 and "“删.pdf”" in said[0] and "不是原文件" in said[0]
