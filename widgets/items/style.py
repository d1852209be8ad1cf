"""Colours and unit names shared by the parts of the 申报项目 page."""

from __future__ import annotations

RED = "#b3261e"
GREEN = "#1e7b34"
GREY = "#5f6368"
UNIT_NAMES = {"USD": "美元", "CNY": "元"}
