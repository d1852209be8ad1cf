"""Issue 20.9: a low-resolution page is advised to be rescanned only when it is a scan; a
screenshot of a web page is advised to be taken again enlarged, or printed to PDF."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app.intake import import_bytes


def picture(fmt: str, size: tuple[int, int], dpi: int | None) -> bytes:
    img = Image.new("RGB", size, "white")
    ImageDraw.Draw(img).text((20, 20), "Credit China query result", fill="black")
    buf = io.BytesIO()
    kwargs = {"dpi": (dpi, dpi)} if dpi else {}
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()


def low_notes(name: str, data: bytes) -> list[str]:
    return [w for w in import_bytes(name, data).warnings if "分辨率偏低" in w]


def test_a_web_page_screenshot_is_not_told_to_be_rescanned() -> None:
    for name, data in [
        ("信用中国查询截图.png", picture("PNG", (1280, 900), None)),
        ("query.png", picture("PNG", (1280, 900), 96)),  # a screen's resolution, no scanner's
        ("平台页面截屏.jpg", picture("JPEG", (1280, 900), 72)),
    ]:
        notes = low_notes(name, data)
        assert len(notes) == 1, (name, notes)
        assert "重新扫描" not in notes[0] and "重新截图" in notes[0] and "打印" in notes[0]
        assert name in notes[0]


def test_a_low_resolution_scan_is_told_to_be_rescanned() -> None:
    for name, data in [
        ("营业执照副本.jpg", picture("JPEG", (800, 1130), 100)),
        ("合同扫描.png", picture("PNG", (800, 1130), 100)),  # a scanner writes its resolution
    ]:
        notes = low_notes(name, data)
        assert len(notes) == 1, (name, notes)
        assert "300 dpi 重新扫描" in notes[0] and "截图" not in notes[0]
