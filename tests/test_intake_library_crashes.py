"""Files that crash a library's parser get their own clear refusal, not the catch-all: a TIFF
whose second page has no dimensions (Pillow: "TypeError: Missing dimensions", as Pillow's own
crash corpus has) and a PDF whose page tree sits in an "object stream" that is not a stream
(pypdf subscripts it; qpdf, tried next, finds no page tree either; as pdf.js's issue9418.pdf).
An exception raised by our own code still reaches the catch-all, which logs it for us."""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import pytest

from app.intake import import_file
from app.intake.errors import DamagedFileError, map_exception, raised_in_library


def _ifd(tags: list[tuple[int, int, int, int]], next_offset: int) -> bytes:
    out = struct.pack("<H", len(tags))
    for tag, kind, count, value in tags:
        packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
        out += struct.pack("<HHI", tag, kind, count) + packed
    return out + struct.pack("<I", next_offset)


def tiff_second_page_without_dimensions() -> bytes:
    data_at = 400
    first = [(256, 3, 1, 4), (257, 3, 1, 4), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1)]
    first += [(273, 4, 1, data_at), (277, 3, 1, 1), (278, 3, 1, 4), (279, 4, 1, 16)]
    second = [(258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1), (273, 4, 1, data_at)]
    second += [(277, 3, 1, 1), (279, 4, 1, 16)]
    second_at = 8 + 2 + 12 * len(first) + 4
    body = b"II*\x00" + struct.pack("<I", 8) + _ifd(first, second_at) + _ifd(second, 0)
    return body + b"\x00" * (data_at - len(body)) + bytes(range(0, 256, 16))


def pdf_with_page_tree_in_a_non_stream() -> bytes:
    out = bytearray(b"%PDF-1.5\n")
    catalog_at = len(out)
    out += b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n"
    not_a_stream_at = len(out)
    out += b"26 0 obj\n42\nendobj\n"
    xref_at = len(out)
    where = {2: (1, catalog_at), 3: (1, xref_at), 26: (1, not_a_stream_at), 1: (2, 26)}
    rows = b"".join(struct.pack(">BHB", *where.get(n, (0, 0)), 0) for n in range(27))
    out += b"3 0 obj\n<< /Type /XRef /Size 27 /W [1 2 1] /Root 2 0 R /Length %d >>\n" % len(rows)
    out += b"stream\n" + rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("两页扫描.tif", tiff_second_page_without_dimensions),
        ("对象流.pdf", pdf_with_page_tree_in_a_non_stream),
    ],
)
def test_a_parser_crash_is_refused_as_damaged_not_through_the_catch_all(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, make: object
) -> None:
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    caplog.set_level(logging.INFO, logger="app.intake.errors")
    with pytest.raises(DamagedFileError) as caught:
        import_file(path)
    assert f"“{name}”" in caught.value.message and "已损坏" in caught.value.message
    assert isinstance(caught.value.__cause__, TypeError)  # what the library raised
    assert not [r for r in caplog.records if "unexpected" in r.getMessage()]


def test_our_own_bug_still_reaches_the_catch_all(caplog: pytest.LogCaptureFixture) -> None:
    try:
        {}["missing"]  # a bug of ours, raised in our frame
    except KeyError as exc:
        ours = exc
    assert not raised_in_library(ours)
    caplog.set_level(logging.WARNING, logger="app.intake.errors")
    assert isinstance(map_exception("a.pdf", ours), DamagedFileError)
    assert [r for r in caplog.records if "unexpected KeyError" in r.getMessage()]
