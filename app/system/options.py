"""Packet options saved in a project (``duplex``, ``gutter_mm``, ``repeat_shared``), read safely.

A project written by an older version (or imported from a manifest before its options were
typed) may hold anything under these keys; readers take a valid value or the default, never
``float()`` of whatever is stored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

DEFAULT_GUTTER_MM = 25.0
GUTTER_MIN_MM = 0.0
GUTTER_MAX_MM = 50.0


def saved_flag(saved: Mapping[str, Any], key: str, default: bool = False) -> bool:
    """A saved true/false option; anything but a bool counts as the default."""
    value = saved.get(key, default)
    return value if isinstance(value, bool) else default


def saved_gutter_mm(saved: Mapping[str, Any]) -> float | None:
    """The saved binding margin in millimetres (the default when absent); None when what is
    stored is not a number from 0 to 50."""
    value = saved.get("gutter_mm")
    if value is None:
        return DEFAULT_GUTTER_MM
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    try:
        gutter = float(value)
    except (OverflowError, ValueError):
        return None
    if not math.isfinite(gutter) or not GUTTER_MIN_MM <= gutter <= GUTTER_MAX_MM:
        return None
    return gutter
