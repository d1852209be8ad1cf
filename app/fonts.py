"""The bundled CJK font (WenQuanYi Micro Hei) for everything reportlab draws.

reportlab embeds TrueType fonts as subsets, so registering the whole ``.ttc`` costs nothing in the
output. It silently draws a blank for a character the font lacks, so callers check text with
:func:`missing_glyphs` and warn the user.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.errors import AppError

FONT_NAME = "WQYMicroHei"
"""The name under which the font is registered with reportlab."""

FONT_PATH = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "wqy-microhei.ttc"
"""The bundled font file, found relative to this package (not the working directory)."""

_lock = threading.Lock()
_font: TTFont | None = None


def register_fonts() -> str:
    """Register the bundled font with reportlab (once) and return its name for ``setFont``."""
    global _font
    with _lock:
        if _font is None:
            try:
                registered = pdfmetrics.getFont(FONT_NAME)
            except KeyError:
                registered = None
            if isinstance(registered, TTFont):
                _font = registered
            else:
                try:
                    font = TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0)
                except (OSError, TTFError) as exc:
                    raise AppError(
                        f"程序自带的字体文件 {FONT_PATH} 缺失或已损坏，无法生成 PDF。"
                        f"请重新安装申报材料助手。"
                    ) from exc
                pdfmetrics.registerFont(font)
                _font = font
    return FONT_NAME


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of ``text`` the font cannot draw, in order of first appearance.

    Whitespace and control/format characters are ignored (they are never drawn).
    """
    register_fonts()
    assert _font is not None
    char_to_glyph: dict[int, int] = _font.face.charToGlyph
    missing: list[str] = []
    seen: set[str] = set()
    for char in text:
        if char in seen:
            continue
        seen.add(char)
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        if not char_to_glyph.get(ord(char)):
            missing.append(char)
    return missing
