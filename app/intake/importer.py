"""Import one evidence file: sniff, convert or normalise, preflight; or refuse with a reason."""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import io
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.intake import errors, geometry, pagecheck
from app.intake.images import image_to_pdf
from app.intake.normal import NormalisedPdf, PasswordCallback, PdfPage, image_dpi
from app.intake.sniff import Kind, sniff
from app.model import PageInfo
from app.system.errors import BuildCancelled, IntakeError

ProgressCallback = Callable[[int, int, str], None]
"""(done, total, label): called before each file (label = its name) and once at the end."""


@dataclass(frozen=True)
class ImportedFile:
    name: str  # original file name (basename)
    original: bytes  # the original bytes, unchanged
    sha256: str  # hex of original
    pdf: bytes  # the normalised PDF: one upright page per evidence page, no /Rotate
    pages: tuple[PageInfo, ...]  # same order as the pages of pdf
    warnings: tuple[str, ...]  # Chinese, for the user

    @property
    def page_count(self) -> int:
        return len(self.pages)


def import_bytes(name: str, data: bytes, password: PasswordCallback | None = None) -> ImportedFile:
    """Normalise one evidence file given as bytes, or raise ``IntakeError`` naming it."""
    kind, normal, pages, views, notes = _normalised(name, data, password)
    pages = pagecheck.judged(pages, normal.pdf, views)
    notes.extend(_resolution_warnings(name, pages, _looks_like_screenshot(name, kind, data)))
    notes.extend(_size_warnings(name, pages, kind is Kind.PDF))
    return ImportedFile(
        name=name,
        original=data,
        sha256=hashlib.sha256(data).hexdigest(),
        pdf=normal.pdf,
        pages=pages,
        warnings=tuple(notes),
    )


def normalised_pdf(name: str, data: bytes, password: PasswordCallback | None = None) -> bytes:
    """The normalised PDF :func:`import_bytes` would store for these bytes (the same bytes:
    normalising is deterministic), without judging its pages (a third of the work); raises
    ``IntakeError`` naming the file as it does. Export uses it to tell whether a stored file is
    still what its original gives (no pages removed since)."""
    return _normalised(name, data, password)[1].pdf


def _normalised(
    name: str, data: bytes, password: PasswordCallback | None
) -> tuple[Kind, NormalisedPdf, tuple[PageInfo, ...], tuple[Image.Image | None, ...], list[str]]:
    """Sniff and normalise: the kind, the normalised PDF, its pages (not judged yet), the
    decoded images the page check may reuse, and the notes so far."""
    with errors.refusals(name):
        kind = sniff(name, data)
        notes: list[str] = []
        views: tuple[Image.Image | None, ...] = ()
        if kind is Kind.PDF:
            normal = _normalise_pdf(name, data, password)
            notes.extend(normal.notes)
            rotations = tuple(p.source_rotation for p in normal.pages)
        else:
            converted = image_to_pdf(name, data, kind)
            notes.extend(converted.warnings)
            if converted.boxes:
                # img2pdf's own pages are normal already (upright, at the origin, nothing
                # active): parsing and rewriting them would change nothing
                normal = NormalisedPdf(
                    converted.pdf,
                    tuple(
                        PdfPage(width, height, 0, image_dpi(px_w, px_h, width, height))
                        for width, height, px_w, px_h in converted.boxes
                    ),
                )
            else:
                normal = _normalise_pdf(name, converted.pdf)
            notes.extend(normal.notes)
            rotations = converted.rotations
            views = converted.views
            if len(rotations) != len(normal.pages):
                raise errors.DamagedFileError(name)
        pages = tuple(
            PageInfo(
                width_pt=page.width_pt,
                height_pt=page.height_pt,
                source_rotation=rotation,
                dpi=None if page.dpi is None else round(page.dpi, 1),
            )
            for page, rotation in zip(normal.pages, rotations, strict=True)
        )
    return kind, normal, pages, views, notes


def _normalise_pdf(
    name: str, data: bytes, password: PasswordCallback | None = None
) -> NormalisedPdf:
    """``app.intake.pdfs.normalise_pdf``, imported when the first file needs it: pypdf and the
    PDF writers it brings (~0.3 s) are not needed for a plain scan."""
    from app.intake.pdfs import normalise_pdf

    return normalise_pdf(name, data, password)


SCREEN_WORDS = ("截图", "截屏", "屏幕", "网页", "screenshot", "screen shot", "snip", "capture")
SCREEN_DPI = 96.0
"""At most this stored resolution (or none at all) in a PNG, BMP, GIF or WebP: a picture of a
screen, not a scan (scanners write 150-600 dpi into the file)."""


def _looks_like_screenshot(name: str, kind: Kind, data: bytes) -> bool:
    """A screenshot of a web page or program (信用中国查询截图.png): its resolution is the
    screen's, and rescanning is no advice for it."""
    lowered = name.lower()
    if any(word in lowered for word in SCREEN_WORDS):
        return True
    if kind not in (Kind.PNG, Kind.BMP, Kind.GIF, Kind.WEBP):
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi")
    except (OSError, ValueError, Image.DecompressionBombError):
        return True
    try:
        stored = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        stored = 0.0
    return stored < SCREEN_DPI + 1  # 96 dpi comes back as 96.012 from a PNG


def _resolution_warnings(
    name: str, pages: tuple[PageInfo, ...], screenshot: bool = False
) -> list[str]:
    low = [(i, p.dpi) for i, p in enumerate(pages, 1) if p.dpi is not None]
    low = [(i, dpi) for i, dpi in low if dpi < geometry.LOW_DPI]
    if screenshot:
        advice = (
            "这像是网页或软件的截图：如字迹不清，请把页面放大（浏览器中按 Ctrl 和 + 键）后"
            "重新截图，或在网页中“打印”为 PDF 后替换。"
        )
    else:
        advice = "如有条件，请用 300 dpi 重新扫描后替换。"
    notes = []
    for number, dpi in low:
        where = f"第 {number} 页" if len(pages) > 1 else ""
        notes.append(
            f"“{name}”{where}分辨率偏低（放到 A4 页面上约 {max(dpi, 1):.0f} dpi，"
            f"建议不低于 {geometry.LOW_DPI:.0f} dpi），打印后可能看不清。" + advice
        )
    return notes


SMALL_PAGE_MM = 100.0
"""A file whose every page is smaller than this on its long side (a business card is 90 mm)
is more likely a wrong export than a document: the packet enlarges it to A4."""

MANY_PAGES = 200
"""A file adding more sheets than this to the packet is worth a second look."""

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest evidence file read: far beyond any scan (a 600 dpi A4 colour page is ~3 MB as
JPEG), small enough to be held in memory while it is normalised."""


def _size_warnings(name: str, pages: tuple[PageInfo, ...], pdf: bool) -> list[str]:
    """Pages far smaller than a document's (PDFs only: an image's page size follows its
    resolution, judged by the resolution warning), and files of very many pages."""
    notes = []
    long_sides = [max(p.width_pt, p.height_pt) / geometry.MM for p in pages]
    if pdf and long_sides and max(long_sides) < SMALL_PAGE_MM:
        first = pages[0]
        notes.append(
            f"“{name}”的页面很小（约 {first.width_pt / geometry.MM:.0f}×"
            f"{first.height_pt / geometry.MM:.0f} 毫米），可能是导出或扫描设置有误；"
            "放入申报材料时会放大到 A4。请在预览中确认。"
        )
    if len(pages) > MANY_PAGES:
        notes.append(
            f"“{name}”共 {len(pages)} 页，将在申报材料中占 {len(pages)} 页。请确认选对了文件。"
        )
    return notes


def import_file(path: Path, password: PasswordCallback | None = None) -> ImportedFile:
    """Read and normalise one evidence file, or raise ``IntakeError`` naming it."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise errors.ReadError(name) from exc
    if size > MAX_FILE_BYTES:
        raise errors.TooLargeFileError(name, size, MAX_FILE_BYTES)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise errors.ReadError(name) from exc
    return import_bytes(name, data, password)


def import_files(
    paths: Sequence[Path],
    password: PasswordCallback | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[ImportedFile]:
    """Import several files, all or nothing: the first refusal raises ``IntakeError`` naming
    its file and nothing is returned; ``cancel()`` returning True raises ``BuildCancelled``.
    Folders are not expanded here (see ``expand_paths``)."""
    total = len(paths)
    imported: list[ImportedFile] = []
    for done, path in enumerate(paths):
        if cancel is not None and cancel():
            raise BuildCancelled()
        if progress is not None:
            progress(done, total, path.name)
        imported.append(import_file(path, password))
    if cancel is not None and cancel():
        raise BuildCancelled()
    if progress is not None:
        progress(total, total, "")
    return imported


def import_stream(
    paths: Sequence[Path],
    password: PasswordCallback | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> Iterator[ImportedFile]:
    """Import several files, yielding each in order as soon as it and those before it are
    done; the first refusal raises ``IntakeError`` naming its file (what was yielded before is
    the consumer's to discard: ``ProjectStore.add_evidence_stream`` keeps all or none), and
    ``cancel()`` returning True raises ``BuildCancelled``.

    Files are normalised by ``workers`` threads (default: :func:`default_workers`), a few files
    ahead of the consumer, so memory holds a handful of files whatever the batch: image
    decoding, hashing and compression run outside Python's lock, and the consumer's writes to
    the project file overlap the next files' work. A password prompt is asked one at a time."""
    for item in _stream(paths, password, progress, cancel, workers):
        assert isinstance(item, ImportedFile)  # refusals are raised, not yielded
        yield item


def import_stream_lenient(
    paths: Sequence[Path],
    password: PasswordCallback | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> Iterator[ImportedFile | IntakeError]:
    """:func:`import_stream`, but one bad file does not sink the others: a refused file is
    yielded as its ``IntakeError`` in its place (the consumer lists it and goes on); only
    cancelling stops the stream."""
    return _stream(paths, password, progress, cancel, workers, lenient=True)


def default_workers() -> int:
    """Threads normalising files: one more than the cores, at most 4. A worker holds Python's
    lock between its long library calls (decoding, hashing, compressing), and the writer and
    the stager want it too: with only as many workers as cores, a core idles while they wait
    (measured on 2 cores: 3 workers import the benchmark corpus ~20 % faster than 2)."""
    return min(4, (os.cpu_count() or 1) + 1)


MAX_AHEAD_FILES = 64
AHEAD_BYTES = 48 * 1024 * 1024
"""How far the workers run ahead of the consumer: at least two files a worker, more while the
files ahead (those being normalised and those done, waiting for their turn) hold less than
this many bytes of input, at most :data:`MAX_AHEAD_FILES`. A slow file (a long multipage TIFF,
a big PDF) then does not idle the other workers while the files after it wait their turn."""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # import_file reports it


def _one(
    path: Path, password: PasswordCallback | None, lenient: bool
) -> ImportedFile | IntakeError:
    try:
        return import_file(path, password)
    except IntakeError as exc:
        if lenient:
            return exc
        raise


def _stream(
    paths: Sequence[Path],
    password: PasswordCallback | None = None,
    progress: ProgressCallback | None = None,
    cancel: Callable[[], bool] | None = None,
    workers: int | None = None,
    lenient: bool = False,
) -> Iterator[ImportedFile | IntakeError]:
    """:func:`import_stream`; with ``lenient`` a refused file is yielded as its
    ``IntakeError`` in its place instead of raised."""
    total = len(paths)
    count = workers if workers is not None else default_workers()
    asked = _one_at_a_time(password)
    if count <= 1 or total <= 1:
        for done, path in enumerate(paths):
            if cancel is not None and cancel():
                raise BuildCancelled()
            if progress is not None:
                progress(done, total, path.name)
            yield _one(path, asked, lenient)
    else:
        with concurrent.futures.ThreadPoolExecutor(count, "intake") as pool:
            ahead: collections.deque[
                tuple[concurrent.futures.Future[ImportedFile | IntakeError], int]
            ] = collections.deque()
            queue = iter(paths)
            held = 0  # bytes of the files submitted and not yet yielded

            def submit_more() -> None:
                nonlocal held
                while len(ahead) < MAX_AHEAD_FILES and (
                    len(ahead) < 2 * count or held < AHEAD_BYTES
                ):
                    following = next(queue, None)
                    if following is None:
                        return
                    size = _size(following)
                    ahead.append((pool.submit(_one, following, asked, lenient), size))
                    held += size

            try:
                submit_more()
                for done, path in enumerate(paths):
                    if cancel is not None and cancel():
                        raise BuildCancelled()
                    if progress is not None:
                        progress(done, total, path.name)
                    future, size = ahead.popleft()
                    item = future.result()
                    held -= size
                    submit_more()
                    yield item
            finally:
                for future, _held in ahead:
                    future.cancel()
    if cancel is not None and cancel():
        raise BuildCancelled()
    if progress is not None:
        progress(total, total, "")


def _one_at_a_time(password: PasswordCallback | None) -> PasswordCallback | None:
    if password is None:
        return None
    lock = threading.Lock()

    def ask(name: str) -> str | None:
        with lock:
            return password(name)

    return ask


__all__ = [
    "ImportedFile",
    "IntakeError",
    "PasswordCallback",
    "ProgressCallback",
    "import_bytes",
    "import_file",
    "import_files",
    "import_stream",
    "import_stream_lenient",
]
