"""A document of hundreds of files: its list shows a few screenfuls in the click's turn and the
rest a few hundred lines a turn; nothing is lost, looked-for files are found, and another
document shown meanwhile stops the filling."""

from __future__ import annotations

import dataclasses
import io

from PIL import Image

from app.intake import import_bytes
from widgets.evidence.files_view import FIRST_ROWS
from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

COUNT = FIRST_ROWS + 250


def _attach_many(session: ProjectSession) -> None:
    out = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(out, "JPEG", dpi=(30, 30))
    one = import_bytes("扫描.jpg", out.getvalue())
    many = [dataclasses.replace(one, name=f"扫描件{n:03d}.jpg") for n in range(1, COUNT + 1)]
    session.attach("business_license", None, many)
    session.attach("credit_record", None, [dataclasses.replace(one, name="信用.jpg")])


def _page(qtbot, session: ProjectSession) -> EvidencePage:  # type: ignore[no-untyped-def]
    _attach_many(session)
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.tree_item(("business_license", None)) is not None)
    return page


def test_a_long_list_fills_over_a_few_turns_and_ends_whole(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, session)
    page.tree.setCurrentItem(page.tree_item(("business_license", None)))
    view = page.file_list
    assert view.count() == FIRST_ROWS  # the click's own turn: a few screenfuls
    assert view.currentRow() == 0
    qtbot.waitUntil(lambda: view.count() == COUNT)
    last = view.item(COUNT - 1)
    assert last.text().startswith(f"{COUNT}. 扫描件{COUNT:03d}.jpg")
    # every line has its size, as Qt itself measures it (within a pixel)
    for row in (1, FIRST_ROWS - 1, FIRST_ROWS, COUNT - 1):
        entry = view.item(row)
        given = entry.sizeHint()
        entry.setSizeHint(type(given)())  # ask Qt
        measured = view.sizeHintForIndex(view.indexFromItem(entry))
        assert given.height() == measured.height()
        assert abs(given.width() - measured.width()) <= 1


def test_a_file_further_down_is_found_at_once(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, session)
    deep = session.data.files_for("business_license")[COUNT - 5]
    page.tree.setCurrentItem(page.tree_item(("business_license", None)))
    page.files.select_file(deep.id)  # in the same turn: its line is not made yet
    assert page.current_file_id() == deep.id
    assert page.file_list.currentRow() == COUNT - 5


def test_another_document_shown_meanwhile_stops_the_filling(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, session)
    page.tree.setCurrentItem(page.tree_item(("business_license", None)))
    assert page.file_list.count() == FIRST_ROWS
    page.tree.setCurrentItem(page.tree_item(("credit_record", None)))
    assert page.file_list.count() == 1
    qtbot.wait(100)  # the turns the long list would have used
    assert page.file_list.count() == 1
    assert page.file_list.item(0).text().startswith("1. 信用.jpg")
