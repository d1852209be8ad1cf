"""The assembler's object writer (app.packet.pdf_writer.Writer): offsets, bytes and checksum
stay right while it trims the page cache behind itself, and a failed write is an OutputError."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from app.packet.pdf_writer import Writer, indirect_ref
from app.system.errors import OutputError


def _write_pdf(writer: Writer, streams: list[bytes]) -> None:
    """A PDF whose one page lists ``streams`` as XObject-less content streams, in order."""
    writer.write(b"%PDF-1.7\n")
    catalog, pages, page = writer.alloc(), writer.alloc(), writer.alloc()
    numbers = [writer.alloc() for _ in streams]
    for number, data in zip(numbers, streams, strict=True):
        writer.stream(number, DictionaryObject(), data)
    writer.object(
        page,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Page"),
                NameObject("/Parent"): indirect_ref(pages),
                NameObject("/MediaBox"): ArrayObject([NumberObject(v) for v in (0, 0, 100, 100)]),
                NameObject("/Contents"): ArrayObject(indirect_ref(n) for n in numbers),
            }
        ),
    )
    writer.object(
        pages,
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject([indirect_ref(page)]),
                NameObject("/Count"): NumberObject(1),
            }
        ),
    )
    writer.object(
        catalog,
        DictionaryObject(
            {NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): indirect_ref(pages)}
        ),
    )
    info = writer.alloc()
    writer.object(info, DictionaryObject())
    writer.finish(catalog, info, b"0123456789abcdef")


def test_trimming_the_page_cache_keeps_every_byte_offset_and_the_checksum(
    tmp_path: Path,
) -> None:
    rng = random.Random(7)
    # Comment-only content streams (valid page content) of sizes around the trim window.
    streams = [
        b"%" + bytes(rng.choice(b"abcdefgh ") for _ in range(size)) + b"\n"
        for size in (10, 5000, 70_000, 4095, 4096, 300_000, 1, 12_345)
    ]
    out = tmp_path / "t.pdf"
    digest = hashlib.sha256()
    with out.open("wb", buffering=1 << 20) as fh:
        writer = Writer(fh, out, digest, trim_every=4096)  # a trim every few objects
        _write_pdf(writer, streams)
        assert writer.pos > 20 * 4096
    data = out.read_bytes()
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert len(data) == writer.pos
    reader = PdfReader(out, strict=True)  # strict: every xref offset must point at its object
    contents = reader.pages[0]["/Contents"]
    assert [part.get_object().get_data() for part in contents] == streams


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_write_that_fails_while_trimming_is_an_output_error(tmp_path: Path) -> None:
    fh = open("/dev/full", "wb", buffering=1 << 16)  # noqa: SIM115  # every write: ENOSPC
    try:
        writer = Writer(fh, tmp_path / "p.pdf", None, trim_every=1024)
        with pytest.raises(OutputError, match=r"p\.pdf"):
            _write_pdf(writer, [b"%" + b"x" * 5000 + b"\n"])
    finally:
        with contextlib.suppress(OSError):  # what is left in the buffer cannot be written
            fh.close()
