"""Packet options saved in a project are read safely: an unusable stored value (what older
imports stored from ``options.gutter_mm: {}``) gives the default in the window and a clear
message from ``build``, never a TypeError from ``float()``."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.project import ProjectStore
from app.system.options import DEFAULT_GUTTER_MM, saved_flag, saved_gutter_mm


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, DEFAULT_GUTTER_MM),
        (0, 0.0),
        (Decimal("12.5"), 12.5),
        (50, 50.0),
        ({}, None),
        ([], None),
        ("25", None),
        (True, None),
        (Decimal("NaN"), None),
        (Decimal("Infinity"), None),
        (float("nan"), None),
        (Decimal("1e400"), None),
        (-1, None),
        (51, None),
    ],
)
def test_saved_gutter(stored: Any, expected: float | None) -> None:
    saved = {} if stored is None else {"gutter_mm": stored}
    assert saved_gutter_mm(saved) == expected


@pytest.mark.parametrize("stored", [0, 1, "true", {}, None])
def test_saved_flags_take_only_booleans(stored: Any) -> None:
    assert saved_flag({"duplex": stored}, "duplex") is False
    assert saved_flag({"duplex": True}, "duplex") is True


def test_build_refuses_an_unusable_saved_gutter_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "p.sbproj"
    with ProjectStore.create(path, "zhuhai-service-trade-2019") as store:
        store.set_option("gutter_mm", {})
    err = io.StringIO()
    assert main(["build", str(path), "--out", str(tmp_path / "o")], io.StringIO(), err) == 2
    assert "装订边宽度" in err.getvalue() and "--gutter" in err.getvalue()
    assert "内部错误" not in err.getvalue()
    assert not (tmp_path / "o").exists()
