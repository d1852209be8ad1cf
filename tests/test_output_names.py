"""One file-name rule for every output made from user text: invisible characters (controls, bidi
overrides) removed, reserved device names defused on the part before the first dot, the whole
path within Windows' limits, and the user told what changed. Generated families plus builds."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.files import (
    FORBIDDEN,
    MAX_OUTPUT_PATH,
    RESERVED,
    STAGING_EXTRA,
    TEMP_EXTRA,
    WINDOWS_MAX_PATH,
    company_name_notice,
    output_name,
)
from app.model import Company
from app.outputs.build import BuildOptions, build
from app.system.errors import OutputError
from tests.packet_fixtures import COMPANY, MemorySource, project

TAILS = ["", "-申报材料.pdf", ".xlsx", ".docx"]
INVISIBLE = [chr(c) for c in [*range(0, 32), 127, *range(0x80, 0xA0)]] + list(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\u061c\u2028\u2029\ufeff\u00ad"
)


def _is_device(file_name: str) -> bool:
    return file_name.split(".", 1)[0].rstrip(" ").upper() in RESERVED


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize("device", sorted(RESERVED))
def test_no_output_name_is_a_windows_device(device: str) -> None:
    """Every reserved name, in three cases, with and without extensions, before every tail."""
    for text in (device, device.lower(), device.title()):
        for ext in ("", ".txt", ".tar.gz", " .txt", "  "):
            for tail in TAILS:
                result = output_name(text + ext, tail)
                assert not _is_device(result.name), (text + ext, tail, result.name)
                assert any("保留的设备名" in c for c in result.changes)


def test_the_reserved_list_has_the_console_and_superscript_ports() -> None:
    assert {"CONIN$", "CONOUT$", "COM¹", "COM²", "COM³", "LPT¹", "LPT0", "COM0"} <= RESERVED
    assert output_name("LPT9.txt", "-申报材料.pdf").name == "LPT9＿.txt-申报材料.pdf"


def test_random_names_with_invisible_and_forbidden_characters() -> None:
    """A generated family: 400 seeded names mixing Chinese, ASCII, forbidden and invisible
    characters; every result is clean, fits, and says what changed exactly when it changed."""
    rng = random.Random(42)
    alphabet = list("珠海科技有限公司服务外包abcXYZ019 .-（）") + list(FORBIDDEN) + INVISIBLE
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 120)))
        for tail in TAILS:
            result = output_name(text, tail)
            name = result.name
            assert not any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name)
            assert not set(name) & set(FORBIDDEN)
            assert result.stem == result.stem.strip() and not result.stem.endswith(".")
            assert not _is_device(name)
            assert _utf16(name) <= 255 - TEMP_EXTRA
            assert len(name.encode()) <= 255 - TEMP_EXTRA
            assert result.changed == (result.stem != text), repr(text)
            if any(c in INVISIBLE for c in text):
                assert any("控制字符" in c for c in result.changes)


@pytest.mark.parametrize("depth", [1, 30, 60, 90, 110])
def test_the_whole_path_fits_what_excel_word_and_windows_open(tmp_path: Path, depth: int) -> None:
    folder = tmp_path / ("深" * depth)
    result = output_name("珠海" + "很长的企业名称" * 50, "-申报材料.pdf", folder)
    final = _utf16(str(folder.absolute() / result.name))
    assert final <= MAX_OUTPUT_PATH
    assert final + STAGING_EXTRA + TEMP_EXTRA <= WINDOWS_MAX_PATH
    assert any("名称太长" in c for c in result.changes)


def test_a_folder_too_deep_for_a_name_is_refused_with_a_shorter_one_suggested(
    tmp_path: Path,
) -> None:
    """No stub of a name (``珠-申报材料.pdf``): the build refuses and suggests a folder."""
    folder = tmp_path
    while _utf16(str(folder)) < MAX_OUTPUT_PATH - 20:
        folder = folder / "很深的文件夹"
    result = output_name("珠海某某科技有限公司", "-申报材料.pdf", folder)
    assert result.stem == "珠海某某科技有限公司"
    with pytest.raises(OutputError) as caught:
        build(MemorySource(project(["export_credit_insurance"])), folder, BuildOptions(draft=True))
    assert "路径太长" in caught.value.message and "例如" in caught.value.message
    assert not folder.exists()


def test_the_user_is_told_what_changed() -> None:
    assert company_name_notice("珠海某某科技有限公司") is None
    notice = company_name_notice("珠海\v某某\x1b科技/有限公司")
    assert notice is not None
    assert "控制字符" in notice and "全角" in notice
    assert "“珠海某某科技／有限公司-申报材料.pdf”" in notice
    assert "“珠海某某科技／有限公司.xlsx”" in notice


@pytest.mark.parametrize(
    "name",
    [
        "珠海\v示例\x1b科技有限公司",  # Word's Shift+Enter and ESC, pasted
        "珠海" + "很长的企业名称" * 43,  # 300 characters
        "珠海\u202efdp.exe科技有限公司",  # a right-to-left override (extension spoofing)
        "LPT9.txt",
        "CONIN$",
        "COM¹",
    ],
)
def test_every_output_of_a_build_follows_the_rule(tmp_path: Path, name: str) -> None:
    company = Company(**{**COMPANY.__dict__, "name": name})
    data = project(["export_credit_insurance", "international_certification"], company=company)
    out = tmp_path / "输出"
    result = build(MemorySource(data), out, BuildOptions(draft=True), today=dt.date(2019, 1, 10))
    files = [result.pdf, result.workbook, *result.templates, result.originals, result.manifest]
    for path in files:
        assert path.is_file()
        assert not any(unicodedata.category(c) in {"Cc", "Cf"} for c in path.name)
        assert not _is_device(path.name)
        assert _utf16(str(path.absolute())) <= MAX_OUTPUT_PATH
    assert result.pdf.name.removesuffix("-申报材料.pdf") == result.workbook.name.removesuffix(
        ".xlsx"
    )
    assert any(w.startswith("企业全称不能原样用作文件名") for w in result.warnings)
    load_workbook(result.workbook)  # opens: no control characters left in the XML
    for template in result.templates:
        Document(str(template))
