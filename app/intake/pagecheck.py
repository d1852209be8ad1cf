"""Sideways and blank pages, judged once at import from a small greyscale image of each page.

Text lines are the cue: smeared along their length they stay separate lines, smeared across
they blur together. So a page is compared with itself smeared horizontally and vertically; the
direction that keeps the contrast is the direction the lines run. Which way up a page of
horizontal lines stands comes from where the lines start and end: text is left-aligned (a
straight left edge, a ragged right one; paragraphs end short at the right). When that is not
clear (justified Chinese text is straight on both sides) a sideways page is offered both turns,
and a page of lines across is left as it is: a wrong guess would flag an upright page.

A page is blank when, once the paper's own tone (grey paper, uneven light, scanner noise) is
taken out, almost nothing on it is darker than the paper.

Everything works on images of about :data:`SIDE` pixels on the long side, with Pillow's C
operations (resizes, filters, statistics): a few milliseconds a page.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import math
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageFilter, ImageStat

from app.model import PageInfo
from app.system.pdfium_lock import PDFIUM_LOCK

if TYPE_CHECKING:
    import pypdfium2 as pdfium

SIDE = 512
"""Long side, in pixels, of the image a page is judged on."""

LEAST_SIDE = 400
"""Least long side a page may be judged on instead: a JPEG's reduced-scale decode (libjpeg
scales by 1/8, 1/4 or 1/2) is taken as it comes between this and :data:`SIDE` (1/8 of a 300-dpi
A4 scan is 438 px). Measured on three sets of generated pages judged at 438 and at 512 px:
as many sideways pages caught, and 2 of 427 upright pages flagged at 438 (none at 512)."""

MARGIN = 0.04
"""Share of each side left out of the blank test (scanner edges, punch holes, shadows)."""

INK_FLOOR = 48
"""Least darkening (0-255, below the local paper tone) counted as ink."""

BLANK_INK = 0.0010
"""A page with less ink than this share of its area is blank (a page number is ~0.02 %, a
sparse form with a stamp ~1 %)."""

RULED_BLANK = 0.025
"""A page of nothing but straight lines is blank (the edges of a sheet photographed on a
desk, a frame) unless they cover this share of it (a ruled form)."""

ACROSS_ABOVE = 1.3
"""Lines run across when smearing along rows keeps this many times the contrast smearing
along columns does."""

SIDEWAYS_BELOW = 0.9
"""Lines run down the page (it lies sideways) below this ratio."""

MIN_LINES = 4

SIDE_SURE = 1 / 4
"""Which way a sideways page turns: the lines flush at one edge must outnumber those flush at
the other by this share of the lines."""

HEAD_SURE = 1 / 3
"""A page of lines across stands on its head only on this stronger evidence (a wrong guess
would flag an upright page)."""

HEAD_ENDS = 3
"""...or, on a page of plain text (:data:`PLAIN_RULED`), when at least this many more lines
(and 8 % of them) start late at the left than end short at the right (paragraphs' last lines
turned over: justified Chinese text, straight on both sides, tells which way up it stands by
them alone), and no more lines are flush at the left than at the right. Measured on 720
generated text pages laid at 180° and 720 upright (two seeds of
``benchmarks/bench_pagecheck.py``'s kinds): 40 % -> 67 % of those on their head found,
upright pages flagged 6 -> 7. The same evidence tells which way a sideways page of plain text
turns when the stronger one does not: 157 of 157 such turns right on 600 generated pages."""

PLAIN_RULED = 0.3
"""A page is plain text when less than this share of its ink is long straight lines: a table's
cells start late and end short at random, so a table turns over on the stronger evidence only
(tables measured 0.44-0.77, text pages 0-0.36)."""

CROSS = 3
"""The smeared images are also reduced this many times across the smear: the gaps between
characters (and strokes) wash out, the wider gaps between lines stay."""

LEVEL = 0.3
"""Ink is what darkens the paper by at least this share of the page's darkest ink (and at
least :data:`INK_FLOOR`): faint photos keep their text, a bold title does not hide it."""
"""Text lines needed to judge a page at all."""


@dataclass(frozen=True)
class Judgement:
    turns: tuple[int, ...]  # clockwise turns making the page upright; () when not judged
    blank: bool
    score: float = 0.0  # > 1: lines across; < 1: lines down (for measurements)


def ink_image(grey: Image.Image) -> Image.Image:
    """Darkening below the local paper tone, 0-255 (paper 0, black ink on white ~255)."""
    w, h = grey.size
    bw, bh = max(1, w // 12), max(1, h // 12)
    paper = grey.resize((bw, bh), Image.Resampling.BOX).filter(ImageFilter.MaxFilter(3))
    paper = paper.resize((w, h), Image.Resampling.BILINEAR)
    return ImageChops.subtract(paper, grey)


def small_grey(image: Image.Image, side: int = SIDE) -> Image.Image:
    """``image`` in greyscale with its long side at most ``side`` pixels."""
    if image.mode != "L":
        image = image.convert("L")
    w, h = image.size
    scale = side / max(w, h)
    if scale < 1:
        image = image.resize(
            (max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX
        )
    return image


def judge(image: Image.Image) -> Judgement:
    """Judge one page, given upright as stored (any size, any mode)."""
    grey = small_grey(image)
    ink = ink_image(grey)
    w, h = ink.size
    if w < 16 or h < 16:
        return Judgement((), False)
    level = max(INK_FLOOR, int(LEVEL * _percentile(ink, 0.995)))
    mx, my = int(w * MARGIN), int(h * MARGIN)
    box = (mx, my, w - mx, h - my)
    binary = ink.point(_threshold(level))
    inner = _without_rules(binary).crop(box)
    if ImageStat.Stat(inner).mean[0] / 255 < BLANK_INK:
        # nothing but straight lines: blank, unless they are many (a ruled form)
        ruled = ImageStat.Stat(binary.crop(box)).mean[0] / 255
        return Judgement((), ruled < RULED_BLANK)
    score = _lines_score(inner)
    if score >= ACROSS_ABOVE:
        turns: tuple[int, ...] = (0,)
        if _lines(inner) < MIN_LINES:
            return Judgement((), False, score)
        edges = _edges(inner)
        side = _start_side(edges, inner.size[0], HEAD_SURE)
        if side == 0 and _ruled(binary.crop(box), inner) < PLAIN_RULED:
            side = min(0, _paragraph_side(edges, inner.size[0]))
        if side < 0:
            turns = (180,)
        return Judgement(turns, False, score)
    if score <= SIDEWAYS_BELOW:
        across = inner.rotate(90, expand=True)  # counter-clockwise: a 270° clockwise turn
        if _lines(across) < MIN_LINES:
            return Judgement((), False, score)
        edges = _edges(across)
        side = _start_side(edges, across.size[0], SIDE_SURE)
        if side == 0 and _ruled(binary.crop(box), inner) < PLAIN_RULED:
            side = _paragraph_side(edges, across.size[0])
        if side > 0:
            return Judgement((270,), False, score)
        if side < 0:
            return Judgement((90,), False, score)
        return Judgement((90, 270), False, score)
    return Judgement((), False, score)


@functools.cache
def _threshold(level: int) -> list[int]:
    """The look-up table making a greyscale image black and white: 255 from ``level`` up."""
    return [255 if v >= level else 0 for v in range(256)]


def _without_rules(binary: Image.Image) -> Image.Image:
    """``binary`` without its long straight lines (table rules, underlines, page edges): they
    are not text, and would join the rows of a table into one block. Found as blocks of
    1/12 of the page across (or down) that are almost all ink."""
    w, h = binary.size
    out = binary
    for block in ((max(4, w // 12), 1), (1, max(4, h // 12))):
        cells = (max(1, w // block[0]), max(1, h // block[1]))
        dense = binary.resize(cells, Image.Resampling.BOX).point(_threshold(200))
        if dense.getbbox() is None:
            continue
        # a neighbouring cell each way too: the rule's ends and its anti-aliased edges
        mask = dense.filter(ImageFilter.MaxFilter(3)).resize((w, h), Image.Resampling.NEAREST)
        out = ImageChops.subtract(out, mask)
    return out


def _percentile(image: Image.Image, q: float) -> int:
    hist = image.histogram()
    total = sum(hist)
    target = total * q
    seen = 0
    for value, count in enumerate(hist):
        seen += count
        if seen >= target:
            return value
    return 255


def _variation(image: Image.Image, vertical: bool) -> float:
    w, h = image.size
    if vertical:
        a, b = image.crop((0, 1, w, h)), image.crop((0, 0, w, h - 1))
    else:
        a, b = image.crop((1, 0, w, h)), image.crop((0, 0, w - 1, h))
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def _lines_score(binary: Image.Image) -> float:
    """Contrast kept across rows when smeared along rows, over contrast kept across columns
    when smeared along columns: > 1 when the lines run across."""
    w, h = binary.size
    k = max(2, round(max(w, h) / 70))
    m = CROSS
    along = binary.resize((max(1, w // k), max(1, h // m)), Image.Resampling.BOX)
    down = binary.resize((max(1, w // m), max(1, h // k)), Image.Resampling.BOX)
    rows = _variation(along, vertical=True)
    cols = _variation(down, vertical=False)
    if cols <= 0:
        return 99.0 if rows > 0 else 1.0
    return rows / cols


def _bands(binary: Image.Image) -> list[tuple[int, int]]:
    """Rows of text: runs of rows holding ink, as (top, bottom)."""
    h = binary.size[1]
    profile = binary.resize((1, h), Image.Resampling.BOX).tobytes()
    floor = 255 * 0.01
    bands = []
    start = None
    for y, value in enumerate(profile):
        if value > floor and start is None:
            start = y
        elif value <= floor and start is not None:
            if y - start >= 2:
                bands.append((start, y))
            start = None
    if start is not None and h - start >= 2:
        bands.append((start, h))
    return bands


def _lines(binary: Image.Image) -> int:
    return len(_bands(binary))


_INKED = bytes(1 if v > 20 else 0 for v in range(256))


Edges = tuple[list[int], list[int], list[int]]
"""Of each text line: where its ink starts, where it ends (pixels from the left) and its
height."""


def _edges(binary: Image.Image) -> Edges:
    w, _h = binary.size
    lefts: list[int] = []
    rights: list[int] = []
    heights: list[int] = []
    for top, bottom in _bands(binary):
        row = binary.crop((0, top, w, bottom)).resize((w, 1), Image.Resampling.BOX).tobytes()
        row = row.translate(_INKED)
        if row.count(1) < 3:
            continue
        lefts.append(row.find(1))
        rights.append(row.rfind(1))
        heights.append(bottom - top)
    return lefts, rights, heights


def _start_side(edges: Edges, w: int, sure: float) -> int:
    """+1 when the lines (``edges``, of an image ``w`` pixels wide) read as upright text, -1
    when as text on its head, 0 when unclear: two cues (:func:`_flush`, :func:`_ragged`) that
    must not disagree. ``sure``: by how large a share of the lines one side must win."""
    lefts, rights, heights = edges
    if len(lefts) < MIN_LINES:
        return 0
    ragged = _ragged(lefts, rights, heights, sure)
    flush = _flush(lefts, rights, w, sure)
    if ragged and flush and ragged != flush:
        return 0
    return ragged or flush


def _ruled(binary: Image.Image, without: Image.Image) -> float:
    """Share of ``binary``'s ink that :func:`_without_rules` took out (``without``)."""
    ink = ImageStat.Stat(binary).mean[0]
    return 1 - ImageStat.Stat(without).mean[0] / ink if ink else 0.0


def _paragraph_side(edges: Edges, w: int) -> int:
    """The weaker evidence of :data:`HEAD_ENDS`, for a page of plain text: -1 when its lines
    read as text on its head, +1 as upright text, 0 when they do not tell."""
    lefts, rights, heights = edges
    if len(lefts) < MIN_LINES:
        return 0
    at_right, at_left = _ragged_counts(lefts, rights, heights)
    margin = max(HEAD_ENDS, round(0.08 * len(lefts)))
    flush = _flush(lefts, rights, w, 0)
    if at_left >= at_right + margin and flush <= 0:
        return -1
    if at_right >= at_left + margin and flush >= 0:
        return 1
    return 0


def _flush(lefts: list[int], rights: list[int], w: int, sure: float) -> int:
    """+1 when more lines start at a common left edge than end at a common right edge."""
    tolerance = max(2, w // 60)
    left_edge = statistics.median(lefts)
    right_edge = statistics.median(rights)
    at_left = sum(1 for x in lefts if abs(x - left_edge) <= tolerance)
    at_right = sum(1 for x in rights if abs(x - right_edge) <= tolerance)
    margin = max(2, round(len(lefts) * sure))
    if at_left >= at_right + margin:
        return 1
    if at_right >= at_left + margin:
        return -1
    return 0


def _ragged_counts(lefts: list[int], rights: list[int], heights: list[int]) -> tuple[int, int]:
    """(lines ending short at the right, lines starting late at the left), each flush at the
    other side."""
    size = statistics.median(heights)
    left_edge, right_edge = min(lefts), max(rights)
    small, big = 2.6 * size, 4 * size
    at_right = at_left = 0
    for left, right in zip(lefts, rights, strict=True):
        lgap, rgap = left - left_edge, right_edge - right
        if rgap > big and lgap <= small:
            at_right += 1
        elif lgap > big and rgap <= small:
            at_left += 1
    return at_right, at_left


def _ragged(lefts: list[int], rights: list[int], heights: list[int], sure: float) -> int:
    """+1 when lines end short at the right (paragraph ends, ragged Latin text) more often
    than they start late at the left, -1 for the opposite (the page on its head)."""
    at_right, at_left = _ragged_counts(lefts, rights, heights)
    margin = max(2, round(len(lefts) * sure))
    if at_right >= at_left + margin:
        return 1
    if at_left >= at_right + margin:
        return -1
    return 0


# -- pages of a normalised PDF ------------------------------------------------------------------

MIN_CHARS = 20
"""Characters of real text (not spaces) a page needs for its text layer to be trusted."""

MAX_CHARS_READ = 400
"""Characters sampled (evenly) for their angle on a page of much text."""

TEXT_AGREE = 0.6
"""Share of the sampled characters that must lie at the same angle."""


@dataclass(frozen=True)
class _Scan:
    """A page drawing one image, taken out of PDFium: its JPEG bytes (decoded later, outside
    the lock) or its picture already decoded, and where it stands on the page."""

    jpeg: bytes | None
    picture: Image.Image | None
    matrix: tuple[float, float, float, float, float, float]
    width: float
    height: float


def check_pdf(pdf: bytes, only: Collection[int] | None = None) -> list[Judgement | None]:
    """A judgement for each page of a normalised PDF (upright as stored, no /Rotate); None for
    a page that could not be judged (or is not in ``only``, when given: the indexes of the
    pages to judge). PDFium is asked only for what it must give (the text's angle, a scan's
    bytes, a small rendering), under :data:`PDFIUM_LOCK`; decoding and judging run outside
    it."""
    import pypdfium2 as pdfium  # only PDFs need it: not imported for a plain scan

    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf)
            count = len(document)
        except (pdfium.PdfiumError, ValueError, OSError):
            return []
    try:
        out: list[Judgement | None] = []
        for index in range(count):
            if only is not None and index not in only:
                out.append(None)
                continue
            try:
                with PDFIUM_LOCK:
                    source = _page_source(document, index)
                out.append(_judge_source(source))
            except (pdfium.PdfiumError, OSError, ValueError, ZeroDivisionError):
                out.append(None)
        return out
    finally:
        with PDFIUM_LOCK:
            document.close()


def _page_source(document: pdfium.PdfDocument, index: int) -> Judgement | _Scan | Image.Image:
    """What page ``index`` is judged from: its text (judged at once), its one scanned image,
    or a small rendering. Call with :data:`PDFIUM_LOCK` held."""
    import pypdfium2.raw as pdfium_c

    page = document[index]
    try:
        by_text = _text_turns(page)
        if by_text is not None:
            return Judgement(by_text, False)
        width, height = page.get_size()
        scale = SIDE / max(width, height, 1.0)
        images = [
            obj for obj in page.get_objects(max_depth=1) if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE
        ]
        if len(images) == 1:
            image = images[0]
            matrix = tuple(float(v) for v in image.get_matrix().get())
            if abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]) > 1e-6:
                if image.get_filters() == ["DCTDecode"]:
                    jpeg = bytes(image.get_data(decode_simple=False))
                    return _Scan(jpeg, None, matrix, width, height)  # type: ignore[arg-type]
                picture = small_grey(image.get_bitmap(render=False).to_pil()).copy()
                return _Scan(None, picture, matrix, width, height)  # type: ignore[arg-type]
        bitmap = page.render(scale=scale, grayscale=True, no_smoothtext=True)
        rendered: Image.Image = bitmap.to_pil().convert("L")  # a copy: the bitmap goes
        return rendered
    finally:
        page.close()


def _judge_source(source: Judgement | _Scan | Image.Image) -> Judgement:
    if isinstance(source, Judgement):
        return source
    if isinstance(source, Image.Image):
        return judge(source)
    if source.jpeg is not None and len(source.jpeg) > PART_FROM:
        top = _placed(source, _jpeg(source.jpeg, part=True))
        if top is not None:
            found = judge(top)
            if not found.blank and found.turns in ((), (0,)):
                # upright or unclear: the usual page, settled cheaply. A page found blank,
                # sideways or on its head is judged whole: the rest may hold something, and
                # which way it turns is better told from all its lines
                return found
    picture = source.picture if source.jpeg is None else _jpeg(source.jpeg, part=False)
    placed = _placed(source, picture)
    return judge(placed) if placed is not None else Judgement((), False)


def _text_turns(page: pdfium.PdfPage) -> tuple[int, ...] | None:
    """The clockwise turn making the page's text upright, from the angle of its characters
    (a text page, or a scan with a text layer); None when it has too little text."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count < MIN_CHARS:
            return None
        step = max(1, count // MAX_CHARS_READ)
        votes = [0, 0, 0, 0]
        for index in range(0, count, step):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, index)
            if code <= 32 or chr(code).isspace():
                continue
            angle = pdfium_c.FPDFText_GetCharAngle(textpage.raw, index)
            if angle < 0:
                continue
            votes[round(math.degrees(angle) / 90) % 4] += 1
    finally:
        textpage.close()
    total = sum(votes)
    if total * step < MIN_CHARS:
        return None
    best = max(range(4), key=lambda i: votes[i])
    if votes[best] < TEXT_AGREE * total:
        return ()
    # PDFium measures the angle clockwise: the page turns that far back
    return ((360 - best * 90) % 360,)


def _placed(scan: _Scan, picture: Image.Image | None) -> Image.Image | None:
    """The scan's ``picture`` drawn where it stands on a white page of :data:`SIDE` pixels."""
    if picture is None:
        return None
    filled = _filling(picture, scan.matrix, scan.width, scan.height)
    if filled is not None:
        return filled
    ma, mb, mc, md, me, mf = scan.matrix
    det = ma * md - mb * mc
    s = SIDE / max(scan.width, scan.height, 1.0)
    size = (max(1, round(scan.width * s)), max(1, round(scan.height * s)))
    iw, ih = picture.size
    # output pixel (X, Y) -> page point (X/s, H - Y/s) -> unit square (u, v) -> pixel
    top = scan.height
    u = (md / s / det, mc / s / det, (-md * me - mc * (top - mf)) / det)
    v = (-mb / s / det, -ma / s / det, (mb * me + ma * (top - mf)) / det)
    data = (iw * u[0], iw * u[1], iw * u[2], -ih * v[0], -ih * v[1], ih - ih * v[2])
    return picture.transform(
        size, Image.Transform.AFFINE, data, Image.Resampling.BILINEAR, fillcolor=255
    )


_QUARTER_TURNS = {
    # signs of the matrix (a, b, c, d) -> how the stored image stands on the page
    (1, 0, 0, 1): None,
    (-1, 0, 0, -1): Image.Transpose.ROTATE_180,
    (0, -1, 1, 0): Image.Transpose.ROTATE_270,  # its top at the page's right: 90° clockwise
    (0, 1, -1, 0): Image.Transpose.ROTATE_90,
}


def _filling(
    picture: Image.Image, matrix: tuple[float, ...], width: float, height: float
) -> Image.Image | None:
    """The common case without resampling: the image fills the page, turned a quarter turn or
    none (a scan, the EXIF turn folded in). None otherwise."""
    a, b, c, d, e, f = matrix
    tolerance = 0.02 * max(width, height)

    def sign(value: float) -> int:
        return 0 if abs(value) < tolerance else (1 if value > 0 else -1)

    key = (sign(a), sign(b), sign(c), sign(d))
    if key not in _QUARTER_TURNS:
        return None
    corners = [(e + a * u + c * v, f + b * u + d * v) for u in (0, 1) for v in (0, 1)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    if max(abs(min(xs)), abs(max(xs) - width), abs(min(ys)), abs(max(ys) - height)) > tolerance:
        return None
    turn = _QUARTER_TURNS[key]
    return picture if turn is None else picture.transpose(turn)


PART_FROM = 256 * 1024
"""A scanned PDF's JPEG larger than this is first decoded from its first :data:`PART` of bytes
only: the entropy decoding that even a 1/8-scale decode pays is most of the check's time, and
the top of a page tells whether its lines run across. A page whose top is not plainly upright
(blank, sideways, on its head) is judged again whole: that is rare, so cheap on the whole. (A
JPEG imported as an image is judged from the decode its damage check made: see
``app.intake.images.jpeg_view``.)"""

PART = 0.5


def _jpeg(data: bytes, part: bool) -> Image.Image | None:
    """A scan's JPEG in greyscale, decoded at a reduced scale to about :data:`SIDE` pixels;
    with ``part``, from its first bytes only, what they do not reach white."""
    if part:  # the first bytes, then the end-of-image marker: libjpeg fills the rest grey
        data = data[: int(len(data) * PART)] + b"\xff\xd9"
    picture = Image.open(io.BytesIO(data))
    if picture.format != "JPEG":
        return None
    ratio = SIDE / max(picture.size)
    picture.draft("L", (round(picture.width * ratio), round(picture.height * ratio)))
    picture.load()
    small = small_grey(picture)
    return _top_decoded(small) if part else small


def _top_decoded(picture: Image.Image) -> Image.Image | None:
    """``picture`` decoded from its first bytes only, with what was not decoded (flat grey
    128 from the cut on) made white; None when too little was decoded."""
    w, h = picture.size
    grey = Image.new("L", (w, h), 128)
    box = ImageChops.difference(picture, grey).getbbox()
    rows = 0 if box is None else box[3] - 4  # less the block row the data stopped in
    if rows < h // 4:
        return None
    picture = picture.copy()
    picture.paste(255, (0, rows, w, h))
    return picture


def judged(
    pages: tuple[PageInfo, ...], pdf: bytes, views: Sequence[Image.Image | None] = ()
) -> tuple[PageInfo, ...]:
    """``pages`` (of the normalised ``pdf``) with what the check found on each. ``views``,
    when given (one per page, None where there is none): each page's image as the page shows
    it, already decoded by the import (a JPEG's reduced-scale decode that proved its data
    whole): judged as it is, the PDF is not opened for those pages. A page that could not be
    judged is left as it was: the check never costs the clerk an import."""
    if len(views) != len(pages):
        views = [None] * len(pages)
    found: list[Judgement | None] = [None] * len(pages)
    missing = {index for index, view in enumerate(views) if view is None}
    try:
        for index, view in enumerate(views):
            if view is not None:
                found[index] = judge(view)
        if missing:
            from_pdf = check_pdf(pdf, missing)
            if len(from_pdf) == len(pages):
                found = [from_pdf[i] if i in missing else f for i, f in enumerate(found)]
    except Exception:  # a page the check did not foresee: the page is simply not judged
        return pages
    return tuple(
        page
        if judgement is None
        else dataclasses.replace(
            page, upright_turns=judgement.turns, blank=judgement.blank, checked=True
        )
        for page, judgement in zip(pages, found, strict=True)
    )
