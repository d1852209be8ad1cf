"""Files prepared for the project file on a feeder thread ahead of the writer: in order, a
failure in its place, bounded in bytes, and the source closed when the writer stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.intake import ImportedFile, import_bytes
from app.project.staging import prepared
from tests.intake_support import encode, upright_image


def _files(count: int) -> list[ImportedFile]:
    return [
        import_bytes(f"f{n}.jpg", encode(upright_image((200 + n, 300)), "JPEG"))
        for n in range(count)
    ]


def test_every_item_comes_in_order_with_its_hash() -> None:
    files = _files(6)
    out = list(prepared(iter(files)))
    assert [p.name for p in out] == [f.name for f in files]
    assert [p.sha256 for p in out] == [f.sha256 for f in files]


def test_a_failure_comes_after_the_items_before_it() -> None:
    files = _files(3)

    def source() -> Iterator[ImportedFile]:
        yield from files[:2]
        raise RuntimeError("refused")

    got = []
    with pytest.raises(RuntimeError, match="refused"):
        for item in prepared(source()):
            got.append(item.name)
    assert got == ["f0.jpg", "f1.jpg"]


def test_a_wrong_hash_is_refused() -> None:
    (good,) = _files(1)

    bad = replace(good, sha256="0" * 64)
    with pytest.raises(ValueError, match="does not match"):
        list(prepared(iter([good, bad])))


def test_the_feeder_runs_ahead_only_as_far_as_its_budget() -> None:
    files = _files(12)
    pulled: list[int] = []
    one = len(files[0].original) + len(files[0].pdf)

    def source() -> Iterator[ImportedFile]:
        for n, item in enumerate(files):
            pulled.append(n)
            yield item

    stream = prepared(source(), budget=2 * one)
    first = next(stream)
    assert first.name == "f0.jpg"
    # wait until the feeder has gone as far as it may
    for _ in range(200):
        before = len(pulled)
        threading.Event().wait(0.02)
        if len(pulled) == before and len(pulled) > 1:
            break
    assert 2 <= len(pulled) <= 6  # a few files ahead, not all twelve
    assert [p.name for p in stream] == [f.name for f in files[1:]]


def test_stopping_early_closes_the_source_on_the_feeders_thread() -> None:
    files = _files(8)
    closed: list[str] = []

    def source() -> Iterator[ImportedFile]:
        try:
            yield from files
        finally:
            closed.append(threading.current_thread().name)

    stream = prepared(source(), budget=1)
    assert next(stream).name == "f0.jpg"
    stream.close()
    assert closed == ["store-prepare"]
    assert not [t for t in threading.enumerate() if t.name == "store-prepare"]
