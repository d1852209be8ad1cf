"""Annotation appearances -> page content, so that what an annotation shows on paper (the red
seal of an e-invoice or bank receipt, a filled-in form value, a scanner's stamp) survives when
intake strips every annotation. Each appearance form is copied as a Form XObject and painted
where ISO 32000-1 12.5.5 puts it (its /BBox, transformed by its /Matrix, mapped onto the /Rect);
no content stream is parsed.

pypdf's ``update_page_form_field_values(..., flatten=True)`` does not fit: form fields named by
the caller only (no stamps, no signatures), text appearances regenerated rather than kept, a
plain translation to the /Rect (no /Matrix, no scaling), shared /Resources edited in place.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# Annotation flags (ISO 32000-1 table 165), bit 1 being the lowest.
_HIDDEN = 1 << 1
_PRINT = 1 << 2
_NO_ROTATE = 1 << 4
_NO_VIEW = 1 << 5

# Never printed by viewers, whatever their flags say: a popup is the window of another
# annotation's note, not a mark on the page.
_NEVER_DRAWN = frozenset({"/Popup"})

_MIN_SIZE = 1e-6


@dataclass(frozen=True)
class Appearance:
    """One annotation's normal appearance, as found on a source page: the Form XObject (an
    object of the source document) and the matrix that places it in the page's default user
    space."""

    form: IndirectObject
    matrix: Matrix


def multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first`` and then ``then`` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    g, h, i, j, k, m = then
    return (
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + m,
    )


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _numbers(value: PdfObject | None, count: int) -> tuple[float, ...] | None:
    array = value.get_object() if value is not None else None
    if not isinstance(array, ArrayObject) or len(array) != count:
        return None
    numbers: list[float] = []
    for item in array:
        item = item.get_object()
        if isinstance(item, bool) or not isinstance(item, int | float):
            return None
        number = float(item)
        if not math.isfinite(number):
            return None
        numbers.append(number)
    return tuple(numbers)


def _box(value: PdfObject | None) -> tuple[float, float, float, float] | None:
    numbers = _numbers(value, 4)
    return None if numbers is None else (numbers[0], numbers[1], numbers[2], numbers[3])


def _matrix(value: PdfObject | None) -> Matrix | None:
    if value is None:
        return IDENTITY
    n = _numbers(value, 6)
    return None if n is None else (n[0], n[1], n[2], n[3], n[4], n[5])


def placement(
    rect: tuple[float, float, float, float],
    bbox: tuple[float, float, float, float],
    form_matrix: Matrix,
) -> Matrix | None:
    """Matrix A of ISO 32000-1 12.5.5: maps the form's /BBox, transformed by its /Matrix, onto
    the annotation's /Rect (both as x0, y0, x1, y1 in any corner order). Painting the form with
    ``A cm`` then concatenates the form's own /Matrix, as the algorithm's AA = Matrix x A
    requires. None when either box is empty."""
    rx0, rx1 = sorted((rect[0], rect[2]))
    ry0, ry1 = sorted((rect[1], rect[3]))
    corners = [_apply(form_matrix, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    bx0, bx1 = min(x for x, _ in corners), max(x for x, _ in corners)
    by0, by1 = min(y for _, y in corners), max(y for _, y in corners)
    if min(rx1 - rx0, ry1 - ry0, bx1 - bx0, by1 - by0) < _MIN_SIZE:
        return None
    sx, sy = (rx1 - rx0) / (bx1 - bx0), (ry1 - ry0) / (by1 - by0)
    return (sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy)


def _unrotation(pivot: tuple[float, float], rotation: int) -> Matrix:
    """Turns an appearance by ``rotation`` degrees anticlockwise about ``pivot``: on a page
    shown turned ``rotation`` degrees clockwise, it then stays upright (the NoRotate flag,
    whose pivot is the upper-left corner of the /Rect)."""
    cos = round(math.cos(math.radians(rotation)))
    sin = round(math.sin(math.radians(rotation)))
    px, py = pivot
    to_origin: Matrix = (1.0, 0.0, 0.0, 1.0, -px, -py)
    turn: Matrix = (float(cos), float(sin), float(-sin), float(cos), 0.0, 0.0)
    back: Matrix = (1.0, 0.0, 0.0, 1.0, px, py)
    return multiply(multiply(to_origin, turn), back)


def _flags(annotation: DictionaryObject) -> int:
    value = annotation.get("/F")
    value = value.get_object() if value is not None else None
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def prints(annotation: DictionaryObject) -> bool:
    """Whether a viewer prints ``annotation``: flag Print set, neither Hidden nor NoView, and
    not a popup (the window of another annotation's note)."""
    if annotation.get("/Subtype") in _NEVER_DRAWN:
        return False
    flags = _flags(annotation)
    return bool(flags & _PRINT) and not flags & (_HIDDEN | _NO_VIEW)


def normal_appearance(annotation: DictionaryObject) -> tuple[IndirectObject, StreamObject] | None:
    """The /AP /N form (streams are always indirect objects) or, for an annotation with states
    (check boxes, radio buttons), the one its /AS names; None if it would draw nothing."""
    ap = annotation.get("/AP")
    ap = ap.get_object() if ap is not None else None
    normal = ap.raw_get("/N") if isinstance(ap, DictionaryObject) and "/N" in ap else None
    states = normal.get_object() if normal is not None else None
    if isinstance(states, DictionaryObject) and not isinstance(states, StreamObject):
        state = annotation.get("/AS")
        state = state.get_object() if state is not None else None
        normal = (
            states.raw_get(state) if isinstance(state, NameObject) and state in states else None
        )
    if not isinstance(normal, IndirectObject):
        return None
    form = normal.get_object()
    return (normal, form) if isinstance(form, StreamObject) and not _is_empty(form) else None


def _is_empty(form: StreamObject) -> bool:
    """An appearance that draws nothing (typically an unlabelled push button's)."""
    try:
        return not form.get_data().strip()
    except (PyPdfError, ValueError, NotImplementedError, zlib.error):
        return False  # undecodable here: the viewer may still manage, so keep it


def printable_appearances(
    page: PageObject,
    rotation: int,
    skip: Callable[[DictionaryObject], bool] | None = None,
) -> list[Appearance]:
    """Appearances of the annotations of ``page`` that print (flag Print set, neither Hidden
    nor NoView), in painting order. ``rotation`` is the page's /Rotate (0, 90, 180 or 270),
    needed for the NoRotate flag. Malformed annotations are skipped, as viewers do, and so
    are those ``skip`` names (their appearance is drawn anew, see ``app.intake.synth``)."""
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    if not isinstance(annots, ArrayObject):
        return []
    found: list[Appearance] = []
    for item in annots:
        annotation = item.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        if not prints(annotation) or (skip is not None and skip(annotation)):
            continue
        flags = _flags(annotation)
        appearance = normal_appearance(annotation)
        rect = _box(annotation.get("/Rect"))
        if appearance is None or rect is None:
            continue
        form_ref, form = appearance
        bbox = _box(form.get("/BBox"))
        form_matrix = _matrix(form.get("/Matrix"))
        if bbox is None or form_matrix is None:
            continue
        matrix = placement(rect, bbox, form_matrix)
        if matrix is None:
            continue
        if flags & _NO_ROTATE and rotation:
            left, top = min(rect[0], rect[2]), max(rect[1], rect[3])
            matrix = multiply(matrix, _unrotation((left, top), rotation))
        found.append(Appearance(form_ref, matrix))
    return found


def paint_appearances(
    writer: PdfWriter,
    page: PageObject,
    appearances: list[Appearance],
    ignore_fields: list[str],
) -> bytes:
    """Copy the forms of ``appearances`` into ``writer`` (leaving out ``ignore_fields`` at any
    depth), name them in the /XObject resources of ``page`` (a page of ``writer``; its
    resources are copied first, as other pages may share them) and return the content that
    paints them, to be run in the page's default user space."""
    if not appearances:
        return b""
    resources = DictionaryObject()
    old = page.get("/Resources")
    old = old.get_object() if old is not None else None
    if isinstance(old, DictionaryObject):
        resources.update(old)
    xobjects = DictionaryObject()
    old_xobjects = resources.get("/XObject")
    old_xobjects = old_xobjects.get_object() if old_xobjects is not None else None
    if isinstance(old_xobjects, DictionaryObject):
        xobjects.update(old_xobjects)
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources

    names: dict[int, NameObject] = {}
    number = 0
    lines: list[str] = []
    for appearance in appearances:
        name = names.get(appearance.form.idnum)
        if name is None:
            while NameObject(f"/Fx{number}") in xobjects:
                number += 1
            name = NameObject(f"/Fx{number}")
            xobjects[name] = appearance.form.clone(writer, ignore_fields=ignore_fields)
            names[appearance.form.idnum] = name
        cm = " ".join(_fmt(v) for v in appearance.matrix)
        lines.append(f"q {cm} cm {name} Do Q\n")
    return "".join(lines).encode("ascii")


def drawn_form(writer: PdfWriter, overlay_pdf: bytes, origin: tuple[float, float]) -> Appearance:
    """The first page of ``overlay_pdf`` (drawn by reportlab, its lower-left corner standing
    for ``origin`` of the page's default user space) as a Form XObject of ``writer``, placed."""
    page = PdfReader(io.BytesIO(overlay_pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in (0, 0, width, height))
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = (
        resources.clone(writer) if resources is not None else DictionaryObject()
    )
    ref = writer._add_object(form)  # no public API adds a stream
    return Appearance(ref, (1.0, 0.0, 0.0, 1.0, origin[0], origin[1]))


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
