"""Output file names, atomic writes of single files, and the messages for files held open.

:func:`output_name` is the one rule for every file name made from user text (the company's
name, a table row's label): what Windows forbids is replaced by full-width forms, invisible
characters (controls, bidi overrides) are removed, reserved device names are defused and the
length fits Windows' limits for the whole path. What changed is listed in Chinese, so the user
can be told.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.system.errors import OutputError

# -- names -----------------------------------------------------------------------------------

# Characters Windows forbids in file names, and the full-width forms we put in their place.
FORBIDDEN = {
    "\\": "＼",
    "/": "／",
    ":": "：",
    "*": "＊",
    "?": "？",
    '"': "＂",
    "<": "＜",
    ">": "＞",
    "|": "｜",
}
# Device names Windows reserves, whatever the extension ("NUL.txt", "LPT9.tar.gz" are devices).
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789¹²³"
}
# Removed from names: controls (tab, vertical tab, ESC...), format characters (bidi overrides
# such as U+202E, zero-width characters), line/paragraph separators, lone surrogates.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})

# Excel and Word refuse to open (or save) a file whose full path is longer than 218 characters,
# whatever Windows itself allows; the build's temporary folder beside the output adds ~16, still
# under the 260 of MAX_PATH.
MAX_OUTPUT_PATH = 218

MAX_NAME = 80  # characters of a stem: short enough to read, and whole paths stay short
MIN_STEM = 8  # a folder leaving less room is refused (check_output_paths) rather than fitted
MAX_COMPONENT = 255  # one path component: UTF-16 units on Windows, UTF-8 bytes on Linux
WINDOWS_MAX_PATH = 259  # MAX_PATH (260) less the terminating NUL, in UTF-16 units
# The staging copy of an output is this much longer than the output itself:
# "<parent>/.<name>.build-xxxxxxxx/new/<file>" against "<parent>/<name>/<file>".
STAGING_EXTRA = len("..build-xxxxxxxx/new")
# A file is first written under a temporary name beside it (".<stem>.xxxxxxxx.tmp"): room for it.
TEMP_EXTRA = 24
FALLBACK_STEM = "未命名企业"
PACKET_TAIL = "-申报材料.pdf"  # the packet's tail after the company's name
LONGEST_TAIL = "-申报材料（初审用）.pdf"  # the longest (the 初审 print's): every stem fits it


@dataclass(frozen=True)
class OutputName:
    """A safe file name and the changes made to the text it came from (Chinese phrases)."""

    stem: str
    tail: str
    changes: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.stem + self.tail

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def path_length(path: str) -> int:
    """Length as Windows counts it (UTF-16 code units)."""
    return len(path.encode("utf-16-le", "surrogatepass")) // 2


def _fits(name: str, room: int) -> bool:
    limit = MAX_COMPONENT - TEMP_EXTRA
    return (
        path_length(name) <= min(limit, room)
        and len(name.encode("utf-8", "surrogatepass")) <= limit
    )


def path_room(folder: Path | None) -> int:
    """UTF-16 units left for a file name in ``folder``: its path within what Excel and Word open
    (:data:`MAX_OUTPUT_PATH`), and its staging copy's temporary file within MAX_PATH."""
    if folder is None:
        return MAX_COMPONENT
    limit = min(MAX_OUTPUT_PATH, WINDOWS_MAX_PATH - STAGING_EXTRA - TEMP_EXTRA)
    return limit - path_length(str(Path(folder).absolute())) - 1


def _reserved_base(stem: str) -> str | None:
    """The part before the first dot when Windows takes it for a device (``LPT9`` of
    ``LPT9.txt``), else None."""
    base = stem.split(".", 1)[0]
    return base if base.rstrip(" ").upper() in RESERVED else None


def output_name(text: str, tail: str = "", folder: Path | None = None) -> OutputName:
    """The file name ``<stem><tail>`` for user text (``tail`` is e.g. ``".xlsx"``).

    ``folder`` is where the file goes (an output folder or a folder in it): the name is cut so
    that the whole path stays within what Excel and Word open (:data:`MAX_OUTPUT_PATH`) and its
    staging copy within MAX_PATH. A folder leaving room for fewer than :data:`MIN_STEM`
    characters is not fitted to: :func:`check_output_paths` refuses it, suggesting a shorter one.
    """
    changes: list[str] = []
    out = "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE)
    if out != text:
        changes.append("删除了看不见的控制字符（如从 Word 粘贴带入的换行符、文字方向控制符）")
    replaced = "".join(FORBIDDEN.get(c, c) for c in out)
    if replaced != out:
        changes.append('把 Windows 文件名不允许的字符（\\ / : * ? " < > |）换成了全角字符')
    stripped = replaced.strip().rstrip(". ")
    if stripped != replaced and stripped:
        changes.append("去掉了首尾的空格和末尾的点")
    out = stripped
    if not out:
        changes.append(f"名称为空，改用“{FALLBACK_STEM}”")
        out = FALLBACK_STEM
    room = path_room(folder)
    if room - path_length(tail) < min(MIN_STEM, path_length(out)):
        room = MAX_COMPONENT  # too deep to fit a name into: left to check_output_paths
    cut = False
    while out and (len(out) > MAX_NAME or not _fits(out + tail, room)):
        out, cut = out[:-1].rstrip(". "), True
    base = _reserved_base(out)
    if base is not None:
        out = base + "＿" + out[len(base) :]
        while len(out) > len(base) + 1 and not _fits(out + tail, room):
            out, cut = out[:-1].rstrip(". "), True
        changes.append(f"“{base}”是 Windows 保留的设备名，在其后加了“＿”")
    if cut:
        changes.append(f"名称太长，只保留了前 {len(out)} 个字")
    return OutputName(out or FALLBACK_STEM, tail, tuple(changes))


def safe_file_stem(name: str) -> tuple[str, bool]:
    """A file-name stem for ``name`` (see :func:`output_name`) and whether it changed."""
    result = output_name(name)
    return result.stem, result.changed


def company_file_name(company_name: str, tail: str, folder: Path | None = None) -> OutputName:
    """``<company name><tail>`` made safe; the stem is the same for every output of a company
    (it is fitted to the longest tail, :data:`LONGEST_TAIL`)."""
    longest = output_name(company_name, LONGEST_TAIL, folder)
    return OutputName(longest.stem, tail, longest.changes)


def company_name_notice(company_name: str, folder: Path | None = None) -> str | None:
    """What the user is told when the company's name cannot be used as a file name as it is."""
    result = company_file_name(company_name.strip(), PACKET_TAIL, folder)
    if not result.changed:
        return None
    return (
        f"企业全称不能原样用作文件名：{'；'.join(result.changes)}。"
        f"申报材料将命名为“{result.stem}{PACKET_TAIL}”和“{result.stem}.xlsx”"
        "（只影响文件名）。"
    )


# -- single files ----------------------------------------------------------------------------

UMASK = os.umask(0)
os.umask(UMASK)  # read once, at import (single-threaded), to give outputs normal permissions

_SHARING_VIOLATIONS = (32, 33)  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def held_open(exc: OSError) -> bool:
    """True when ``exc`` says another program holds the file open (Windows' sharing or lock
    violation), as opposed to a plain "permission denied" (read-only file or folder)."""
    return getattr(exc, "winerror", None) in _SHARING_VIOLATIONS


def held_open_message(name: str) -> str:
    return (
        f"文件“{name}”正被其他程序（如 Excel 或 PDF 阅读器）占用，"
        f"请关闭该文件后重试，或选择另一个输出文件夹。"
    )


def no_permission_message(name: str) -> str:
    return (
        f"没有权限替换文件“{name}”（该文件是只读的，或输出文件夹不允许写入）。"
        f"请取消该文件的只读属性，或选择另一个输出文件夹。"
    )


def replace_retrying(src: Path, dest: Path, attempts: int, delay: float) -> None:
    """os.replace, retried while another program holds ``dest`` open (raises the last error)."""
    for i in range(attempts):
        try:
            os.replace(src, dest)
            return
        except PermissionError as exc:
            if i == attempts - 1 or not held_open(exc):
                raise
            time.sleep(delay)


def replace_with_retry(src: Path, dest: Path, attempts: int = 5, delay: float = 0.2) -> None:
    """os.replace, retried while another program (Excel, Acrobat) holds ``dest`` open.

    Temporary files are created private (0600); the output gets the usual permissions. On
    failure ``src`` is removed and :class:`OutputError` says whether ``dest`` is held open or
    not writable."""
    with contextlib.suppress(OSError):
        if src.is_file():
            os.chmod(src, 0o666 & ~UMASK)
    try:
        replace_retrying(src, dest, attempts, delay)
    except PermissionError as exc:
        with contextlib.suppress(OSError):
            src.unlink()
        message = held_open_message if held_open(exc) else no_permission_message
        raise OutputError(message(dest.name)) from None


@contextlib.contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yields a temporary path beside ``dest``; on success it replaces ``dest`` atomically,
    on any error it is removed and ``dest`` is left as it was."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".~", suffix=dest.suffix + ".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    replace_with_retry(tmp, dest)


def write_atomic(dest: Path, writer: Callable[[Path], None]) -> None:
    with atomic_path(dest) as tmp:
        writer(tmp)


def write_output(
    dest: Path, writer: Callable[[Path], None], what: str, where: str = "输出文件夹"
) -> None:
    """:func:`write_atomic` for a file the user receives: an ``OSError`` becomes an
    ``OutputError`` naming ``what`` (e.g. “Excel 文件”) and the file, and saying what to check in
    ``where``."""
    try:
        write_atomic(dest, writer)
    except OutputError:
        raise
    except OSError as exc:
        space = " " if what[:1].isascii() else ""
        raise OutputError(
            f"无法写入{space}{what}“{dest.name}”（{exc.strerror or exc}），"
            f"请检查{where}是否存在、可写且磁盘空间充足，或选择另一个{where}。"
        ) from exc


def check_output_paths(out_dir: Path, names: Sequence[str]) -> None:
    """Refuse, before anything is written, an output folder whose files would have paths over
    MAX_OUTPUT_PATH characters, suggesting a shorter folder that fits."""
    folder = out_dir.absolute()
    longest = max(names, key=lambda n: path_length(str(folder / n)))
    total = path_length(str(folder / longest))
    if total <= MAX_OUTPUT_PATH:
        return
    room = MAX_OUTPUT_PATH - path_length(str(Path(longest))) - 1
    candidates = [Path.home() / "申报材料", Path(folder.anchor or "/") / "申报材料"]
    fitting = [c for c in candidates if path_length(str(c)) <= room]
    suggestion = f"例如“{fitting[0]}”" if fitting else "例如磁盘根目录下一个名称较短的文件夹"
    raise OutputError(
        f"输出文件夹的路径太长：其中“{Path(longest).name}”的完整路径共 {total} 个字符，"
        f"Excel 和 Word 无法打开超过 {MAX_OUTPUT_PATH} 个字符的路径。"
        f"请选择路径较短（不超过 {max(room, 0)} 个字符）的输出文件夹，{suggestion}。"
    )
