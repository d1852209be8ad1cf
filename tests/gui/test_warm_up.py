"""The warm-up (the heavy modules imported in the background once the window is up) runs with
no garbage collection and leaves what it loaded out of every later one: a full collection
walking Qt's, reportlab's and pypdf's objects held the GIL, and the window, 60-100 ms."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from widgets.app import warm_up


class Loaded:
    pass


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_the_warm_up_settles_what_is_loaded(qapp: object, thawed: None) -> None:
    gc.enable()
    before = Loaded()
    assert any(o is before for o in gc.get_objects())
    warm_up().join(120)
    assert gc.isenabled()
    assert not any(o is before for o in gc.get_objects())
    assert gc.get_freeze_count() > 0
