"""The fonts reportlab draws with: the bundled CJK sans (WenQuanYi Micro Hei) for everything,
and a Song face (宋体) for the 申请表 and the 目录, as government forms are set: the system's
SimSun where Windows has it, else the bundled AR PL UMing subset (GB 2312, Arphic Public License;
made by ``tools/make_song_font.py``).

reportlab embeds TrueType fonts as subsets, so registering the whole ``.ttc`` costs nothing in the
output. It silently draws a blank for a character the font lacks, so callers check text with
:func:`missing_glyphs` and warn the user. What reportlab reads from a font file is kept in the
user's cache folder for the next process (:mod:`app.system.font_cache`).
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.system.errors import AppError
from app.system.font_cache import load_ttfont

FONT_NAME = "WQYMicroHei"
"""The name under which the font is registered with reportlab."""

FONT_PATH = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
"""The bundled font file, found relative to this package (not the working directory)."""

SONG_NAME = "SongBody"
"""The name under which the Song face is registered with reportlab."""

SONG_PATH = FONT_PATH.with_name("uming-gb2312.ttf")
"""The bundled Song face (a GB 2312 subset of AR PL UMing CN, 4.8 MB)."""


# The PDFs we draw (every one registers these fonts first) have their streams compressed, not
# also ASCII85-encoded as reportlab does by default: without reportlab's optional C accelerator
# that encoding is pure Python (~20 % of drawing a packet's page-number overlay), and it makes
# the streams a quarter larger. Process-wide, as reportlab's settings are.
rl_config.useA85 = 0


def windows_fonts_dir(env: dict[str, str] | None = None) -> Path:
    """The Windows folder's Fonts (``%WINDIR%``, which is not always ``C:\\Windows``)."""
    env = dict(os.environ) if env is None else env
    windir = env.get("WINDIR") or env.get("SystemRoot") or env.get("SYSTEMROOT") or "C:/Windows"
    return Path(windir) / "Fonts"


SYSTEM_SONG = (windows_fonts_dir() / "simsun.ttc", 0)
"""Windows' SimSun (a TrueType collection; face 0 is 宋体), preferred where present."""

_FONT_FAULTS: tuple[type[Exception], ...] = (
    OSError,
    TTFError,
    KeyError,  # a font file without the tables reportlab looks up (e.g. 'name')
    IndexError,
    ValueError,
    struct.error,
)
"""What reportlab raises on a missing or damaged font file."""

_lock = threading.Lock()
_font: TTFont | None = None
_song: TTFont | None = None


def _registered(name: str) -> object | None:
    """The font registered under ``name``, or None. Never ``pdfmetrics.getFont`` for a name that
    may not be registered: reportlab then searches and parses every AFM file on the machine's
    font path (1.3 s of a build on a machine with Ghostscript's fonts) before giving up."""
    if name not in pdfmetrics.getRegisteredFontNames():
        return None
    font: object = pdfmetrics.getFont(name)
    return font


def register_fonts() -> str:
    """Register the bundled font with reportlab (once) and return its name for ``setFont``."""
    global _font
    with _lock:
        if _font is None:
            registered = _registered(FONT_NAME)
            if isinstance(registered, TTFont):
                _font = registered
            else:
                try:
                    font = load_ttfont(FONT_NAME, FONT_PATH, 0)
                except _FONT_FAULTS as exc:
                    raise AppError(
                        f"程序自带的字体文件 {FONT_PATH} 缺失或已损坏，无法生成 PDF。"
                        f"请重新安装申报材料助手。"
                    ) from exc
                pdfmetrics.registerFont(font)
                _font = font
    return FONT_NAME


def song_sources() -> list[tuple[Path, int]]:
    """Where the Song face may come from, in order of preference."""
    found = [SYSTEM_SONG] if sys.platform == "win32" and SYSTEM_SONG[0].is_file() else []
    return [*found, (SONG_PATH, 0)]


def register_song() -> str:
    """Register the Song face (once) and return its name; the sans font if none can be read
    (the form is then set in sans rather than not at all)."""
    global _song
    with _lock:
        if _song is None:
            registered = _registered(SONG_NAME)
            if isinstance(registered, TTFont):
                _song = registered
            for path, index in song_sources() if _song is None else []:
                try:
                    font = load_ttfont(SONG_NAME, path, index)
                except _FONT_FAULTS:
                    continue  # e.g. a damaged SimSun: the bundled Song face instead
                pdfmetrics.registerFont(font)
                _song = font
                break
    return SONG_NAME if _song is not None else register_fonts()


def missing_glyphs(text: str, font_name: str = FONT_NAME) -> list[str]:
    """The distinct characters of ``text`` the font cannot draw, in order of first appearance.

    Whitespace and control/format characters are ignored (they are never drawn).
    """
    register_fonts()
    face = _song if font_name == SONG_NAME and _song is not None else _font
    assert face is not None
    char_to_glyph: dict[int, int] = face.face.charToGlyph
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
