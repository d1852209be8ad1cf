"""The funding guide: typed model and loader for ``checklists/*.toml``."""

from app.guide.loader import CHECKLIST_DIR, load_guide, load_guide_text
from app.guide.model import DocumentSpec, FieldSpec, Guide, ItemSpec, Measure, TableSpec
from app.guide.registry import (
    GuideCopy,
    GuideEntry,
    available_guides,
    bundled_guides,
    guide_by_id,
    project_guide,
    read_guide_file,
)

DEFAULT_GUIDE_ID = "zhuhai-service-trade-2019"

__all__ = [
    "CHECKLIST_DIR",
    "DEFAULT_GUIDE_ID",
    "DocumentSpec",
    "FieldSpec",
    "Guide",
    "GuideCopy",
    "GuideEntry",
    "ItemSpec",
    "Measure",
    "TableSpec",
    "available_guides",
    "bundled_guides",
    "guide_by_id",
    "load_guide",
    "load_guide_text",
    "project_guide",
    "read_guide_file",
]
