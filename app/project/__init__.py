"""The project file (申报项目文件, ``.sbproj``): one SQLite database per application.

See :class:`ProjectStore`. Values are stored losslessly (:mod:`app.project.codec`); the layout is
in :mod:`app.project.schema`, older layouts are upgraded by :mod:`app.project.migrations`.
"""

from app.project.lock import ProjectLockedError
from app.project.schema import FILE_SUFFIX, SCHEMA_VERSION
from app.project.snapshots import EvidenceSnapshot, ImportedLike, RowSnapshot
from app.project.store import ChangeCallback, ProjectStore

__all__ = [
    "FILE_SUFFIX",
    "SCHEMA_VERSION",
    "ChangeCallback",
    "EvidenceSnapshot",
    "ImportedLike",
    "ProjectLockedError",
    "ProjectStore",
    "RowSnapshot",
]
