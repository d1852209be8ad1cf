"""An import's files are read back in its own thread: when the window hears of them, the
project is already read (at 1,000 files reading it on the window's thread after the import
landed held the window ~40-90 ms)."""

from __future__ import annotations

from widgets.pages.evidence import EvidencePage
from widgets.session import ProjectSession

IMPORT_TIMEOUT = 30000


def test_the_window_hears_of_imported_files_with_the_project_read(  # type: ignore[no-untyped-def]
    qtbot, session: ProjectSession, make_scan
):
    heard: list[tuple[str, bool]] = []
    # connected before the page: it hears first, before the page reads anything
    session.changed.connect(lambda topic: heard.append((topic, session.has_snapshot)))
    page = EvidencePage()
    qtbot.addWidget(page)
    page.set_session(session)
    page.show()
    key = ("business_license", None)
    page.start_import(key, [make_scan("营业执照-正本.jpg"), make_scan("营业执照-副本.png")])
    qtbot.waitUntil(lambda: page.import_task is None, timeout=IMPORT_TIMEOUT)

    assert ("evidence", True) in heard
    assert [f.name for f in session.data.files_for(*key)] == [
        "营业执照-正本.jpg",
        "营业执照-副本.png",
    ]
    assert page.file_list.count() == 2


def test_a_change_made_on_the_window_thread_is_read_when_asked(  # type: ignore[no-untyped-def]
    qtbot, session: ProjectSession
):
    heard: list[tuple[str, bool]] = []
    session.changed.connect(lambda topic: heard.append((topic, session.has_snapshot)))
    session.data  # noqa: B018
    assert session.has_snapshot
    session.store.set_company_field("name", "珠海测试有限公司")
    qtbot.waitUntil(lambda: bool(heard))
    assert heard[0] == ("company", False)
    assert session.data.company.name == "珠海测试有限公司"
    assert session.has_snapshot
