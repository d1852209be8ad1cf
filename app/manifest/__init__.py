"""The JSON manifest: a whole project as one readable file plus evidence files beside it.

Format documented in ``docs/manifest.md``. ``load`` reads and checks a manifest; ``transfer``
imports one into a project file and exports a project as one.
"""

from __future__ import annotations

from app.manifest.load import (
    FORMAT,
    VERSION,
    EvidenceRef,
    Manifest,
    OutsideFilesError,
    load_manifest,
    parse_manifest,
    rate_currency_allowed,
)
from app.manifest.transfer import (
    export_manifest,
    import_manifest,
    manifest_dict,
    write_project_data,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "EvidenceRef",
    "Manifest",
    "OutsideFilesError",
    "export_manifest",
    "import_manifest",
    "load_manifest",
    "manifest_dict",
    "parse_manifest",
    "rate_currency_allowed",
    "write_project_data",
]
