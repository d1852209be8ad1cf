"""Appearances for printing annotations that carry none, drawn as a viewer would draw them.

Forms filled by many tools set the AcroForm's ``/NeedAppearances`` and leave the field values
without (or with stale) appearance streams; markup tools write highlights, ink, shapes and
free-text notes with their geometry only. Viewers draw them from their values; intake strips
every annotation, so whatever is not drawn into the page here would silently vanish from the
packet. What is drawn:

- text and choice fields: the value, in the field's /DA size and colour, aligned by /Q,
  wrapped in multi-line fields (with the bundled CJK font, so Chinese values print);
- check boxes and radio buttons that are on: a check mark or a dot;
- Highlight (translucent, multiplied), Underline, StrikeOut, Squiggly, Ink, Square, Circle,
  Line, Polygon, PolyLine and FreeText, from their geometry, /C, /IC, /BS and /CA.

Anything else that should print and has no appearance (a stamp without its picture, a note
icon) is named to the user, page by page, instead of disappearing without a word.
"""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import dataclass, field

from pypdf import PageObject
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, PdfObject, StreamObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.intake import flatten
from app.system.fonts import register_fonts

_FIELD_MULTILINE = 1 << 12
_FIELD_PASSWORD = 1 << 13
_FIELD_RADIO = 1 << 15
_FIELD_PUSHBUTTON = 1 << 16
_PADDING = 2.0
_DEFAULT_SIZE = 10.0

_DRAWN_MARKUP = frozenset(
    {
        "/Highlight",
        "/Underline",
        "/StrikeOut",
        "/Squiggly",
        "/Ink",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/FreeText",
    }
)
_NEVER_PRINTED = frozenset({"/Popup", "/Link", "/Widget"})
_KIND_NAMES = {
    "/Stamp": "图章",
    "/Text": "注释图标",
    "/FileAttachment": "附件图标",
    "/Sound": "声音图标",
    "/Caret": "插入标记",
    "/Redact": "涂黑标记",
    "/Watermark": "水印",
    "/Screen": "多媒体",
    "/RichMedia": "多媒体",
    "/3D": "三维内容",
}


@dataclass
class Drawn:
    """What :func:`draw_missing` made of one page."""

    overlay: bytes | None = None  # a one-page PDF in the page's default user space
    bbox: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    lost: dict[str, int] = field(default_factory=dict)  # kind (Chinese) -> count


def need_appearances(acroform: PdfObject | None) -> bool:
    form = acroform.get_object() if acroform is not None else None
    if not isinstance(form, DictionaryObject):
        return False
    value = form.get("/NeedAppearances")
    return bool(value.get_object()) if value is not None else False


def regenerated(annotation: DictionaryObject, acroform: PdfObject | None) -> bool:
    """Whether a widget's own appearance is replaced by one drawn from its value: a text or
    choice field, when the form says appearances must be regenerated (its stream may be stale
    or empty) or when it has none."""
    if annotation.get("/Subtype") != "/Widget":
        return False
    if _inherited(annotation, "/FT") not in ("/Tx", "/Ch"):
        return False
    return need_appearances(acroform) or flatten.normal_appearance(annotation) is None


def draw_missing(page: PageObject, acroform: PdfObject | None) -> Drawn:
    """Draw the printing annotations of ``page`` that have no appearance (or whose appearance
    is regenerated), in the page's default user space; count the ones that cannot be drawn."""
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    result = Drawn()
    if not isinstance(annots, ArrayObject):
        return result
    todo: list[DictionaryObject] = []
    for item in annots:
        annotation = item.get_object()
        if not isinstance(annotation, DictionaryObject) or not flatten.prints(annotation):
            continue
        subtype = annotation.get("/Subtype")
        if regenerated(annotation, acroform):
            todo.append(annotation)
        elif flatten.normal_appearance(annotation) is not None:
            continue  # painted from its own appearance
        elif subtype == "/Widget":
            if _inherited(annotation, "/FT") == "/Btn":
                todo.append(annotation)
        elif subtype in _DRAWN_MARKUP:
            todo.append(annotation)
        elif subtype not in _NEVER_PRINTED:
            kind = _KIND_NAMES.get(str(subtype), "批注")
            result.lost[kind] = result.lost.get(kind, 0) + 1
    if todo:
        result.overlay, result.bbox = _render(todo, acroform)
    return result


# ----------------------------------------------------------------------------- drawing


def _render(
    annotations: list[DictionaryObject], acroform: PdfObject | None
) -> tuple[bytes | None, tuple[float, float, float, float]]:
    font = register_fonts()
    boxes = [r for r in (_rect(a) for a in annotations) if r is not None]
    if not boxes:
        return None, (0.0, 0.0, 0.0, 0.0)
    x0 = min(b[0] for b in boxes) - 20
    y0 = min(b[1] for b in boxes) - 20
    x1 = max(b[2] for b in boxes) + 20
    y1 = max(b[3] for b in boxes) + 20
    out = io.BytesIO()
    # Drawn at the annotations' own coordinates: the canvas is moved so that the union of their
    # rectangles (plus a margin for line widths) lies on it, and the form keeps that box.
    canvas = Canvas(out, pagesize=(x1 - x0, y1 - y0), invariant=True, pageCompression=1)
    canvas.translate(-x0, -y0)
    drew = False
    for annotation in annotations:
        canvas.saveState()
        # a malformed annotation is skipped, as viewers do
        with contextlib.suppress(ValueError, TypeError, KeyError, ZeroDivisionError, OverflowError):
            drew |= _draw(canvas, annotation, acroform, font)
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return (out.getvalue() if drew else None), (x0, y0, x1, y1)


def _draw(canvas: Canvas, a: DictionaryObject, acroform: PdfObject | None, font: str) -> bool:
    subtype = a.get("/Subtype")
    rect = _rect(a)
    opacity = _number(a.get("/CA"), 1.0)
    canvas.setStrokeAlpha(opacity)
    canvas.setFillAlpha(opacity)
    if subtype == "/Widget":
        if rect is None:
            return False
        if _inherited(a, "/FT") == "/Btn":
            return _draw_button(canvas, a, rect)
        return _draw_field(canvas, a, acroform, rect, font)
    colour = _colour(a.get("/C"))
    width = _border_width(a)
    if subtype in ("/Highlight", "/Underline", "/StrikeOut", "/Squiggly"):
        return _draw_text_markup(canvas, str(subtype), a, colour or (1.0, 1.0, 0.0), opacity)
    if subtype == "/FreeText":
        return rect is not None and _draw_free_text(canvas, a, acroform, rect, font)
    if colour is None and subtype != "/FreeText":
        colour = (0.0, 0.0, 0.0) if subtype == "/Ink" else None
    interior = _colour(a.get("/IC"))
    if colour is None and interior is None:
        return False  # no colour: viewers draw nothing either
    if colour is not None:
        canvas.setStrokeColorRGB(*colour)
    if interior is not None:
        canvas.setFillColorRGB(*interior)
    canvas.setLineWidth(width)
    stroke, fill = int(colour is not None and width > 0), int(interior is not None)
    if subtype in ("/Square", "/Circle") and rect is not None:
        inset = width / 2
        x0, y0, x1, y1 = rect[0] + inset, rect[1] + inset, rect[2] - inset, rect[3] - inset
        if x1 <= x0 or y1 <= y0:
            return False
        if subtype == "/Square":
            canvas.rect(x0, y0, x1 - x0, y1 - y0, stroke=stroke, fill=fill)
        else:
            canvas.ellipse(x0, y0, x1, y1, stroke=stroke, fill=fill)
        return True
    if subtype == "/Line":
        points = _points(a.get("/L"))
        if len(points) != 2 or not stroke:
            return False
        canvas.line(*points[0], *points[1])
        return True
    if subtype in ("/Polygon", "/PolyLine", "/Ink"):
        paths = (
            [_points(path) for path in _array(a.get("/InkList"))]
            if subtype == "/Ink"
            else [_points(a.get("/Vertices"))]
        )
        drew = False
        for points in paths:
            if len(points) < 2:
                continue
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            if subtype == "/Polygon":
                path.close()
            canvas.drawPath(path, stroke=stroke, fill=fill if subtype == "/Polygon" else 0)
            drew = True
        return drew
    return False


def _draw_text_markup(
    canvas: Canvas,
    subtype: str,
    a: DictionaryObject,
    colour: tuple[float, float, float],
    opacity: float,
) -> bool:
    numbers = _floats(a.get("/QuadPoints"))
    if not numbers or len(numbers) % 8:
        rect = _rect(a)
        numbers = (
            []
            if rect is None
            else [rect[0], rect[3], rect[2], rect[3], rect[0], rect[1], rect[2], rect[1]]
        )
    drew = False
    for i in range(0, len(numbers), 8):
        quad = [(numbers[i + k], numbers[i + k + 1]) for k in range(0, 8, 2)]
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
        if right - left <= 0 or top - bottom <= 0:
            continue
        height = top - bottom
        if subtype == "/Highlight":
            canvas.setBlendMode("Multiply")
            canvas.setFillAlpha(opacity)
            canvas.setFillColorRGB(*colour)
            hull = _hull(quad)
            path = canvas.beginPath()
            path.moveTo(*hull[0])
            for point in hull[1:]:
                path.lineTo(*point)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
        else:
            canvas.setStrokeColorRGB(*colour)
            canvas.setLineWidth(max(0.5, height / 14))
            if subtype == "/Underline":
                y = bottom + height / 14
                canvas.line(left, y, right, y)
            elif subtype == "/StrikeOut":
                y = bottom + height / 2
                canvas.line(left, y, right, y)
            else:  # Squiggly
                step = max(1.0, height / 6)
                path = canvas.beginPath()
                path.moveTo(left, bottom)
                x, up = left, True
                while x < right:
                    x = min(right, x + step)
                    path.lineTo(x, bottom + (step if up else 0))
                    up = not up
                canvas.drawPath(path, stroke=1, fill=0)
        drew = True
    return drew


def _draw_field(
    canvas: Canvas,
    a: DictionaryObject,
    acroform: PdfObject | None,
    rect: tuple[float, float, float, float],
    font: str,
) -> bool:
    value = _inherited(a, "/V")
    if value is None or isinstance(value, DictionaryObject | StreamObject):
        return False
    if isinstance(value, ArrayObject):  # a multiple-choice list: its chosen entries
        text = ", ".join(str(v) for v in value)
    else:
        text = str(value)[1:] if isinstance(value, NameObject) else str(value)
    if not text.strip():
        return False
    flags = int(_number(_inherited(a, "/Ff"), 0))
    if flags & _FIELD_PASSWORD:
        text = "*" * len(text)
    size, colour = _appearance_string(a, acroform)
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    multiline = bool(flags & _FIELD_MULTILINE)
    if size <= 0:  # auto size: fit the height (one line) or a readable default (several)
        size = _DEFAULT_SIZE if multiline else max(4.0, min(12.0, (height - 2 * _PADDING) * 0.75))
    lines = (
        _wrap(text, font, size, width - 2 * _PADDING) if multiline else [text.replace("\n", " ")]
    )
    if not multiline:
        while size > 4 and stringWidth(lines[0], font, size) > width - 2 * _PADDING:
            size -= 0.5
    canvas.setFillColorRGB(*colour)
    canvas.setFont(font, size)
    align = int(_number(_inherited(a, "/Q"), 0))
    clip = canvas.beginPath()
    clip.rect(rect[0], rect[1], width, height)
    canvas.clipPath(clip, stroke=0, fill=0)
    leading = size * 1.15
    y = rect[3] - _PADDING - size * 0.9 if multiline else rect[1] + (height - size * 0.7) / 2
    for line in lines:
        line_width = stringWidth(line, font, size)
        x = rect[0] + _PADDING
        if align == 1:
            x = rect[0] + (width - line_width) / 2
        elif align == 2:
            x = rect[2] - _PADDING - line_width
        canvas.drawString(x, y, line)
        y -= leading
    return True


def _draw_free_text(
    canvas: Canvas,
    a: DictionaryObject,
    acroform: PdfObject | None,
    rect: tuple[float, float, float, float],
    font: str,
) -> bool:
    contents = a.get("/Contents")
    text = str(contents.get_object()) if contents is not None else ""
    if not text.strip():
        return False
    size, colour = _appearance_string(a, acroform)
    size = size if size > 0 else _DEFAULT_SIZE
    width = _border_width(a) if "/BS" in a or "/Border" in a else 0.0
    if width > 0:
        canvas.setStrokeColorRGB(*(_colour(a.get("/C")) or (0.0, 0.0, 0.0)))
        canvas.setLineWidth(width)
        canvas.rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], stroke=1, fill=0)
    canvas.setFillColorRGB(*colour)
    canvas.setFont(font, size)
    y = rect[3] - _PADDING - size * 0.9
    for line in _wrap(text, font, size, rect[2] - rect[0] - 2 * _PADDING):
        if y < rect[1]:
            break
        canvas.drawString(rect[0] + _PADDING, y, line)
        y -= size * 1.15
    return True


def _draw_button(
    canvas: Canvas, a: DictionaryObject, rect: tuple[float, float, float, float]
) -> bool:
    flags = int(_number(_inherited(a, "/Ff"), 0))
    if flags & _FIELD_PUSHBUTTON:
        return False
    state = a.get("/AS")
    state = state.get_object() if state is not None else None
    if state is None:
        state = _inherited(a, "/V")
    if not isinstance(state, NameObject) or state == "/Off":
        return False
    x0, y0, x1, y1 = rect
    side = min(x1 - x0, y1 - y0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)
    if flags & _FIELD_RADIO:
        canvas.circle(cx, cy, side * 0.25, stroke=0, fill=1)
    else:
        canvas.setLineWidth(max(0.8, side / 10))
        path = canvas.beginPath()
        path.moveTo(cx - side * 0.32, cy)
        path.lineTo(cx - side * 0.08, cy - side * 0.28)
        path.lineTo(cx + side * 0.34, cy + side * 0.3)
        canvas.drawPath(path, stroke=1, fill=0)
    return True


# ----------------------------------------------------------------------------- reading


def _inherited(annotation: DictionaryObject, key: str) -> PdfObject | None:
    """A field attribute, looked up through the /Parent chain (fields inherit them)."""
    node: PdfObject | None = annotation
    for _ in range(32):
        if not isinstance(node, DictionaryObject):
            return None
        if key in node:
            value = node.get(key)
            return value.get_object() if value is not None else None
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _appearance_string(
    a: DictionaryObject, acroform: PdfObject | None
) -> tuple[float, tuple[float, float, float]]:
    """Font size (0: automatic) and fill colour from the /DA string (inherited, then the
    form's default)."""
    da = _inherited(a, "/DA")
    if da is None and acroform is not None:
        form = acroform.get_object()
        da = form.get("/DA") if isinstance(form, DictionaryObject) else None
    tokens = str(da.get_object() if da is not None else "").split()
    size, colour = 0.0, (0.0, 0.0, 0.0)
    for i, token in enumerate(tokens):
        try:
            if token == "Tf" and i >= 1:
                size = float(tokens[i - 1])
            elif token == "g" and i >= 1:
                grey = float(tokens[i - 1])
                colour = (grey, grey, grey)
            elif token == "rg" and i >= 3:
                colour = (float(tokens[i - 3]), float(tokens[i - 2]), float(tokens[i - 1]))
            elif token == "k" and i >= 4:
                c, m, y, k = (float(t) for t in tokens[i - 4 : i])
                colour = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        except ValueError:
            continue
    if not math.isfinite(size) or size > 200:
        size = 0.0
    return size, colour


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for char in paragraph:
            if line and stringWidth(line + char, font, size) > width:
                cut = line.rfind(" ")
                if cut > 0 and char != " " and line.isascii():
                    lines.append(line[:cut])
                    line = line[cut + 1 :]
                else:
                    lines.append(line)
                    line = ""
            line += char
        lines.append(line)
    return lines


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The quadrilateral's corners in order round its centre (producers disagree on the
    order of /QuadPoints)."""
    cx = sum(p[0] for p in points) / len(points)
    cy = sum(p[1] for p in points) / len(points)
    return sorted(points, key=lambda p: math.atan2(p[1] - cy, p[0] - cx))


def _array(value: PdfObject | None) -> list[PdfObject]:
    resolved = value.get_object() if value is not None else None
    return list(resolved) if isinstance(resolved, ArrayObject) else []


def _floats(value: PdfObject | None) -> list[float]:
    numbers: list[float] = []
    for entry in _array(value):
        item = entry.get_object()
        if isinstance(item, bool) or not isinstance(item, int | float):
            return []
        number = float(item)
        if not math.isfinite(number):
            return []
        numbers.append(number)
    return numbers


def _points(value: PdfObject | None) -> list[tuple[float, float]]:
    numbers = _floats(value)
    return [(numbers[i], numbers[i + 1]) for i in range(0, len(numbers) - 1, 2)]


def _number(value: PdfObject | None, default: float) -> float:
    resolved = value.get_object() if value is not None else None
    if isinstance(resolved, bool) or not isinstance(resolved, int | float):
        return default
    number = float(resolved)
    return number if math.isfinite(number) else default


def _rect(a: DictionaryObject) -> tuple[float, float, float, float] | None:
    numbers = _floats(a.get("/Rect"))
    if len(numbers) != 4:
        return None
    x0, x1 = sorted((numbers[0], numbers[2]))
    y0, y1 = sorted((numbers[1], numbers[3]))
    return (x0, y0, x1, y1) if x1 - x0 > 0.01 and y1 - y0 > 0.01 else None


def _colour(value: PdfObject | None) -> tuple[float, float, float] | None:
    numbers = [min(1.0, max(0.0, n)) for n in _floats(value)]
    if len(numbers) == 1:
        return numbers[0], numbers[0], numbers[0]
    if len(numbers) == 3:
        return numbers[0], numbers[1], numbers[2]
    if len(numbers) == 4:
        c, m, y, k = numbers
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None  # [] means transparent


def _border_width(a: DictionaryObject) -> float:
    style = a.get("/BS")
    style = style.get_object() if style is not None else None
    if isinstance(style, DictionaryObject) and "/W" in style:
        return max(0.0, _number(style.get("/W"), 1.0))
    border = _floats(a.get("/Border"))
    if len(border) >= 3:
        return max(0.0, border[2])
    return 1.0
