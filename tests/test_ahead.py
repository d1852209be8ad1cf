"""The feeder and the write-behind thread (app.system.ahead): order, failures in their place,
bounded lead, and nothing left running after a stop."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from app.system.ahead import Behind, ahead


def _alive(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name]


def test_results_come_in_order_and_a_failure_in_its_place() -> None:
    def work(n: int) -> bytes:
        if n == 3:
            raise ValueError("bad 3")
        return bytes([n]) * 10

    got: list[bytes] = []
    with pytest.raises(ValueError, match="bad 3"):
        for data in ahead(range(6), work, len, budget=15, name="t-order"):
            got.append(data)
    assert got == [bytes([0]) * 10, bytes([1]) * 10, bytes([2]) * 10]
    assert not _alive("t-order")


def test_the_feeder_stays_within_its_budget() -> None:
    done: list[int] = []

    def work(n: int) -> bytes:
        done.append(n)
        return b"x" * 100

    stream = ahead(range(50), work, len, budget=250, name="t-budget")
    assert next(stream) == b"x" * 100
    for _ in range(100):  # until the feeder has gone as far as it may
        before = len(done)
        threading.Event().wait(0.01)
        if len(done) == before:
            break
    assert 2 <= len(done) <= 5  # the one taken, up to ~250 bytes held, one in the making
    assert sum(1 for _ in stream) == 49
    assert done == list(range(50))


def test_stopping_early_closes_the_source_on_the_feeders_thread() -> None:
    closed: list[str] = []

    def source() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            closed.append(threading.current_thread().name)

    stream = ahead(source(), lambda n: b"y", len, budget=1, name="t-close")
    assert next(stream) == b"y"
    stream.close()
    assert closed == ["t-close"]
    assert not _alive("t-close")


def test_behind_sinks_every_piece_in_order() -> None:
    sunk: list[bytes] = []
    behind = Behind(sunk.append, budget=8, name="t-sink")
    pieces = [bytes([n]) * (n + 1) for n in range(40)]
    for p in pieces:
        behind.put(p)
    behind.close()
    assert sunk == pieces
    assert not _alive("t-sink")


def test_a_sink_failure_reaches_the_caller_and_the_rest_is_dropped() -> None:
    sunk: list[bytes] = []
    failed = threading.Event()

    def sink(data: bytes) -> None:
        if data == b"3":
            failed.set()
            raise OSError(28, "No space left on device")
        sunk.append(data)

    behind = Behind(sink, budget=1 << 20, name="t-fail")
    with pytest.raises(OSError, match="No space"):
        for n in range(1000):
            if failed.is_set():
                threading.Event().wait(0.01)  # let the thread record its failure
            behind.put(str(n).encode())
        behind.close()
    assert sunk == [b"0", b"1", b"2"]
    with pytest.raises(OSError):
        behind.close()  # said again, never swallowed
    assert not _alive("t-fail")


def test_abandon_drops_what_is_queued_and_stops() -> None:
    entered, release = threading.Event(), threading.Event()
    sunk: list[bytes] = []

    def sink(data: bytes) -> None:
        entered.set()
        release.wait(5)
        sunk.append(data)

    behind = Behind(sink, budget=1 << 20, name="t-abandon")
    for n in range(10):
        behind.put(bytes([n]))
    assert entered.wait(5)  # the first piece is being sunk, nine wait
    threading.Timer(0.2, release.set).start()  # lets it finish while abandon() waits
    behind.abandon()
    assert sunk == [bytes([0])]
    assert not _alive("t-abandon")
    with pytest.raises(RuntimeError):
        behind.put(b"late")
