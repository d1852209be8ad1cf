"""Output file names and atomic writes (Windows-safe); the output writers beyond the packet
itself live in this package's modules (:mod:`app.outputs.online`: the online-declaration folder).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from app.errors import OutputError

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
RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_UMASK = os.umask(0)
os.umask(_UMASK)  # read once, at import (single-threaded), to give outputs normal permissions

# Excel and Word refuse to open (or save) a file whose full path is longer than 218 characters,
# whatever Windows itself allows; the build's temporary folder beside the output adds ~16, still
# under the 260 of MAX_PATH.
MAX_OUTPUT_PATH = 218

MAX_NAME = 120  # characters of the stem: keeps whole paths well under Windows' 260 limit


def safe_file_stem(name: str) -> tuple[str, bool]:
    """A file-name stem for ``name`` (e.g. the company's full name) and whether it changed.

    Only what Windows forbids is replaced: \\ / : * ? " < > | by their full-width forms;
    control characters removed; trailing dots and spaces stripped; reserved device names
    (CON, PRN, AUX, NUL, COM1…, LPT1…) get a full-width underscore appended.
    """
    out = "".join(FORBIDDEN.get(c, c) for c in name)
    out = "".join(c for c in out if unicodedata.category(c) != "Cc")
    out = out.strip().rstrip(". ")
    if out.split(".")[0].upper() in RESERVED:
        out += "＿"
    if len(out) > MAX_NAME:
        out = out[:MAX_NAME].rstrip(". ")
    if not out:
        out = "未命名企业"
    return out, out != name


def replace_with_retry(src: Path, dest: Path, attempts: int = 5, delay: float = 0.2) -> None:
    """os.replace, retried while another program (Excel, Acrobat) holds ``dest`` open.

    Temporary files are created private (0600); the output gets the usual permissions."""
    with contextlib.suppress(OSError):
        if src.is_file():
            os.chmod(src, 0o666 & ~_UMASK)
    for i in range(attempts):
        try:
            os.replace(src, dest)
            return
        except PermissionError:
            if i == attempts - 1:
                with contextlib.suppress(OSError):
                    src.unlink()
                raise OutputError(
                    f"文件“{dest.name}”正被其他程序（如 Excel 或 PDF 阅读器）占用，"
                    f"请关闭该文件后重试，或选择另一个输出文件夹。"
                ) from None
            time.sleep(delay)


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


def path_length(path: str) -> int:
    """Length as Windows counts it (UTF-16 code units)."""
    return len(path.encode("utf-16-le")) // 2


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
