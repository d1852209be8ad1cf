"""What a clerk can say of a flagged page ("此页无误", stored with the page in
``pages.analysis``), and pages stored before the page check existed (checked later: the window
stores what it finds, ``check`` computes it without writing)."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.guide import DEFAULT_GUIDE_ID
from app.intake import import_bytes
from app.intake.latecheck import check_stored, unchecked
from app.model import PageInfo
from app.project import SCHEMA_VERSION, ProjectStore
from app.project.evidence import decode_analysis, encode_analysis
from app.rules.findings import page_findings
from tests.pagecheck_support import old_project, three_pages

KEY = ("business_license", None)


def _codes(data: object, dismissed: bool = False) -> set[tuple[str, str]]:
    return {(f.code, f.where) for f in page_findings(data, dismissed)}  # type: ignore[arg-type]


def _check(path: Path) -> dict[str, object]:
    out = io.StringIO()
    main(["check", str(path), "--json", "--today", "2019-02-01"], out, io.StringIO())
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def _analysis(path: Path) -> list[object]:
    conn = sqlite3.connect(path)
    try:
        return [a for (a,) in conn.execute("SELECT analysis FROM pages ORDER BY page_index")]
    finally:
        conn.close()


# ---------------------------------------------------------------- 此页无误


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "p.sbproj"
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        fid = store.add_evidence(*KEY, import_bytes("执照.pdf", three_pages()))
    return path, fid


def test_a_dismissed_page_leaves_the_findings_and_is_listed_apart(project) -> None:  # type: ignore[no-untyped-def]
    path, fid = project
    with ProjectStore.open(path) as store:
        assert _codes(store.load()) == {
            ("page.sideways", f"evidence.{fid}.1"),
            ("page.blank", f"evidence.{fid}.2"),
        }
        store.set_page_fine(fid, 1, fine_blank=False, fine_turn=0)
        store.set_page_fine(fid, 2, fine_blank=True, fine_turn=None)
        data = store.load()
        assert _codes(data) == set()
        assert _codes(data, dismissed=True) == {
            ("page.sideways", f"evidence.{fid}.1"),
            ("page.blank", f"evidence.{fid}.2"),
        }
        # what the check found is kept beside what the clerk said
        pages = data.files_for(*KEY)[0].pages
        assert pages[1].sideways and pages[1].sideways_dismissed and not pages[1].flagged_sideways
        assert pages[2].blank and pages[2].blank_dismissed and not pages[2].flagged_blank
    found = _check(path)  # another PC: a fresh process reads the same file
    codes = {(f["code"], f["where"]) for f in found["findings"]}  # type: ignore[index, union-attr]
    assert not any(code.startswith("page.") for code, _ in codes)
    dismissed = {(f["code"], f["where"]) for f in found["dismissed"]}  # type: ignore[index, union-attr]
    assert dismissed == {
        ("page.sideways", f"evidence.{fid}.1"),
        ("page.blank", f"evidence.{fid}.2"),
    }
    assert found["pages_checked_now"] == 0
    out = io.StringIO()
    main(["check", str(path), "--today", "2019-02-01"], out, io.StringIO())
    assert "另有 2 页已确认无误" in out.getvalue().split("结论")[0]


def test_turning_a_dismissed_page_lifts_the_dismissal_turning_it_back_restores_it(project) -> None:  # type: ignore[no-untyped-def]
    path, fid = project
    with ProjectStore.open(path) as store:
        store.set_page_fine(fid, 1, fine_blank=False, fine_turn=0)
        store.rotate_page(fid, 1, 180)  # now on its other side: no longer as the clerk saw it
        page = store.load().files_for(*KEY)[0].pages[1]
        assert page.flagged_sideways and not page.sideways_dismissed
        assert ("page.sideways", f"evidence.{fid}.1") in _codes(store.load())
        store.rotate_page(fid, 1, -90)  # upright (at 90°): nothing to say, nothing dismissed
        page = store.load().files_for(*KEY)[0].pages[1]
        assert not page.sideways and not page.sideways_dismissed
        store.rotate_page(fid, 1, -90)  # back as it was when the clerk said it is right
        assert _codes(store.load()) == {("page.blank", f"evidence.{fid}.2")}


def test_removing_other_pages_keeps_a_pages_dismissal(project) -> None:  # type: ignore[no-untyped-def]
    path, fid = project
    with ProjectStore.open(path) as store:
        store.set_page_fine(fid, 1, fine_blank=False, fine_turn=0)
        snap = store.remove_pages(fid, [0])
        assert _codes(store.load()) == {("page.blank", f"evidence.{fid}.1")}
        assert _codes(store.load(), dismissed=True) == {("page.sideways", f"evidence.{fid}.0")}
        store.replace_evidence(snap)
        assert _codes(store.load(), dismissed=True) == {("page.sideways", f"evidence.{fid}.1")}
        with pytest.raises(IndexError):
            store.set_page_fine(fid, 7, fine_blank=True, fine_turn=None)
        with pytest.raises(KeyError):
            store.set_page_fine("nope", 0, fine_blank=True, fine_turn=None)


def test_the_stored_analysis_round_trips_and_older_readers_keep_their_keys() -> None:
    page = PageInfo(595.0, 842.0, 0, None, upright_turns=(90,), checked=True, fine_turn=270)
    text = encode_analysis(page)
    assert json.loads(text or "") == {"turns": [90], "blank": False, "fine_turn": 270}
    found = decode_analysis(text)
    assert (found.turns, found.blank, found.checked, found.fine_turn) == ((90,), False, True, 270)
    # a page checked and found unclear is stored as checked (not checked again later)
    assert decode_analysis(encode_analysis(PageInfo(1, 1, 0, None, checked=True))).checked
    assert encode_analysis(PageInfo(1, 1, 0, None)) is None
    assert not decode_analysis(None).checked and not decode_analysis("[1]").checked


# ---------------------------------------------------------------- pages stored before the check


@pytest.mark.parametrize("version", [5, 6])
def test_check_judges_an_old_files_pages_without_storing_them(tmp_path: Path, version: int) -> None:
    path = old_project(version, tmp_path)
    first = _check(path)
    pages = [f for f in first["findings"] if f["code"].startswith("page.")]  # type: ignore[index, union-attr]
    assert {(f["code"], f["where"].rsplit(".", 1)[1]) for f in pages} == {
        ("page.sideways", "1"),
        ("page.blank", "2"),
    }
    assert first["pages_checked_now"] == 3
    assert first["company"] == "旧版本公司"
    # the file was upgraded on opening (as always), the pages' analysis left as it was
    assert _analysis(path) == [None, None, None]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()
    assert _check(path)["pages_checked_now"] == 3
    out = io.StringIO()
    main(["check", str(path), "--today", "2019-02-01"], out, io.StringIO())
    assert "3 页是旧版本导入的" in out.getvalue() and "未写入项目文件" in out.getvalue()


def test_a_late_check_is_stored_only_on_unchecked_pages_of_the_same_pdf(tmp_path: Path) -> None:
    path = old_project(6, tmp_path)
    with ProjectStore.open(path) as store:
        (f,) = store.load().evidence
        assert unchecked(store.load().evidence) == {f.id: [0, 1, 2]}
        pdf = store.evidence_pdf(f.id)
        found = check_stored(pdf, [0, 1, 2])
        assert found is not None and found[2] == ((), True) and found[1][0] in ((90,), (270,))
        assert check_stored(pdf, [0, 1], cancelled=lambda: True) is None
        # another PDF than the one checked (pages removed meanwhile): nothing written
        assert not store.record_page_checks(f.id, "0" * 64, found)
        assert _analysis(path) == [None, None, None]
        assert store.record_page_checks(f.id, hashlib.sha256(pdf).hexdigest(), found)
        data = store.load()
        assert unchecked(data.evidence) == {}
        assert {c for c, _w in _codes(data)} == {"page.sideways", "page.blank"}
        # a second late check never overwrites what is stored (nor what the clerk said)
        store.set_page_fine(f.id, 2, fine_blank=True, fine_turn=None)
        store.record_page_checks(f.id, hashlib.sha256(pdf).hexdigest(), {2: ((), False)})
        assert store.load().evidence[0].pages[2].blank_dismissed
    assert _check(path)["pages_checked_now"] == 0
