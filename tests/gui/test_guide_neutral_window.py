"""The window speaks of the open project's guide: with a second guide (only CNY, no stamping
stage, its own company fields) the company page asks its fields, the output page offers only
the final print, the rates dialog and the about box quote nothing of the 2019 guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLabel

from tests.test_guide_neutral import SECOND_GUIDE


@pytest.fixture
def second_session(tmp_path: Path, gui_app, monkeypatch):  # type: ignore[no-untyped-def]
    import app.guide.loader as loader
    from widgets.session import ProjectSession

    shipped = tmp_path / "checklists"
    shipped.mkdir()
    (shipped / "second.toml").write_text(SECOND_GUIDE, encoding="utf-8")
    bundled = loader.CHECKLIST_DIR / "zhuhai-2019.toml"  # the window starts with it
    (shipped / bundled.name).write_bytes(bundled.read_bytes())
    monkeypatch.setattr(loader, "CHECKLIST_DIR", shipped)
    s = ProjectSession.create(tmp_path / "第二.sbproj", "test-trade-2023")
    yield s
    if not s.store.closed:
        s.close()


def test_company_page_asks_the_guides_own_fields(qtbot, second_session):  # type: ignore[no-untyped-def]
    from widgets.pages.company import CompanyPage

    page = CompanyPage()
    qtbot.addWidget(page)
    page.set_session(second_session)
    page.refresh()
    page.show()
    assert page.own_box.isVisible()
    size = page.editors["company_size"]
    assert isinstance(size, QComboBox)
    assert [size.itemText(i) for i in range(size.count())] == ["（请选择）", "小微企业", "大型企业"]
    size.setCurrentIndex(2)
    assert second_session.data.company.get("company_size") == "large"
    path = second_session.path
    second_session.close()
    from app.project import ProjectStore

    with ProjectStore.open(path, read_only=True) as store:  # kept in the project file
        assert store.load().company.extra == {"company_size": "large"}


def test_output_page_rates_and_about_speak_of_the_open_guide(qtbot, second_session):  # type: ignore[no-untyped-def]
    from widgets.main_window import MainWindow
    from widgets.pages.output import OutputPage
    from widgets.rates import RatesDialog

    page = OutputPage()
    qtbot.addWidget(page)
    page.set_session(second_session)
    page.refresh()
    assert page.build_stage() == "final"  # no stamping stage: no 初审 print
    assert page.review_radio.isHidden() and page.final_radio.isChecked()
    assert page.final_radio.text() == "正式装订材料：一式一份，装订成册"
    assert page.print_button.text() == "打印…"
    assert page.repeat.isHidden()  # the guide has no shared proof sets
    texts = [page.final_radio.text(), page.repeat.text(), page.state.text()]
    dialog = RatesDialog(second_session)
    qtbot.addWidget(dialog)
    texts.append(dialog.findChild(QLabel, "rates_note").text())
    window = MainWindow()
    qtbot.addWidget(window)
    window.session = second_session
    texts.append(window.about_text())
    assert second_session.guide.title in texts[-1]
    for word in (
        "6.8632",
        "国家外汇管理局",
        "服务外包",
        "服务贸易",
        "行业协会",
        "区商务部门",
        "两份",
    ):
        assert not [t for t in texts if word in t], word


def test_no_rates_button_for_a_guide_in_yuan_only(qtbot, second_session, session):  # type: ignore[no-untyped-def]
    from widgets.pages.items import ItemsPage

    shown = []
    for s in (second_session, session):  # the second guide, then the bundled one
        page = ItemsPage()
        qtbot.addWidget(page)
        page.set_session(s)
        page.refresh()
        shown.append(not page.rates_button.isHidden())
    assert shown == [False, True]
