"""Second chances for PDFs that other readers open: a file cut short or with a broken
cross-reference table (rebuilt by qpdf, through pikepdf), and an encrypted file that opens
without a password by a route pypdf does not take.

pypdf reads every PDF first (it is fast and what the rest of the intake works with); only when
it fails is the file handed to qpdf, the reference implementation behind pikepdf, whose
recovery reconstructs the object table by scanning the file as poppler and mupdf do. What qpdf
writes is plain, unencrypted PDF that pypdf then reads as usual.
"""

from __future__ import annotations

import io
import logging

_log = logging.getLogger(__name__)


def rebuilt(data: bytes, password: str = "") -> bytes | None:
    """The file as qpdf recovers it (object table rebuilt, decrypted with ``password``), or
    None when qpdf cannot make a PDF with pages of it either."""
    try:
        import pikepdf
    except ImportError:  # pragma: no cover - a dependency; a broken install still refuses
        _log.warning("pikepdf is not installed: no PDF repair")
        return None
    try:
        with pikepdf.open(io.BytesIO(data), password=password, attempt_recovery=True) as pdf:
            if len(pdf.pages) == 0:
                return None
            out = io.BytesIO()
            pdf.save(out, encryption=False, fix_metadata_version=False)
            return out.getvalue()
    except pikepdf.PasswordError:
        return None
    except Exception as exc:  # qpdf gives up on what is not a PDF at all: keep the refusal
        _log.warning("qpdf could not recover a PDF: %s", exc)
        return None
