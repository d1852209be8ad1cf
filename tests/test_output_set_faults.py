"""The output folder when the checksum list (the set's seal, its last file) is held by another
program, and when two builds write into one folder at once: the folder holds the old set or the
new one, whole; a rollback that truly cannot finish says so inside the folder; a second writer is
refused with a message naming the first, and neither leaves a mixed folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.files import OutputSet, staging_prefix
from app.files.outputset import UNFINISHED_NOTE, folder_lock_path
from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import BuildOptions, build
from app.outputs.demo import SAMPLE_MANIFEST
from app.system.errors import OutputError
from tests.outputs_support import snapshot, windows_error
from tests.packet_fixtures import MemorySource, project

TODAY = dt.date(2019, 1, 10)
SELECTED = ["outsourcing_onshore", "international_certification"]
SUMS = "SHA256SUMS.txt"
MAIN = Path(__file__).resolve().parents[1] / "main.py"


def _old_output(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "输出"
    build(MemorySource(project(SELECTED)), out, BuildOptions(), today=TODAY)
    return out, snapshot(out)


def _new_source() -> MemorySource:
    return MemorySource(project([*SELECTED, "export_credit_insurance"], pages=2))


def _whole(out: Path) -> bool:
    """The seal is there and lists exactly the set's files, each with its right digest."""
    if not (out / SUMS).exists():
        return False
    listed = {}
    for line in (out / SUMS).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, rel = line.split("  ", 1)
            listed[rel] = digest
    present = {p for p in snapshot(out) if p not in (SUMS, UNFINISHED_NOTE)}
    return set(listed) == present and all(
        hashlib.sha256((out / rel).read_bytes()).hexdigest() == d for rel, d in listed.items()
    )


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(staging_prefix(out)))


def _seal_name_refuses_renames(monkeypatch: pytest.MonkeyPatch, out: Path) -> None:
    """Another program holds ``SHA256SUMS.txt`` so that nothing can be renamed onto its name
    (the old one can still be moved away), as the fault trials saw."""
    real = os.replace

    def replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        if Path(b) == out / SUMS:
            raise windows_error(32)
        real(a, b)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(time, "sleep", lambda s: None)


def test_a_seal_that_cannot_be_renamed_into_place_still_ends_with_a_whole_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_output(tmp_path)
    _seal_name_refuses_renames(monkeypatch, out)
    build(_new_source(), out, BuildOptions(), today=TODAY)
    monkeypatch.undo()
    assert snapshot(out) != before  # the new set ...
    assert _whole(out)  # ... whole, its seal matching
    assert not (out / UNFINISHED_NOTE).exists()
    assert _leftovers(out) == []


def test_a_seal_held_open_for_writing_too_leaves_the_old_set_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither a rename onto the name nor writing it works at the last step (the seal): the
    old set comes back, its seal included (written in place), and the message says nothing
    changed."""
    out, before = _old_output(tmp_path)
    _seal_name_refuses_renames(monkeypatch, out)
    real_open = open
    writes = {"n": 0}

    def fake_open(file: object, mode: str = "r", *args: object, **kw: object) -> object:
        if isinstance(file, (str, Path)) and Path(file) == out / SUMS and "w" in mode:
            writes["n"] += 1
            if writes["n"] == 1:  # the new seal's bytes are refused; the old ones go back
                raise windows_error(32)
        return real_open(file, mode, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", fake_open)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    monkeypatch.undo()
    assert "占用" in caught.value.message and SUMS in caught.value.message
    assert "都没有改动" in caught.value.message
    assert snapshot(out) == before
    assert _whole(out)
    assert _leftovers(out) == []


def test_a_rollback_that_cannot_finish_says_so_inside_the_folder_until_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_output(tmp_path)
    _seal_name_refuses_renames(monkeypatch, out)
    real_open = open

    def fake_open(file: object, mode: str = "r", *args: object, **kw: object) -> object:
        if isinstance(file, (str, Path)) and Path(file) == out / SUMS and "w" in mode:
            raise windows_error(32)
        return real_open(file, mode, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", fake_open)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    monkeypatch.undo()
    assert "暂时无法恢复原样" in caught.value.message
    note = (out / UNFINISHED_NOTE).read_text(encoding="utf-8-sig")
    assert SUMS in note and "不要打印" in note and "再次生成" in note
    # the other files are the old ones: only the seal is missing
    now = snapshot(out)
    assert {k: v for k, v in now.items() if k != UNFINISHED_NOTE} == {
        k: v for k, v in before.items() if k != SUMS
    }
    # the program holding the file closed it: the next build restores, then replaces, and
    # the note goes
    build(_new_source(), out, BuildOptions(), today=TODAY)
    assert _whole(out)
    assert not (out / UNFINISHED_NOTE).exists()
    assert _leftovers(out) == []


def test_a_second_writer_of_one_folder_is_refused_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "输出"
    with OutputSet(out, owner="“甲公司”的材料") as first:
        with pytest.raises(OutputError) as caught, OutputSet(out, owner="“乙公司”的材料"):
            pass
        assert "甲公司" in caught.value.message and "正在写入" in caught.value.message
        assert "都没有改动" in caught.value.message
        (first.folder / "a.txt").write_text("甲", encoding="utf-8")
        first.install([first.folder / "a.txt"])
    assert not folder_lock_path(out).exists()  # released and removed
    with OutputSet(out) as second:  # free again
        (second.folder / "a.txt").write_text("乙", encoding="utf-8")
        second.install([second.folder / "a.txt"])
    assert snapshot(out) == {"a.txt": "乙".encode()}


def test_two_builds_into_one_folder_at_once_leave_one_whole_set(tmp_path: Path) -> None:
    """Two real `build` processes started together on one output folder: one writes, the other
    is refused (exit 2, the message naming the first) or, started after the first finished,
    writes too; the folder ends whole either way."""
    project_file = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project_file)
    copy = tmp_path / "副本.sbproj"
    copy.write_bytes(project_file.read_bytes())
    out = tmp_path / "输出"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def start(p: Path) -> subprocess.Popen[bytes]:
        argv = ["build", str(p), "--out", str(out), "--today", "2019-02-01"]
        return subprocess.Popen(
            [sys.executable, str(MAIN), *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )

    refused = 0
    for _ in range(3):
        a, b = start(project_file), start(copy)
        results = [(p.wait(), p.communicate()) for p in (a, b)]
        codes = sorted(code for code, _ in results)
        assert codes in ([0, 0], [0, 2]), results
        for code, (_, err) in results:
            if code == 2:
                refused += 1
                assert "正在写入输出文件夹" in err.decode("utf-8"), err
        assert _whole(out)
        assert _leftovers(out) == [] and not folder_lock_path(out).exists()
    # builds take seconds and both start at once: at least one round overlapped
    assert refused >= 1
