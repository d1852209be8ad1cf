"""Work done on a feeder thread a bounded number of bytes ahead of the one consuming it.

Reading a project file's blobs, hashing them and SQLite's own reads and writes let go of
Python's lock while they run: done on a thread of their own they overlap the consumer's Python
work (the import's commits, the packet's object copying) on a second core.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


@dataclass(frozen=True)
class _Failure:
    error: BaseException


def ahead(
    items: Iterable[In],
    work: Callable[[In], Out],
    size: Callable[[Out], int],
    budget: int,
    name: str = "ahead",
) -> Generator[Out, None, None]:
    """``work(item)`` for each of ``items``, in order, computed on a feeder thread that runs
    ahead of the caller by up to ``budget`` bytes (as ``size`` counts them; one result is always
    allowed, however big).

    A failure (of ``work`` or of ``items``) reaches the caller in its place, after every result
    before it, and ends the feeding. A caller that stops early (``close()``, an exception, or
    simply leaving the loop of a generator it then drops) stops the feeder, which finishes the
    call it is in and closes ``items``' iterator on its own thread; the caller's ``close()``
    returns once it has."""
    iterator = iter(items)
    ready: collections.deque[tuple[Out, int] | _Failure] = collections.deque()
    state = {"held": 0, "stop": False, "done": False}
    changed = threading.Condition()

    def feed() -> None:
        try:
            for item in iterator:
                with changed:
                    while state["held"] > budget and not state["stop"]:
                        changed.wait()
                    if state["stop"]:
                        return
                result = work(item)
                weight = size(result)
                with changed:
                    if state["stop"]:
                        return
                    ready.append((result, weight))
                    state["held"] += weight
                    changed.notify_all()
        except BaseException as exc:  # handed to the caller, raised there
            with changed:
                ready.append(_Failure(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # a generator is closed on the thread that ran it
            with changed:
                state["done"] = True
                changed.notify_all()

    feeder = threading.Thread(target=feed, name=name, daemon=True)
    feeder.start()
    try:
        while True:
            with changed:
                while not ready and not state["done"]:
                    changed.wait()
                if not ready:
                    return
                entry = ready.popleft()
                if not isinstance(entry, _Failure):
                    state["held"] -= entry[1]
                    changed.notify_all()
            if isinstance(entry, _Failure):
                raise entry.error
            yield entry[0]
    finally:
        with changed:
            state["stop"] = True
            ready.clear()
            changed.notify_all()
        feeder.join()


class Behind:
    """``sink(data)`` for every ``put(data)``, in order, on a thread of its own that lags the
    caller by up to ``budget`` bytes (one item is always allowed, however big).

    The first exception of ``sink`` ends the sinking: the caller gets it from its next
    ``put`` or from ``close``; what was still queued is dropped. ``close()`` waits until every
    item is sunk (raising the sink's exception, if any); ``abandon()`` drops what is queued and
    waits for the item in progress. Either may be called more than once."""

    def __init__(
        self, sink: Callable[[bytes | memoryview], None], budget: int, name: str = "behind"
    ) -> None:
        self._sink = sink
        self._budget = budget
        self._queue: collections.deque[bytes | memoryview] = collections.deque()
        self._held = 0
        self._closed = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, data: bytes | memoryview) -> None:
        with self._changed:
            while self._held > self._budget and self._error is None:
                self._changed.wait()
            if self._error is not None:
                raise self._error
            if self._closed:
                raise RuntimeError("put after close")
            self._queue.append(data)
            self._held += len(data)
            self._changed.notify_all()

    def close(self) -> None:
        self._stop(drop=False)
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        self._stop(drop=True)

    def _stop(self, drop: bool) -> None:
        with self._changed:
            self._closed = True
            if drop:
                self._queue.clear()
                self._held = 0
            self._changed.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._queue and not self._closed:
                    self._changed.wait()
                if not self._queue:
                    return
                data = self._queue.popleft()
            try:
                self._sink(data)
            except BaseException as exc:  # handed to the caller, raised there
                with self._changed:
                    self._error = exc
                    self._queue.clear()
                    self._held = 0
                    self._changed.notify_all()
                return
            with self._changed:
                self._held -= len(data)
                self._changed.notify_all()
