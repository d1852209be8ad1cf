"""The funding guide: typed model and loader for ``checklists/*.toml``."""

from app.guide.loader import CHECKLIST_DIR, available_guides, guide_by_id, load_guide
from app.guide.model import DocumentSpec, FieldSpec, Guide, ItemSpec, Measure, TableSpec

DEFAULT_GUIDE_ID = "zhuhai-service-trade-2019"

__all__ = [
    "CHECKLIST_DIR",
    "DEFAULT_GUIDE_ID",
    "DocumentSpec",
    "FieldSpec",
    "Guide",
    "ItemSpec",
    "Measure",
    "TableSpec",
    "available_guides",
    "guide_by_id",
    "load_guide",
]
