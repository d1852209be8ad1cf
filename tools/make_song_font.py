"""Make the bundled Song (宋体-like) face for the 申请表 body and the 目录.

Source: AR PL UMing CN, face 0 of ``uming.ttc`` from Debian's ``fonts-arphic-uming``
(Arphic Public License, which allows redistribution and modification; the licence is shipped
beside the font). The full collection is 21 MB; this keeps one face and only GB 2312 (the 6,763
hanzi and the symbols clerks type), ASCII, Latin-1 punctuation, general punctuation, CJK symbols
and full-width forms, as a TrueType (glyf) font reportlab can embed and subset further.

Run by hand (needs fontTools, not a dependency of the program):
``python tools/make_song_font.py /usr/share/fonts/truetype/arphic/uming.ttc resources/fonts/uming-gb2312.ttf``
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path


def gb2312_characters() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # the gaps of the code table
                chars.add(bytes((hi, lo)).decode("gb2312"))
    return chars


def wanted() -> set[int]:
    codes = {ord(c) for c in gb2312_characters()}
    for lo, hi in (
        (0x20, 0x7E),
        (0xA0, 0xFF),
        (0x2010, 0x206F),
        (0x3000, 0x303F),
        (0xFF00, 0xFFEF),
    ):
        codes.update(range(lo, hi + 1))
    return codes


def main(source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    font = TTCollection(str(source)).fonts[0]
    options = subset.Options()
    options.layout_features = []  # no OpenType layout: reportlab does not use it
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted()))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    print(target, target.stat().st_size, "bytes,", font["maxp"].numGlyphs, "glyphs")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
