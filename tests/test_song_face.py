"""The 申请表 and the 目录 are set in a Song face (宋体), as government forms are: the bundled
GB 2312 subset of AR PL UMing where Windows' SimSun is not there; a name with a character the
Song face lacks falls back to the sans font for that text (never a blank)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from app.packet.draw import Ink, missing_glyphs, style

SONG_PATH = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "uming-gb2312.ttf"
PHRASE = "珠海市内外经贸发展专项资金申请表（盖章）０７５６，。；："


def test_the_bundled_song_face_is_a_small_truetype_subset() -> None:
    data = SONG_PATH.read_bytes()
    assert data[:4] == b"\x00\x01\x00\x00"  # TrueType outlines (reportlab embeds only these)
    assert len(data) < 6_000_000  # one face, GB 2312: 4.8 MB instead of the 21 MB collection
    assert (SONG_PATH.parent / "LICENSE-arphic-uming.txt").is_file()
    song = Ink().song().font
    assert song != Ink().sans  # the Song face could be read
    assert missing_glyphs(PHRASE, song) == []


def test_a_character_outside_the_song_face_falls_back_to_sans() -> None:
    ink = Ink()
    song = ink.song()
    body = style(song, 10.5)
    assert body.fontName == song.font != ink.sans
    assert song.para("珠海澳澜", body).style.fontName == song.font
    rare = "王珺"  # 珺 is not in GB 2312 but the sans font has it
    assert missing_glyphs(rare, song.font) and not missing_glyphs(rare, ink.sans)
    assert song.para(rare, body).style.fontName == ink.sans
    assert song.warnings == ink.warnings == []


def fonts_on(page: Any) -> set[str]:
    found: set[str] = set()
    resources = page.get("/Resources") or {}
    fonts = resources.get("/Font") or {}
    for ref in fonts.values():
        found.add(str(ref.get_object().get("/BaseFont")))
    xobjects = resources.get("/XObject") or {}
    for ref in xobjects.values():
        found |= fonts_on(ref.get_object())
    return found


def test_form_and_contents_pages_use_the_song_face(tmp_path: Path) -> None:
    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs.build import BuildOptions, build
    from app.outputs.demo import demo_manifest
    from app.project import ProjectStore

    project = tmp_path / "p.sbproj"
    import_manifest(load_manifest(demo_manifest(tmp_path / "src")), project)
    with ProjectStore.open(project) as store:
        result = build(store, tmp_path / "out", BuildOptions(), today=dt.date(2019, 1, 28))
    reader = PdfReader(str(result.pdf))
    seen = {}
    for page in reader.pages:
        text = page.extract_text() or ""
        if "目" in text and "录" in text and "一、基本材料" in text:
            seen.setdefault("目录", fonts_on(page))
        if "申请表" in text and "一、申报单位基本情况" in text:
            seen.setdefault("申请表", fonts_on(page))
    assert set(seen) == {"目录", "申请表"}
    for name, fonts in seen.items():
        assert any("UMing" in f or "SimSun" in f for f in fonts), (name, fonts)
