"""The whole journey through the real main window, as a user would take it: create a project,
fill the company, choose items and enter figures and rows, attach evidence (one by a real drop),
see a refused file's message, undo and redo, check, build, and find everything as it was after
reopening the project file."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from app.project import ProjectStore
from tests.gui.conftest import save_shot
from tests.gui.test_evidence_page import drop_on_document
from tests.gui.test_items_page import confirm_preview, type_text
from widgets import errors
from widgets.main_window import MainWindow

# PySide marks the QPoint constructors of drag events deprecated; the drop is still a real one.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

A4 = (595.28, 841.89)
COMPANY = {
    "name": "珠海旅程测试科技有限公司",
    "address": "珠海市香洲区测试路1号",
    "legal_rep": "王测试",
    "contact": "李联系",
}
ASCII_FIELDS = {
    "credit_code": "91440400MA4UXXXX0R",
    "phone": "0756-1234567",
    "email": "test@example.com",
    "bank": "ICBC",
    "account": "6222000011112222",
}
CONTRACTS = "\n".join(
    [
        "合同名称\t发包方\t国家/地区\t业务类型\t在岸/离岸\t集团关联公司\t币种\t合同金额\t执行金额\t执行日期",
        "离岸软件开发合同\tAcme Ltd\t美国\t软件研发服务\t离岸\t否\tUSD\t800000\t700000\t2018-05-10",
        "离岸数据服务合同\tBeta GmbH\t德国\t大数据服务\t离岸\t否\tUSD\t600000\t600000\t2018-09-01",
    ]
)
POLICIES = "\n".join(
    [
        "保单号\t保险机构\t承保业务\t保险期间\t实缴保险费（元）\t缴费日期",
        "SINO-2018-001\t中国出口信用保险公司\t服务贸易出口\t2018年全年\t32000\t2018-03-15",
        "SINO-2018-002\t中国出口信用保险公司\t服务贸易出口\t2018年下半年\t26000\t2018-07-20",
    ]
)
DOCUMENTS = [
    "business_license",
    "credit_record",
    "oso_platform_screenshot",
    "oso_audit_report",
    "oso_contracts",
    "oso_fx_receipts",
    "eci_premium_notices",
    "eci_premium_invoices",
]


def shortcut(qtbot, window, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Press Ctrl+<key> in the window, as a user would: the key goes through Qt's shortcut map
    (sent to the window handle, because offscreen windows never become 'active')."""
    QTest.keyClick(window.windowHandle(), key, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()


def wait_pages(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.wait(30)
    QApplication.processEvents()


def test_whole_journey(qtbot, gui_app, tmp_path: Path, make_scan, monkeypatch):  # type: ignore[no-untyped-def]
    shots = tmp_path / "shots"
    project = tmp_path / "旅程.sbproj"
    out_dir = tmp_path / "输出"
    monkeypatch.setattr(errors, "choose_new_project", lambda *a, **k: str(project))
    window = MainWindow(today=dt.date(2019, 1, 20))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    save_shot(window, "01-开始", shots)

    # 1. Create the project with Ctrl+N.
    shortcut(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.session is not None)
    assert project.exists()
    assert window.stack.currentWidget() is window.company_page
    session = window.session

    # 2. Company data, typed.
    page = window.company_page
    for fid, text in COMPANY.items():
        type_text(qtbot, page.editors[fid], text)
        qtbot.keyClick(page.editors[fid], Qt.Key.Key_Tab)
    for fid, text in ASCII_FIELDS.items():
        qtbot.keyClicks(page.editors[fid], text)
        qtbot.keyClick(page.editors[fid], Qt.Key.Key_Tab)
    district = page.editors["district"]
    assert isinstance(district, QComboBox)
    district.setCurrentIndex(district.findText("香洲区"))
    assert not page.messages["credit_code"].isVisible()
    page.focus_where("company.declaration")
    qtbot.keyClick(page.declaration, Qt.Key.Key_Space)  # the applicant conditions, confirmed
    save_shot(window, "02-企业信息", shots)
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert session.data.company.name == COMPANY["name"]
    assert session.data.company.credit_code == ASCII_FIELDS["credit_code"]
    assert session.data.company.district == "香洲区"
    assert session.data.declaration_confirmed

    # 3. Items: offshore outsourcing with pasted contracts, export credit insurance with policies.
    items = window.items_page
    assert window.stack.currentWidget() is items
    assert items.select_item("outsourcing_offshore")
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(items.inputs["reported_on_platform"].editor, Qt.MouseButton.LeftButton)
    editor = items.table_editor("contracts")
    assert editor is not None
    QApplication.clipboard().setText(CONTRACTS)
    editor.paste()
    confirm_preview(qtbot, editor)
    qtbot.waitUntil(lambda: len(session.data.rows("contracts")) == 2)
    qtbot.waitUntil(lambda: "100,000.00" in items.ceiling_label.text())
    assert items.select_item("export_credit_insurance")
    qtbot.mouseClick(items.select_box, Qt.MouseButton.LeftButton)
    insured = items.inputs["service_trade_insurance"].editor  # （九）服务贸易类出口信用保险
    qtbot.mouseClick(insured, Qt.MouseButton.LeftButton, pos=QPoint(8, insured.height() // 2))
    qtbot.waitUntil(
        lambda: (
            session.data.item_inputs("export_credit_insurance").get("service_trade_insurance")
            is True
        )
    )
    policies = items.table_editor("policies")
    assert policies is not None
    QApplication.clipboard().setText(POLICIES)
    policies.paste()
    confirm_preview(qtbot, policies)
    qtbot.waitUntil(lambda: len(session.data.rows("policies")) == 2)
    ev = session.evaluation
    assert ev.items["outsourcing_offshore"].requested_cny == 100000
    assert ev.items["export_credit_insurance"].requested_cny == 50000  # 58,000 premium, capped
    qtbot.waitUntil(lambda: "50,000.00" in items.ceiling_label.text())
    assert "150,000.00" in items.total_label.text()
    save_shot(window, "03-申报项目", shots)

    # Undo / redo of a table edit through the window's shortcuts (the paste's preview
    # dialog was the active window: offscreen, closing it does not hand activation back).
    window.activateWindow()
    shortcut(qtbot, window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: len(session.data.rows("policies")) == 0)
    shortcut(qtbot, window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: len(session.data.rows("policies")) == 2)

    # 4. Evidence: one real drop, the rest through the file dialog; a refused file in place.
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    evidence = window.evidence_page
    assert window.stack.currentWidget() is evidence
    qtbot.waitUntil(lambda: evidence.tree_item(("business_license", None)) is not None)
    license_scan = make_scan("营业执照.jpg")
    assert drop_on_document(evidence, ("business_license", None), [license_scan])
    qtbot.waitUntil(lambda: evidence.import_task is None, timeout=20000)
    assert [f.name for f in session.data.files_for("business_license")] == ["营业执照.jpg"]

    word = tmp_path / "合同.docx"
    with zipfile.ZipFile(word, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    picked: list[list[str]] = [[str(word)]]
    monkeypatch.setattr(errors, "choose_files", lambda *a, **k: picked[-1])
    assert evidence.focus_where("document.oso_contracts")
    qtbot.mouseClick(evidence.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: evidence.import_task is None, timeout=20000)
    assert evidence.message.isVisible() and "合同.docx" in evidence.message.text()
    assert session.data.files_for("oso_contracts") == ()

    for n, doc in enumerate(DOCUMENTS[1:], start=1):
        scan = make_scan(f"{n:02d}-{doc}.jpg")
        picked.append([str(scan)])
        assert evidence.focus_where(f"document.{doc}")
        qtbot.mouseClick(evidence.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: evidence.import_task is None, timeout=20000)
        assert len(session.data.files_for(doc)) == 1, doc
    qtbot.waitUntil(lambda: evidence.page_thumbnail_ready(0), timeout=20000)
    save_shot(window, "04-材料", shots)

    # Undo the last attachment with Ctrl+Z, redo with Ctrl+Y.
    shortcut(qtbot, window, Qt.Key.Key_Z)
    qtbot.waitUntil(lambda: session.data.files_for("eci_premium_invoices") == ())
    shortcut(qtbot, window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: len(session.data.files_for("eci_premium_invoices")) == 1)

    # 5. Check: nothing blocks any more.
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    check = window.check_page
    assert window.stack.currentWidget() is check
    wait_pages(qtbot)
    assert "没有必须解决的问题" in check.summary.text()
    assert not [f for f in session.findings if f.blocking]
    assert check.originals.topLevelItemCount() > 0
    save_shot(window, "05-检查", shots)

    # 6. Output: build with progress, then the files are there.
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    output = window.output_page
    assert window.stack.currentWidget() is output
    output.out_edit.setText(str(out_dir))
    qtbot.mouseClick(output.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: output.task is None, timeout=60000)
    assert output.result is not None, output.progress_label.text()
    assert "已生成" in output.result_label.text()
    assert output.open_pdf.isEnabled() and output.print_button.isEnabled()
    # The packet shows inside the program at once: 目录 to jump by, pages to turn.
    qtbot.waitUntil(lambda: output.viewer is not None and output.viewer.isVisible())
    viewer = output.viewer
    assert viewer is not None and viewer.isVisible()
    toc = viewer.toc_titles()  # type: ignore[attr-defined]
    assert toc and toc[0][1] >= 0
    last = viewer.bookmarks.index(viewer.bookmarks.rowCount() - 1, 0)  # type: ignore[attr-defined]
    target = next(page for title, page in toc if title == last.data())
    assert target > 1
    viewer.toc.clicked.emit(last)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: viewer.current_page() == target)  # type: ignore[attr-defined]
    assert viewer.page_box.value() == target + 1  # type: ignore[attr-defined]
    viewer.go_to(0)  # type: ignore[attr-defined]
    assert not viewer.prev_button.isEnabled()  # type: ignore[attr-defined]
    qtbot.mouseClick(viewer.next_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert viewer.current_page() == 1  # type: ignore[attr-defined]
    save_shot(viewer, "查看申报材料", shots)
    viewer.close()
    save_shot(window, "06-输出", shots)

    xlsx = out_dir / f"{COMPANY['name']}.xlsx"
    assert xlsx.exists()
    pdf = output.result.pdf
    assert pdf.parent == out_dir and pdf.exists()
    reader = PdfReader(pdf)
    assert len(reader.pages) == output.result.pages
    for p in reader.pages:
        assert (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) == (
            round(A4[0], 1),
            round(A4[1], 1),
        )
    text = "".join(p.extract_text() or "" for p in reader.pages[:4])
    assert COMPANY["name"] in text

    # Every page was photographed at 1366×768 (PACKET_SHOTS=folder keeps them for the docs).
    from PySide6.QtGui import QImage

    folder = Path(os.environ["PACKET_SHOTS"]) if os.environ.get("PACKET_SHOTS") else shots
    taken = sorted(folder.glob("0*.png"))
    assert [p.stem[:2] for p in taken] == ["01", "02", "03", "04", "05", "06"]
    for p in taken:
        image = QImage(str(p))
        assert (image.width(), image.height()) == (1366, 768)

    # 7. Close and reopen: everything is as it was.
    before = session.data
    window.close()
    with ProjectStore.open(project) as store:
        after = store.load()
    assert after.company == before.company
    assert after.selected == ("outsourcing_offshore", "export_credit_insurance")
    assert [dict(r.values) for r in after.rows("contracts")] == [
        dict(r.values) for r in before.rows("contracts")
    ]
    assert len(after.rows("policies")) == 2
    assert sorted(f.name for f in after.evidence) == sorted(f.name for f in before.evidence)
    assert len(after.evidence) == len(DOCUMENTS)
