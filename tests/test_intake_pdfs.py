"""PDF evidence -> normalised PDF: geometry folded in, passwords, nothing active survives."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A3, landscape, letter
from reportlab.pdfgen import canvas

from app.intake import import_bytes
from app.intake.errors import PasswordRequiredError, WrongPasswordError
from app.system.errors import IntakeError
from tests.intake_support import (
    RED,
    encode,
    forbidden_in,
    marked_pdf,
    mean_difference,
    near,
    render,
    upright_image,
)


def _rewrite(pdf: bytes, edit: object) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    edit(writer)  # type: ignore[operator]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def _assert_normalised(source: bytes, result_pdf: bytes) -> None:
    """Every stored page has no /Rotate, no CropBox, a MediaBox at the origin, and looks
    exactly like the source page does in a viewer."""
    reader = PdfReader(io.BytesIO(result_pdf))
    for number, page in enumerate(reader.pages, 1):
        assert "/Rotate" not in page
        assert "/CropBox" not in page
        assert (float(page.mediabox.left), float(page.mediabox.bottom)) == (0, 0)
        before, after = render(source, number), render(result_pdf, number)
        assert mean_difference(before, after) < 1.0


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (letter, (612.0, 792.0)),
        (A3, (841.89, 1190.55)),
        (landscape(letter), (792.0, 612.0)),
    ],
)
def test_plain_pages_keep_their_size(
    size: tuple[float, float], expected: tuple[float, float]
) -> None:
    source = marked_pdf(size, pages=2)
    result = import_bytes("plain.pdf", source)
    assert [(round(w, 2), round(h, 2)) for w, h in _pages(result.pdf)] == [expected] * 2
    assert [(round(p.width_pt, 2), round(p.height_pt, 2)) for p in result.pages] == [expected] * 2
    assert all(p.source_rotation == 0 and p.dpi is None for p in result.pages)
    _assert_normalised(source, result.pdf)


@pytest.mark.parametrize("rotation", [90, 180, 270, -90, 450])
def test_page_rotation_is_folded_into_the_content(rotation: int) -> None:
    def rotate(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/Rotate")] = NumberObject(rotation)

    source = _rewrite(marked_pdf(letter), rotate)
    result = import_bytes("rotated.pdf", source)
    folded = rotation % 360
    assert _pages(result.pdf) == [(792.0, 612.0) if folded in (90, 270) else (612.0, 792.0)]
    assert result.pages[0].source_rotation == folded
    _assert_normalised(source, result.pdf)
    if folded == 90:  # red block was top-left on the unrotated page: now top-right
        image = render(result.pdf)
        assert near(image.getpixel((image.width - 10, 10)), RED)  # type: ignore[arg-type]


def test_inherited_rotation_is_folded_too() -> None:
    def inherit(writer: PdfWriter) -> None:
        pages_node = writer.root_object["/Pages"].get_object()
        pages_node[NameObject("/Rotate")] = NumberObject(90)
        for page in writer.pages:
            if "/Rotate" in page:
                del page["/Rotate"]

    source = _rewrite(marked_pdf(letter, pages=2), inherit)
    assert source.count(b"/Rotate") == 1  # on the /Pages node only, for both pages
    result = import_bytes("inherited.pdf", source)
    assert _pages(result.pdf) == [(792.0, 612.0)] * 2
    assert [p.source_rotation for p in result.pages] == [90, 90]
    _assert_normalised(source, result.pdf)


def test_cropbox_becomes_the_page_and_hides_the_rest() -> None:
    def crop(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/CropBox")] = RectangleObject((100, 200, 400, 600))

    source = _rewrite(marked_pdf(letter), crop)
    result = import_bytes("cropped.pdf", source)
    assert _pages(result.pdf) == [(300.0, 400.0)]
    _assert_normalised(source, result.pdf)
    # The red block (0..160, 672..792) lies outside the crop: it must not show anywhere.
    image = render(result.pdf)
    assert not any(near(c, RED) for _, c in image.getcolors(1 << 16) or [])  # type: ignore[misc]


def test_cropbox_and_rotation_and_offset_mediabox_together() -> None:
    def edit(writer: PdfWriter) -> None:
        page = writer.pages[0]
        page[NameObject("/MediaBox")] = RectangleObject((-50, -50, 612, 792))
        page[NameObject("/CropBox")] = RectangleObject((-20, 300, 612, 792))
        page[NameObject("/Rotate")] = NumberObject(270)

    source = _rewrite(marked_pdf(letter), edit)
    result = import_bytes("both.pdf", source)
    assert _pages(result.pdf) == [(492.0, 632.0)]
    _assert_normalised(source, result.pdf)


def test_owner_password_only_opens_without_asking() -> None:
    def lock(writer: PdfWriter) -> None:
        writer.encrypt(user_password="", owner_password="boss", algorithm="AES-128")

    source = _rewrite(marked_pdf(), lock)
    asked: list[str] = []
    result = import_bytes("owner.pdf", source, password=lambda n: asked.append(n) or None)
    assert asked == []
    assert len(result.pages) == 1
    assert b"/Encrypt" not in result.pdf


def _user_locked(algorithm: str = "AES-256") -> bytes:
    def lock(writer: PdfWriter) -> None:
        writer.encrypt(user_password="s3cret", owner_password="boss", algorithm=algorithm)

    return _rewrite(marked_pdf(), lock)


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_user_password_right(algorithm: str) -> None:
    asked: list[str] = []

    def answer(name: str) -> str:
        asked.append(name)
        return "s3cret"

    source = _user_locked(algorithm)
    result = import_bytes("locked.pdf", source, password=answer)
    assert asked == ["locked.pdf"]
    assert b"/Encrypt" not in result.pdf
    assert mean_difference(render(result.pdf), render(marked_pdf())) < 1.0


def test_user_password_second_try_succeeds() -> None:
    answers = iter(["typo", "s3cret"])
    result = import_bytes("locked.pdf", _user_locked(), password=lambda _n: next(answers))
    assert len(result.pages) == 1


def test_user_password_wrong_three_times() -> None:
    asked: list[str] = []

    def answer(name: str) -> str:
        asked.append(name)
        return "nope"

    with pytest.raises(WrongPasswordError) as caught:
        import_bytes("locked.pdf", _user_locked(), password=answer)
    assert len(asked) == 3
    assert "locked.pdf" in caught.value.message and "密码不正确" in caught.value.message
    assert caught.value.file_name == "locked.pdf"


@pytest.mark.parametrize("callback", [None, lambda _n: None])
def test_user_password_missing_or_cancelled(callback: object) -> None:
    with pytest.raises(PasswordRequiredError) as caught:
        import_bytes("locked.pdf", _user_locked(), password=callback)  # type: ignore[arg-type]
    assert "locked.pdf" in caught.value.message and "需要打开密码" in caught.value.message


def _js_action(script: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def _active_pdf() -> bytes:
    def arm(writer: PdfWriter) -> None:
        writer.add_open_action(JavaScript("app.alert('open');"))
        writer.add_attachment("payload.txt", b"not for the packet")
        writer.root_object[NameObject("/OpenAction")] = _js_action("app.alert('open');")
        writer.root_object[NameObject("/AA")] = DictionaryObject(
            {NameObject("/WC"): _js_action("app.alert('close');")}
        )
        page = writer.pages[0]
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): _js_action("page open")})
        rect = ArrayObject([FloatObject(v) for v in (50, 50, 200, 100)])
        link_js = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/A"): _js_action("app.launchURL('x')"),
            }
        )
        launch = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): rect,
                NameObject("/A"): DictionaryObject(
                    {
                        NameObject("/S"): NameObject("/Launch"),
                        NameObject("/F"): TextStringObject("cmd.exe"),
                    }
                ),
            }
        )
        page[NameObject("/Annots")] = ArrayObject(
            [writer._add_object(link_js), writer._add_object(launch)]
        )

    source = _rewrite(marked_pdf(letter, pages=2), arm)
    found = forbidden_in(source)
    assert {"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile"} <= found
    return source


def test_nothing_active_survives() -> None:
    source = _active_pdf()
    result = import_bytes("active.pdf", source)
    assert forbidden_in(result.pdf) == set()
    assert len(result.pages) == 2
    _assert_normalised(source, result.pdf)


def test_form_widgets_and_the_acroform_are_not_copied() -> None:
    """The fields themselves go (their printed appearance is painted: see test_intake_flatten)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter)
    pdf.drawString(100, 700, "Form")
    pdf.acroForm.textfield(name="company", value="Zhuhai Co", x=100, y=600, width=200, height=20)
    pdf.save()
    source = out.getvalue()
    assert b"/AcroForm" in source and b"/Widget" in source
    result = import_bytes("form.pdf", source)
    assert forbidden_in(result.pdf) == set()
    assert b"/Widget" not in result.pdf


def test_output_stays_close_to_input_size() -> None:
    # A scan-like PDF: one big JPEG per page, as scanners produce.
    photo = encode(upright_image((1654, 2339)).effect_spread(3), "JPEG", quality=85)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595, 842))
    from reportlab.lib.utils import ImageReader

    for _ in range(3):
        pdf.drawImage(ImageReader(io.BytesIO(photo)), 0, 0, 595, 842)
        pdf.showPage()
    pdf.save()
    source = out.getvalue()
    result = import_bytes("scan.pdf", source)
    assert len(result.pdf) <= 1.1 * len(source)
    assert len(result.pages) == 3
    # one image filling the page, no fonts: its resolution is known (1654 px over 160 mm)
    assert result.pages[0].dpi == pytest.approx(1654 / (160 / 25.4), rel=0.01)

    text = marked_pdf(letter, pages=20)
    assert len(import_bytes("text.pdf", text).pdf) <= 1.1 * len(text) + 2000


def test_pdf_with_a_picture_extension_is_still_a_pdf() -> None:
    result = import_bytes("really-a-pdf.jpg", marked_pdf())
    assert len(result.pages) == 1
    assert result.pages[0].dpi is None


def test_refusals_name_the_file() -> None:
    writer = PdfWriter()
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(IntakeError) as caught:
        import_bytes("没有页面.pdf", out.getvalue())
    assert "没有页面.pdf" in caught.value.message and "没有任何页面" in caught.value.message


def test_pages_stay_independent_when_a_later_step_merges_onto_one() -> None:
    source = marked_pdf(letter, pages=3)
    stored = import_bytes("three.pdf", source).pdf
    stamp = marked_pdf(letter)
    writer = PdfWriter(clone_from=io.BytesIO(stored))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(stamp)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    for number in (2, 3):
        assert mean_difference(render(out.getvalue(), number), render(source, number)) < 1.0


def test_odd_but_readable_page_dictionaries() -> None:
    def edit(writer: PdfWriter) -> None:
        first, second, third = writer.pages
        del first["/MediaBox"]  # viewers assume Letter
        second[NameObject("/Rotate")] = writer._add_object(NumberObject(90))  # indirect
        third[NameObject("/Rotate")] = FloatObject(180.0)
        third[NameObject("/Contents")] = writer._add_object(
            ArrayObject([third.raw_get("/Contents")])
        )

    source = _rewrite(marked_pdf(letter, pages=3), edit)
    result = import_bytes("odd.pdf", source)
    assert _pages(result.pdf) == [(612.0, 792.0), (792.0, 612.0), (612.0, 792.0)]
    assert [p.source_rotation for p in result.pages] == [0, 90, 180]
    _assert_normalised(source, result.pdf)


def test_cyclic_page_tree_is_refused_as_damaged() -> None:
    def loop(writer: PdfWriter) -> None:
        pages = writer.root_object["/Pages"].get_object()
        pages["/Kids"].append(writer.root_object.raw_get("/Pages"))
        pages[NameObject("/Count")] = NumberObject(2)

    with pytest.raises(IntakeError) as caught:
        import_bytes("loop.pdf", _rewrite(marked_pdf(), loop))
    assert "loop.pdf" in caught.value.message and "损坏" in caught.value.message
