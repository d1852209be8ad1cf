"""Files that other readers open must open: PDFs cut short, encrypted only on their attachments,
with an empty page box or a /UserUnit; tiny images; JPEGs with a broken colour profile. And
library chatter goes to the log, not in front of the user's message."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject, RectangleObject

from app.intake import errors as intake_errors
from app.intake import import_bytes
from app.intake.images import _without_icc
from app.system.errors import IntakeError
from tests.intake_support import encode, marked_pdf, render, upright_image
from tests.pdftools import pdf_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample"
AUDIT = SAMPLE / "scans" / "2018年度审计报告.pdf"


def _text(pdf: bytes, tmp: Path) -> str:
    return pdf_text(pdf)


# ------------------------------------------------------------------------- cut short


def _cuts(data: bytes) -> dict[str, bytes]:
    eof = data.rfind(b"%%EOF")
    return {
        "no-eof-marker": data[:eof],
        "last-100-bytes": data[:-100],
        "no-xref-table": data[: data.rfind(b"xref")],
    }


@pytest.mark.parametrize("cut", ["no-eof-marker", "last-100-bytes", "no-xref-table"])
@pytest.mark.parametrize("source", ["audit-report", "generated"])
def test_a_pdf_cut_short_is_repaired_and_says_so(source: str, cut: str, tmp_path: Path) -> None:
    whole = AUDIT.read_bytes() if source == "audit-report" else marked_pdf(pages=3)
    pages = len(PdfReader(io.BytesIO(whole)).pages)
    imported = import_bytes("截断.pdf", _cuts(whole)[cut])
    assert imported.page_count == pages
    assert any("已自动修复" in w and "“截断.pdf”" in w for w in imported.warnings)
    if source == "generated":
        text = _text(imported.pdf, tmp_path)
        assert all(f"Evidence page {n}" in text for n in range(1, pages + 1))


def test_an_intact_pdf_gets_no_repair_note() -> None:
    assert not any("修复" in w for w in import_bytes("好.pdf", marked_pdf()).warnings)


def test_a_rebuilt_copy_that_lost_page_content_is_refused_naming_the_pages() -> None:
    data = marked_pdf(pages=3)
    with pytest.raises(intake_errors.IncompleteFileError) as err:
        import_bytes("缺页.pdf", data[: int(len(data) * 0.8)])
    assert "“缺页.pdf”" in err.value.message and "第 3 页的内容已丢失" in err.value.message


def test_half_a_file_is_still_refused_by_name() -> None:
    data = AUDIT.read_bytes()
    with pytest.raises(IntakeError) as err:
        import_bytes("半个.pdf", data[: len(data) // 2])
    assert "“半个.pdf”" in err.value.message and "已损坏" in err.value.message


# ----------------------------------------------------------------------- encryption


def _attachments_only_encrypted(user_password: str) -> bytes:
    """Pages in the clear; only the attachment is encrypted (/StmF and /StrF /Identity, /EFF
    /StdCF), the way some e-invoice and bank tools protect what they attach."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf())))
    writer.add_attachment("secret.txt", b"attachment body")
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    assert writer._encryption is not None and writer._encrypt_entry is not None
    writer._encryption.StmF = "/Identity"
    writer._encryption.StrF = "/Identity"
    entry = writer._encrypt_entry
    entry[NameObject("/StmF")] = NameObject("/Identity")
    entry[NameObject("/StrF")] = NameObject("/Identity")
    entry[NameObject("/EFF")] = NameObject("/StdCF")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_encrypted_only_on_its_attachment_opens_without_a_password(tmp_path: Path) -> None:
    data = _attachments_only_encrypted("secret")
    assert "Evidence page 1" in _text(data, tmp_path)  # poppler opens it without asking
    asked: list[str] = []

    def password(name: str) -> str | None:
        asked.append(name)
        return None

    imported = import_bytes("附件加密.pdf", data, password)
    assert asked == []
    assert "Evidence page 1" in _text(imported.pdf, tmp_path)
    assert b"attachment body" not in imported.pdf and b"/Encrypt" not in imported.pdf


def test_a_really_protected_pdf_still_asks() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(intake_errors.PasswordRequiredError):
        import_bytes("加密.pdf", out.getvalue(), lambda _name: None)
    assert import_bytes("加密.pdf", out.getvalue(), lambda _name: "secret").page_count == 1


# ------------------------------------------------------------------------- page boxes


@pytest.mark.parametrize("box", [(0, 0, 0, 0), (10, 10, 10, 500), (0, 0, 0.5, 0.5)])
def test_an_empty_mediabox_falls_back_to_letter_with_a_warning(box: tuple[float, ...]) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf(pages=3))))
    writer.pages[1][NameObject("/MediaBox")] = RectangleObject(box)
    out = io.BytesIO()
    writer.write(out)
    imported = import_bytes("空页框.pdf", out.getvalue())
    assert imported.page_count == 3
    assert (imported.pages[1].width_pt, imported.pages[1].height_pt) == (612.0, 792.0)
    (note,) = [w for w in imported.warnings if "页面尺寸" in w]
    assert "“空页框.pdf”第 2 页" in note and "Letter" in note


def test_user_unit_sizes_the_page(tmp_path: Path) -> None:
    """ISO 32000-1 14.11.2: /UserUnit 4 makes each unit 4/72 inch: an A4-sized box is 4 x A4."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf())))
    writer.pages[0][NameObject("/UserUnit")] = NumberObject(4)
    out = io.BytesIO()
    writer.write(out)
    imported = import_bytes("大图.pdf", out.getvalue())
    assert (imported.pages[0].width_pt, imported.pages[0].height_pt) == (612 * 4, 792 * 4)
    page = PdfReader(io.BytesIO(imported.pdf)).pages[0]
    assert "/UserUnit" not in page
    # the drawing fills the bigger page as it filled the small one
    assert render(imported.pdf, dpi=9).getpixel((3, 3)) == (255, 0, 0)


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize("side", [1, 2, 3])
@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"])
def test_tiny_images_are_accepted_with_a_resolution_warning(fmt: str, side: int) -> None:
    data = encode(Image.new("RGB", (side, side), "red"), fmt)
    imported = import_bytes(f"小图.{fmt.lower()}", data)
    assert imported.page_count == 1
    page = imported.pages[0]
    assert min(page.width_pt, page.height_pt) >= 3.0
    assert any("分辨率偏低" in w for w in imported.warnings)


def _jpeg_with_profile_after_sof(mode: str, profile: bytes) -> bytes:
    """A JPEG whose APP2 ICC_PROFILE segment stands after the frame header (SOF)."""
    data = encode(upright_image((300, 400), mode), "JPEG", icc_profile=profile)
    segments, pos = [], 2
    while data[pos + 1] != 0xDA:
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        segments.append(data[pos:end])
        pos = end
    icc = [s for s in segments if s[1] == 0xE2]
    rest = [s for s in segments if s[1] != 0xE2]
    sof = next(i for i, s in enumerate(rest) if s[1] == 0xC0)
    return b"\xff\xd8" + b"".join(rest[: sof + 1] + icc + rest[sof + 1 :]) + data[pos:]


def _scan_data(jpeg: bytes) -> bytes:
    return jpeg[jpeg.index(b"\xff\xda") :]


@pytest.mark.parametrize("mode", ["L", "RGB", "CMYK"])
@pytest.mark.parametrize("where", ["before-sof", "after-sof"])
def test_a_broken_colour_profile_is_dropped_and_the_image_kept(mode: str, where: str) -> None:
    if where == "after-sof":
        data = _jpeg_with_profile_after_sof(mode, b"profile")
    else:
        data = encode(upright_image((300, 400), mode), "JPEG", icc_profile=b"profile")
    imported = import_bytes("色彩配置.jpg", data)
    assert imported.page_count == 1
    assert b"/ICCBased" not in imported.pdf
    # the compressed image data is embedded as it was (no second JPEG generation)
    assert _scan_data(data) in imported.pdf


def test_a_good_colour_profile_is_kept() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(upright_image((300, 400)), "JPEG", icc_profile=srgb)
    imported = import_bytes("好配置.jpg", data)
    assert b"/ICCBased" in imported.pdf
    assert data in imported.pdf  # passthrough, profile and all


def test_without_icc_only_removes_the_profile_segments() -> None:
    data = _jpeg_with_profile_after_sof("RGB", b"profile")
    stripped = _without_icc(data)
    assert b"ICC_PROFILE" in data and b"ICC_PROFILE" not in stripped
    assert len(data) - len(stripped) == len(b"ICC_PROFILE\0") + 2 + 2 + 2 + len(b"profile")
    with Image.open(io.BytesIO(stripped)) as image:
        image.load()
        assert image.size == (300, 400)


def test_the_file_dialog_offers_every_format_the_intake_reads() -> None:
    from widgets.errors import evidence_filter

    for ext in (".gif", ".webp", ".bmp", ".tif", ".png", ".jpg", ".pdf"):
        assert f"*{ext}" in evidence_filter()
    assert "GIF" in intake_errors.SUPPORTED


# ---------------------------------------------------------------- library messages


def test_library_lines_go_to_the_log_not_the_terminal(tmp_path: Path) -> None:
    """A truncated PDF makes pypdf log "EOF marker not found" (English): the user sees only our
    Chinese note; the line is in the log file."""
    folder = tmp_path / "样例"
    shutil.copytree(SAMPLE, folder)
    report = folder / "scans" / AUDIT.name
    whole = report.read_bytes()
    report.write_bytes(whole[: whole.rfind(b"%%EOF")])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["evidence"] = {"oso_audit_report": [f"scans/{AUDIT.name}"]}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    home = tmp_path / "home"
    env = {**os.environ, "PACKET_ASSEMBLER_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "import",
            str(folder / "manifest.json"),
            str(tmp_path / "p.sbproj"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    shown = done.stdout + done.stderr
    assert "EOF marker" not in shown and "Traceback" not in shown
    assert "已自动修复" in shown
    assert "EOF marker not found" in (home / "logs" / "library.log").read_text(encoding="utf-8")
