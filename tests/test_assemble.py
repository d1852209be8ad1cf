"""The streaming packet assembler (app.packet.assemble), checked with pypdf and poppler."""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import img2pdf
import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A3, landscape, letter
from reportlab.lib.pagesizes import A4 as RL_A4
from reportlab.pdfgen import canvas

from app.packet.assemble import (
    DocInfo,
    DrawnPage,
    EvidencePage,
    LinkArea,
    OutlineNode,
    OutputPage,
    assemble,
)
from app.packet.layout import A4, Box, Layout, content_box
from app.system.errors import BuildCancelled, OutputError, ProjectFileError
from app.system.fonts import register_fonts
from tests.pdftools import pdf_text
from tests.pdftools import render as render_page

RENDER_DPI = 24
PX = 72 / RENDER_DPI  # points per rendered pixel


# ----------------------------------------------------------------------------- fixtures


def reportlab_pdf(
    pages: list[str],
    size: tuple[float, float] = RL_A4,
    fill: bool = False,
    top_bar: bool = False,
) -> bytes:
    """One page per marker text. ``fill`` paints the whole page grey (to find it when
    rendered); ``top_bar`` adds a black bar along the top edge."""
    font = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for text in pages:
        if fill:
            c.setFillGray(0.5)
            c.rect(0, 0, size[0], size[1], stroke=0, fill=1)
        if top_bar:
            c.setFillGray(0.0)
            c.rect(0, size[1] - 40, size[0], 40, stroke=0, fill=1)
        c.setFillGray(0.0)
        c.setFont(font, 14)
        c.drawString(72, size[1] / 2, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def jpeg_scan(seed: int = 1, size: tuple[int, int] = (2480, 3508), noise: bool = False) -> bytes:
    """A 300-dpi JPEG 'scan' (grey, or noisy so that it is realistically large)."""
    if noise:
        img = Image.effect_noise((size[0] // 2, size[1] // 2), 60 + seed).resize(size)
        img = Image.merge("RGB", (img, ImageOps.invert(img), img))
    else:
        img = Image.new("RGB", size, (128, 128, 128))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, dpi=(300, 300))
    return buf.getvalue()


def png_shot() -> bytes:
    img = Image.new("RGB", (300, 200), (100, 100, 100))
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(72, 72))
    return buf.getvalue()


def evidence_with_actions() -> bytes:
    """A PDF carrying document JavaScript, an attachment, an open action, a page action and a
    link annotation."""
    writer = PdfWriter(clone_from=io.BytesIO(reportlab_pdf(["ACTIVE-MARK"], fill=True)))
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    script_ref = writer._add_object(script)
    writer.add_attachment("secret.txt", b"attached")
    names = writer._root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("js"), script_ref])}
    )
    writer.add_uri(0, "https://example.com/", [10, 10, 100, 100])
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): script_ref})
    writer._root_object[NameObject("/OpenAction")] = script_ref
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
    for token in (b"/JavaScript", b"/OpenAction", b"/AA", b"/URI", b"/EmbeddedFiles"):
        assert token in data  # the fixture really carries them
    return data


def page_text(path: Path, page: int) -> str:
    """Text of 1-based ``page`` (PDFium)."""
    return pdf_text(path, page, page)


def render(path: Path, page: int, tmp: Path) -> Image.Image:
    return render_page(path, page, RENDER_DPI, gray=True)


def ink_box(img: Image.Image, threshold: int = 200) -> Box:
    """Bounding box of the non-white pixels, in PDF points (origin bottom-left)."""
    mask = img.point(lambda v: 255 if v < threshold else 0)
    bbox = mask.getbbox()
    assert bbox is not None, "page is blank"
    left, upper, right, lower = bbox
    height = img.height
    return Box(left * PX, (height - lower) * PX, right * PX, (height - upper) * PX)


MARKERS = {
    0: "COVER-MARK",
    1: "TOC-MARK",
    3: "LETTER-ONE",
    4: "LETTER-TWO",
    5: "LANDSCAPE-MARK",
    7: "ATHREE-MARK",
    8: "FORM-MARK",
    9: "ACTIVE-MARK",
}


class Packet:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.jpeg = jpeg_scan()
        self.evidence: dict[str, bytes] = {
            "jpg": img2pdf.convert(self.jpeg),
            "letter": reportlab_pdf(["LETTER-ONE", "LETTER-TWO"], letter, fill=True),
            "land": reportlab_pdf(["LANDSCAPE-MARK"], landscape(RL_A4), fill=True, top_bar=True),
            "png": img2pdf.convert(png_shot()),
            "a3": reportlab_pdf(["ATHREE-MARK"], A3, fill=True),
            "active": evidence_with_actions(),
        }
        self.drawn = reportlab_pdf(["COVER-MARK", "TOC-MARK", "FORM-MARK"])
        self.pages: list[OutputPage] = [
            DrawnPage(0),
            DrawnPage(1),
            EvidencePage("jpg", 0, band=True),
            EvidencePage("letter", 0, band=True),
            EvidencePage("letter", 1),
            EvidencePage("land", 0),
            EvidencePage("png", 0),
            EvidencePage("a3", 0),
            DrawnPage(2),
            EvidencePage("active", 0),
        ]
        self.overlay = reportlab_pdf([f"PAGENO-{n + 1}" for n in range(len(self.pages))])
        self.outline = [
            OutlineNode("封面", 0),
            OutlineNode("目录", 1),
            OutlineNode(
                "一、证明材料",
                2,
                (OutlineNode("营业执照（副本）", 2), OutlineNode("服务合同", 3)),
            ),
            OutlineNode("申请表", 8),
        ]
        self.links = [
            LinkArea(1, (70.0, 700.0, 520.0, 716.0), 2),
            LinkArea(1, (70.0, 680.0, 520.0, 696.0), 8),
        ]
        self.info = DocInfo("珠海市服务贸易专项资金申报材料", "珠海某某科技有限公司", "2019 年度")
        self.requested: list[str] = []
        self.progress: list[tuple[int, int, str]] = []

    def fetch(self, file_id: str) -> bytes:
        self.requested.append(file_id)
        return self.evidence[file_id]

    def build(self, out: Path, layout: Layout | None = None, overlay: bool = True) -> Path:
        assemble(
            out,
            self.pages,
            self.drawn,
            self.overlay if overlay else None,
            self.fetch,
            layout or Layout(),
            self.outline,
            self.links,
            info=self.info,
            progress=lambda d, t, m: self.progress.append((d, t, m)),
        )
        return out


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Packet:
    return Packet(tmp_path_factory.mktemp("packet"))


@pytest.fixture(scope="module")
def built(packet: Packet) -> Path:
    return packet.build(packet.root / "申报材料.pdf")


@pytest.fixture(scope="module")
def bare(packet: Packet) -> Path:
    """The same packet without overlay, for measuring where the evidence ink is."""
    return packet.build(packet.root / "bare.pdf", overlay=False)


# -------------------------------------------------------------------------------- tests


def test_every_page_is_a4_portrait_and_readable_strictly(built: Path, packet: Packet) -> None:
    reader = PdfReader(built, strict=True)
    assert len(reader.pages) == len(packet.pages)
    for page in reader.pages:
        assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, A4[0], A4[1]])
        assert "/Rotate" not in page
        assert "/CropBox" not in page
    info = subprocess.run(["pdfinfo", str(built)], capture_output=True, check=True)
    assert info.stderr == b""
    assert f"Pages:           {len(packet.pages)}".encode() in info.stdout
    assert b"JavaScript:      no" in info.stdout


def test_each_source_page_appears_once_on_its_page_with_its_overlay(
    built: Path, packet: Packet
) -> None:
    for index in range(len(packet.pages)):
        text = page_text(built, index + 1)
        assert re.findall(r"PAGENO-(\d+)", text) == [str(index + 1)]
        for marker_page, marker in MARKERS.items():
            assert text.count(marker) == (1 if marker_page == index else 0), (index, marker)
    whole = pdf_text(built)
    for marker in MARKERS.values():
        assert whole.count(marker) == 1


def test_each_evidence_file_is_loaded_once_when_its_pages_are_consecutive(
    packet: Packet, tmp_path: Path
) -> None:
    packet.requested.clear()
    packet.build(tmp_path / "again.pdf")
    assert packet.requested == ["jpg", "letter", "land", "png", "a3", "active"]


def test_progress_reports_every_page_in_order(built: Path, packet: Packet) -> None:
    total = len(packet.pages)
    steps = packet.progress[: total + 1]
    assert [d for d, _, _ in steps] == list(range(total + 1))
    assert all(t == total for _, t, _ in steps)
    assert steps[4][2] == "正在合成第 5 页"


def test_evidence_lies_in_the_content_box_with_the_gutter_on_the_left(
    bare: Path, packet: Packet, tmp_path: Path
) -> None:
    layout = Layout()
    tolerance = 2 * PX
    for index in (2, 3, 4, 5, 6, 7):  # the grey evidence pages
        page = packet.pages[index]
        assert isinstance(page, EvidencePage)
        box = content_box(layout, index + 1, page.band)
        ink = ink_box(render(bare, index + 1, tmp_path))
        assert ink.x0 >= box.x0 - tolerance, index
        assert ink.x1 <= box.x1 + tolerance, index
        assert ink.y0 >= box.y0 - tolerance, index
        assert ink.y1 <= box.y1 + tolerance, index
        if index == 6:  # the 300 x 200 pt screenshot: enlarged 2x (no more), turned
            assert (ink.width, ink.height) == pytest.approx((400, 600), abs=tolerance)
        else:  # scaled to fill the box in one direction
            assert (
                ink.width >= box.width - 2 * tolerance or ink.height >= box.height - 2 * tolerance
            )
    # the gutter (25 mm) is on the left: more white on the left than on the right
    ink = ink_box(render(bare, 5, tmp_path))
    assert ink.x0 > A4[0] - ink.x1 + 20


def test_band_page_leaves_room_for_the_heading(bare: Path, tmp_path: Path) -> None:
    layout = Layout()
    banded = ink_box(render(bare, 3, tmp_path))  # the grey JPEG, band=True
    assert banded.y1 <= content_box(layout, 3, True).y1 + 2 * PX
    assert banded.y1 < content_box(layout, 3, False).y1 - 10 * 72 / 25.4


def test_duplex_puts_the_gutter_on_the_right_of_even_pages(packet: Packet, tmp_path: Path) -> None:
    out = packet.build(tmp_path / "duplex.pdf", Layout(duplex=True), overlay=False)
    odd = ink_box(render(out, 5, tmp_path))  # letter page 2, full width
    even = ink_box(render(out, 4, tmp_path))  # letter page 1
    assert odd.x0 > A4[0] - odd.x1 + 20  # gutter left
    assert A4[0] - even.x1 > even.x0 + 20  # gutter right
    box = content_box(Layout(duplex=True), 4, True)
    assert even.x1 <= box.x1 + 2 * PX


def test_landscape_page_is_turned_with_its_top_on_the_left(bare: Path, tmp_path: Path) -> None:
    img = render(bare, 6, tmp_path)
    ink = ink_box(img)
    assert ink.height > ink.width * 1.3  # portrait on the page
    # The black bar along the source's top edge is now the leftmost column of the page area.
    left = int(ink.x0 / PX) + 1
    right = int(ink.x1 / PX) - 2
    middle = int((A4[1] - (ink.y0 + ink.y1) / 2) / PX)
    assert img.getpixel((left, middle)) < 40
    assert img.getpixel((right, middle)) > 90


def test_outline_titles_nesting_and_targets(built: Path, packet: Packet) -> None:
    reader = PdfReader(built, strict=True)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["封面", "目录", "一、证明材料", "申请表"]
    children = [item for item in outline if isinstance(item, list)]
    assert len(children) == 1
    assert [c.title for c in children[0]] == ["营业执照（副本）", "服务合同"]
    pages = [reader.get_destination_page_number(i) for i in outline if not isinstance(i, list)]
    assert pages == [0, 1, 2, 8]
    assert [reader.get_destination_page_number(c) for c in children[0]] == [2, 3]


def test_links_go_to_their_target_pages_without_border(built: Path) -> None:
    reader = PdfReader(built, strict=True)
    annots = reader.pages[1]["/Annots"]
    assert len(annots) == 2
    targets = []
    for ref in annots:
        annot = ref.get_object()
        assert annot["/Subtype"] == "/Link"
        assert list(annot["/Border"]) == [0, 0, 0]
        assert "/A" not in annot
        target = annot["/Dest"][0]
        targets.append(
            next(
                i for i, p in enumerate(reader.pages) if p.indirect_reference.idnum == target.idnum
            )
        )
    assert targets == [2, 8]
    assert [float(v) for v in annots[0].get_object()["/Rect"]] == [70, 700, 520, 716]
    for index, page in enumerate(reader.pages):
        if index != 1:
            assert "/Annots" not in page


def test_viewer_preferences_and_document_info(packet: Packet, built: Path, tmp_path: Path) -> None:
    reader = PdfReader(built, strict=True)
    prefs = reader.trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/NumCopies"] == 2
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == "/Simplex"
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "珠海市服务贸易专项资金申报材料"
    assert meta.author == "珠海某某科技有限公司"
    assert meta.subject == "2019 年度"
    assert meta.creator == "申报材料助手"
    raw = built.read_bytes()
    assert b"\\376\\377" in raw  # UTF-16BE text strings with their byte-order mark
    pdfinfo = subprocess.run(["pdfinfo", str(built)], capture_output=True, check=True)
    assert "珠海市服务贸易专项资金申报材料" in pdfinfo.stdout.decode("utf-8")

    packet_duplex = Packet(tmp_path)
    packet_duplex.info = DocInfo("标题", "作者", copies=3, duplex=True)
    out = packet_duplex.build(tmp_path / "d.pdf")
    prefs = PdfReader(out).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/NumCopies"] == 3
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"


def all_dictionaries(path: Path) -> list[DictionaryObject]:
    """Every dictionary of the file, indirect or nested, read with pypdf."""
    reader = PdfReader(path, strict=True)
    found: list[DictionaryObject] = []
    stack: list[object] = [reader.trailer]
    seen: set[int] = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            found.append(obj)
            stack.extend(obj.raw_get(k) for k in obj)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def test_no_scripts_actions_or_attachments_survive(built: Path) -> None:
    dictionaries = all_dictionaries(built)
    assert len(dictionaries) > 50
    forbidden = {"/JavaScript", "/JS", "/OpenAction", "/AA", "/A", "/URI", "/EmbeddedFiles"}
    for dictionary in dictionaries:
        assert not forbidden & set(dictionary), dictionary
        assert dictionary.get("/S") != "/JavaScript"
        assert dictionary.get("/Type") != "/Filespec"
    root = PdfReader(built).trailer["/Root"]
    assert "/Names" not in root
    assert "/AcroForm" not in root


def test_jpeg_bytes_pass_through_verbatim(built: Path, packet: Packet) -> None:
    raw = built.read_bytes()
    assert raw.count(packet.jpeg) == 1


def test_shared_objects_are_written_once(built: Path) -> None:
    # One font program each for the drawn PDF (3 pages used), the overlay (10 pages) and the
    # four reportlab evidence PDFs (the Letter one used for 2 pages): nothing copied twice.
    assert built.read_bytes().count(b"/FontFile2") == 6


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_damage(built: Path) -> None:
    done = subprocess.run(["qpdf", "--check", str(built)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def test_image_heavy_output_is_within_ten_percent_of_the_evidence(tmp_path: Path) -> None:
    evidence = {f"scan{i}": img2pdf.convert(jpeg_scan(i, (620, 877), noise=True)) for i in range(8)}
    pages: list[OutputPage] = [DrawnPage(0)]
    pages += [EvidencePage(fid, 0, band=True) for fid in evidence]
    drawn = reportlab_pdf(["封面"])
    overlay = reportlab_pdf([f"第 {n + 1} 页" for n in range(len(pages))])
    out = tmp_path / "heavy.pdf"
    assemble(out, pages, drawn, overlay, evidence.__getitem__, Layout(), info=DocInfo("t", "a"))
    evidence_bytes = sum(len(v) for v in evidence.values())
    assert evidence_bytes > 1_000_000
    assert out.stat().st_size <= 1.1 * evidence_bytes


def test_user_rotation_and_a_reused_file(tmp_path: Path) -> None:
    source = reportlab_pdf(["ROT-A", "ROT-B"], fill=True, top_bar=True)
    pages: list[OutputPage] = [
        EvidencePage("f", 0, user_rotation=90),
        EvidencePage("g", 0),
        EvidencePage("f", 1, user_rotation=180),
    ]
    fetched: list[str] = []

    def fetch(file_id: str) -> bytes:
        fetched.append(file_id)
        return source if file_id == "f" else reportlab_pdf(["OTHER"])

    out = tmp_path / "rot.pdf"
    drawn = reportlab_pdf(["unused"])
    assemble(out, pages, drawn, None, fetch, Layout(), info=DocInfo("t", "a"))
    assert fetched == ["f", "g", "f"]
    # turned 90 clockwise: a portrait page becomes landscape, is turned back automatically
    # (page 1); turned 180: the top bar is at the bottom (page 3)
    img = render(out, 3, tmp_path)
    ink = ink_box(img)
    bottom_row = int((A4[1] - ink.y0) / PX) - 1
    top_row = int((A4[1] - ink.y1) / PX) + 1
    centre = int((ink.x0 + ink.x1) / 2 / PX)
    assert img.getpixel((centre, bottom_row)) < 40
    assert img.getpixel((centre, top_row)) > 90
    assert page_text(out, 3).strip() == "ROT-B"
    # the font of file f is written once although f was loaded twice
    assert out.read_bytes().count(b"/FontFile2") == 2


# --------------------------------------------------------------------- atomicity, errors


def small_plan() -> tuple[list[OutputPage], bytes, dict[str, bytes]]:
    evidence = {f"f{i}": reportlab_pdf([f"E{i}"]) for i in range(4)}
    pages: list[OutputPage] = [DrawnPage(0)] + [EvidencePage(f, 0) for f in evidence]
    return pages, reportlab_pdf(["D"]), evidence


def test_cancel_leaves_the_old_file_untouched_and_no_temp_files(tmp_path: Path) -> None:
    pages, drawn, evidence = small_plan()
    out = tmp_path / "申报材料.pdf"
    old = b"%PDF-1.4 the previous packet"
    out.write_bytes(old)
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(BuildCancelled) as caught:
        assemble(
            out, pages, drawn, None, evidence.__getitem__, Layout(),
            info=DocInfo("t", "a"), cancel=cancel,
        )  # fmt: skip
    assert "取消" in caught.value.message
    assert calls == 4
    assert out.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报材料.pdf"]


def test_build_replaces_the_old_file(tmp_path: Path) -> None:
    pages, drawn, evidence = small_plan()
    out = tmp_path / "p.pdf"
    out.write_bytes(b"old")
    assemble(out, pages, drawn, None, evidence.__getitem__, Layout(), info=DocInfo("t", "a"))
    assert len(PdfReader(out).pages) == 5
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]


@pytest.mark.parametrize("bad", [b"", b"<html>not a pdf</html>", None])
def test_damaged_evidence_is_reported_and_nothing_is_written(
    tmp_path: Path, bad: bytes | None
) -> None:
    pages, drawn, evidence = small_plan()
    good = evidence["f2"]
    evidence["f2"] = good[: len(good) // 3] if bad is None else bad
    out = tmp_path / "p.pdf"
    out.write_bytes(b"old")
    with pytest.raises(ProjectFileError) as caught:
        assemble(out, pages, drawn, None, evidence.__getitem__, Layout(), info=DocInfo("t", "a"))
    assert "f2" in caught.value.message
    assert "重新导入" in caught.value.message
    with pytest.raises(ProjectFileError) as caught:
        assemble(
            out, pages, drawn, None, evidence.__getitem__, Layout(), info=DocInfo("t", "a"),
            file_names={"f2": "营业执照.pdf"},
        )  # fmt: skip
    assert "“营业执照.pdf”" in caught.value.message
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]


def test_missing_evidence_page_is_reported(tmp_path: Path) -> None:
    pages, drawn, evidence = small_plan()
    pages.append(EvidencePage("f3", 5))
    with pytest.raises(ProjectFileError) as caught:
        assemble(
            tmp_path / "p.pdf", pages, drawn, None, evidence.__getitem__, Layout(),
            info=DocInfo("t", "a"),
        )  # fmt: skip
    assert "第 6 页" in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_missing_output_folder_is_an_output_error(tmp_path: Path) -> None:
    pages, drawn, evidence = small_plan()
    out = tmp_path / "no-such-folder" / "p.pdf"
    with pytest.raises(OutputError) as caught:
        assemble(out, pages, drawn, None, evidence.__getitem__, Layout(), info=DocInfo("t", "a"))
    assert str(out) in caught.value.message


@pytest.mark.parametrize(
    "change",
    [
        lambda kw: kw.update(overlay_pdf=reportlab_pdf(["only one page"])),
        lambda kw: kw.update(outline=[OutlineNode("x", 99)]),
        lambda kw: kw.update(links=[LinkArea(0, (0, 0, 1, 1), 5)]),
        lambda kw: kw.update(pages=[DrawnPage(7)]),
        lambda kw: kw.update(pages=[]),
    ],
)
def test_inconsistent_plans_are_refused_before_writing(
    tmp_path: Path, change: Callable[[dict[str, object]], None]
) -> None:
    pages, drawn, evidence = small_plan()
    kwargs: dict[str, object] = {
        "out_path": tmp_path / "p.pdf",
        "pages": pages,
        "drawn_pdf": drawn,
        "overlay_pdf": None,
        "evidence": evidence.__getitem__,
        "layout": Layout(),
        "info": DocInfo("t", "a"),
    }
    change(kwargs)
    with pytest.raises(ValueError):
        assemble(**kwargs)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_many_pages_from_one_file_share_its_objects(tmp_path: Path) -> None:
    rng = random.Random(5)
    texts = [f"P{n}-{rng.randint(0, 10**6)}" for n in range(40)]
    source = reportlab_pdf(texts, letter)
    pages: list[OutputPage] = [EvidencePage("big", n) for n in range(40)]
    out = tmp_path / "many.pdf"
    assemble(out, pages, reportlab_pdf(["D"]), None, lambda _: source, Layout(),
             info=DocInfo("t", "a"))  # fmt: skip
    assert out.stat().st_size < len(source) * 1.3
    text = pdf_text(out)
    assert [t for t in texts if t in text] == texts


def test_source_rotate_and_cropbox_are_honoured(tmp_path: Path) -> None:
    # A portrait page shown landscape by /Rotate 90, and a page whose CropBox hides a black
    # square: the output shows what a viewer shows, fitted, and nothing outside the CropBox.
    writer = PdfWriter(clone_from=io.BytesIO(reportlab_pdf(["TURNED"], fill=True, top_bar=True)))
    writer.pages[0].rotate(90)
    turned = io.BytesIO()
    writer.write(turned)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=RL_A4)
    c.setFillGray(0.5)
    c.rect(100, 100, 300, 400, stroke=0, fill=1)
    c.setFillGray(0.0)
    c.rect(450, 600, 100, 100, stroke=0, fill=1)  # outside the crop box
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=io.BytesIO(buf.getvalue()))
    writer.pages[0].cropbox = RectangleObject((100, 100, 400, 500))
    cropped = io.BytesIO()
    writer.write(cropped)
    evidence = {"turned": turned.getvalue(), "cropped": cropped.getvalue()}
    out = tmp_path / "r.pdf"
    pages: list[OutputPage] = [EvidencePage("turned", 0), EvidencePage("cropped", 0)]
    assemble(out, pages, reportlab_pdf(["D"]), None, evidence.__getitem__, Layout(),
             info=DocInfo("t", "a"))  # fmt: skip
    # /Rotate 90 shows the page landscape with its top bar on the right. That landscape view is
    # turned with its top on the left (a quarter counter-clockwise): the bar is on top again.
    img = render(out, 1, tmp_path)
    ink = ink_box(img)
    assert ink.height > ink.width
    centre = int((ink.x0 + ink.x1) / 2 / PX)
    assert img.getpixel((centre, int((A4[1] - ink.y1) / PX) + 1)) < 40
    assert img.getpixel((centre, int((A4[1] - ink.y0) / PX) - 2)) > 90
    # Cropped page: only the grey 300 x 400 area, enlarged to fill the box; no black square.
    img = render(out, 2, tmp_path)
    ink = ink_box(img)
    box = content_box(Layout(), 2, False)
    assert ink.width / ink.height == pytest.approx(300 / 400, abs=0.03)
    assert ink.width == pytest.approx(box.width, abs=3 * PX)
    assert img.getextrema()[0] > 90
