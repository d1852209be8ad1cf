"""Output paths that Excel and Word would refuse (over 218 characters) are refused before the
build, with a shorter folder suggested; nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.files import MAX_OUTPUT_PATH, check_output_paths, path_length
from app.outputs.build import BuildOptions, build
from app.system.errors import OutputError
from tests.packet_fixtures import COMPANY, MemorySource, project

TODAY = dt.date(2019, 1, 10)
SELECTED = ["outsourcing_onshore", "international_certification"]


def _deep(tmp_path: Path, length: int) -> Path:
    folder = tmp_path
    while path_length(str(folder)) < length:
        folder = folder / "珠海市服务贸易发展专项资金申报材料文件夹"
    return folder


def test_a_long_output_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = _deep(tmp_path, MAX_OUTPUT_PATH - 20)
    with pytest.raises(OutputError) as caught:
        build(MemorySource(project(SELECTED)), out, BuildOptions(), today=TODAY)
    message = caught.value.message
    assert "路径太长" in message and "218" in message and "例如“" in message
    suggested = message.split("例如“")[1].split("”")[0]
    room = int(message.split("不超过 ")[1].split(" ")[0])
    assert path_length(suggested) <= room
    # the suggestion really fits: the longest file is the packet PDF named after the company
    assert path_length(str(Path(suggested) / f"{COMPANY.name}-申报材料.pdf")) <= MAX_OUTPUT_PATH
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_a_folder_just_short_enough_builds(tmp_path: Path) -> None:
    names = ["a.pdf", "Word模板/国际资质认证奖励申请报告.docx"]
    folder = tmp_path / (
        "x" * (MAX_OUTPUT_PATH - path_length(str(tmp_path)) - 1 - len(names[1]) - 1)
    )
    check_output_paths(folder, names)  # exactly at the limit: accepted
    with pytest.raises(OutputError, match="国际资质认证奖励申请报告"):
        check_output_paths(folder / "y", names)


def test_the_limit_counts_what_windows_counts() -> None:
    assert path_length("申报") == 2
    assert path_length("𠀀") == 2  # outside the BMP: two UTF-16 units
