"""Imported files made ready to be written to a project file: the SHA-256 of each original
checked, its normalised PDF put in stored form (``app.project.pdfdelta``) and hashed, on a feeder
thread running up to a transaction's worth of bytes ahead of the writer
(``ProjectStore.add_evidence_streams``), so that the import never waits for a commit."""

from __future__ import annotations

import collections
import hashlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.model import PageInfo
from app.project import evidence
from app.project.snapshots import ImportedLike


@dataclass(frozen=True)
class Prepared:
    """An imported file ready to be written: checked, hashed, its PDF in stored form."""

    name: str
    sha256: str
    original: bytes
    stored_pdf: bytes
    pdf_sha256: str
    pages: tuple[PageInfo, ...]


def prepare(item: ImportedLike) -> Prepared:
    original = bytes(item.original)
    if hashlib.sha256(original).hexdigest() != item.sha256.lower():
        raise ValueError(f"SHA-256 of {item.name!r} does not match its bytes")
    pdf = bytes(item.pdf)
    return Prepared(
        item.name,
        item.sha256.lower(),
        original,
        evidence.stored_pdf(pdf, original),
        hashlib.sha256(pdf).hexdigest(),
        tuple(item.pages),
    )


def prepared(items: Iterable[ImportedLike], budget: int = 32 * 1024 * 1024) -> Iterator[Prepared]:
    """``items`` prepared (hashing, the delta encoding) on a feeder thread that runs ahead of
    the caller by up to ``budget`` bytes: while the caller writes and commits (SQLite releases
    Python's lock as it writes and syncs), the feeder keeps pulling ``items``, so the import's
    workers never wait for a commit. A failure of ``items`` (a refusal, a cancel) reaches the
    caller in its place; a caller that stops early stops the feeder, which closes ``items`` on
    its own thread."""
    iterator = iter(items)
    ready: collections.deque[Prepared | _Failure] = collections.deque()
    state = {"held": 0, "stop": False, "done": False}
    changed = threading.Condition()

    def feed() -> None:
        try:
            for item in iterator:
                entry = prepare(item)
                size = len(entry.original) + len(entry.stored_pdf)
                with changed:
                    while state["held"] > budget and not state["stop"]:
                        changed.wait()
                    if state["stop"]:
                        return
                    ready.append(entry)
                    state["held"] += size
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

    feeder = threading.Thread(target=feed, name="store-prepare", daemon=True)
    feeder.start()
    try:
        while True:
            with changed:
                while not ready and not state["done"]:
                    changed.wait()
                if not ready:
                    return
                entry = ready.popleft()
                if isinstance(entry, Prepared):
                    state["held"] -= len(entry.original) + len(entry.stored_pdf)
                    changed.notify_all()
            if isinstance(entry, _Failure):
                raise entry.error
            yield entry
    finally:
        with changed:
            state["stop"] = True
            changed.notify_all()
        feeder.join()


@dataclass(frozen=True)
class _Failure:
    error: BaseException
