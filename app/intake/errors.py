"""Refusals of evidence files, with their user messages, and the one place that maps library
exceptions (pypdf, Pillow, img2pdf, zlib, OSError...) to them.

Every message is Simplified Chinese, names the file and says what to do.
"""

from __future__ import annotations

import logging
import struct
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from app.system.errors import IntakeError

_log = logging.getLogger(__name__)

SUPPORTED = "PDF、JPG、PNG、TIFF、BMP、WebP、GIF"

EXTENSIONS = (
    ".pdf",
    ".jpg",
    ".jpeg",
    ".jpe",
    ".jfif",
    ".png",
    ".tif",
    ".tiff",
    ".bmp",
    ".dib",
    ".webp",
    ".gif",
)
"""The usual file name endings of what the intake reads (it recognises files by content; this
is for file dialogs)."""


class ReadError(IntakeError):
    """The file cannot be read from disk (missing, no permission, locked...)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"无法读取“{name}”：文件不存在、无访问权限或正被其他程序占用。"
            "请确认文件仍在原位置并已关闭后重试。",
        )


class EmptyFileError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”是空文件（0 字节），无法添加。请重新复制或重新导出该文件后再添加。",
        )


class UnsupportedFormatError(IntakeError):
    def __init__(self, name: str, what: str = "") -> None:
        kind = f"是{what}，" if what else "不是 PDF 或图片文件，"
        super().__init__(
            name,
            f"“{name}”{kind}无法添加（支持的格式：{SUPPORTED}）。请先转换为 PDF 或图片后再添加。",
        )
        self.what = what


class OfficeDocumentError(UnsupportedFormatError):
    """A Word / Excel / PowerPoint document: must be saved as PDF first."""

    def __init__(self, name: str, program: str) -> None:
        IntakeError.__init__(
            self,
            name,
            f"“{name}”是{program}文档，不能直接添加。请先在{program}中“另存为PDF”再添加。",
        )
        self.what = program


class OfdDocumentError(UnsupportedFormatError):
    """An OFD file (the Chinese fixed-layout format of e-invoices)."""

    def __init__(self, name: str) -> None:
        IntakeError.__init__(
            self,
            name,
            f"“{name}”是 OFD 版式文件（电子发票常用），不能直接添加。"
            "请用 OFD 阅读器打开后“另存为PDF”或打印为PDF再添加。",
        )
        self.what = "OFD"


class HeicError(UnsupportedFormatError):
    def __init__(self, name: str) -> None:
        IntakeError.__init__(
            self,
            name,
            f"“{name}”是 HEIC/HEIF 照片（苹果手机默认格式），本程序无法读取。"
            "请在手机或电脑上转换为JPG后再添加（iPhone 可在“设置 > 相机 > 格式”中选“兼容性最佳”）。",
        )
        self.what = "HEIC"


class DamagedFileError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”已损坏或不完整（可能下载或复制未完成），无法读取。"
            "请重新获取或重新导出原文件后再添加。",
        )


class IncompleteFileError(DamagedFileError):
    """A PDF cut short whose rebuilt copy has lost page content."""

    def __init__(self, name: str, pages: list[int]) -> None:
        shown = "、".join(str(n) for n in pages[:10]) + ("等" if len(pages) > 10 else "")
        IntakeError.__init__(
            self,
            name,
            f"“{name}”不完整（可能下载或复制未完成）：第 {shown} 页的内容已丢失，无法添加。"
            "请重新获取或重新导出原文件后再添加。",
        )


class ZeroPagesError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”中没有任何页面。请检查该 PDF 是否导出完整，重新导出后再添加。",
        )


class TooLargeImageError(IntakeError):
    def __init__(self, name: str, size: tuple[int, int] | None = None) -> None:
        dims = f"（{size[0]}×{size[1]} 像素）" if size else ""
        super().__init__(
            name,
            f"“{name}”图片像素过大{dims}，无法安全处理。"
            "请用图片工具缩小尺寸（例如按 300 dpi 重新扫描或导出）后再添加。",
        )


class TooComplexError(IntakeError):
    """A page whose content decodes to more than a document's page ever holds (a bomb)."""

    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”的页面内容异常庞大（解压后超过安全上限），无法安全处理。"
            "请在 PDF 阅读器中打开后“打印为PDF”或重新扫描，再添加生成的文件。",
        )


class TooLargeFileError(IntakeError):
    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(
            name,
            f"“{name}”文件过大（约 {size / 1048576:.0f} MB，单个文件上限 {limit // 1048576} MB），"
            "不像是扫描件。请确认选对了文件；扫描件请用 200–300 dpi 重新扫描或拆分后再添加。",
        )


class TooManyPagesError(IntakeError):
    def __init__(self, name: str, pages: int, limit: int) -> None:
        super().__init__(
            name,
            f"“{name}”有 {pages} 页，超过单个文件 {limit} 页的上限，不像是一份证明材料。"
            "请确认选对了文件；如确需添加，请拆分成几个文件后分别添加。",
        )


class PasswordRequiredError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”需要打开密码，未能打开。"
            "请在添加时输入正确的打开密码，或先在 PDF 阅读器中去除密码后再添加。",
        )


class WrongPasswordError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            name,
            f"“{name}”的打开密码不正确。请向文件提供方确认密码后重新添加。",
        )


def map_exception(name: str, exc: BaseException) -> IntakeError:
    """Translate an exception raised while reading ``name`` into the refusal the user sees."""
    if isinstance(exc, IntakeError):
        return exc
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return TooLargeImageError(name)
    if isinstance(exc, MemoryError):
        return TooLargeImageError(name)
    pdf_errors = sys.modules.get("pypdf.errors")  # imported when a file needed pypdf
    if pdf_errors is not None:
        if isinstance(exc, pdf_errors.LimitReachedError):
            return TooComplexError(name)
        if isinstance(exc, pdf_errors.FileNotDecryptedError):
            return PasswordRequiredError(name)
        if isinstance(exc, pdf_errors.EmptyFileError):
            return EmptyFileError(name)
        if isinstance(exc, pdf_errors.PyPdfError | pdf_errors.DependencyError):
            return DamagedFileError(name)
    if isinstance(exc, UnidentifiedImageError):
        # Pillow only gets what the sniffer recognised as an image: it is damaged.
        return DamagedFileError(name)
    img2pdf = sys.modules.get("img2pdf")  # likewise
    if img2pdf is not None and isinstance(
        exc,
        img2pdf.ImageOpenError
        | img2pdf.PdfTooLargeError
        | img2pdf.NegativeDimensionError
        | img2pdf.UnsupportedColorspaceError
        | img2pdf.JpegColorspaceError
        | img2pdf.AlphaChannelError
        | img2pdf.ExifOrientationError,
    ):
        return DamagedFileError(name)
    if isinstance(
        exc,
        OSError
        | EOFError
        | NotImplementedError
        | SyntaxError
        | ValueError
        | zlib.error
        | struct.error,
    ):
        return DamagedFileError(name)
    plain = type(exc) is Exception  # img2pdf's "invalid png: ..." and the like
    if (plain or isinstance(exc, _PARSER_CRASHES)) and raised_in_library(exc):
        # Malformed files drive the libraries' parsers into odd corners (Pillow's TIFF reader:
        # "TypeError: Missing dimensions"; pypdf's object-stream reader subscripting None):
        # the file is damaged, and says so. The log keeps the details for us.
        _log.info("%s in a library reading %r", type(exc).__name__, name, exc_info=exc)
        return DamagedFileError(name)
    # Anything else is ours to fix: the user still gets a refusal, never a traceback; the log
    # keeps the details for us.
    _log.warning("unexpected %s while importing %r", type(exc).__name__, name, exc_info=exc)
    return DamagedFileError(name)


_PARSER_CRASHES = (
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    ArithmeticError,
    LookupError,
    UnicodeError,
)
_LIBRARIES = ("PIL", "pypdf", "img2pdf", "pikepdf", "pypdfium2", "xml", "zlib", "struct")


def raised_in_library(exc: BaseException) -> bool:
    """True when the innermost frame that raised ``exc`` is a file reader's (Pillow, pypdf,
    img2pdf, pikepdf, PDFium), not ours: a malformed file, not a bug of the program."""
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__", "")
    return isinstance(module, str) and module.split(".", 1)[0] in _LIBRARIES


@contextmanager
def refusals(name: str) -> Iterator[None]:
    """Run a block that reads ``name``; any exception leaves as an ``IntakeError``."""
    try:
        yield
    except IntakeError:
        raise
    except Exception as exc:
        raise map_exception(name, exc) from exc
