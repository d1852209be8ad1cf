"""One project, one writer: the lock beside an open project, across real processes.

A child process opens the project (as another window or a CLI build would); this process is
refused with a message naming the holder, can look read-only, and takes the lock over once the
child is killed (a crash leaves the lock file behind). Locks of another PC are named and only
taken over on request; a lock of a pid reused by a newer process, or of a host that restarted,
is stale.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.project import FILE_SUFFIX, ProjectLockedError, ProjectStore
from app.project.lock import LOCK_FORMAT, acquire, lock_path, process_start_time
from app.system.errors import ProjectFileError

GUIDE = "zhuhai-service-trade-2019"
ROOT = Path(__file__).resolve().parents[1]

HOLDER = """
import sys
from pathlib import Path
from app.project import ProjectStore
store = ProjectStore.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
store.close()
print("closed", flush=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / f"项目{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        store.set_company_field("name", "甲公司")
    return path


class Child:
    """A real process holding the project open for editing."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        assert line == "ready", (line, self.proc.stderr.read() if self.proc.stderr else "")

    def close(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        assert self.proc.stdout.readline().strip() == "closed"
        self.proc.wait(timeout=30)

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up at all
        self.proc.wait(timeout=30)


@pytest.fixture
def child(project: Path) -> Iterator[Child]:
    holder = Child(project)
    yield holder
    if holder.proc.poll() is None:
        holder.kill()


def _write_lock(project: Path, **changes: object) -> None:
    data = {
        "pid": os.getpid(),
        "started": process_start_time(os.getpid()) or "",
        "host": socket.gethostname(),
        "boot": Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        if Path("/proc/sys/kernel/random/boot_id").exists()
        else "",
        "user": "clerk",
        "opened_at": "2026-03-02T09:15:00",
        "token": "t" * 32,
        "format": LOCK_FORMAT,
    }
    data.update(changes)
    lock_path(project).write_text(json.dumps(data), encoding="utf-8")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid


# -- in one process ------------------------------------------------------------------------------


def test_an_open_project_is_locked_and_the_lock_goes_with_close(project: Path) -> None:
    store = ProjectStore.open(project)
    lock = lock_path(project)
    assert lock.is_file() and lock.name == f".{project.name}.lock"
    held = json.loads(lock.read_text(encoding="utf-8"))
    assert held["pid"] == os.getpid() and held["host"] == socket.gethostname()
    with pytest.raises(ProjectLockedError) as info:
        ProjectStore.open(project)
    assert info.value.this_process
    assert "本程序的另一个窗口" in info.value.message and project.name in info.value.message
    assert "只读" in info.value.message
    store.close()
    assert not lock.exists()
    ProjectStore.open(project).close()
    assert not lock.exists()


def test_a_new_project_is_locked_while_open(tmp_path: Path) -> None:
    path = tmp_path / f"新{FILE_SUFFIX}"
    store = ProjectStore.create(path, GUIDE)
    with pytest.raises(ProjectLockedError):
        ProjectStore.open(path)
    store.close()
    assert not lock_path(path).exists()


def test_read_only_view_sees_saved_changes_and_refuses_every_change(project: Path) -> None:
    with ProjectStore.open(project) as writer, ProjectStore.open(project, read_only=True) as view:
        assert view.read_only and not writer.read_only
        assert view.load().company.name == "甲公司"
        writer.set_company_field("name", "乙公司")
        assert view.load().company.name == "乙公司"
        with pytest.raises(ProjectFileError) as info:
            view.set_company_field("name", "丙公司")
        assert "只读" in info.value.message and "没有保存" in info.value.message
        with pytest.raises(ProjectFileError):
            view.add_row("contracts", {"name": "x"})
        assert writer.load().company.name == "乙公司"
        assert writer.load().rows("contracts") == ()
    assert not lock_path(project).exists()


def test_release_leaves_a_lock_that_is_no_longer_ours(project: Path) -> None:
    store = ProjectStore.open(project)
    _write_lock(project, host="财务室-PC", token="x" * 32)  # another PC took over meanwhile
    store.close()
    assert json.loads(lock_path(project).read_text(encoding="utf-8"))["host"] == "财务室-PC"


# -- stale and foreign locks ---------------------------------------------------------------------


def test_a_lock_of_a_dead_process_on_this_host_is_taken_over(project: Path) -> None:
    _write_lock(project, pid=_dead_pid(), started="12345")
    with ProjectStore.open(project) as store:
        assert json.loads(lock_path(project).read_text(encoding="utf-8"))["pid"] == os.getpid()
        assert store.load().company.name == "甲公司"


@pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="zombie processes are a Linux /proc notion"
)
def test_a_lock_of_a_crashed_process_not_yet_reaped_is_stale(project: Path) -> None:
    child = Child(project)
    child.proc.kill()  # killed, and not waited for: a zombie keeps its pid
    stat = Path(f"/proc/{child.proc.pid}/stat")
    while stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] != "Z":
        time.sleep(0.01)
    try:
        ProjectStore.open(project).close()
    finally:
        child.proc.wait(timeout=30)


def test_a_lock_whose_pid_now_belongs_to_a_newer_process_is_stale(project: Path) -> None:
    _write_lock(project, pid=os.getppid(), started="1")  # alive, but started at another time
    ProjectStore.open(project).close()


def test_a_lock_from_before_a_restart_is_stale(project: Path) -> None:
    if not Path("/proc/sys/kernel/random/boot_id").exists():
        pytest.skip("boot ids are read from /proc on Linux")
    _write_lock(project, pid=os.getppid(), started="", boot="another-boot")
    ProjectStore.open(project).close()


def test_a_live_process_of_this_host_is_never_taken_over(project: Path) -> None:
    _write_lock(project, pid=os.getppid(), started=process_start_time(os.getppid()) or "")
    with pytest.raises(ProjectLockedError) as info:
        ProjectStore.open(project, take_over=True)
    assert "本机" in info.value.message and str(os.getppid()) in info.value.message
    assert not info.value.this_process


def test_another_pc_is_named_and_taken_over_only_on_request(project: Path) -> None:
    _write_lock(project, host="财务室-PC", user="王会计", pid=4242)
    with pytest.raises(ProjectLockedError) as info:
        ProjectStore.open(project)
    message = info.value.message
    assert "另一台电脑“财务室-PC”" in message and "王会计" in message
    assert "2026-03-02 09:15" in message and "接管" in message
    assert info.value.holder is not None and not info.value.holder.is_this_host()
    with ProjectStore.open(project, read_only=True) as view:
        assert view.load().company.name == "甲公司"
    with ProjectStore.open(project, take_over=True) as store:
        store.set_company_field("name", "乙公司")
    assert not lock_path(project).exists()


def test_an_unreadable_lock_is_waited_for_then_taken_over_when_old(project: Path) -> None:
    lock_path(project).write_bytes(b'{"pid": 12')  # half a lock: being written, or a crash
    with pytest.raises(ProjectLockedError) as info:
        ProjectStore.open(project)
    assert "另一个程序" in info.value.message
    old = time.time() - 3600
    os.utime(lock_path(project), (old, old))
    ProjectStore.open(project).close()


# -- across real processes -----------------------------------------------------------------------


def test_a_child_holding_the_project_is_named_and_the_view_is_read_only(
    project: Path, child: Child
) -> None:
    with pytest.raises(ProjectLockedError) as info:
        ProjectStore.open(project)
    assert f"进程 {child.proc.pid}" in info.value.message and "本机" in info.value.message
    with ProjectStore.open(project, read_only=True) as view:
        assert view.load().company.name == "甲公司"
    child.close()
    assert not lock_path(project).exists()
    ProjectStore.open(project).close()


def test_a_killed_holder_leaves_a_lock_that_is_taken_over(project: Path, child: Child) -> None:
    child.kill()  # a crash: the lock file stays behind
    assert lock_path(project).is_file()
    with ProjectStore.open(project) as store:
        store.set_company_field("name", "乙公司")
    assert not lock_path(project).exists()


def test_cli_build_and_export_refuse_while_check_reads(
    project: Path, child: Child, tmp_path: Path
) -> None:
    err = io.StringIO()
    assert main(["build", str(project), "--out", str(tmp_path / "o")], io.StringIO(), err) == 2
    assert f"进程 {child.proc.pid}" in err.getvalue() and "无法生成" in err.getvalue()
    assert not (tmp_path / "o").exists()
    err = io.StringIO()
    code = main(["export", str(project), str(tmp_path / "m" / "m.json")], io.StringIO(), err)
    assert code == 2 and "无法导出" in err.getvalue()
    out = io.StringIO()
    assert main(["check", str(project)], out, io.StringIO()) in (0, 1)
    assert "甲公司" in out.getvalue()


RACER = """
import sys, time
from pathlib import Path
from app.system.errors import ProjectFileError
from app.project import ProjectStore
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
try:
    store = ProjectStore.open(Path(sys.argv[1]))
except ProjectFileError:
    print("refused", flush=True)
    sys.exit(0)
print("won", flush=True)
time.sleep(1.5)
store.close()
"""


def test_racing_openers_of_a_stale_lock_leave_exactly_one_writer(project: Path) -> None:
    for _round in range(3):
        _write_lock(project, pid=_dead_pid(), started="12345")
        start = time.time() + 1.0
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(project), str(start)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [r.communicate(timeout=60)[0].strip() for r in racers]
        assert sorted(results) == ["refused", "refused", "refused", "won"], results
        assert not lock_path(project).exists()


def test_acquire_names_the_project_file_in_its_refusal(project: Path) -> None:
    held = acquire(project)
    try:
        with pytest.raises(ProjectLockedError) as info:
            acquire(project)
        assert project.name in info.value.message
    finally:
        held.release()


def test_scratch_files_left_by_a_crash_are_swept(project: Path) -> None:
    lock = lock_path(project)
    old_new = lock.with_name(f"{lock.name}.{'a' * 32}.new")
    old_stale = lock.with_name(f"{lock.name}.{'b' * 32}.stale")
    fresh = lock.with_name(f"{lock.name}.{'c' * 32}.new")
    for f in (old_new, old_stale, fresh):
        f.write_text("{}", encoding="utf-8")
    hour_ago = time.time() - 3600
    for f in (old_new, old_stale):
        os.utime(f, (hour_ago, hour_ago))
    ProjectStore.open(project).close()
    assert not old_new.exists() and not old_stale.exists()
    assert fresh.exists()  # another opener may be writing it right now


def test_a_take_over_guard_left_by_a_crash_does_not_block_opening(project: Path) -> None:
    """Taking over a stale lock is guarded (one opener at a time); a guard a crashed opener
    left behind is removed once old, and the stale lock is still taken over."""
    _write_lock(project, pid=_dead_pid(), started="12345")
    guard = lock_path(project).with_name(lock_path(project).name + ".takeover")
    guard.write_bytes(b"")
    old = time.time() - 60
    os.utime(guard, (old, old))
    held = acquire(project)
    try:
        assert not guard.exists()
        assert lock_path(project).exists()
    finally:
        held.release()
