"""The build's side outputs: the Excel file and the Word templates.

They depend on the guide, the project's data, its evaluation and the packet's 目录 lines, never
on the packet PDF: for a large packet they are written in a process of their own while this one
assembles the PDF, so that their libraries' loading (openpyxl, python-docx) and their work run
on another core instead of before or after the PDF's. The other process is this program again
(:func:`child_command`), given the job on its standard input. A small packet is written before
a new process would have loaded its libraries: its side outputs are written here, after the
PDF, as they always were.

Whatever happens in the other process, the build's outcome is the same: its own refusals
(:class:`app.system.errors.AppError`, e.g. a file that cannot be written) come back as the same
Chinese message; a process that cannot be started, dies or fails in an unforeseen way is
replaced by writing the outputs here (where a real problem then shows as it always did).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.guide.model import Guide
from app.model import ProjectData
from app.rules.evaluation import Evaluation
from app.system.errors import AppError, BuildCancelled, OutputError
from app.workbook.names import TocRow

log = logging.getLogger(__name__)

PROCESS_FROM_PAGES = 120
"""From this many packet pages on, the side outputs are written in a process of their own (a
smaller packet's PDF is done before a new process has loaded openpyxl and python-docx)."""

CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class SideJob:
    """Everything the side outputs are made from, and where they go."""

    folder: Path  # the build's staging folder
    xlsx_name: str
    template_dir: str  # the templates' sub-folder of ``folder``
    names_folder: Path  # the folder whose path length the templates' names must fit
    guide: Guide
    data: ProjectData
    evaluation: Evaluation
    toc: tuple[TocRow, ...]


@contextlib.contextmanager
def mapped(what: str) -> Iterator[None]:
    """The one place where library failures of the build become user-facing errors."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        yield
    except AppError:
        raise
    except OSError as exc:
        raise OutputError(
            f"无法写入{what}（{exc.strerror or exc}）。请检查输出文件夹是否存在、可写且磁盘空间"
            f"充足，或选择另一个输出文件夹。"
        ) from exc
    except (LayoutError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise OutputError(
            f"生成{what}时出错，申报材料未生成。请检查填写的内容（如过长的文字）后重试；"
            f"如仍失败，请将项目文件发给开发者。"
        ) from exc


def write_side(job: SideJob) -> list[Path]:
    """Write the Excel file and the Word templates into ``job.folder``; returns the templates
    written. (The originals checklist, a PDF, is drawn by the build's own process, which has
    reportlab and the fonts loaded already: here they would only add memory.)"""
    from app.outputs.templates import write_templates
    from app.workbook.book import write_workbook

    with mapped(f"Excel 文件“{job.xlsx_name}”"):
        write_workbook(job.folder / job.xlsx_name, job.guide, job.data, job.evaluation, job.toc)
    with mapped("Word 模板"):
        templates = write_templates(
            job.folder / job.template_dir, job.guide, job.data, job.names_folder
        )
    return templates


CHILD_FLAG = "--side-outputs"
"""The frozen program's command-line flag that makes it the other process (``main.py``)."""


def child_command() -> list[str]:
    """How the other process is started: the frozen program with :data:`CHILD_FLAG`; from the
    source, this interpreter running :func:`child_main` with the source folder on its path.
    Never ``multiprocessing``: its spawn runs the caller's main script again in the child,
    and a script that builds without an ``if __name__ == "__main__"`` guard would build again
    there."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    root = str(Path(__file__).resolve().parents[2])
    code = (
        f"import sys; sys.path.insert(0, {root!r}); "
        "from app.outputs.side import child_main; sys.exit(child_main())"
    )
    return [sys.executable, "-c", code]


class _Child:
    """The other process: the payload fed to its stdin and its answer read from its stdout on
    threads of their own (neither waits for the other side)."""

    def __init__(self, payload: bytes) -> None:
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashing up (Windows)
        self.proc = subprocess.Popen(
            child_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            creationflags=flags,
        )
        self.answer = b""
        self._feeder = threading.Thread(target=self._feed, args=(payload,), daemon=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._feeder.start()
        self._reader.start()

    def _feed(self, payload: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        with contextlib.suppress(OSError):  # it ended early: its answer (or none) says why
            stdin.write(payload)
        with contextlib.suppress(OSError):
            stdin.close()

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        with contextlib.suppress(OSError):
            self.answer = stdout.read()

    def wait(self, cancel: CancelFn | None, timeout: float | None = None) -> tuple[Any, ...] | None:
        """Its answer once it has ended (None: none, or not within ``timeout`` seconds)."""
        waited = 0.0
        while True:
            try:
                self.proc.wait(0.05)
                break
            except subprocess.TimeoutExpired:
                waited += 0.05
                if cancel is not None and cancel():
                    raise BuildCancelled() from None
                if timeout is not None and waited >= timeout:
                    return None
        self._reader.join()
        try:
            answer = pickle.loads(self.answer)
        except Exception:  # nothing, or cut short: it did not finish
            return None
        return answer if isinstance(answer, tuple) and answer else None

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._feeder.join(10)
        self._reader.join(10)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


class SideOutputs:
    """:func:`write_side` of a job, started at once in another process (``in_process``: here,
    when :meth:`result` is asked for). :meth:`stop` ends the other process (call it, e.g. in a
    ``finally``, before the staging folder is removed)."""

    def __init__(self, job: SideJob, in_process: bool) -> None:
        self._job = job
        self._child: _Child | None = None
        if not in_process:
            try:
                self._child = _Child(dumps(job))
            except Exception:  # written here instead (see the module's docstring)
                log.warning("side outputs: no process, written in this one", exc_info=True)

    @property
    def elsewhere(self) -> bool:
        """Whether the outputs are being written in another process."""
        return self._child is not None

    def result(self, cancel: CancelFn | None = None) -> list[Path]:
        """The templates written, once the outputs are in the staging folder. Raises the other
        process's :class:`AppError` (as an ``OutputError`` or ``AppError`` with its message)
        and :class:`BuildCancelled` when ``cancel()`` turns true while waiting."""
        child = self._child
        if child is None:
            return write_side(self._job)
        try:
            answer = child.wait(cancel)
        finally:
            self.stop()
        if answer is None or answer[0] not in ("ok", "error"):
            log.warning("side outputs: the other process gave %r, written here", answer)
            return write_side(self._job)
        if answer[0] == "ok":
            return [Path(p) for p in answer[1]]
        kind, message = answer[1], answer[2]
        raise OutputError(message) if kind == "OutputError" else AppError(message)

    def stop(self) -> None:
        """End the other process (if any) and wait for it."""
        child, self._child = self._child, None
        if child is not None:
            child.stop()


def _proxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(items)


def _reduce_proxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_proxy, (dict(proxy),))


def dumps(job: SideJob) -> bytes:
    """``job`` pickled (the guide and the data hold read-only mappings, which pickle cannot
    take as they are: they travel as dictionaries and are wrapped again on arrival)."""
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {types.MappingProxyType: _reduce_proxy}
    pickler.dump(job)
    return buf.getvalue()


def child_main() -> int:
    """The other process: a pickled :class:`SideJob` (or ``"probe"``) on stdin; on stdout
    ``("ok", templates)``, ``("error", class name, message)`` for our own refusals,
    ``("crash", what)`` for anything else (the parent then writes them itself)."""
    stdin = sys.stdin.buffer if sys.stdin is not None else os.fdopen(0, "rb")
    stdout = sys.stdout.buffer if sys.stdout is not None else os.fdopen(1, "wb")
    try:
        job = pickle.loads(stdin.read())
        paths = [] if job == "probe" else write_side(job)
        answer: tuple[Any, ...] = ("ok", [str(p) for p in paths])
    except AppError as exc:
        answer = ("error", type(exc).__name__, exc.message)
    except BaseException as exc:  # the parent writes them itself
        answer = ("crash", repr(exc))
    stdout.write(pickle.dumps(answer))
    stdout.flush()
    return 0


def process_works(timeout: float = 60.0) -> bool:
    """Whether the other process can be started as :class:`SideOutputs` starts it and answers
    (the self-test's check: in a frozen build it needs ``main.py``'s :data:`CHILD_FLAG`)."""
    try:
        child = _Child(pickle.dumps("probe"))
    except Exception:
        log.warning("side outputs: the probe process did not start", exc_info=True)
        return False
    try:
        return child.wait(None, timeout) == ("ok", [])
    finally:
        child.stop()
