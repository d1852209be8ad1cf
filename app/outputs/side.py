"""The build's side outputs: the Excel file and the Word templates.

They depend on the guide, the project's data, its evaluation and the packet's 目录 lines, never
on the packet PDF: for a large packet they are written in a process of their own
(``multiprocessing``'s spawn, as on Windows) while this one assembles the PDF, so that their
libraries' loading (openpyxl, python-docx) and their work run on another core instead of
before or after the PDF's. A small packet is written before a new process would have loaded its
libraries: its side outputs are written here, after the PDF, as they always were.

Whatever happens in the other process, the build's outcome is the same: its own refusals
(:class:`app.system.errors.AppError`, e.g. a file that cannot be written) come back as the same
Chinese message; a process that cannot be started, dies or fails in an unforeseen way is
replaced by writing the outputs here (where a real problem then shows as it always did).
"""

from __future__ import annotations

import contextlib
import io
import logging
import multiprocessing
import pickle
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


class SideOutputs:
    """:func:`write_side` of a job, started at once in another process (``in_process``: here,
    when :meth:`result` is asked for). :meth:`stop` ends the other process (call it, e.g. in a
    ``finally``, before the staging folder is removed)."""

    def __init__(self, job: SideJob, in_process: bool) -> None:
        self._job = job
        self._proc: Any = None
        self._conn: Any = None
        if not in_process:
            self._start()

    @property
    def elsewhere(self) -> bool:
        """Whether the outputs are being written in another process."""
        return self._proc is not None

    def _start(self) -> None:
        try:
            payload = dumps(self._job)
            context = multiprocessing.get_context("spawn")
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(
                target=_child, args=(payload, send), name="side-outputs", daemon=True
            )
            proc.start()
        except Exception:  # written here instead (see the module's docstring)
            log.warning("side outputs: no process, written in this one", exc_info=True)
            return
        send.close()
        self._proc, self._conn = proc, receive

    def result(self, cancel: CancelFn | None = None) -> list[Path]:
        """The templates written, once the three outputs are in the staging folder. Raises the
        other process's :class:`AppError` (as an ``OutputError`` or ``AppError`` with its
        message) and :class:`BuildCancelled` when ``cancel()`` turns true while waiting."""
        if self._proc is None:
            return write_side(self._job)
        answer: tuple[Any, ...] | None = None
        try:
            while answer is None:
                if self._conn.poll(0.05):
                    try:
                        answer = self._conn.recv()
                    except (EOFError, OSError):
                        break
                elif cancel is not None and cancel():
                    raise BuildCancelled()
                elif not self._proc.is_alive() and not self._conn.poll(0):
                    break
        finally:
            self.stop()
        if answer is None or answer[0] == "crash":
            log.warning("side outputs: the other process gave %r, written here", answer)
            return write_side(self._job)
        if answer[0] == "ok":
            return [Path(p) for p in answer[1]]
        kind, message = answer[1], answer[2]
        raise OutputError(message) if kind == "OutputError" else AppError(message)

    def stop(self) -> None:
        """End the other process (if any) and wait for it."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return
        if proc.is_alive():
            proc.terminate()
        proc.join(10)
        conn.close()


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


def _child(payload: bytes, send: Any) -> None:
    """In the other process: write the outputs, answer ``("ok", templates)``, ``("error",
    class name, message)`` for our own refusals, ``("crash", what)`` for anything else."""
    try:
        job = pickle.loads(payload)
        answer: tuple[Any, ...] = ("ok", [str(p) for p in write_side(job)])
    except AppError as exc:
        answer = ("error", type(exc).__name__, exc.message)
    except BaseException as exc:  # the parent writes them itself
        answer = ("crash", repr(exc))
    try:
        send.send(answer)
    finally:
        send.close()


def process_works(timeout: float = 60.0) -> bool:
    """Whether a process of this program can be started the way :class:`SideOutputs` starts
    one and answers (the self-test's check: in a frozen build it needs ``main.py``'s
    ``multiprocessing.freeze_support()``)."""
    try:
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        proc = context.Process(target=_probe, args=(send,), name="side-probe", daemon=True)
        proc.start()
    except Exception:
        log.warning("side outputs: the probe process did not start", exc_info=True)
        return False
    send.close()
    try:
        return bool(receive.poll(timeout) and receive.recv() == "ok")
    except (EOFError, OSError):
        return False
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(10)
        receive.close()


def _probe(send: Any) -> None:
    send.send("ok")
    send.close()
