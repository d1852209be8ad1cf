"""Withdrawing a print job from the Windows spooler, for 取消.

Qt's Windows print engine ignores ``QPrinter.abort()``: ``QPainter.end()`` then closes the
document and every page already drawn is printed (in all its copies). To cancel for real, the
job is found in the printer's queue by its document name (set with ``QPrinter.setDocName``)
and deleted through the spooler API (winspool.drv: OpenPrinterW, EnumJobsW with JOB_INFO_1W,
SetJobW with JOB_CONTROL_DELETE, ClosePrinter): nothing more reaches the printer and what was
spooled is withdrawn. A user may always delete their own jobs. Everything here is a no-op
elsewhere than on Windows (CUPS and the PDF target honour ``abort()``)."""

from __future__ import annotations

import ctypes
import getpass
import sys
from collections.abc import Sequence
from dataclasses import dataclass

JOB_CONTROL_DELETE = 5


@dataclass(frozen=True)
class Job:
    job_id: int
    document: str
    user: str


def job_to_withdraw(jobs: Sequence[Job], document: str, user: str) -> Job | None:
    """Our job: the newest one of this user whose document name is ours."""
    ours = [
        j for j in jobs if j.document == document and (not user or j.user.lower() == user.lower())
    ]
    return max(ours, key=lambda j: j.job_id, default=None)


class _SystemTime(ctypes.Structure):
    _fields_ = [(name, ctypes.c_uint16) for name in ("y", "mo", "dow", "d", "h", "mi", "s", "ms")]


class _JobInfo1(ctypes.Structure):
    _fields_ = [
        ("JobId", ctypes.c_uint32),
        ("pPrinterName", ctypes.c_wchar_p),
        ("pMachineName", ctypes.c_wchar_p),
        ("pUserName", ctypes.c_wchar_p),
        ("pDocument", ctypes.c_wchar_p),
        ("pDatatype", ctypes.c_wchar_p),
        ("pStatus", ctypes.c_wchar_p),
        ("Status", ctypes.c_uint32),
        ("Priority", ctypes.c_uint32),
        ("Position", ctypes.c_uint32),
        ("TotalPages", ctypes.c_uint32),
        ("PagesPrinted", ctypes.c_uint32),
        ("Submitted", _SystemTime),
    ]


def _jobs(spool: ctypes.WinDLL, handle: ctypes.c_void_p) -> list[Job]:  # type: ignore[name-defined]
    needed, returned = ctypes.c_uint32(0), ctypes.c_uint32(0)
    spool.EnumJobsW(handle, 0, 0xFFFF, 1, None, 0, ctypes.byref(needed), ctypes.byref(returned))
    if needed.value == 0:
        return []
    buffer = ctypes.create_string_buffer(needed.value)
    if not spool.EnumJobsW(
        handle, 0, 0xFFFF, 1, buffer, needed, ctypes.byref(needed), ctypes.byref(returned)
    ):
        return []
    infos = ctypes.cast(buffer, ctypes.POINTER(_JobInfo1 * returned.value)).contents
    return [Job(i.JobId, i.pDocument or "", i.pUserName or "") for i in infos]


def withdraw(printer_name: str, document: str) -> bool:
    """Delete our job ``document`` from ``printer_name``'s queue; True when one was deleted."""
    if sys.platform != "win32" or not printer_name:
        return False
    spool = ctypes.WinDLL("winspool.drv")
    handle = ctypes.c_void_p()
    if not spool.OpenPrinterW(ctypes.c_wchar_p(printer_name), ctypes.byref(handle), None):
        return False
    try:
        try:
            user = getpass.getuser()
        except Exception:  # no user name: match on the document name alone
            user = ""
        job = job_to_withdraw(_jobs(spool, handle), document, user)
        if job is None:
            return False
        return bool(spool.SetJobW(handle, job.job_id, 0, None, JOB_CONTROL_DELETE))
    finally:
        spool.ClosePrinter(handle)
