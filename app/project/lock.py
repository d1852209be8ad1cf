"""One project, one writer: a lock file beside the project while it is open for editing.

The lock file ``.<project name>.lock`` (hidden) holds who opened the project: process id, the
process's start time, host name, boot id, user, when. Another opener reads it:

- held by a live process (this PC) or by another PC (a shared folder): refused with
  :class:`ProjectLockedError`, whose message names the holder; the caller may open the project
  read-only instead;
- left behind by a crash: the same host with a dead process id, a process id now used by a
  process started at another time, or a host that has restarted since (another boot id) — taken
  over;
- another PC's lock cannot be checked from here; :func:`acquire` takes it over only when asked
  (``take_over=True``, after the user confirmed that PC no longer has the project open).

The lock file is written whole before it appears (written aside, then hard-linked into place,
which fails if a lock already exists), so a reader never sees half a lock. A stale lock is taken
over by renaming it aside and checking that what was moved is the stale lock that was judged, so
two openers racing for the same stale lock cannot both win.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from app.system.errors import ProjectFileError

LOCK_FORMAT = "packet-assembler-lock"
_UNREADABLE_GRACE_S = 10.0  # an unreadable lock younger than this is being written
_HELD: dict[str, str] = {}  # lock file path -> token, for the locks this process holds
_HELD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Holder:
    """Who holds a project open for editing."""

    pid: int
    started: str  # the process's start time as the OS reports it ("" where unknown)
    host: str
    boot: str  # the host's boot id ("" where unknown)
    user: str
    opened_at: str  # ISO time, local
    token: str
    format: str = LOCK_FORMAT

    def is_this_host(self) -> bool:
        return self.host == _host_name()

    def where(self) -> str:
        """“本机” or the other computer's name, with the user, for messages."""
        who = f"（用户 {self.user}）" if self.user else ""
        if self.is_this_host():
            return f"本机{who}"
        return f"另一台电脑“{self.host}”{who}"

    def since(self) -> str:
        try:
            return dt.datetime.fromisoformat(self.opened_at).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return "不明时间"


class ProjectLockedError(ProjectFileError):
    """The project is open for editing elsewhere. ``holder`` says where (None: unreadable)."""

    def __init__(self, project: Path, holder: Holder | None, *, this_process: bool) -> None:
        if holder is None:
            who = "另一个程序"
        elif this_process:
            who = "本程序的另一个窗口"
        elif holder.is_this_host():
            who = f"本机上的另一个申报材料助手（{holder.where()}，进程 {holder.pid}）"
        else:
            who = holder.where()
        since = f"自 {holder.since()} 起" if holder is not None else ""
        self.summary = f"项目文件 {project.name} 正由{who}{since}打开编辑"
        """Who holds it, without advice (callers with other options add their own)."""
        message = (
            f"{self.summary}，为避免两处修改互相覆盖，同一时间只能在一处编辑。"
            "可以以只读方式查看，或请对方关闭该项目后再打开。"
        )
        if holder is not None and not holder.is_this_host():
            message += (
                f"如果确定“{holder.host}”上的程序已经关闭（例如那台电脑死机或断网），"
                "可以选择接管编辑。"
            )
        super().__init__(message)
        self.project = project
        self.holder = holder
        self.this_process = this_process


def lock_path(project: Path) -> Path:
    return project.with_name(f".{project.name}.lock")


class ProjectLock:
    """A held lock; :meth:`release` (or closing the store) removes it."""

    def __init__(self, path: Path, holder: Holder) -> None:
        self.path = path
        self.holder = holder

    def release(self) -> None:
        """Remove the lock file if it is still ours. Releasing twice is harmless."""
        key = str(self.path)
        with _HELD_LOCK:
            if _HELD.get(key) != self.holder.token:
                return
            del _HELD[key]
        current = _read(self.path)
        if current is not None and current.token == self.holder.token:
            with contextlib.suppress(OSError):
                self.path.unlink()


def acquire(project: Path, *, take_over: bool = False) -> ProjectLock:
    """Lock ``project`` for editing by this process, or raise :class:`ProjectLockedError`.

    ``take_over``: replace a lock held by another PC (the user confirmed it is gone). A lock of a
    live process of this PC is never taken over."""
    path = lock_path(Path(project).absolute())
    me = _me()
    for _attempt in range(20):
        if _create(path, me, Path(project)):
            with _HELD_LOCK:
                _HELD[str(path)] = me.token
            _hide(path)
            _sweep(path)
            return ProjectLock(path, me)
        raw = _read_bytes(path)
        if raw is None:  # vanished in between: try again
            continue
        holder = _parse(raw)
        if holder is None:
            if _age(path) < _UNREADABLE_GRACE_S:  # being written by another opener
                time.sleep(0.05)
                continue
            _take_over(path, raw)  # garbage left by a crash while writing
            continue
        with _HELD_LOCK:
            ours = _HELD.get(str(path)) == holder.token
        if ours:
            raise ProjectLockedError(Path(project), holder, this_process=True)
        if _is_stale(holder) or (take_over and not holder.is_this_host()):
            _take_over(path, raw)
            continue
        raise ProjectLockedError(Path(project), holder, this_process=False)
    raise ProjectLockedError(Path(project), None, this_process=False)


# -- the lock file ---------------------------------------------------------------------------


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):
        user = ""
    return Holder(
        pid=os.getpid(),
        started=process_start_time(os.getpid()) or "",
        host=_host_name(),
        boot=_boot_id(),
        user=user,
        opened_at=dt.datetime.now().isoformat(timespec="seconds"),
        token=uuid.uuid4().hex,
    )


def _create(path: Path, me: Holder, project: Path) -> bool:
    """Write the lock whole, then make it appear atomically; False if a lock exists."""
    data = json.dumps(asdict(me), ensure_ascii=False).encode("utf-8")
    aside = path.with_name(f"{path.name}.{me.token}.new")
    try:
        with open(aside, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(aside, path)
            return True
        except FileExistsError:
            return False
        except OSError:
            # A file system without hard links: exclusive create (a reader may then briefly
            # see an empty lock, which counts as being written).
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            return True
    except FileExistsError:
        return False
    except OSError as exc:
        from app.project import failures

        raise failures.from_os(exc, project) from exc
    finally:
        with contextlib.suppress(OSError):
            aside.unlink()


def _read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(64 * 1024)
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # unreadable: judged like a lock being written


def _parse(raw: bytes) -> Holder | None:
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
            return None
        holder = Holder(**data)
    except (ValueError, TypeError):
        return None
    if not isinstance(holder.pid, int) or not all(
        isinstance(v, str)
        for v in (holder.started, holder.host, holder.boot, holder.user, holder.opened_at)
    ):
        return None
    return holder


def _read(path: Path) -> Holder | None:
    raw = _read_bytes(path)
    return None if raw is None else _parse(raw)


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


_GUARD_STALE_S = 10.0
"""A take-over guard older than this was left by a crash: removed."""


def _take_over(path: Path, judged: bytes) -> None:
    """Remove the stale lock ``judged`` unless another opener has replaced it; the caller then
    tries again.

    Only one opener at a time takes over (the ``.takeover`` guard, created exclusively), and it
    removes the lock only if it still holds ``judged``: while a lock file exists no opener can
    create another, so nothing can replace it between that check and the removal. (Moving the
    lock aside first, as before, could move a fresh lock another opener had just written, and
    a third opener could then win beside it: two writers.)"""
    guard = path.with_name(f"{path.name}.takeover")
    try:
        fd = os.open(guard, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        if _age(guard) > _GUARD_STALE_S:
            with contextlib.suppress(OSError):
                guard.unlink()
        time.sleep(0.02)  # another opener is taking over: look again after it
        return
    except OSError as exc:
        from app.project import failures

        raise failures.from_os(exc, path) from exc
    try:
        os.close(fd)
        if _read_bytes(path) == judged:
            with contextlib.suppress(OSError):  # gone, or held open a moment (Windows): again
                path.unlink()
    finally:
        with contextlib.suppress(OSError):
            guard.unlink()


def _sweep(path: Path) -> None:
    """Remove the scratch files a crash left between writing a lock and moving it (older than a
    minute, so an opener at work right now keeps its own)."""
    for pattern in (f"{path.name}.*.new", f"{path.name}.*.stale"):
        for leftover in path.parent.glob(pattern):
            if _age(leftover) > 60:
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _hide(path: Path) -> None:
    if sys.platform == "win32":
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # FILE_ATTRIBUTE_HIDDEN


# -- processes -------------------------------------------------------------------------------


def _host_name() -> str:
    return socket.gethostname() or "?"


def _boot_id() -> str:
    if sys.platform.startswith("linux"):
        try:
            return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        except OSError:
            return ""
    if sys.platform == "win32":
        import ctypes

        try:
            tick = ctypes.windll.kernel32.GetTickCount64
            tick.restype = ctypes.c_ulonglong  # the default c_int would wrap after 24.8 days
            uptime_ms = int(tick())
        except Exception:
            return ""
        booted = time.time() - uptime_ms / 1000
        return str(int(booted // 60))  # to the minute; good enough to tell restarts apart
    return ""


def _is_stale(holder: Holder) -> bool:
    """A lock of this host whose process is gone (or whose host restarted since)."""
    if not holder.is_this_host():
        return False
    boot = _boot_id()
    # The host restarted since (Windows' boot id is rounded to the minute: one minute either
    # way is the same boot).
    if holder.boot and boot and holder.boot != boot and not _near(holder.boot, boot):
        return True
    if holder.pid == os.getpid():
        # Our own pid but not a lock we hold: left by an earlier process with the same pid.
        return holder.started != (process_start_time(os.getpid()) or "")
    started = process_start_time(holder.pid)
    if not process_alive(holder.pid):
        return True
    return bool(holder.started and started and started != holder.started)


def _near(a: str, b: str) -> bool:
    if sys.platform != "win32":
        return False
    try:
        return abs(int(a) - int(b)) <= 1
    except ValueError:
        return False


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _win_process(pid)[0]
    if sys.platform.startswith("linux"):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in ("Z", "X")  # a zombie has crashed already; only its entry is left
    try:
        os.kill(pid, 0)  # never on Windows: there os.kill terminates the process
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def process_start_time(pid: int) -> str | None:
    """When the process started, as an opaque string comparable for equality; None if unknown."""
    if sys.platform.startswith("linux"):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[-1].split()
        return fields[19] if len(fields) > 19 else None  # field 22: starttime
    if sys.platform == "win32":
        return _win_process(pid)[1]
    return None


def _win_process(pid: int) -> tuple[bool, str | None]:  # pragma: no cover - Windows only
    """(alive, creation time) of a Windows process."""
    if sys.platform != "win32":
        return False, None
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.GetProcessTimes.argtypes = (wintypes.HANDLE, *[ctypes.POINTER(wintypes.FILETIME)] * 4)
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5, None  # access denied: it exists
    try:
        code = wintypes.DWORD()
        if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) and code.value != 259:
            return False, None  # exited (259 = STILL_ACTIVE)
        times = [wintypes.FILETIME() for _ in range(4)]
        if kernel32.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            created = times[0]
            return True, str((created.dwHighDateTime << 32) | created.dwLowDateTime)
        return True, None
    finally:
        kernel32.CloseHandle(handle)
