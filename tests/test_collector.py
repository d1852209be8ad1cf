"""What the warm-up loads is left out of Python's later garbage collections (a full collection
holds the GIL, and the window's thread with it, for as long as it walks the heap)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest

from app.system.collector import RARE_FULL, quiet_then_settle, rarely, settle


class Node:
    """A tracked object the collector would walk."""

    def __init__(self) -> None:
        self.peer: Node | None = None


def walked(obj: object) -> bool:
    """Whether a collection would still walk ``obj`` (frozen objects are in no generation)."""
    return any(o is obj for o in gc.get_objects())


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    """The test process's other tests get the collector as they had it."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_settle_leaves_what_is_alive_out_of_later_collections() -> None:
    kept = Node()
    assert walked(kept)
    settle()
    assert not walked(kept)
    later = Node()
    assert walked(later)


def test_no_collection_inside_the_block_then_what_it_loaded_is_settled() -> None:
    gc.enable()
    with quiet_then_settle():
        assert not gc.isenabled()
        loaded = Node()
        assert walked(loaded)
    assert gc.isenabled()
    assert not walked(loaded)


def test_a_settled_cycle_is_kept_and_a_later_one_is_still_collected() -> None:
    gc.enable()
    with quiet_then_settle():
        old = Node()
        old.peer = Node()
        old.peer.peer = old
    new = Node()
    new.peer = Node()
    new.peer.peer = new
    old_ref, new_ref = weakref.ref(old), weakref.ref(new)
    del new, old
    gc.collect()
    assert new_ref() is None
    assert old_ref() is not None


def test_nested_and_concurrent_blocks_resume_collection_once_the_last_ends() -> None:
    gc.enable()
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with quiet_then_settle():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with quiet_then_settle():
        thread.start()
        assert inside.wait(10)
        with quiet_then_settle():
            pass
        assert not gc.isenabled()  # the inner block ended, the outer one and the thread not
    assert not gc.isenabled()  # the thread's block still runs
    leave.set()
    thread.join(10)
    assert gc.isenabled()


def test_collection_stays_off_when_it_was_off_before() -> None:
    gc.disable()
    with quiet_then_settle():
        Node()
    assert not gc.isenabled()


def test_rarely_makes_full_collections_rare_and_restores_python_s_setting() -> None:
    before = gc.get_threshold()
    with rarely():
        inside = gc.get_threshold()
        with rarely():
            assert gc.get_threshold() == inside
        assert gc.get_threshold() == inside  # the outer block still runs
    assert inside == (before[0], before[1], max(before[2], RARE_FULL))
    assert gc.get_threshold() == before


def test_rarely_restores_the_setting_when_its_block_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(ValueError), rarely():
        raise ValueError("中途失败")
    assert gc.get_threshold() == before


def test_rarely_in_two_threads_restores_once_both_end() -> None:
    before = gc.get_threshold()
    inside = threading.Event()
    leave = threading.Event()

    def other() -> None:
        with rarely():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inside.wait(10)
    with rarely():
        pass
    assert gc.get_threshold()[2] == max(before[2], RARE_FULL)  # the thread's block still runs
    leave.set()
    thread.join(10)
    assert gc.get_threshold() == before


def test_a_young_cycle_is_still_collected_while_full_collections_are_rare() -> None:
    gc.enable()
    with rarely():
        young = Node()
        young.peer = Node()
        young.peer.peer = young
        ref = weakref.ref(young)
        del young
        gc.collect(0)
        assert ref() is None
