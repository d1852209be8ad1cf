"""Sideways and blank pages: judged at import (``app.intake.pagecheck``), stored with the page,
reported as ``page.sideways`` / ``page.blank`` findings, fixed by turning or removing pages."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import img2pdf
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.cli import main
from app.guide import DEFAULT_GUIDE_ID
from app.intake import ImportedFile, import_bytes, pagecheck
from app.project import ProjectStore
from app.rules.findings import page_findings
from tests.pagecheck_support import jpeg, page, sample_set, turned

# ---------------------------------------------------------------- rates on a generated set

SET_SIZE = 40


@pytest.fixture(scope="module")
def judged() -> list[tuple[str, int, ImportedFile]]:
    """(kind, clockwise turn laid at, imported) for a mixed set of generated JPEG pages."""
    out = []
    for sample, turn in sample_set(SET_SIZE, seed=11):
        data = jpeg(turned(sample.image, turn))
        out.append((sample.kind, turn, import_bytes(f"{sample.name}.jpg", data)))
    return out


def test_rotated_text_pages_are_flagged_upright_ones_are_not(judged) -> None:  # type: ignore[no-untyped-def]
    sideways = [f for kind, turn, f in judged if kind != "blank" and turn in (90, 270)]
    upright = [f for kind, turn, f in judged if kind != "blank" and turn == 0]
    assert len(sideways) >= 8 and len(upright) >= 8
    flagged = [f for f in sideways if f.pages[0].sideways]
    assert len(flagged) / len(sideways) >= 0.95
    assert sum(f.pages[0].sideways for f in upright) / len(upright) <= 0.02
    # the turn offered stands the page upright (or both are offered when unclear)
    for _kind, turn, f in judged:
        if f in flagged:
            assert (360 - turn) % 360 in f.pages[0].upright_turns


def test_blank_pages_are_flagged_light_pages_are_not(judged) -> None:  # type: ignore[no-untyped-def]
    blank = [f for kind, _turn, f in judged if kind == "blank"]
    light = [f for kind, _turn, f in judged if kind == "light"]
    text = [f for kind, _turn, f in judged if kind == "text"]
    assert blank and light
    assert all(f.pages[0].blank for f in blank)
    assert not any(f.pages[0].blank for f in light + text)


def test_justified_chinese_text_on_its_head_is_told_by_its_paragraph_ends() -> None:
    # straight on both sides: only the paragraphs' short last lines (and first-line indents)
    # tell which way up; 0 of these 12 were found on their head before, upright ones never
    on_head = 0
    for seed in range(12):
        upright = page("cn", seed).image
        assert import_bytes("a.jpg", jpeg(upright)).pages[0].upright_turns in ((0,), ())
        on_head += import_bytes("b.jpg", jpeg(turned(upright, 180))).pages[0].upright_turns == (
            180,
        )
    assert on_head >= 7


# ---------------------------------------------------------------- the ways a page comes in


def _text_pdf(angle: int) -> bytes:
    """A vector page whose text is drawn turned ``angle`` degrees counter-clockwise."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.translate(300, 420)
    c.rotate(angle)
    for i in range(30):
        c.drawString(-250, 280 - i * 15, f"Service agreement, payment within 30 days {i}")
    c.showPage()
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("angle", [0, 90, 180, 270])
def test_a_vector_page_is_judged_by_its_text(angle: int) -> None:
    f = import_bytes("text.pdf", _text_pdf(angle))
    # text turned counter-clockwise stands upright once the page turns clockwise as far
    assert f.pages[0].upright_turns == (angle,)
    assert f.pages[0].sideways == (angle != 0)
    assert not f.pages[0].blank


def test_an_empty_vector_page_is_blank() -> None:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.showPage()
    c.save()
    assert import_bytes("empty.pdf", out.getvalue()).pages[0].blank


def test_a_scanned_pdf_and_an_exif_turned_photo_are_judged_as_shown() -> None:
    upright = page("cn", 3).image
    scan = import_bytes("scan.pdf", img2pdf.convert(jpeg(turned(upright, 90))))
    assert scan.pages[0].sideways and 270 in scan.pages[0].upright_turns
    # stored sideways with an EXIF tag saying "turn 90° clockwise to view": shown upright
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    turned(upright, 270).save(buf, "JPEG", exif=exif, quality=80)
    photo = import_bytes("photo.jpg", buf.getvalue())
    assert photo.pages[0].source_rotation == 90
    assert not photo.pages[0].sideways and photo.pages[0].upright_turns == (0,)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_a_jpeg_is_judged_from_its_damage_check_decode_as_the_page_shows_it(
    orientation: int,
) -> None:
    # the JPEG's reduced-scale decode (which proved its data whole) is what is judged, turned
    # as its EXIF tag turns the page: the same verdict as judging the page from the PDF
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    page("latin", 1).image.save(buf, "JPEG", exif=exif, quality=80)
    imported = import_bytes("photo.jpg", buf.getvalue())
    shown = imported.pages[0].source_rotation
    assert shown == {1: 0, 3: 180, 6: 90, 8: 270}[orientation]
    assert imported.pages[0].upright_turns == ((360 - shown) % 360,)
    from_pdf = pagecheck.check_pdf(imported.pdf)[0]
    assert from_pdf is not None
    assert (from_pdf.turns, from_pdf.blank) == (imported.pages[0].upright_turns, False)


def test_the_check_never_refuses_a_file() -> None:
    # a 1x1 image: nothing to judge, and the import goes on
    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, "PNG")
    f = import_bytes("dot.png", buf.getvalue())
    assert f.page_count == 1 and not f.pages[0].sideways


# ---------------------------------------------------------------- stored, reported, fixed


def _stored(tmp_path: Path) -> tuple[Path, str, str]:
    """A project with a three-page file (upright, sideways, blank) and a one-page blank file."""
    upright = page("latin", 1).image
    pages = [upright, turned(page("cn", 2).image, 90), page("blank", 3).image]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], dpi=(150, 150))
    mixed = import_bytes("合同.tif", buf.getvalue())
    empty = import_bytes("空白.jpg", jpeg(page("blank", 4).image))
    path = tmp_path / "p.sbproj"
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        first = store.add_evidence("business_license", None, mixed)
        second = store.add_evidence("business_license", None, empty)
    return path, first, second


def test_findings_name_file_and_page_and_go_once_fixed(tmp_path: Path) -> None:
    path, first, second = _stored(tmp_path)
    with ProjectStore.open(path) as store:
        data = store.load()
        mixed = next(f for f in data.evidence if f.id == first)
        assert [p.sideways for p in mixed.pages] == [False, True, False]
        assert [p.blank for p in mixed.pages] == [False, False, True]
        found = {(x.code, x.where) for x in page_findings(data)}
        assert found == {
            ("page.sideways", f"evidence.{first}.1"),
            ("page.blank", f"evidence.{first}.2"),
            ("page.blank", f"evidence.{second}.0"),
        }
        messages = [x.message for x in page_findings(data)]
        assert any("合同.tif" in m and "第 2 页" in m for m in messages)
        # turned upright by the user: the finding goes
        turn = mixed.pages[1].turns_to_upright()[0]
        store.rotate_page(first, 1, turn)
        data = store.load()
        assert {x.where for x in page_findings(data)} == {
            f"evidence.{first}.2",
            f"evidence.{second}.0",
        }
        # the blank page removed from the packet's copy; the original stays as imported
        before = store.evidence_pdf(first)
        snap = store.remove_pages(first, [2])
        data = store.load()
        mixed = next(f for f in data.evidence if f.id == first)
        assert mixed.page_count == 2 and not any(p.blank for p in mixed.pages)
        assert len(PdfReader(io.BytesIO(store.evidence_pdf(first))).pages) == 2
        assert store.verify() == []
        assert {x.where for x in page_findings(data)} == {f"evidence.{second}.0"}
        with pytest.raises(ValueError):
            store.remove_pages(second, [0])  # the only page: remove the file instead
        # undone: the file exactly as it was, at its place
        store.replace_evidence(snap)
        data = store.load()
        assert [f.id for f in data.files_for("business_license")] == [first, second]
        assert store.evidence_pdf(first) == before
        assert next(f for f in data.evidence if f.id == first).page_count == 3


def test_check_json_reports_the_codes(tmp_path: Path) -> None:
    path, first, _second = _stored(tmp_path)
    out = io.StringIO()
    main(["check", str(path), "--json", "--today", "2019-02-01"], out, io.StringIO())
    codes = {(f["code"], f["where"]) for f in json.loads(out.getvalue())["findings"]}
    assert ("page.sideways", f"evidence.{first}.1") in codes
    assert ("page.blank", f"evidence.{first}.2") in codes


def test_an_unreadable_stored_analysis_means_not_judged(tmp_path: Path) -> None:
    import sqlite3

    path, first, _second = _stored(tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pages SET analysis = '{not json' WHERE file_id = ?", (first,))
    conn.commit()
    conn.close()
    with ProjectStore.open(path) as store:
        mixed = next(f for f in store.load().evidence if f.id == first)
    assert all(p.upright_turns == () and not p.blank for p in mixed.pages)


def test_sideways_counts_the_users_turn() -> None:
    from app.model import PageInfo

    base = PageInfo(595.0, 842.0, 0, None, upright_turns=(90, 270))
    assert base.sideways and base.turns_to_upright() == (90, 270)
    assert not replace(base, user_rotation=270).sideways
    assert replace(base, user_rotation=180).turns_to_upright() == (270, 90)
    assert not replace(base, upright_turns=(0,)).sideways
    assert not replace(base, upright_turns=()).sideways
