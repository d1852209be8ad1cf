"""Generated PDFs whose resources and Type 3 glyphs carry the names an active-content stripper
knows (/A, /AA, /JS, /P, /URI...), and a check that every name a content stream uses still
resolves: the family behind the "letters vanish" regression (a bank statement whose Type 3
glyphs were named /A and /P printed "age 3 of 3")."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

STRIPPER_NAMES = (
    "/A",
    "/AA",
    "/JS",
    "/P",
    "/URI",
    "/S",
    "/Parent",
    "/Names",
    "/OpenAction",
    "/JavaScript",
    "/Annots",
    "/AF",
    "/EF",
    "/EmbeddedFiles",
    "/Launch",
    "/Next",
    "/Type",
    "/Length",
    "/Filter",
    "/Font",
    "/XObject",
    "/CharProcs",
    "/Resources",
)
"""Every key name the strippers know (and the structural names around them)."""

_DEVICE_SPACES = {"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/G", "/RGB", "/CMYK"}


def _stream(writer: PdfWriter, data: bytes, head: dict[str, PdfObject] | None = None) -> PdfObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in (head or {}).items():
        stream[NameObject(key)] = value
    return writer._add_object(stream)


def _helvetica(writer: PdfWriter) -> PdfObject:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )


def _glyph_size(code: int) -> tuple[int, int]:
    return 250 + (code % 7) * 60, 300 + (code % 5) * 90


def type3_font(writer: PdfWriter, glyph_names: Sequence[str], first_code: int = 33) -> PdfObject:
    """A Type 3 font whose codes ``first_code``... draw the glyphs named ``glyph_names``, each a
    filled block of its own size (so a missing glyph shows as a gap)."""
    procs = DictionaryObject()
    widths = ArrayObject()
    for code, glyph in enumerate(glyph_names, first_code):
        w, h = _glyph_size(code)
        procs[NameObject(glyph)] = _stream(writer, f"{w + 100} 0 d0 40 0 {w} {h} re f".encode())
        widths.append(NumberObject(w + 100))
    differences = ArrayObject([NumberObject(first_code), *(NameObject(g) for g in glyph_names)])
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type3"),
                NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in (0, 0, 1000, 1000)),
                NameObject("/FontMatrix"): ArrayObject(
                    FloatObject(v) for v in (0.001, 0, 0, 0.001, 0, 0)
                ),
                NameObject("/CharProcs"): writer._add_object(procs),
                NameObject("/Encoding"): DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Encoding"),
                        NameObject("/Differences"): differences,
                    }
                ),
                NameObject("/FirstChar"): NumberObject(first_code),
                NameObject("/LastChar"): NumberObject(first_code + len(glyph_names) - 1),
                NameObject("/Widths"): widths,
                NameObject("/Resources"): DictionaryObject(),
            }
        )
    )


def _finish(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def resources_named(names: Sequence[str] = STRIPPER_NAMES) -> bytes:
    """One A4 page using, under each of ``names``: a font, a Form XObject (itself using a font
    of the same name), an ExtGState, a tiling pattern, a shading, a colour space, a marked
    content property list, and one glyph of a Type 3 font."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    fonts, xobjects, states = DictionaryObject(), DictionaryObject(), DictionaryObject()
    patterns, shadings, spaces, props = (DictionaryObject() for _ in range(4))
    helvetica = _helvetica(writer)
    fonts[NameObject("/T3")] = type3_font(writer, names)
    ops: list[str] = []
    for i, name in enumerate(names):
        y = 800 - i * 30
        fonts[NameObject(name)] = helvetica
        inner = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(name): helvetica})}
        )
        xobjects[NameObject(name)] = _stream(
            writer,
            f"BT {name} 8 Tf 0 0 Td (form {i}) Tj ET".encode(),
            {
                "/Type": NameObject("/XObject"),
                "/Subtype": NameObject("/Form"),
                "/BBox": ArrayObject(NumberObject(v) for v in (0, 0, 100, 20)),
                "/Resources": inner,
            },
        )
        states[NameObject(name)] = DictionaryObject(
            {NameObject("/Type"): NameObject("/ExtGState"), NameObject("/LW"): NumberObject(2)}
        )
        patterns[NameObject(name)] = _stream(
            writer,
            b"0 0 5 5 re f",
            {
                "/Type": NameObject("/Pattern"),
                "/PatternType": NumberObject(1),
                "/PaintType": NumberObject(1),
                "/TilingType": NumberObject(1),
                "/BBox": ArrayObject(NumberObject(v) for v in (0, 0, 10, 10)),
                "/XStep": NumberObject(10),
                "/YStep": NumberObject(10),
                "/Resources": DictionaryObject(),
            },
        )
        shadings[NameObject(name)] = DictionaryObject(
            {
                NameObject("/ShadingType"): NumberObject(2),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                NameObject("/Coords"): ArrayObject(NumberObject(v) for v in (0, 0, 1, 0)),
                NameObject("/Function"): DictionaryObject(
                    {
                        NameObject("/FunctionType"): NumberObject(2),
                        NameObject("/Domain"): ArrayObject([NumberObject(0), NumberObject(1)]),
                        NameObject("/N"): NumberObject(1),
                    }
                ),
            }
        )
        spaces[NameObject(name)] = ArrayObject(
            [
                NameObject("/CalGray"),
                DictionaryObject(
                    {
                        NameObject("/WhitePoint"): ArrayObject(
                            FloatObject(v) for v in (0.9505, 1, 1.089)
                        )
                    }
                ),
            ]
        )
        props[NameObject(name)] = DictionaryObject(
            {NameObject("/ActualText"): TextStringObject(f"prop {i}")}
        )
        ops += [
            f"/Span {name} BDC",
            f"q {name} gs {name} cs 0.4 sc 20 {y} 10 10 re f Q",
            f"q /Pattern cs {name} scn 40 {y} 10 10 re f Q",
            f"q 60 {y} 10 10 re W n {name} sh Q",
            f"BT {name} 10 Tf 80 {y} Td (font {i}) Tj ET",
            f"q 1 0 0 1 200 {y} cm {name} Do Q",
            "EMC",
            f"BT /T3 12 Tf 320 {y} Td <{33 + i:02x}> Tj ET",
        ]
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): fonts,
            NameObject("/XObject"): xobjects,
            NameObject("/ExtGState"): states,
            NameObject("/Pattern"): patterns,
            NameObject("/Shading"): shadings,
            NameObject("/ColorSpace"): spaces,
            NameObject("/Properties"): props,
        }
    )
    page[NameObject("/Contents")] = _stream(writer, "\n".join(ops).encode("latin-1"))
    return _finish(writer)


BANK_LINES = ("Page 3 of 3", "Account messages", "Citi Price")


def type3_statement(rename: bool = False) -> bytes:
    """The bank-statement case: text in a Type 3 font whose glyphs are named after their letters
    (/A, /P, /a...). ``rename`` gives the same glyphs innocuous names (/g_A...), the control."""
    letters = sorted({ch for line in BANK_LINES for ch in line if ch != " "})
    names = [f"/g_{ch}" if rename else f"/{_glyph_name(ch)}" for ch in letters]
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = type3_font(writer, [*names, "/space"])
    codes = {ch: 33 + i for i, ch in enumerate(letters)}
    codes[" "] = 33 + len(letters)
    ops = []
    for row, line in enumerate(BANK_LINES):
        hexed = "".join(f"{codes[ch]:02x}" for ch in line)
        ops.append(f"BT /F1 36 Tf 40 {740 - row * 120} Td <{hexed}> Tj ET")
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    page[NameObject("/Contents")] = _stream(writer, "\n".join(ops).encode())
    return _finish(writer)


def _glyph_name(ch: str) -> str:
    return {"3": "three"}.get(ch, ch)


# ------------------------------------------------------------------------------- checks


def _resolve(obj: PdfObject | None) -> PdfObject | None:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _category(resources: DictionaryObject | None, category: str) -> DictionaryObject:
    found = _resolve(resources.get(category)) if resources is not None else None
    return found if isinstance(found, DictionaryObject) else DictionaryObject()


def _uses(stream: StreamObject, reader: PdfReader) -> Iterator[tuple[str, str]]:
    """(category, name) of every named resource the content of ``stream`` uses."""
    for operands, operator in ContentStream(stream, reader).operations:
        op = operator.decode("latin-1")
        if op == "Tf" and operands:
            yield "/Font", str(operands[0])
        elif op == "Do" and operands:
            yield "/XObject", str(operands[0])
        elif op == "gs" and operands:
            yield "/ExtGState", str(operands[0])
        elif op == "sh" and operands:
            yield "/Shading", str(operands[0])
        elif op in ("cs", "CS") and operands and str(operands[0]) not in _DEVICE_SPACES:
            yield "/ColorSpace", str(operands[0])
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], NameObject):
            yield "/Pattern", str(operands[-1])
        elif op in ("BDC", "DP") and len(operands) > 1 and isinstance(operands[1], NameObject):
            yield "/Properties", str(operands[1])


def unresolved_names(pdf: bytes) -> list[str]:
    """Every name a content stream of ``pdf`` uses (pages, forms, patterns, Type 3 glyphs, at
    any depth) that does not resolve to an object of its resources, and every Type 3 glyph
    that the font's encoding names but whose procedure is gone. Empty when nothing is lost."""
    reader = PdfReader(io.BytesIO(pdf))
    missing: list[str] = []
    seen: set[int] = set()
    work: list[tuple[StreamObject, DictionaryObject | None, str]] = []
    for number, page in enumerate(reader.pages, 1):
        contents = page.get_contents()
        if contents is not None:
            work.append((contents, _resolve(page.get("/Resources")), f"page {number}"))  # type: ignore[arg-type]
    while work:
        stream, resources, where = work.pop()
        for category, name in _uses(stream, reader):
            target = _resolve(_category(resources, category).get(name))
            if target is None or (
                category in ("/XObject", "/Pattern") and not isinstance(target, StreamObject)
            ):
                missing.append(f"{where}: {category} {name}")
                continue
            key = id(target)
            if key in seen:
                continue
            seen.add(key)
            if not isinstance(target, DictionaryObject):
                continue  # a colour space array: nothing inside uses names
            own = _resolve(target.get("/Resources"))
            own_resources = own if isinstance(own, DictionaryObject) else resources
            if isinstance(target, StreamObject) and (
                target.get("/Subtype") == "/Form" or category == "/Pattern"
            ):
                work.append((target, own_resources, f"{where} > {category} {name}"))
            if category == "/Font" and target.get("/Subtype") == "/Type3":
                missing.extend(_type3_gaps(target, own_resources, f"{where} > {name}", work))
    return missing


def _type3_gaps(
    font: DictionaryObject,
    resources: DictionaryObject | None,
    where: str,
    work: list[tuple[StreamObject, DictionaryObject | None, str]],
) -> list[str]:
    procs = _resolve(font.get("/CharProcs"))
    procs = procs if isinstance(procs, DictionaryObject) else DictionaryObject()
    encoding = _resolve(font.get("/Encoding"))
    named = []
    if isinstance(encoding, DictionaryObject):
        differences = _resolve(encoding.get("/Differences"))
        if isinstance(differences, ArrayObject):
            named = [str(v) for v in differences if isinstance(v, NameObject)]
    gaps = []
    for glyph in named:
        proc = _resolve(procs.get(glyph))
        if not isinstance(proc, StreamObject):
            gaps.append(f"{where}: glyph {glyph}")
        else:
            work.append((proc, resources, f"{where} glyph {glyph}"))
    return gaps
