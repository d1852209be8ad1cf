"""Reading a file before it is attached, to tell a clerk which files of a dropped folder can be
added and why the others cannot (a .txt renamed .pdf, a cut-short download), before anything
is attached.

The check reads each file as the import will: its format by content, a PDF normalised page by
page (with the same repair of a damaged file), an image fully decoded. A PDF with an opening
password is not a bad file: its password is asked when it is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.intake import errors
from app.intake.importer import MAX_FILE_BYTES
from app.intake.pdfs import normalise_pdf
from app.intake.sniff import Kind, sniff
from app.system.errors import IntakeError


@dataclass(frozen=True)
class FileCheck:
    path: Path
    problem: str | None = None  # Chinese: why the file cannot be added (None: it can)
    pages: int | None = None  # pages of a PDF; None for an image (one page per frame) or unknown
    note: str = ""  # Chinese: something to know that does not stop it (a password)

    @property
    def readable(self) -> bool:
        return self.problem is None


def check_file(path: Path) -> FileCheck:
    """Whether ``path`` can be added, read as the import reads it. Never raises for a bad
    file: the reason is in ``problem``."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise errors.TooLargeFileError(name, size, MAX_FILE_BYTES)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise errors.ReadError(name) from exc
        with errors.refusals(name):
            kind = sniff(name, data)
            if kind is Kind.PDF:
                try:
                    normal = normalise_pdf(name, data, None)
                except errors.PasswordRequiredError:
                    return FileCheck(path, note="有打开密码：添加时会请您输入")
                return FileCheck(path, pages=len(normal.pages))
            _decode(name, data)
            return FileCheck(path)
    except OSError:
        return FileCheck(path, errors.ReadError(name).message)
    except IntakeError as exc:
        return FileCheck(path, exc.message)


def _decode(name: str, data: bytes) -> None:
    """Decode every frame of an image (a truncated JPEG fails only when decoded)."""
    import io

    with Image.open(io.BytesIO(data)) as image:
        frames = getattr(image, "n_frames", 1)
        for n in range(frames):
            image.seek(n)
            image.load()


__all__ = ["FileCheck", "check_file"]
