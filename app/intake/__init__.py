"""Evidence intake: each attached file is normalised once, at import, into an "A4-ready" PDF
(upright pages, no /Rotate, nothing active) with a preflight of every page, or refused with a
Chinese message that names it and says what to do.

Formats are recognised by content: PDF, JPEG, PNG, TIFF (every frame), BMP, WebP, GIF.
"""

from __future__ import annotations

from app.intake.geometry import CONTENT_BOX_MM, CONTENT_BOX_PT, LOW_DPI, effective_dpi, fit_scale
from app.intake.importer import (
    ImportedFile,
    PasswordCallback,
    ProgressCallback,
    import_bytes,
    import_file,
    import_files,
    import_stream,
    import_stream_lenient,
)
from app.intake.paths import expand_paths, natural_key

__all__ = [
    "CONTENT_BOX_MM",
    "CONTENT_BOX_PT",
    "LOW_DPI",
    "ImportedFile",
    "PasswordCallback",
    "ProgressCallback",
    "effective_dpi",
    "expand_paths",
    "fit_scale",
    "import_bytes",
    "import_file",
    "import_files",
    "import_stream",
    "import_stream_lenient",
    "natural_key",
]
