"""The output folder is replaced as a whole: every target is checked before any is touched
(held open, read-only, a folder in its place), a failure half-way is rolled back, a process
killed at any step of the replacement leaves the old set or the new one (after the next build's
clean-up, and the checksum list, whenever present, matches), and leftovers are cleaned."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app import files as outputs
from app.files import OutputSet, outputset, recover, staging_prefix
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
    result = build(MemorySource(project(SELECTED)), out, BuildOptions(), today=TODAY)
    (out / "用户自己的说明.txt").write_text("不要动我", encoding="utf-8")
    return out, {"pdf": result.pdf.name.encode(), **snapshot(out)}


def _new_source() -> MemorySource:
    return MemorySource(project([*SELECTED, "export_credit_insurance"], pages=2))


def _leftovers(out: Path) -> list[str]:
    """Staging folders beside ``out`` (a killed build's project lock file is not ours)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(staging_prefix(out)))


def _snap(out: Path, pdf_name: bytes) -> dict[str, bytes]:
    return {"pdf": pdf_name, **snapshot(out)}


def _open_refused(monkeypatch: pytest.MonkeyPatch, name: str, winerror: int) -> None:
    """Opening ``name`` to write fails as on Windows: 32 held open (Excel), 5 read-only."""
    real = os.open

    def fake(path: str | os.PathLike[str], flags: int, *args: int, **kw: object) -> int:
        if Path(path).name == name and flags & os.O_RDWR:
            raise windows_error(winerror)
        return real(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake)


def test_a_workbook_held_open_refuses_the_build_before_anything_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_output(tmp_path)
    xlsx = next(p.name for p in out.glob("*.xlsx"))
    _open_refused(monkeypatch, xlsx, 32)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    assert xlsx in caught.value.message and "占用" in caught.value.message
    assert "都没有改动" in caught.value.message
    assert _snap(out, before["pdf"]) == before
    assert _leftovers(out) == []


def test_a_read_only_output_is_refused_as_read_only_not_as_held_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = _old_output(tmp_path)
    _open_refused(monkeypatch, "原件核对清单.pdf", 5)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    message = caught.value.message
    assert "原件核对清单.pdf" in message and "只读" in message and "占用" not in message
    assert _snap(out, before["pdf"]) == before


@pytest.mark.parametrize("squatted", ["SHA256SUMS.txt", "原件核对清单.pdf", "Word模板"])
def test_a_folder_or_file_squatting_an_output_name_is_refused(
    tmp_path: Path, squatted: str
) -> None:
    out, _ = _old_output(tmp_path)
    target = out / squatted
    if target.is_dir():  # Word模板: a file where the folder should be
        for f in target.iterdir():
            f.unlink()
        target.rmdir()
        target.write_text("挡路的文件", encoding="utf-8")
    else:
        target.unlink()
        (target / "子文件夹").mkdir(parents=True)
    before = snapshot(out)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    assert f"“{squatted}”" in caught.value.message
    assert snapshot(out) == before
    assert _leftovers(out) == []


def test_a_failure_half_way_through_the_replacement_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passed, then Excel opened the workbook: the third rename fails."""
    out, before = _old_output(tmp_path)
    real = os.replace
    calls: list[str] = []

    def flaky(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        calls.append(str(b))
        if Path(b).suffix == ".xlsx" and Path(b).parent == out:
            raise windows_error(32)
        real(a, b)

    monkeypatch.setattr(os, "replace", flaky)
    monkeypatch.setattr(time, "sleep", lambda s: None)
    with pytest.raises(OutputError) as caught:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    assert "占用" in caught.value.message and ".xlsx" in caught.value.message
    assert any(Path(c).suffix == ".pdf" and Path(c).parent == out for c in calls)  # PDF was in
    assert _snap(out, before["pdf"]) == before  # ... and was put back
    assert _leftovers(out) == []


def _sums_match(out: Path) -> bool:
    listed = {}
    for line in (out / SUMS).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, rel = line.split("  ", 1)
            listed[rel] = digest
    return all(
        hashlib.sha256((out / rel).read_bytes()).hexdigest() == d for rel, d in listed.items()
    )


def _install_killed_at(step: int, root: str, out: str) -> None:
    """Child process: install a new set, dying (no clean-up at all) at rename/link ``step``."""
    count = [0]
    real_replace, real_link = os.replace, os.link

    def counting(real: Callable[..., None]) -> Callable[..., None]:
        def call(*args: object, **kw: object) -> None:
            count[0] += 1
            if count[0] == step:
                os._exit(9)
            real(*args, **kw)

        return call

    new = _new_source()
    os.replace = counting(real_replace)  # type: ignore[assignment]
    os.link = counting(real_link)  # type: ignore[assignment]
    build(new, Path(out), BuildOptions(), today=TODAY)
    os._exit(0)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the child must inherit the patched os.replace/os.link: needs fork (POSIX only); "
    "test_builds_killed_at_random_moments_leave_old_or_new covers Windows with real processes",
)
def test_a_build_killed_at_every_step_of_the_replacement_leaves_old_or_new(
    tmp_path: Path,
) -> None:
    """A generated family: the child dies at the 1st, 2nd, ... rename or link of the build
    (those of the replacement included) until one build runs to the end."""
    ctx = multiprocessing.get_context("fork")
    step, outcomes = 1, {"old": 0, "new": 0, "no seal": 0}
    while True:
        case = tmp_path / f"k{step}"
        out, before = _old_output(case)
        child = ctx.Process(target=_install_killed_at, args=(step, str(case), str(out)))
        child.start()
        child.join(120)
        assert child.exitcode in (0, 9)
        after = _snap(out, before["pdf"])
        if (out / SUMS).exists():
            assert _sums_match(out), f"step {step}: the checksum list does not match"
        else:
            outcomes["no seal"] += 1
        recover(out)  # what the next build does first
        assert _leftovers(out) == []
        after = _snap(out, before["pdf"])
        if after == before:
            outcomes["old"] += 1
        else:
            outcomes["new"] += 1
            assert _sums_match(out)
            assert after["用户自己的说明.txt"] == before["用户自己的说明.txt"]
        if child.exitcode == 0:
            break
        step += 1
    assert step > 8  # the family reached the replacement's renames and links
    assert outcomes["old"] > 0 and outcomes["new"] == 1 and outcomes["no seal"] > 0


def test_leftover_staging_folders_are_cleaned_by_the_next_build_unless_in_use(
    tmp_path: Path,
) -> None:
    out, _ = _old_output(tmp_path)
    prefix = staging_prefix(out)
    junk = tmp_path / f"{prefix}abcd1234"
    (junk / "new").mkdir(parents=True)
    (junk / "new" / "半成品.pdf").write_bytes(b"%PDF-")
    busy = tmp_path / f"{prefix}busy0000"
    busy.mkdir()
    other = tmp_path / ".别的文件夹.build-abcd1234"  # another output folder's: not ours
    other.mkdir()
    lock = outputset._try_lock(busy / ".lock")  # a build still running holds its folder's lock
    assert lock is not None
    try:
        build(_new_source(), out, BuildOptions(), today=TODAY)
    finally:
        lock.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, busy.name, other.name])
    assert recover(out) == [busy]  # once the lock is free


def test_output_set_keeps_its_interface_for_other_outputs(tmp_path: Path) -> None:
    """The helper alone (as another command's output folder would use it)."""
    out = tmp_path / "网上申报"
    with OutputSet(out) as staged:
        staged.check(["01-申请表.pdf", "清单.txt"])
        (staged.folder / "01-申请表.pdf").write_bytes(b"one")
        (staged.folder / "清单.txt").write_text("seal", encoding="utf-8")
        placed = staged.install([staged.folder / "01-申请表.pdf", staged.folder / "清单.txt"])
        assert staged.root.name.startswith(staging_prefix(out))
    assert placed == [out / "01-申请表.pdf", out / "清单.txt"]
    assert snapshot(out) == {"01-申请表.pdf": b"one", "清单.txt": b"seal"}
    assert _leftovers(out) == []


def test_builds_killed_at_random_moments_leave_old_or_new(tmp_path: Path) -> None:
    """Real trials: `build` in a child process, killed (SIGKILL) at a random moment; then the
    folder holds one complete set whose checksum list matches, and nothing half-written."""
    project = tmp_path / "示例.sbproj"
    import_manifest(load_manifest(SAMPLE_MANIFEST), project)
    out = tmp_path / "输出"

    def start(day: int) -> subprocess.Popen[bytes]:
        argv = ["build", str(project), "--out", str(out), "--today", f"2019-02-{day:02d}"]
        return subprocess.Popen(
            [sys.executable, str(MAIN), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    began = time.monotonic()
    assert start(1).wait() == 0
    span = time.monotonic() - began  # how long one build takes here (kill moments fall in it)
    (out / "用户自己的说明.txt").write_text("不要动我", encoding="utf-8")
    rng = random.Random(11)
    for day in range(2, 6):
        child = start(day)
        time.sleep(rng.uniform(0.1, 1.0) * span)
        child.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        child.wait()
        if (out / SUMS).exists():
            assert _sums_match(out)
        recover(out)
        assert _leftovers(out) == []
        assert _sums_match(out)
        listed = {
            line.split("  ", 1)[1]
            for line in (out / SUMS).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")
        }
        assert set(snapshot(out)) == listed | {SUMS, "用户自己的说明.txt"}
    assert start(9).wait() == 0
    assert _sums_match(out) and _leftovers(out) == []


def test_a_leftover_whose_journal_cannot_be_read_is_kept(tmp_path: Path) -> None:
    """It may hold the only copy of an old output: never deleted blind."""
    out = tmp_path / "输出"
    out.mkdir()
    leftover = tmp_path / f"{staging_prefix(out)}abcd1234"
    (leftover / "old").mkdir(parents=True)
    (leftover / "old" / "SHA256SUMS.txt").write_text("旧的校验清单", encoding="utf-8")
    (leftover / outputs.JOURNAL).write_text("{not json", encoding="utf-8")
    assert recover(out) == []
    assert (leftover / "old" / "SHA256SUMS.txt").read_text(encoding="utf-8") == "旧的校验清单"
