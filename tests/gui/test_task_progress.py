"""A background task's progress reaches the window paced: the first report at once, then the
latest one at most every ``PROGRESS_EVERY_MS``, and always the last report before the result
(or the failure), so a build reporting every page does not run the window's code ~270 times a
second, and what the window shows at the end is never an older report."""

from __future__ import annotations

import threading
import time

from widgets.tasks import PROGRESS_EVERY_MS, TaskContext, run_task


def _collect(task):  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, str]] = []
    order: list[str] = []

    def on_progress(done: int, total: int, label: str) -> None:
        seen.append((done, total, label))
        order.append("progress")

    task.progress.connect(on_progress)
    return seen, order


def test_many_reports_are_paced_and_the_last_one_is_shown_before_the_result(qtbot, gui_app):  # type: ignore[no-untyped-def]
    go = threading.Event()
    order: list[str] = []

    def work(ctx: TaskContext) -> str:
        go.wait(10)
        total = 3000
        started = time.monotonic()
        for done in range(total):
            ctx.progress(done, total, f"第 {done + 1} 页")
            if done % 100 == 0:
                time.sleep(0.002)  # a worker that spends a while between reports
        ctx.progress(total, total, "完成")
        return f"{time.monotonic() - started:.3f}"

    task = run_task(None, work, on_done=lambda _r: order.append("done"))
    seen, progress_order = _collect(task)
    task.progress.connect(lambda *_: order.append("progress"))
    started = time.monotonic()
    go.set()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    took_ms = (time.monotonic() - started) * 1000

    assert seen, "no progress reached the window"
    assert seen[-1] == (3000, 3000, "完成")  # the last report, shown before the result
    assert order[-1] == "done" and order[-2] == "progress"
    dones = [done for done, _total, _label in seen]
    assert dones == sorted(dones)  # never an older report after a newer one
    assert len(seen) < 3001 / 10  # paced: far fewer than the reports made,
    assert len(seen) <= took_ms / PROGRESS_EVERY_MS + 2  # one an interval, the first and last
    assert progress_order.count("progress") == len(seen)


def test_a_slow_worker_has_every_report_shown(qtbot, gui_app):  # type: ignore[no-untyped-def]
    """Reports the window takes one at a time (the worker waits until each is shown) are each
    shown: none is held back for good or lost, whether it came inside the pace or after it."""
    shown = threading.Semaphore(0)

    def work(ctx: TaskContext) -> None:
        for done in range(4):
            ctx.progress(done, 4, f"文件 {done}")
            assert shown.acquire(timeout=10)

    task = run_task(None, work)
    seen, _order = _collect(task)
    task.progress.connect(lambda *_: shown.release())
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    assert seen == [(done, 4, f"文件 {done}") for done in range(4)]


def test_the_last_report_is_shown_before_a_failure(qtbot, gui_app):  # type: ignore[no-untyped-def]
    order: list[str] = []

    def work(ctx: TaskContext) -> None:
        for done in range(500):
            ctx.progress(done, 500, "")
        raise ValueError("坏了")

    task = run_task(None, work, on_error=lambda exc: order.append(f"failed {exc}"))
    seen, _order = _collect(task)
    task.progress.connect(lambda *_: order.append("progress"))
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert seen[-1] == (499, 500, "")
    assert order[-2:] == ["progress", "failed 坏了"]
