"""The low-level object writer of the packet assembler.

``Writer`` appends numbered objects to the output file and keeps their byte offsets for the
cross-reference table; ``Copier`` copies objects of a source PDF into it, each once, under new
numbers, without actions, annotations, name trees or page-tree links (removed by where they
stand, never by name: see ``app.system.pdf_active``), and makes a source page into a Form XObject. pypdf serialises every object (``write_to_stream``).
"""

from __future__ import annotations

import io
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from app.packet.layout import Matrix
from app.system import pdf_active
from app.system.ahead import Behind
from app.system.errors import OutputError


def fmt(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def matrix_text(matrix: Matrix) -> str:
    return " ".join(fmt(v) for v in matrix)


def serialise(obj: PdfObject) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def raw_stream_data(stream: StreamObject) -> bytes:
    # The stream's bytes exactly as stored (still encoded). pypdf keeps them in ``_data`` and
    # has no public accessor; its own clone/replicate copy ``_data`` the same way.
    data: bytes = stream._data
    return data


def indirect_ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, None)


_NAME_CACHE_MAX = 4096
_NAME_BYTES: dict[str, bytes] = {}


class _Name(NameObject):
    """A ``NameObject`` whose bytes are worked out once per distinct name: pypdf escapes a name
    character by character each time it writes one, a few microseconds for every key and name
    of every object copied (tens of thousands of times in a packet of a thousand pages)."""

    def renumber(self) -> bytes:
        found = _NAME_BYTES.get(self)
        if found is None:
            found = super().renumber()
            if len(_NAME_BYTES) < _NAME_CACHE_MAX:  # names a producer made up are unbounded
                _NAME_BYTES[str(self)] = found
        return found


def name(text: str) -> NameObject:
    """A PDF name (``"/Type"``) for an object the writer writes."""
    return _Name(text)


class Digest(Protocol):
    """What the writer feeds the bytes it writes to (a ``hashlib`` object)."""

    def update(self, data: bytes | memoryview, /) -> None: ...


TRIM_EVERY = 32 << 20
_DONTNEED = getattr(os, "POSIX_FADV_DONTNEED", None)


class _CacheTrim:
    """Keeps a large output from piling up in the page cache as it is written (Linux).

    Left alone, the kernel keeps every byte of a 1 GB packet in memory as dirty pages until its
    flusher gets to them, and every new page of the file takes fresh memory (on this project's
    virtual machine, a bare write of 4x the bytes took 4.7-9x the time); renaming the finished
    file over the previous packet then makes ext4 start the writeback of all of it at once,
    inside the rename. Every :data:`TRIM_EVERY` bytes, ``POSIX_FADV_DONTNEED`` starts the
    writeback of what was written since the last call (without waiting for it) and lets go of
    the part whose writeback started the call before: the file never holds more than about
    twice that in dirty memory and the rename finds little left to flush. Advice only: the
    bytes and their order are the same; where the call does not exist (Windows, macOS) or is
    refused, nothing is done."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh
        self._on = _DONTNEED is not None
        self.started = 0  # writeback started for [0, started)
        self._dropped = 0  # let go of [0, _dropped)

    def trim(self, pos: int) -> None:
        """Called at file position ``pos``; raises ``OSError`` only for a failed write."""
        if not self._on or _DONTNEED is None:
            self.started = pos
            return
        self._fh.flush()  # a write error surfaces here, as the next write would raise it
        try:
            fd = self._fh.fileno()
            os.posix_fadvise(fd, self.started, pos - self.started, _DONTNEED)
            if self.started > self._dropped:
                os.posix_fadvise(fd, self._dropped, self.started - self._dropped, _DONTNEED)
                self._dropped = self.started
        except OSError:
            self._on = False  # e.g. a file system that takes no advice: write as it comes
        self.started = pos


_HAND_OVER = 64 << 10
"""Writes of this size or more go to the writer's thread as they are; smaller ones are gathered
into pieces of about this size first."""

_BEHIND = 8 << 20
"""How far the file's writing may lag the assembling (bytes)."""


class Writer:
    """Appends numbered objects to a binary file and remembers their offsets.

    The file's writing, its checksum and the page-cache trims run on a thread of their own
    (:class:`app.system.ahead.Behind`, at most :data:`_BEHIND` bytes behind): the system calls
    and the hashing let go of Python's lock, so they overlap the copying of the next objects on
    another core. :meth:`finish` returns once every byte is in ``fh``; after a failure the
    caller calls :meth:`abandon` before closing ``fh``."""

    def __init__(
        self,
        fh: BinaryIO,
        path: Path,
        digest: Digest | None = None,
        trim_every: int = TRIM_EVERY,
    ) -> None:
        """``digest``: a ``hashlib`` object fed every byte written (the file is written once,
        front to back, so the output's checksum costs no second read). ``trim_every``: how
        many bytes are written between two page-cache trims (:class:`_CacheTrim`); 0: none
        (the file is read again at once)."""
        self._fh = fh
        self._path = path
        self._digest = digest
        self.pos = 0
        self._offsets: list[int] = [0]  # index 0: the free-list head
        self._cache = _CacheTrim(fh)
        self._trim_every = trim_every
        self._written = 0  # on the writer's thread
        self._small: list[bytes | memoryview] = []
        self._small_size = 0
        self._behind = Behind(self._sink, _BEHIND, name="packet-writer")

    def alloc(self) -> int:
        self._offsets.append(-1)
        return len(self._offsets) - 1

    def write(self, data: bytes | memoryview) -> None:
        self.pos += len(data)
        if len(data) >= _HAND_OVER:
            self._hand_small()
            self._hand(data)
            return
        self._small.append(data)
        self._small_size += len(data)
        if self._small_size >= _HAND_OVER:
            self._hand_small()

    def abandon(self) -> None:
        """Stop writing (after a failure): what is not yet written is dropped."""
        self._small.clear()
        self._behind.abandon()

    def _hand_small(self) -> None:
        if self._small:
            joined = b"".join(self._small)
            self._small.clear()
            self._small_size = 0
            self._hand(joined)

    def _hand(self, data: bytes | memoryview) -> None:
        try:
            self._behind.put(data)
        except OSError as exc:
            raise output_error(self._path, exc) from exc

    def _sink(self, data: bytes | memoryview) -> None:
        """On the writer's thread: one piece into the file, the checksum and the page cache."""
        self._fh.write(data)
        if self._digest is not None:
            self._digest.update(data)
        self._written += len(data)
        if self._trim_every and self._written - self._cache.started >= self._trim_every:
            self._cache.trim(self._written)

    def _begin(self, number: int) -> None:
        if self._offsets[number] != -1:
            raise RuntimeError(f"object {number} written twice")
        self._offsets[number] = self.pos
        self.write(b"%d 0 obj\n" % number)

    def object(self, number: int, obj: PdfObject) -> None:
        self._begin(number)
        self.write(serialise(obj))
        self.write(b"\nendobj\n")

    def stream(self, number: int, head: DictionaryObject, data: bytes) -> None:
        head[name("/Length")] = NumberObject(len(data))
        self._begin(number)
        self.write(serialise(head))
        self.write(b"\nstream\n")
        self.write(data)
        self.write(b"\nendstream\nendobj\n")

    def stream_bytes(self, number: int, head: bytes, data: bytes | memoryview) -> None:
        """A stream object whose dictionary is written already (``head``, its /Length
        ``len(data)``): for objects made without pypdf."""
        self._begin(number)
        self.write(head)
        self.write(b"\nstream\n")
        self.write(data)
        self.write(b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int, file_id: bytes) -> None:
        missing = [n for n, off in enumerate(self._offsets) if n and off < 0]
        if missing:
            raise RuntimeError(f"objects allocated but never written: {missing[:5]}")
        xref_at = self.pos
        lines = [b"xref\n0 %d\n" % len(self._offsets), b"0000000000 65535 f\r\n"]
        lines.extend(b"%010d 00000 n\r\n" % off for off in self._offsets[1:])
        self.write(b"".join(lines))
        trailer = DictionaryObject(
            {
                name("/Size"): NumberObject(len(self._offsets)),
                name("/Root"): indirect_ref(root),
                name("/Info"): indirect_ref(info),
                name("/ID"): ArrayObject([ByteStringObject(file_id), ByteStringObject(file_id)]),
            }
        )
        self.write(b"trailer\n" + serialise(trailer) + b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)
        self._hand_small()
        try:
            self._behind.close()
        except OSError as exc:
            raise output_error(self._path, exc) from exc


def output_error(path: Path, exc: OSError) -> OutputError:
    if isinstance(exc, PermissionError):
        return OutputError(
            f"无法写入 {path}：没有写入权限或文件正被其他程序占用。请关闭打开该文件的程序"
            f"（如 PDF 阅读器）后重试，或另选输出文件夹。"
        )
    if isinstance(exc, FileNotFoundError):
        return OutputError(f"无法写入 {path}：输出文件夹不存在。请重新选择输出文件夹后重试。")
    return OutputError(
        f"无法写入 {path}：{exc.strerror or exc}。请检查磁盘空间和输出文件夹后重试。"
    )


@dataclass
class Source:
    """One source PDF being copied from, with its object renumbering."""

    label: str  # Chinese description used in error messages
    reader: PdfReader
    numbers: dict[tuple[int, int], int]  # source (idnum, generation) -> output number
    forms: dict[int, tuple[int, float, float, float, float, int]]  # page -> form number, box, rot


@dataclass
class SourceState:
    """What survives of a source between loads: its renumbering (objects already written)."""

    numbers: dict[tuple[int, int], int] = field(default_factory=dict)
    forms: dict[int, tuple[int, float, float, float, float, int]] = field(default_factory=dict)


class Copier:
    """Copies source objects into the output, each once, under new numbers."""

    def __init__(self, out: Writer) -> None:
        self._out = out
        self._pending: list[tuple[Source, IndirectObject, int, bool]] = []

    def copy(self, src: Source, obj: PdfObject, name_keyed: bool = False) -> PdfObject:
        """A direct copy of ``obj`` whose references point at output objects (written later by
        :meth:`flush`). ``name_keyed``: ``obj`` is a dictionary whose keys are names the
        producer chose (a font resource dictionary, a Type 3 font's glyphs): all are kept."""
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            number = src.numbers.get(key)
            if number is None:
                number = self._out.alloc()
                src.numbers[key] = number
                self._pending.append((src, obj, number, name_keyed))
            return indirect_ref(number)
        if isinstance(obj, DictionaryObject):
            if obj.get("/Type") in ("/Page", "/Pages", "/Catalog"):
                return NullObject()
            copied = DictionaryObject()
            for key, value in obj.items():
                if key == "/Length" and isinstance(obj, StreamObject):
                    continue
                if not name_keyed:
                    resolved = value.get_object() if isinstance(value, IndirectObject) else value
                    if pdf_active.is_active(key, resolved) or pdf_active.is_back_link(
                        key, resolved
                    ):
                        continue
                child = pdf_active.child_is_name_keyed(name_keyed, key)
                copied[name(key)] = self.copy(src, value, child)
            return copied
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(src, item) for item in obj)
        if isinstance(obj, NameObject):
            return name(obj)
        return obj

    def flush(self) -> None:
        """Write every source object referenced so far (and what they reference)."""
        while self._pending:
            src, ref, number, name_keyed = self._pending.pop()
            obj = src.reader.get_object(ref)
            if obj is None:
                self._out.object(number, NullObject())
            elif isinstance(obj, StreamObject):
                head = self.copy(src, obj, name_keyed)
                assert isinstance(head, DictionaryObject)
                self._out.stream(number, head, raw_stream_data(obj))
            else:
                self._out.object(number, self.copy(src, obj, name_keyed))

    def form(self, src: Source, page_index: int) -> tuple[int, float, float, float, float, int]:
        """The Form XObject of a source page: its number, its box and its /Rotate."""
        known = src.forms.get(page_index)
        if known is not None:
            return known
        page = src.reader.pages[page_index]
        box = page.cropbox
        x0, y0, x1, y1 = (float(v) for v in (box.left, box.bottom, box.right, box.top))
        head = DictionaryObject(
            {
                name("/Type"): name("/XObject"),
                name("/Subtype"): name("/Form"),
                name("/BBox"): ArrayObject(FloatObject(v) for v in (x0, y0, x1, y1)),
            }
        )
        resources = page.raw_get("/Resources") if "/Resources" in page else None
        head[name("/Resources")] = (
            self.copy(src, resources) if resources is not None else DictionaryObject()
        )
        if "/Group" in page:
            head[name("/Group")] = self.copy(src, page.raw_get("/Group"))
        data = b""
        contents = page.raw_get("/Contents").get_object() if "/Contents" in page else None
        if isinstance(contents, StreamObject):
            data = raw_stream_data(contents)
            for key in ("/Filter", "/DecodeParms"):
                if key in contents:
                    head[name(key)] = self.copy(src, contents.raw_get(key))
        elif isinstance(contents, ArrayObject):
            parts = []
            for item in contents:
                part = item.get_object()
                if isinstance(part, StreamObject):
                    parts.append(part.get_data())
            data = zlib.compress(b"\n".join(parts), 6)
            head[name("/Filter")] = name("/FlateDecode")
        number = self._out.alloc()
        self._out.stream(number, head, data)
        self.flush()
        rotation = int(page.rotation) % 360
        result = (number, x0, y0, x1 - x0, y1 - y0, rotation)
        src.forms[page_index] = result
        return result
