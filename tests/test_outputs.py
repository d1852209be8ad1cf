"""Output names and atomic writes: what Windows forbids is replaced, a file held open by another
program gives a clear message, and a failed write leaves the old file as it was."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app import files as outputs
from app.files import atomic_path, replace_with_retry, safe_file_stem
from app.system.errors import OutputError
from tests.outputs_support import windows_error


@pytest.mark.parametrize(
    ("name", "stem", "changed"),
    [
        ("珠海某某科技有限公司", "珠海某某科技有限公司", False),
        ("珠海/某某:科技*有限?公司", "珠海／某某：科技＊有限？公司", True),
        ('A<B>C|D"E\\F', "A＜B＞C｜D＂E＼F", True),
        ("尾部有点. ", "尾部有点", True),
        ("CON", "CON＿", True),
        ("lpt1", "lpt1＿", True),
        ("LPT9.txt", "LPT9＿.txt", True),
        ("CONIN$", "CONIN$＿", True),
        ("conout$.log", "conout$＿.log", True),
        ("COM¹", "COM¹＿", True),
        ("nul .tar.gz", "nul ＿.tar.gz", True),
        ("CONSOLE", "CONSOLE", False),
        ("制表\t符", "制表符", True),
        ("换\v行\x1b符", "换行符", True),
        ("abc\u202efdp.exe", "abcfdp.exe", True),
        ("零\u200b宽\u2066隔\u2028离", "零宽隔离", True),
        ("", "未命名企业", True),
    ],
)
def test_safe_file_stem(name: str, stem: str, changed: bool) -> None:
    assert safe_file_stem(name) == (stem, changed)


def test_long_names_are_cut_to_keep_paths_short() -> None:
    stem, changed = safe_file_stem("很长的名字" * 60)
    assert changed and len(stem) <= outputs.MAX_NAME


def test_a_file_held_open_gives_a_clear_message_and_no_leftover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "珠海某某科技有限公司.xlsx"
    dest.write_bytes(b"old")
    src = tmp_path / ".~new.tmp"
    src.write_bytes(b"new")
    calls: list[tuple[str, str]] = []

    def locked(a: str, b: str) -> None:  # what Windows does while Excel holds the file
        calls.append((a, b))
        raise windows_error(32)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as caught:
        replace_with_retry(src, dest, attempts=3, delay=0)
    assert len(calls) == 3  # retried before giving up
    assert "珠海某某科技有限公司.xlsx" in caught.value.message
    assert "占用" in caught.value.message and "关闭" in caught.value.message
    assert dest.read_bytes() == b"old"
    assert not src.exists()


def test_a_lock_released_during_the_retries_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "packet.pdf"
    dest.write_bytes(b"old")
    src = tmp_path / ".~new.tmp"
    src.write_bytes(b"new")
    real = os.replace
    attempts: list[int] = []

    def flaky(a: str, b: str) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise windows_error(32)
        real(a, b)

    monkeypatch.setattr(os, "replace", flaky)
    replace_with_retry(src, dest, attempts=5, delay=0)
    assert dest.read_bytes() == b"new" and len(attempts) == 3


def test_atomic_path_keeps_the_old_file_on_failure_and_gives_normal_permissions(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "out" / "表.xlsx"
    dest.parent.mkdir()
    dest.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(dest) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert dest.read_bytes() == b"old"
    assert list(dest.parent.iterdir()) == [dest]  # no temporary file left behind

    with atomic_path(dest) as tmp:
        tmp.write_bytes(b"new")
    assert dest.read_bytes() == b"new"
    # The usual permissions for a new file (not the private 0600 of a temporary file).
    assert stat.S_IMODE(dest.stat().st_mode) == 0o666 & ~outputs.UMASK


def test_permission_denied_is_not_reported_as_held_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "珠海某某科技有限公司.xlsx"
    dest.write_bytes(b"old")
    src = tmp_path / ".~new.tmp"
    src.write_bytes(b"new")
    calls: list[int] = []

    def denied(a: str, b: str) -> None:  # a read-only file or folder: Windows' access denied
        calls.append(1)
        raise windows_error(5)

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(OutputError) as caught:
        replace_with_retry(src, dest, attempts=3, delay=0)
    assert len(calls) == 1  # waiting does not make a read-only file writable
    assert "占用" not in caught.value.message
    assert "没有权限" in caught.value.message and "只读" in caught.value.message
    assert "珠海某某科技有限公司.xlsx" in caught.value.message
    assert dest.read_bytes() == b"old" and not src.exists()
