"""Image evidence -> PDF pages with img2pdf (lossless; JPEG bytes embedded as they are).

Pillow opens and fully decodes every frame first (``load()`` is what notices a truncated file;
a JPEG embedded as it is is decoded at a reduced scale, which reads every block of its data all
the same), reads its resolution and EXIF orientation, and re-encodes only what img2pdf cannot
embed as it is: mirrored orientations, alpha (flattened onto white), 16-bit TIFF, BMP, WebP, GIF.

What was decoded anyway is kept, small and in greyscale, for the page check
(:mod:`app.intake.pagecheck`): a page is decoded once at import, not again to be judged.
"""

from __future__ import annotations

import io
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from app.intake import errors, geometry
from app.intake.pagecheck import LEAST_SIDE, small_grey
from app.intake.sniff import Kind
from app.system import jpegpdf

MAX_PIXELS = 89_478_485
"""Pillow's default decompression-bomb limit, applied to every frame (Pillow checks only the
first one when the file is opened)."""

MAX_PAGE_PT = 14_400.0
"""Largest page side a PDF allows without /UserUnit (200 inches)."""

MIN_PAGE_PT = 3.0
"""Smallest page side made for an image (img2pdf's own lower bound for readable pages)."""

JPEG_REENCODE_QUALITY = 95
"""For a mirrored JPEG that must be decoded and turned: high, so the second generation of JPEG
loss is not visible."""

WEBP_LOSSY_QUALITY = 90
"""A lossy WebP is a photo already degraded once; PNG would make it 5-10 times larger without
making it any sharper, so it becomes a JPEG of quality 90."""

_PILLOW_FORMATS = {
    Kind.JPEG: ["JPEG", "MPO"],
    Kind.PNG: ["PNG"],
    Kind.TIFF: ["TIFF"],
    Kind.BMP: ["BMP", "DIB"],
    Kind.WEBP: ["WEBP"],
    Kind.GIF: ["GIF"],
}

_EXIF_ORIENTATION = 0x0112
_EXIF_X_RESOLUTION = 0x011A
_EXIF_Y_RESOLUTION = 0x011B
_ROTATION_OF_ORIENTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 270, 6: 90, 7: 90, 8: 270}
_PASSTHROUGH_ORIENTATIONS = {1, 3, 6, 8}
_SWAPPED_AXES = {5, 6, 7, 8}
_PASSTHROUGH_MODES = {
    Kind.JPEG: {"L", "RGB", "CMYK"},
    Kind.PNG: {"1", "L", "P", "RGB", "I;16", "I;16B", "I;16L", "I"},
    Kind.TIFF: {"1", "L", "P", "RGB", "CMYK"},
}
_ALPHA_MODES = {"RGBA", "LA", "PA", "La", "RGBa"}


@dataclass(frozen=True)
class _Frame:
    size: tuple[int, int]  # stored pixels
    dpi: tuple[float, float]
    orientation: int
    mode: str
    alpha: bool
    bits: int  # most bits per sample (TIFF; 8 for the others)
    compression: str  # the TIFF compression Pillow reports ("group4", "tiff_lzw"...), else ""
    peak: float  # the largest sample value of a deep greyscale frame (mode I or I;16), else 0
    view: Image.Image | None  # a JPEG's reduced-scale decode (see jpeg_view), as stored


@dataclass(frozen=True)
class ImagePdf:
    pdf: bytes  # one page per frame, possibly with /Rotate: still to be normalised
    rotations: tuple[int, ...]  # the EXIF rotation folded in, per page
    warnings: tuple[str, ...]
    # per page, what was decoded anyway, as the page shows it, greyscale, about
    # pagecheck.LEAST_SIDE to SIDE pixels on its long side (for the page check); None: not here
    views: tuple[Image.Image | None, ...] = ()
    # per page, (width pt, height pt as the PDF states them, image width px, height px), when
    # the PDF is already normal (no /Rotate: nothing for normalise_pdf to fold in); else ()
    boxes: tuple[tuple[float, float, int, int], ...] = ()


def image_to_pdf(name: str, data: bytes, kind: Kind) -> ImagePdf:
    """Convert an image file (every frame of a TIFF) into a PDF. Library exceptions are left
    to the caller to map."""
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[kind]) as image:
            frame_count = int(getattr(image, "n_frames", 1))
            count = frame_count if kind is Kind.TIFF else 1
            if kind in (Kind.GIF, Kind.WEBP) and frame_count > 1:
                notes.append(
                    f"“{name}”是动图（共 {frame_count} 帧），只添加了第一帧。"
                    "如需其他画面，请截图保存为 JPG 或 PNG 后添加。"
                )
            frames = list(
                _frames(
                    name,
                    image,
                    count,
                    jpeg=data if kind is Kind.JPEG else None,
                    png=data if kind is Kind.PNG else None,
                )
            )
            icc = _usable_icc(image.info.get("icc_profile"), frames[0].mode)
            broken_icc = bool(image.info.get("icc_profile")) and icc is None
            passthrough = _can_pass_through(kind, data, frames)
            if passthrough and broken_icc and kind is not Kind.JPEG:
                passthrough = False  # re-encoded without the profile
            if passthrough:
                # A broken colour profile (unreadable, misplaced, or for another colour
                # space) is dropped, as viewers ignore it; the JPEG data stays as it is.
                payloads = [_without_icc(data) if broken_icc else data]
                # img2pdf turns a JPEG's EXIF orientation into /Rotate; other files pass
                # through upright only, and asking would make Pillow decode a PNG to read it
                auto_rotate = kind is Kind.JPEG
                # the JPEG decoded to check its data, turned as img2pdf's /Rotate turns it
                views = tuple(_turned(f.view, f.orientation) for f in frames)
            else:
                encoded = [_reencode(image, i, kind, data, icc) for i in range(count)]
                payloads = [payload for payload, _view in encoded]
                views = tuple(view for _payload, view in encoded)
                auto_rotate = False
    # A re-encoded frame was turned upright: its resolution axes turn with it.
    dpis = iter(
        [
            f.dpi[::-1] if not passthrough and f.orientation in _SWAPPED_AXES else f.dpi
            for f in frames
        ]
    )

    boxes: list[tuple[float, float, int, int]] = []

    def layout(px_w: int, px_h: int, _claimed: object) -> tuple[float, float, float, float]:
        dpi_x, dpi_y = next(dpis)
        width, height = px_w * 72 / dpi_x, px_h * 72 / dpi_y
        shrink = max(1.0, width / MAX_PAGE_PT, height / MAX_PAGE_PT)
        width, height = width / shrink, height / shrink
        # A tiny image (an icon, a 1x1 spacer) would make a page below what PDF readers and
        # our own page checks accept: grow it, keeping its shape (it is fitted to A4 anyway).
        grow = max(1.0, MIN_PAGE_PT / width, MIN_PAGE_PT / height)
        width, height = width * grow, height * grow
        # img2pdf writes a number with 4 decimals, trailing zeros dropped
        boxes.append((float(f"{width:0.4f}"), float(f"{height:0.4f}"), px_w, px_h))
        return width, height, width, height

    first = frames[0]
    if (
        passthrough
        and kind is Kind.JPEG
        and image.format == "JPEG"
        and count == 1
        and _ROTATION_OF_ORIENTATION.get(first.orientation, 0) == 0
        and jpegpdf.can_write(first.mode, icc)
    ):
        # the plain scan: written in one piece, as img2pdf would write it (app.system.jpegpdf)
        width, height, _w, _h = layout(*first.size, None)
        inverted = "adobe" in image.info
        pdf = jpegpdf.jpeg_page(payloads[0], first.size, (width, height), first.mode, inverted, icc)
        return ImagePdf(pdf, (0,), tuple(notes), views, tuple(boxes))
    import img2pdf  # not needed for the plain scan (~0.1 s to import, with pikepdf)

    pdf = img2pdf.convert(
        *payloads,
        layout_fun=layout,
        rotation=img2pdf.Rotation.auto if auto_rotate else img2pdf.Rotation.none,
        first_frame_only=kind is not Kind.TIFF,
        engine=img2pdf.Engine.internal,
        nodate=True,
    )
    rotations = tuple(_ROTATION_OF_ORIENTATION.get(f.orientation, 0) for f in frames)
    # /Rotate is written only for a JPEG embedded as it is with a turning EXIF orientation
    turned = auto_rotate and any(rotations)
    normal = not turned and len(boxes) == len(frames)
    return ImagePdf(bytes(pdf), rotations, tuple(notes), views, tuple(boxes) if normal else ())


def _turned(view: Image.Image | None, orientation: int) -> Image.Image | None:
    """A stored ``view`` as the page shows it once its EXIF turn is folded in."""
    turn = _TRANSPOSE_OF_ROTATION.get(_ROTATION_OF_ORIENTATION.get(orientation, 0))
    return view if view is None or turn is None else view.transpose(turn)


_TRANSPOSE_OF_ROTATION = {  # clockwise degrees -> the transpose doing it
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


def _frames(
    name: str,
    image: Image.Image,
    count: int,
    jpeg: bytes | None = None,
    png: bytes | None = None,
) -> Iterator[_Frame]:
    """Each frame's facts, every frame decoded (``load()`` is what notices a truncated file),
    except a JPEG that will be embedded as it is (``jpeg``, its bytes): that one is decoded at
    a reduced scale (every block read: :func:`jpeg_view`, kept as the frame's ``view``), which
    refuses what a full decode refuses, a copy cut short and damaged scan data alike, and must
    end with its end-of-image marker (:func:`jpeg_ends`); and a PNG (``png``) whose chunks,
    checksums and compressed data are whole (inflated, not unfiltered)."""
    for index in range(count):
        image.seek(index)
        width, height = image.size
        if width <= 0 or height <= 0:
            raise errors.DamagedFileError(name)
        if width * height > MAX_PIXELS:
            raise errors.TooLargeImageError(name, (width, height))
        # Read before load(): Pillow turns a TIFF frame upright while loading it and drops the
        # tag; a PNG's eXIf chunk may follow the pixels, so look again after.
        orientation: int | None
        view = None
        if png is not None and image.mode in _CHEAP_PNG_MODES and png_whole(png) is True:
            # every chunk whole with its CRC, the image data complete, and no eXIf chunk
            # (after the pixels, Pillow would have to load them to read it)
            orientation = 1
        else:
            orientation = image.getexif().get(_EXIF_ORIENTATION)
            if (
                jpeg is not None
                and image.mode in _PASSTHROUGH_MODES[Kind.JPEG]
                and (orientation or 1) in _PASSTHROUGH_ORIENTATIONS
            ):
                view = jpeg_view(jpeg) if jpeg_ends(jpeg) else None
                if view is None:
                    raise errors.DamagedFileError(name)
            else:
                image.load()
        if orientation is None:
            orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
        if orientation not in _ROTATION_OF_ORIENTATION:
            orientation = 1
        dpi = _claimed_dpi(image)
        tags = getattr(image, "tag_v2", None)
        bits = max(tags.get(258, (8,))) if tags is not None else 8
        peak = 0.0
        if image.mode.startswith("I"):
            peak = float(image.getextrema()[1])  # type: ignore[arg-type]
        yield _Frame(
            (width, height),
            geometry.plausible_dpi(dpi),
            orientation,
            image.mode,
            _has_alpha(image),
            int(bits),
            str(image.info.get("compression", "")),
            peak,
            view,
        )


def jpeg_ends(data: bytes) -> bool:
    """Whether a JPEG's headers are whole up to its first scan and an end-of-image marker
    follows that scan's start (bytes after it are allowed). The reduced-scale decode notices a
    copy cut short in its scan data, but one missing only its last byte or two is accepted or
    not by Pillow depending on where its reads fall: this settles that case, from the headers
    and the file's last bytes (the scan data itself is not searched)."""
    if not data.startswith(b"\xff\xd8"):
        return False
    pos, end = 2, len(data)
    while pos < end:
        if data[pos] != 0xFF:
            return False
        while pos < end and data[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= end:
            return False
        marker = data[pos]
        pos += 1
        if marker == 0xD9:
            return False  # the end before any scan
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if pos + 2 > end:
            return False
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > end:
            return False
        pos += length
        if marker == 0xDA:
            return data.rfind(b"\xff\xd9", pos) >= 0
    return False


def jpeg_view(data: bytes) -> Image.Image | None:
    """The JPEG decoded whole by libjpeg at a reduced scale, in greyscale, its long side
    between :data:`~app.intake.pagecheck.LEAST_SIDE` and :data:`~app.intake.pagecheck.SIDE`
    pixels (what the page check judges); None when libjpeg reports an error. Every
    entropy-coded block is decoded at any scale (damaged scan data fails as in a full decode),
    but only a few coefficients of each block are turned into pixels: libjpeg's scale is the
    smallest (down to 1/8) still giving ``LEAST_SIDE`` pixels, 1/8 for a 300-dpi A4 scan
    (each pixel a block's average: the entropy decoding is most of the time). The embedded
    JPEG is not touched."""
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as probe:
            width, height = probe.size
            ratio = min(1.0, LEAST_SIDE / max(width, height, 1))
            probe.draft("L", (max(1, round(width * ratio)), max(1, round(height * ratio))))
            probe.load()
            return small_grey(probe).copy()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def jpeg_decodes(data: bytes) -> bool:
    """Whether libjpeg decodes the whole image without an error (see :func:`jpeg_view`)."""
    return jpeg_view(data) is not None


_CHEAP_PNG_MODES = frozenset({"1", "L", "P", "RGB"})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def png_whole(data: bytes) -> bool | None:
    """Whether a non-interlaced PNG is whole: every chunk complete with a right CRC, the image
    data inflating to exactly its rows, an IEND chunk. None when it cannot be judged this way
    (interlaced, an eXIf chunk): decode it instead."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    pos, end = 8, len(data)
    inflater = zlib.decompressobj()
    expected = inflated = 0
    while pos + 12 <= end:
        length = int.from_bytes(data[pos : pos + 4], "big")
        tag = data[pos + 4 : pos + 8]
        body_end = pos + 8 + length
        if body_end + 4 > end:
            return False
        body = data[pos + 8 : body_end]
        crc = int.from_bytes(data[body_end : body_end + 4], "big")
        if zlib.crc32(tag + body) & 0xFFFFFFFF != crc:
            return False
        if tag == b"IHDR":
            if length != 13 or body[12] != 0:  # interlaced: rows are not simple
                return None
            width, height = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            channels = _PNG_CHANNELS.get(body[9])
            if channels is None:
                return False
            expected = height * (1 + (width * channels * body[8] + 7) // 8)
        elif tag == b"eXIf":
            return None
        elif tag == b"IDAT":
            try:
                inflated += len(inflater.decompress(body, expected + 1 - inflated))
            except zlib.error:
                return False
            if inflater.unconsumed_tail or inflated > expected:
                return False
        elif tag == b"IEND":
            return expected > 0 and inflated == expected and inflater.eof
        pos = body_end + 4
    return False


def _claimed_dpi(image: Image.Image) -> tuple[float, float] | None:
    """The resolution the file states, if it states one. Pillow reports 72 dpi for a JPEG
    whose EXIF block has no resolution; that is not a claim."""
    dpi = image.info.get("dpi")
    if not (isinstance(dpi, tuple) and len(dpi) == 2):
        return None
    if image.format in ("JPEG", "MPO") and image.info.get("jfif_unit") not in (1, 2):
        exif = image.getexif()
        if _EXIF_X_RESOLUTION not in exif or _EXIF_Y_RESOLUTION not in exif:
            return None
    try:
        return float(dpi[0]), float(dpi[1])
    except (TypeError, ValueError):
        return None


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in _ALPHA_MODES or "transparency" in image.info


def _can_pass_through(kind: Kind, data: bytes, frames: list[_Frame]) -> bool:
    """Whether img2pdf can embed the file as it is and get it right."""
    modes = _PASSTHROUGH_MODES.get(kind)
    if modes is None:
        return False
    # img2pdf turns 3/6/8 into /Rotate (folded later) and refuses mirrored orientations. It is
    # trusted with orientation for JPEG only: Pillow turns a TIFF frame upright while loading
    # it, and a PNG's eXIf chunk may come after the pixels, where img2pdf does not look.
    turns = _PASSTHROUGH_ORIENTATIONS if kind is Kind.JPEG else {1}
    for frame in frames:
        if frame.alpha or frame.mode not in modes or frame.orientation not in turns:
            return False
        if frame.bits > 8 and kind is Kind.TIFF:  # img2pdf refuses deep TIFF samples
            return False
        if kind is Kind.TIFF and frame.compression != "group4":
            # img2pdf embeds only CCITT G4 data as it is; any other TIFF it re-encodes as PNG
            # at zlib level 6 with filters (~0.6 s an A4 page), three times slower than ours
            return False
    if kind is Kind.PNG and frames[0].mode.startswith("I"):
        # img2pdf embeds a 16-bit grey PNG's data as it is, but only when not interlaced and
        # really grey (colour type 0), and only when its values use the 16-bit range: one
        # whose values never exceed 255 (an 8-bit image saved as 16 bits) would print black.
        return data[28] == 0 and data[25] == 0 and frames[0].peak > 255
    return True


def _reencode(
    image: Image.Image, index: int, kind: Kind, data: bytes, icc: bytes | None
) -> tuple[bytes, Image.Image]:
    """One frame as a new upright, flattened, 8-bit PNG (or JPEG for photos), without EXIF,
    with the colour profile ``icc`` when it is usable (Pillow would otherwise copy the
    source's, broken or not); and the frame small and greyscale, for the page check."""
    image.seek(index)
    image.load()  # a TIFF frame is turned upright here already, and loses its orientation tag
    frame = ImageOps.exif_transpose(image)
    frame = _flatten(_to_8bit(frame))
    if frame.mode not in ("1", "L", "P", "RGB"):
        frame = frame.convert("RGB")
    out = io.BytesIO()
    if kind is Kind.JPEG or (kind is Kind.WEBP and not _webp_lossless(data)):
        if frame.mode not in ("L", "RGB"):
            frame = frame.convert("RGB")
        quality = JPEG_REENCODE_QUALITY if kind is Kind.JPEG else WEBP_LOSSY_QUALITY
        frame.save(out, format="JPEG", quality=quality, icc_profile=_for(icc, frame))
    else:
        # zlib level 3: as small within a few percent as the default 6, three times faster
        frame.save(out, format="PNG", icc_profile=_for(icc, frame), compress_level=3)
    return out.getvalue(), small_grey(frame).copy()


_ICC_SPACES = {"1": "GRAY", "L": "GRAY", "P": "RGB", "RGB": "RGB", "CMYK": "CMYK"}


def _usable_icc(icc: object, mode: str) -> bytes | None:
    """``icc`` if it is an ICC profile that a PDF reader can use for an image of ``mode``:
    one Little CMS can read, for the image's colour space. None otherwise."""
    if not isinstance(icc, bytes) or not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = str(profile.profile.xcolor_space).strip()
    except (OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return None
    expected = _ICC_SPACES.get(mode.split(";")[0].rstrip("A") or mode)
    return icc if expected in (None, space) else None


def _for(icc: bytes | None, frame: Image.Image) -> bytes | None:
    return _usable_icc(icc, frame.mode)


def _without_icc(data: bytes) -> bytes:
    """A JPEG's bytes without its ICC_PROFILE (APP2) segments; the rest, the compressed image
    data included, unchanged. Markers are walked up to the start of scan."""
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            out.append(0xFF)
            pos += 1
            continue
        if marker == 0xDA or 0xD0 <= marker <= 0xD9 or marker == 0x01:
            break
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker != 0xE2 or not data[pos + 4 : pos + 16].startswith(b"ICC_PROFILE"):
            out += data[pos:end]
        pos = end
    out += data[pos:]
    return bytes(out)


def _to_8bit(image: Image.Image) -> Image.Image:
    """Deep greyscale (16-bit integer, 32-bit integer or float) to 8-bit L, scaled, not
    clipped: a plain convert("L") turns most 16-bit images white."""
    if image.mode.startswith("I;16"):
        image = image.convert("I")
    if image.mode not in ("I", "F"):
        return image
    low, high = image.getextrema()
    high = float(high)  # type: ignore[arg-type]
    if image.mode == "F" and high <= 1.0:
        factor = 255.0
    elif high <= 255:
        factor = 1.0
    elif high <= 65535:
        factor = 1 / 256
    else:
        factor = 255 / high
    del low
    return image.point(lambda v: v * factor).convert("L")


def _flatten(image: Image.Image) -> Image.Image:
    """Composite any transparency onto white (a printed page is white)."""
    if not _has_alpha(image):
        return image
    grey = image.mode in ("LA", "La") or (image.mode == "L" and "transparency" in image.info)
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(white, rgba).convert("RGB")
    return flat.convert("L") if grey else flat


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP holds a lossless (VP8L) image: walk its RIFF chunks."""
    pos = 12
    while pos + 8 <= len(data):
        tag = data[pos : pos + 4]
        if tag == b"VP8L":
            return True
        if tag == b"VP8 ":
            return False
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        pos += 8 + size + (size & 1)
    return True
