"""Files that are refused: each with its own reason, always naming the file."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from app.intake import errors as intake_errors
from app.intake import import_bytes, import_file, import_files
from app.system.errors import AppError, BuildCancelled, IntakeError
from tests.intake_support import encode, marked_pdf, png_header_only, upright_image


def _zip(names: list[str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


def _refusal(name: str, data: bytes) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        import_bytes(name, data)
    error = caught.value
    assert error.file_name == name
    assert name in error.message
    assert isinstance(error, AppError)
    return error


def test_empty_file() -> None:
    error = _refusal("空白.pdf", b"")
    assert isinstance(error, intake_errors.EmptyFileError)
    assert "空文件" in error.message


def test_html_renamed_pdf() -> None:
    error = _refusal("page.pdf", b"<!DOCTYPE html><html><body>login</body></html>")
    assert isinstance(error, intake_errors.UnsupportedFormatError)
    assert "HTML" in error.message


def test_zip_renamed_pdf() -> None:
    error = _refusal("bundle.pdf", _zip(["a.txt", "b.jpg"]))
    assert isinstance(error, intake_errors.UnsupportedFormatError)
    assert "ZIP" in error.message


@pytest.mark.parametrize(
    ("name", "members", "program"),
    [
        ("合同.docx", ["[Content_Types].xml", "word/document.xml"], "Word"),
        ("明细.xlsx", ["[Content_Types].xml", "xl/workbook.xml"], "Excel"),
        ("合同.pdf", ["[Content_Types].xml", "word/document.xml"], "Word"),
    ],
)
def test_office_documents_ask_for_save_as_pdf(name: str, members: list[str], program: str) -> None:
    error = _refusal(name, _zip(members))
    assert isinstance(error, intake_errors.OfficeDocumentError)
    assert f"请先在{program}中“另存为PDF”再添加" in error.message


def test_legacy_office_and_ofd() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert "Excel" in _refusal("old.xls", ole).message
    assert "Word" in _refusal("old.doc", ole).message
    error = _refusal("发票.ofd", _zip(["OFD.xml", "Doc_0/Document.xml"]))
    assert isinstance(error, intake_errors.OfdDocumentError)


def test_heic_asks_for_jpg() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100)
    error = _refusal("IMG_0001.HEIC", heic)
    assert isinstance(error, intake_errors.HeicError)
    assert "请在手机或电脑上转换为JPG后再添加" in error.message
    # by content, not by name
    assert isinstance(_refusal("IMG_0002.jpg", heic), intake_errors.HeicError)


def test_unknown_bytes() -> None:
    error = _refusal("notes.pdf", b"just some text\n" * 20)
    assert isinstance(error, intake_errors.UnsupportedFormatError)


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.8])
def test_truncated_pdf(fraction: float) -> None:
    """Cut so short that pages lost their content: refused (a copy cut in its last bytes is
    repaired instead: see test_intake_recovery)."""
    data = marked_pdf(pages=3)
    error = _refusal("cut.pdf", data[: int(len(data) * fraction)])
    assert isinstance(error, intake_errors.DamagedFileError)
    assert "损坏" in error.message or "不完整" in error.message


def test_truncated_jpeg_is_noticed() -> None:
    photo = upright_image((800, 600)).effect_spread(2)
    data = encode(photo, "JPEG", quality=90)
    cut = data[: int(len(data) * 0.6)]
    Image.open(io.BytesIO(cut)).verify()  # verify() alone would let it through
    error = _refusal("cut.jpg", cut)
    assert isinstance(error, intake_errors.DamagedFileError)


def test_truncated_png_and_tiff() -> None:
    photo = upright_image((300, 300)).effect_spread(2)
    for fmt in ("PNG", "TIFF"):
        data = encode(photo, fmt)
        error = _refusal(f"cut.{fmt.lower()}", data[: len(data) // 2])
        assert isinstance(error, intake_errors.DamagedFileError)


def test_zero_page_pdf() -> None:
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    error = _refusal("empty-pages.pdf", out.getvalue())
    assert isinstance(error, intake_errors.ZeroPagesError)


@pytest.mark.parametrize("size", [(10_000, 10_000), (40_000, 40_000)])
def test_decompression_bomb(size: tuple[int, int]) -> None:
    # 100 M pixels gives Pillow's warning, 1.6 G its error: both are refused, nothing is
    # allocated (the file is a bare header).
    error = _refusal("huge.png", png_header_only(*size))
    assert isinstance(error, intake_errors.TooLargeImageError)
    assert "图片像素过大" in error.message


def test_bomb_in_a_later_tiff_frame() -> None:
    small = Image.new("1", (100, 100))
    big = Image.new("1", (10_000, 9_000))  # 90 M pixels, 11 MB as bits
    data = encode(small, "TIFF", save_all=True, append_images=[big], compression="group4")
    error = _refusal("frames.tif", data)
    assert isinstance(error, intake_errors.TooLargeImageError)
    assert "10000×9000" in error.message


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(intake_errors.ReadError) as caught:
        import_file(tmp_path / "gone.pdf")
    assert "gone.pdf" in caught.value.message


def test_import_files_is_all_or_nothing(tmp_path: Path) -> None:
    good = tmp_path / "1.jpg"
    good.write_bytes(encode(upright_image(), "JPEG"))
    bad = tmp_path / "2.pdf"
    bad.write_bytes(b"")
    also_good = tmp_path / "3.pdf"
    also_good.write_bytes(marked_pdf())
    seen: list[tuple[int, int, str]] = []

    with pytest.raises(IntakeError) as caught:
        import_files([good, bad, also_good], progress=lambda *a: seen.append(a))
    assert caught.value.file_name == "2.pdf"
    assert "2.pdf" in caught.value.message
    assert seen == [(0, 3, "1.jpg"), (1, 3, "2.pdf")]  # stopped at the refusal

    seen.clear()
    result = import_files([good, also_good], progress=lambda *a: seen.append(a))
    assert [f.name for f in result] == ["1.jpg", "3.pdf"]
    assert seen == [(0, 2, "1.jpg"), (1, 2, "3.pdf"), (2, 2, "")]


def test_import_files_cancel(tmp_path: Path) -> None:
    paths = []
    for number in range(3):
        path = tmp_path / f"{number}.png"
        path.write_bytes(encode(upright_image((50, 50)), "PNG"))
        paths.append(path)
    calls = {"n": 0}

    def cancel_after_first() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    with pytest.raises(BuildCancelled):
        import_files(paths, cancel=cancel_after_first)
    assert calls["n"] == 2


def test_password_callback_reaches_import_files(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(marked_pdf()))
    writer.encrypt(user_password="pw", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    asked: list[str] = []
    result = import_files([path], password=lambda n: asked.append(n) or "pw")
    assert asked == ["locked.pdf"] and len(result[0].pages) == 1


def test_image_signature_with_garbage_after_it_is_damaged() -> None:
    for name, head in [("bad.jpg", b"\xff\xd8\xff\xe0"), ("bad.png", b"\x89PNG\r\n\x1a\n")]:
        error = _refusal(name, head + b"\x00garbage" * 50)
        assert isinstance(error, intake_errors.DamagedFileError)


def test_pdf_inside_a_zip_is_not_taken_for_a_pdf() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("inner.pdf", marked_pdf())
    data = out.getvalue()
    assert b"%PDF-" in data[:1024]
    assert isinstance(_refusal("archive.pdf", data), intake_errors.UnsupportedFormatError)


def test_junk_before_the_pdf_header_is_tolerated() -> None:
    result = import_bytes("prefixed.pdf", b"\r\n\r\n" + marked_pdf())
    assert len(result.pages) == 1


# ------------------------------------------------ what the build would decode, decoded now


def _content_pdf(data: bytes, filters: str | None, pages: int = 1) -> bytes:
    """A PDF whose pages share one content stream of ``data`` under ``filters``."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    stream = StreamObject()
    stream._data = data
    if filters:
        stream[NameObject("/Filter")] = NameObject(filters)
    ref = writer._add_object(stream)
    for _ in range(pages):
        writer.add_blank_page(595, 842)[NameObject("/Contents")] = ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filters"),
    [
        (b"\x97JB2\r\n\x1a\n\x01\x00\x00\x00\x01" + bytes(40), "/JBIG2Decode"),
        (b"not flate at all \x00\xff" * 20, "/FlateDecode"),
        (b"whatever", "/NoSuchDecode"),
    ],
    ids=["jbig2-content", "corrupt-flate", "unknown-filter"],
)
def test_a_page_whose_content_cannot_be_decoded_is_refused_at_import(
    data: bytes, filters: str
) -> None:
    """The build copies what the import stored: a content stream that cannot be decoded must
    be refused when it is attached, by the file's name, not break a build later."""
    try:
        imported = import_bytes("内容异常.pdf", _content_pdf(data, filters))
    except IntakeError as exc:
        assert "“内容异常.pdf”" in exc.message
    else:
        # a reader that recovers something must have stored it decodable
        page = PdfReader(io.BytesIO(imported.pdf)).pages[0]
        assert page.get_contents() is not None
        page.get_contents().get_data()  # type: ignore[union-attr]


def test_a_content_bomb_is_refused_at_import_with_its_own_message() -> None:
    bomb = zlib.compress(b" " * (80 * 1024 * 1024), 9)
    with pytest.raises(IntakeError) as err:
        import_bytes("炸弹.pdf", _content_pdf(bomb, "/FlateDecode"))
    assert "“炸弹.pdf”" in err.value.message and "庞大" in err.value.message


def test_a_page_tree_listing_one_page_thousands_of_times_is_refused() -> None:
    from app.intake.pdfs import MAX_PAGES_PER_FILE

    with pytest.raises(IntakeError) as err:
        import_bytes("重复页.pdf", _content_pdf(b"q Q", None, MAX_PAGES_PER_FILE + 1))
    assert f"{MAX_PAGES_PER_FILE + 1} 页" in err.value.message and "拆分" in err.value.message


def test_a_pdf_page_drawing_an_absurdly_large_image_is_refused() -> None:
    """20000 x 20000 pixels declared (400 million): refused by its dimensions, nothing decoded."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, NumberObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    image = StreamObject()
    image._data = zlib.compress(bytes(1000))
    for key, value in {
        "/Type": NameObject("/XObject"),
        "/Subtype": NameObject("/Image"),
        "/Width": NumberObject(20000),
        "/Height": NumberObject(20000),
        "/ColorSpace": NameObject("/DeviceGray"),
        "/BitsPerComponent": NumberObject(8),
        "/Filter": NameObject("/FlateDecode"),
    }.items():
        image[NameObject(key)] = value
    from pypdf.generic import DictionaryObject

    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})}
    )
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(intake_errors.TooLargeImageError) as err:
        import_bytes("巨图.pdf", out.getvalue())
    assert "“巨图.pdf”" in err.value.message and "20000×20000" in err.value.message


def test_a_file_beyond_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from app.intake.importer import MAX_FILE_BYTES

    path = tmp_path / "大文件.pdf"
    with path.open("wb") as fh:  # sparse: takes no disk space, and is never read
        fh.write(marked_pdf())
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(intake_errors.TooLargeFileError) as err:
        import_file(path)
    assert "“大文件.pdf”" in err.value.message and "上限" in err.value.message


def test_tiny_pages_and_very_many_pages_are_pointed_out() -> None:
    tiny = marked_pdf(size=(72.0, 72.0), pages=3)
    notes = import_bytes("一英寸.pdf", tiny).warnings
    assert any("页面很小" in n and "25×25 毫米" in n for n in notes)
    assert not any("页面很小" in n for n in import_bytes("A4.pdf", marked_pdf()).warnings)
    from app.intake.importer import MANY_PAGES

    many = import_bytes("很多页.pdf", _content_pdf(b"q Q", None, MANY_PAGES + 1)).warnings
    assert any(f"共 {MANY_PAGES + 1} 页" in n for n in many)
