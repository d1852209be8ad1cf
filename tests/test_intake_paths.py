"""Folder expansion and natural sort."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.intake import expand_paths, natural_key
from app.intake.errors import ReadError


def test_natural_key_orders_numbers_by_value_and_ignores_case() -> None:
    names = ["10.jpg", "2.jpg", "B.jpg", "a.jpg", "1.jpg", "img12.png", "IMG3.png", "img3b.png"]
    assert sorted(names, key=natural_key) == [
        "1.jpg",
        "2.jpg",
        "10.jpg",
        "a.jpg",
        "B.jpg",
        "IMG3.png",
        "img3b.png",
        "img12.png",
    ]


def test_natural_key_chinese_by_code_point_and_full_width_digits() -> None:
    names = ["合同2.pdf", "合同10.pdf", "发票.pdf", "合同１.pdf"]
    ordered = sorted(names, key=natural_key)
    assert ordered == ["发票.pdf", "合同１.pdf", "合同2.pdf", "合同10.pdf"]  # 发 U+53D1 < 合 U+5408
    assert natural_key("a.jpg") != natural_key("A.jpg")  # ties broken, never equal


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_expand_folder_recursively_sorted_and_skipping_junk(tmp_path: Path) -> None:
    root = tmp_path / "证据"
    for name in [
        "10.jpg",
        "2.jpg",
        "1.jpg",
        "B.pdf",
        "a.pdf",
        "中文.png",
        "Thumbs.db",
        "desktop.ini",
        ".hidden.jpg",
        "~$合同.docx",
        "sub 3/1.jpg",
        "sub 3/.DS_Store",
        ".git/config",
    ]:
        _touch(root / name)
    found = expand_paths([root])
    assert [p.relative_to(root).as_posix() for p in found] == [
        "1.jpg",
        "2.jpg",
        "10.jpg",
        "a.pdf",
        "B.pdf",
        "sub 3/1.jpg",
        "中文.png",
    ]


def test_expand_keeps_given_order_of_files_and_drops_duplicates(tmp_path: Path) -> None:
    first = _touch(tmp_path / "z.jpg")
    folder = tmp_path / "more"
    inner = _touch(folder / "a.jpg")
    found = expand_paths([first, folder, inner, first])
    assert found == [first, inner]


def test_expand_missing_path_names_it(tmp_path: Path) -> None:
    with pytest.raises(ReadError) as caught:
        expand_paths([tmp_path / "nowhere.pdf"])
    assert "nowhere.pdf" in caught.value.message


def test_empty_folder_gives_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert expand_paths([tmp_path / "empty"]) == []
