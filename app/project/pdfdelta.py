"""A normalised PDF stored as what it adds to the original file.

Normalising a scan embeds the original's image data unchanged: a JPEG's bytes whole, a PNG's
compressed rows (its IDAT chunks, one after another), a PDF's image streams. Storing the
normalised PDF beside the original would keep those bytes twice. Instead it is stored as a
list of segments: literal bytes (the PDF's own objects, a few kilobytes a page) and references
to ranges of the original. Decoding is concatenation, so a build still reads a ready PDF with no
conversion, and the original stays byte for byte what the user gave.

The encoder looks only at stream data (found by the ``/Length`` of each stream, as the intake's
writers set it) and matches it greedily against the original, left to right, so a PNG's image
data split over several chunks is found piece by piece. Whatever it cannot match stays literal;
the result is checked by decoding it before it is used.
"""

from __future__ import annotations

import hashlib
import re

MAGIC = b"%SBPD-delta-1\n"
"""Starts an encoded blob (a PDF starts with ``%PDF-``: the two never collide)."""

_MIN_STREAM = 2048  # shorter streams are not worth a reference
_PROBE = 64
_CHUNK = 1 << 16
_STREAM = re.compile(rb"/Length (\d+)(?:[^<>]|<<[^<>]*>>){0,400}?>>\s*stream(\r\n|\n)")


def is_delta(blob: bytes) -> bool:
    return blob.startswith(MAGIC)


def encode(pdf: bytes, original: bytes) -> bytes:
    """``pdf`` as segments referring to ``original`` where they share bytes, or ``pdf`` itself
    when that saves nothing."""
    segments: list[tuple[int, int, int]] = []  # (pdf start, original start, length)
    hint = 0
    found = _STREAM.search(pdf)
    while found is not None:
        start, length = found.end(), int(found.group(1))
        if start + length > len(pdf):
            found = _STREAM.search(pdf, start)
            continue
        if length >= _MIN_STREAM:
            hint = _match(pdf, start, start + length, original, hint, segments)
        # the next object follows the stream's data: not searched through (a scan's megabytes)
        found = _STREAM.search(pdf, start + length)
    if not segments:
        return pdf
    out = [MAGIC]
    at = 0
    for pdf_start, orig_start, length in segments:
        if pdf_start > at:
            out.append(b"L%d\n" % (pdf_start - at))
            out.append(pdf[at:pdf_start])
        out.append(b"R%d %d\n" % (orig_start, length))
        at = pdf_start + length
    if at < len(pdf):
        out.append(b"L%d\n" % (len(pdf) - at))
        out.append(pdf[at:])
    blob = b"".join(out)
    if len(blob) >= len(pdf) or decode(blob, original) != pdf:
        return pdf
    return blob


def decode(blob: bytes, original: bytes) -> bytes:
    """The PDF ``blob`` stands for (``blob`` itself when it is not an encoded one). ValueError
    when the blob is malformed or refers beyond the original."""
    if not blob.startswith(MAGIC):
        return blob
    return b"".join(_pieces(blob, original))  # joined once: a reference is copied once


def sha256(blob: bytes, original: bytes) -> str:
    """The SHA-256 (hex) of :func:`decode`'s PDF, hashed piece by piece: the PDF is never put
    together (a scan's megabyte copied while holding Python's lock, for a check that only
    hashes it). ValueError as :func:`decode`."""
    digest = hashlib.sha256()
    for piece in _pieces(blob, original) if blob.startswith(MAGIC) else (blob,):
        digest.update(piece)
    return digest.hexdigest()


def _pieces(blob: bytes, original: bytes) -> list[bytes | memoryview]:
    """The encoded blob's segments, in order: literal bytes and views of the original."""
    parts: list[bytes | memoryview] = []
    pos, end = len(MAGIC), len(blob)
    view = memoryview(original)
    while pos < end:
        line_end = blob.find(b"\n", pos)
        if line_end < 0:
            raise ValueError("truncated segment header")
        head = blob[pos:line_end]
        pos = line_end + 1
        kind, _, rest = head[:1], None, head[1:]
        if kind == b"L":
            length = int(rest)
            if length < 0 or pos + length > end:
                raise ValueError("literal segment beyond the blob")
            parts.append(blob[pos : pos + length])
            pos += length
        elif kind == b"R":
            offset_text, _, length_text = rest.partition(b" ")
            offset, length = int(offset_text), int(length_text)
            if offset < 0 or length < 0 or offset + length > len(original):
                raise ValueError("reference beyond the original")
            parts.append(view[offset : offset + length])
        else:
            raise ValueError("unknown segment")
    return parts


def _match(
    pdf: bytes,
    start: int,
    stop: int,
    original: bytes,
    hint: int,
    segments: list[tuple[int, int, int]],
) -> int:
    """Cover ``pdf[start:stop]`` with ranges of ``original``, left to right, as far as they
    match; returns where the next search may start in the original."""
    pos = start
    while stop - pos >= _PROBE:
        probe = pdf[pos : pos + _PROBE]
        at = original.find(probe, hint)
        if at < 0 and hint:
            at = original.find(probe)
        if at < 0:
            break
        length = _common_length(pdf, pos, stop, original, at)
        if length < _PROBE:
            break
        segments.append((pos, at, length))
        pos += length
        hint = at + length
    return hint


def _common_length(pdf: bytes, pos: int, stop: int, original: bytes, at: int) -> int:
    """How many bytes from ``pdf[pos:stop]`` equal ``original[at:]``: the whole run compared at
    once (the usual case: a JPEG's bytes), else a chunk at a time to the first difference."""
    limit = min(stop - pos, len(original) - at)
    if pdf[pos : pos + limit] == original[at : at + limit]:
        return limit
    done = 0
    while done < limit:
        size = min(_CHUNK, limit - done)
        if pdf[pos + done : pos + done + size] == original[at + done : at + done + size]:
            done += size
            continue
        low, high = 0, size  # the first difference lies within this chunk
        while low < high:
            mid = (low + high) // 2
            if pdf[pos + done : pos + done + mid + 1] == original[at + done : at + done + mid + 1]:
                low = mid + 1
            else:
                high = mid
        return done + low
    return done
