"""The 材料 page: checklist tree, attaching by drop and dialog, refusals in place, thumbnails,
reorder / rotate / remove with undo, preview, Word templates, and data surviving a reopen."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.rules.findings import required_documents
from tests.gui.conftest import save_shot
from widgets import errors
from widgets.pages import evidence as evidence_module
from widgets.pages.evidence import PROOF_NOTE, EvidencePage
from widgets.session import ProjectSession

IMPORT_TIMEOUT = 30000
# PySide marks the QPoint constructors of drag events deprecated; they are what Qt documents.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def page(qtbot, session: ProjectSession) -> EvidencePage:  # type: ignore[no-untyped-def]
    p = EvidencePage()
    qtbot.addWidget(p)
    p.set_session(session)
    p.resize(1366, 768)
    p.show()
    return p


def select(qtbot, session: ProjectSession, page: EvidencePage, *items: str) -> None:  # type: ignore[no-untyped-def]
    for item in items:
        session.set_item_selected(item, True)
    qtbot.waitUntil(lambda: all(page.tree_item_for_item(i) is not None for i in items))


def wait_import(qtbot, page: EvidencePage) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: page.import_task is None, timeout=IMPORT_TIMEOUT)


def node(item):  # type: ignore[no-untyped-def]
    return item.data(0, evidence_module.ROLE_NODE)


def children(item) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [item.child(i) for i in range(item.childCount())]


def drop_paths(widget, pos: QPoint, paths: list[Path]) -> bool:  # type: ignore[no-untyped-def]
    """A real drag-enter / drag-move / drop sequence carrying file URLs; True if accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action = Qt.DropAction.CopyAction
    buttons = Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(QPointF(pos), action, mime, buttons, mods)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def drop_on_document(page: EvidencePage, key: tuple[str, str | None], paths: list[Path]) -> bool:
    item = page.tree_item(key)
    assert item is not None
    page.tree.scrollToItem(item)
    rect = page.tree.visualItemRect(item)
    return drop_paths(page.tree.viewport(), rect.center(), paths)


def two_page_pdf(path: Path) -> Path:
    pages = [Image.new("RGB", (1240, 1754), c) for c in ("white", "lightyellow")]
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return path


# -- the tree -------------------------------------------------------------------------------------


def test_tree_lists_base_items_rows_proof_sets_and_shared_documents(qtbot, session, page):  # type: ignore[no-untyped-def]
    select(
        qtbot,
        session,
        page,
        "outsourcing_onshore",
        "outsourcing_offshore",
        "international_certification",
    )
    rid = session.add_row("certifications", {"name": "ISO 27001"})
    session.add_row("certifications", {"name": "CMMI 5"})
    qtbot.waitUntil(lambda: page.tree_item(("ic_certificate", rid)) is not None)

    tops = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    assert [t.text(0) for t in tops] == [
        "基本材料",
        "（二）1.服务外包在岸业务",
        "（二）2.服务外包离岸业务",
        "（六）国际认证",
    ]
    base = children(tops[0])
    assert [node(c).doc.id for c in base] == [
        "application_form",
        "district_stamped_form",  # attached once the review passed, replaces the form
        "business_license",
        "credit_record",
    ]
    assert base[0].text(1) == "由程序生成"
    assert base[1].text(1) == "初审通过后附上"
    assert base[2].text(1) == "缺少"

    onshore = {node(c).doc.id: c for c in children(tops[1])}
    assert onshore["oso_execution_summary"].text(1) == "由程序生成"
    assert node(onshore["oso_platform_screenshot"]).kind == "doc"
    offshore = {node(c).doc.id: c for c in children(tops[2])}
    shared = node(offshore["oso_platform_screenshot"])
    assert shared.kind == "pointer" and shared.shared_with == "（二）1.服务外包在岸业务"
    assert shared.note == "与（二）1.共用"
    assert node(offshore["oso_fx_receipts"]).kind == "doc"

    ic = children(tops[3])
    proof = ic[0]
    assert proof.text(1) == PROOF_NOTE
    assert {node(c).kind for c in children(proof)} <= {"pointer", "generated"}
    rows = [c for c in ic if node(c).kind == "row"]
    assert [r.text(0) for r in rows] == ["第1行：ISO 27001", "第2行：CMMI 5"]
    assert [node(c).doc.id for c in children(rows[0])] == [
        "ic_certificate",
        "ic_consulting_contract",
        "ic_fee_vouchers",
    ]
    assert page.tree_item(("ic_certificate", rid)).parent() is rows[0]

    needed = required_documents(session.guide, session.data)
    assert page.summary.text() == f"已附 0 / {len(needed)} 项材料"
    assert page.required_count == len(needed)


def test_proof_set_members_listed_for_attaching_without_an_outsourcing_item(qtbot, session, page):  # type: ignore[no-untyped-def]
    select(qtbot, session, page, "talent_introduction", "public_service_center")
    ti = page.tree_item_for_item("talent_introduction")
    proof = children(ti)[0]
    members = {node(c).doc.id: node(c) for c in children(proof)}
    assert members["oso_audit_report"].kind == "doc" and members["oso_audit_report"].attachable
    assert members["oso_execution_summary"].kind == "generated"
    # No rows yet: a hint where the per-person documents will be.
    assert any(node(c).kind == "empty" for c in children(ti))
    psc = page.tree_item_for_item("public_service_center")
    optional = [c for c in children(psc) if node(c).doc is not None and node(c).doc.optional]
    assert optional and optional[0].text(0).endswith("（可选）") and optional[0].text(1) == "可选"


# -- attaching ------------------------------------------------------------------------------------


def test_drop_files_on_a_document_node_attaches_them_with_thumbnails_and_undo(  # type: ignore[no-untyped-def]
    qtbot, session, page, make_scan
):
    a = make_scan("营业执照-正本.jpg")
    b = make_scan("营业执照-副本.png")
    key = ("business_license", None)
    assert drop_on_document(page, key, [a, b])
    wait_import(qtbot, page)

    files = session.data.files_for(*key)
    assert [f.name for f in files] == ["营业执照-正本.jpg", "营业执照-副本.png"]
    item = page.tree_item(key)
    assert node(item).state == "attached" and item.text(1) == "2 个文件，2 页"
    assert page.summary.text().startswith("已附 1 / ")
    assert page.current is not None and page.current.key == key
    assert page.file_list.count() == 2
    assert page.message.isVisible() and "已添加 2 个文件" in page.message.text()
    qtbot.waitUntil(lambda: page.page_thumbnail_ready(0), timeout=IMPORT_TIMEOUT)
    icon = page.page_strip.item(0).icon().pixmap(evidence_module.PAGE_ICON)
    assert not icon.isNull()

    session.undo_stack.undo()
    qtbot.waitUntil(lambda: page.file_list.count() == 0)
    assert session.data.files_for(*key) == ()
    assert node(page.tree_item(key)).state == "missing"
    session.undo_stack.redo()
    qtbot.waitUntil(lambda: page.file_list.count() == 2)
    assert len(session.data.files_for(*key)) == 2


def test_drop_a_folder_imports_its_files_in_natural_order(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    folder = make_scan("x.jpg").parent / "合同"
    folder.mkdir()
    for name in ("第10页.jpg", "第2页.jpg", "第1页.jpg"):
        make_scan(name).rename(folder / name)
    select(qtbot, session, page, "service_trade_statistics")
    assert drop_on_document(page, ("sts_contracts", None), [folder])
    wait_import(qtbot, page)
    names = [f.name for f in session.data.files_for("sts_contracts")]
    assert names == ["第1页.jpg", "第2页.jpg", "第10页.jpg"]
    assert session.undo_stack.count() == 2  # the selection, then ONE step for the folder


def test_drop_on_a_generated_document_is_refused(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    item = page.tree.topLevelItem(0).child(0)  # 申请表: generated
    rect = page.tree.visualItemRect(item)
    assert not drop_paths(page.tree.viewport(), rect.center(), [make_scan("a.jpg")])
    assert page.import_task is None and session.data.evidence == ()


def test_add_files_button_uses_the_file_dialog(qtbot, session, page, make_scan, monkeypatch):  # type: ignore[no-untyped-def]
    scans = [make_scan("记录1.jpg"), make_scan("记录2.jpg")]
    asked: list[str] = []

    def choose(parent, title="") -> list[str]:  # type: ignore[no-untyped-def]
        asked.append(title)
        return [str(p) for p in scans]

    monkeypatch.setattr(errors, "choose_files", choose)
    assert page.focus_where("document.credit_record")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    wait_import(qtbot, page)
    assert asked and "信用中国" in asked[0]
    assert [f.name for f in session.data.files_for("credit_record")] == ["记录1.jpg", "记录2.jpg"]
    assert page.tree_item(("credit_record", None)).text(1) == "2 个文件，2 页"


def test_drop_on_the_file_list_adds_to_the_selected_document(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    page.focus_where("document.business_license")
    assert drop_paths(page.file_list.viewport(), QPoint(40, 40), [make_scan("a.jpg")])
    wait_import(qtbot, page)
    assert drop_paths(page.file_list.viewport(), QPoint(5, 5), [make_scan("b.jpg")])
    wait_import(qtbot, page)
    # Dropped above the first file: it goes first.
    assert [f.name for f in session.data.files_for("business_license")] == ["b.jpg", "a.jpg"]


@pytest.mark.parametrize("bad", ["空白.pdf", "说明.docx"])
def test_a_refused_file_is_explained_in_place_and_nothing_is_added(  # type: ignore[no-untyped-def]
    qtbot, session, page, make_scan, bad, monkeypatch
):
    good = make_scan("好的.jpg")
    path = good.parent / bad
    if bad.endswith(".pdf"):
        path.write_bytes(b"")
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
        path.write_bytes(buf.getvalue())
    dialogs: list[str] = []
    monkeypatch.setattr(errors, "inform", lambda *a, **k: dialogs.append(str(a)))
    assert drop_on_document(page, ("business_license", None), [good, path])
    wait_import(qtbot, page)
    assert session.data.evidence == ()
    assert page.message.isVisible() and page.message.property("kind") == "error"
    assert bad in page.message.text() and "没有添加任何文件" in page.message.text()
    assert dialogs == []  # in place, not a modal
    assert session.undo_stack.count() == 0


def test_an_encrypted_pdf_asks_for_its_password(qtbot, session, page, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    plain = two_page_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=str(plain))
    writer.encrypt("口令123", algorithm="AES-128")
    locked = tmp_path / "加密.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    asked: list[str] = []

    def ask(parent, name):  # type: ignore[no-untyped-def]
        asked.append(name)
        return "口令123" if len(asked) == 1 else None

    monkeypatch.setattr(errors, "ask_password", ask)
    assert drop_on_document(page, ("business_license", None), [locked])
    wait_import(qtbot, page)
    assert asked == ["加密.pdf"]
    assert [f.page_count for f in session.data.evidence] == [2]
    # Declining the password: refused in place, nothing added.
    assert drop_on_document(page, ("credit_record", None), [locked])
    wait_import(qtbot, page)
    assert session.data.files_for("credit_record") == ()
    assert "加密.pdf" in page.message.text()


def test_cancel_during_import_adds_nothing(qtbot, session, page, tmp_path, make_scan, monkeypatch):  # type: ignore[no-untyped-def]
    writer = PdfWriter(clone_from=str(two_page_pdf(tmp_path / "p.pdf")))
    writer.encrypt("x", algorithm="AES-128")
    locked = tmp_path / "a-加密.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)

    def ask(parent, name):  # type: ignore[no-untyped-def]
        assert page.progress_frame.isVisible()  # the bar is up while the import runs
        page.cancel_button.click()  # the user cancels while the first file is read
        return "x"

    monkeypatch.setattr(errors, "ask_password", ask)
    assert drop_on_document(page, ("business_license", None), [locked, make_scan("b.jpg")])
    wait_import(qtbot, page)
    assert session.data.evidence == ()
    assert "已取消导入" in page.message.text()
    assert not page.progress_frame.isVisible()


# -- editing files --------------------------------------------------------------------------------


def attach_three(qtbot, session, page, make_scan) -> list[str]:  # type: ignore[no-untyped-def]
    paths = [make_scan(f"{n}.jpg", size=(1240, 1754)) for n in ("一", "二", "三")]
    assert drop_on_document(page, ("business_license", None), paths)
    wait_import(qtbot, page)
    return [f.id for f in session.data.files_for("business_license")]


def names(session) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.name for f in session.data.files_for("business_license")]


def test_reorder_with_alt_arrows_and_undo(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    attach_three(qtbot, session, page, make_scan)
    page.file_list.setFocus()
    page.file_list.setCurrentRow(0)
    qtbot.keyClick(page.file_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(session) == ["二.jpg", "一.jpg", "三.jpg"]
    assert page.file_list.currentRow() == 1  # the moved file stays selected
    qtbot.keyClick(page.file_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert names(session) == ["二.jpg", "三.jpg", "一.jpg"]
    assert page.file_list.item(2).text().startswith("3. 一.jpg")
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert names(session) == ["一.jpg", "二.jpg", "三.jpg"]
    session.undo_stack.redo()
    assert names(session) == ["二.jpg", "一.jpg", "三.jpg"]


def test_drop_row_for_internal_drags(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    attach_three(qtbot, session, page, make_scan)
    first = page.file_list.visualItemRect(page.file_list.item(0))
    last = page.file_list.visualItemRect(page.file_list.item(2))
    assert page.file_list.drop_row(first.topLeft() + QPoint(5, 2)) == 0
    assert page.file_list.drop_row(last.bottomLeft() + QPoint(5, -2)) == 3
    assert page.file_list.drop_row(QPoint(5, page.file_list.viewport().height() - 2)) == 3


def test_rotate_a_page_redraws_its_thumbnail_and_undoes(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    ids = attach_three(qtbot, session, page, make_scan)
    page.file_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.page_thumbnail_ready(0), timeout=IMPORT_TIMEOUT)
    upright = page.thumbnails.get(ids[0], 0, 0)
    assert upright is not None and upright.height() > upright.width()
    qtbot.mouseClick(page.rotate_right_button, Qt.MouseButton.LeftButton)
    assert session.data.files_for("business_license")[0].pages[0].user_rotation == 90
    qtbot.waitUntil(lambda: page.page_thumbnail_ready(0), timeout=IMPORT_TIMEOUT)
    turned = page.thumbnails.get(ids[0], 0, 90)
    assert turned is not None and turned.width() > turned.height()
    assert "已转90°" in page.page_strip.item(0).text()
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert session.data.files_for("business_license")[0].pages[0].user_rotation == 270
    for _ in range(3):
        session.undo_stack.undo()
    assert session.data.files_for("business_license")[0].pages[0].user_rotation == 0
    session.undo_stack.redo()
    assert session.data.files_for("business_license")[0].pages[0].user_rotation == 90


def test_remove_with_delete_key_and_button_then_undo(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    attach_three(qtbot, session, page, make_scan)
    page.file_list.setFocus()
    page.file_list.setCurrentRow(1)
    qtbot.keyClick(page.file_list, Qt.Key.Key_Delete)
    assert names(session) == ["一.jpg", "三.jpg"]
    assert "已移除“二.jpg”" in page.message.text()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert len(names(session)) == 1
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert names(session) == ["一.jpg", "二.jpg", "三.jpg"]
    qtbot.waitUntil(lambda: page.file_list.count() == 3)
    session.undo_stack.redo()
    assert names(session) == ["一.jpg", "三.jpg"]


def test_preview_dialog_pages_and_escape(qtbot, session, page, tmp_path):  # type: ignore[no-untyped-def]
    assert drop_on_document(page, ("business_license", None), [two_page_pdf(tmp_path / "两页.pdf")])
    wait_import(qtbot, page)
    item = page.page_strip.item(0)
    rect = page.page_strip.visualItemRect(item)
    qtbot.mouseClick(page.page_strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.page_strip.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.preview
    qtbot.waitUntil(lambda: dialog.rendered is not None and dialog.rendered[0] == 0)
    assert dialog.page_label.text() == "第 1 / 2 页"
    qtbot.keyClick(dialog, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: dialog.rendered is not None and dialog.rendered[0] == 1)
    assert dialog.page_label.text() == "第 2 / 2 页"
    width = dialog.image.pixmap().width()
    dialog.zoom_in_button.click()
    qtbot.waitUntil(lambda: dialog.image.pixmap().width() > width)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


# -- narrative documents, navigation, persistence ------------------------------------------------


def test_word_template_is_written_next_to_the_project_and_opened(  # type: ignore[no-untyped-def]
    qtbot, session, page, monkeypatch
):
    opened: list[Path] = []
    monkeypatch.setattr(evidence_module, "open_document", opened.append)
    select(qtbot, session, page, "technology_trade")
    assert page.focus_where("document.tt_advancement_statement")
    assert page.template_button.isVisible()
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1)
    path = opened[0]
    assert path.parent == session.path.parent / "测试项目-Word模板"
    assert path.suffix == ".docx" and zipfile.is_zipfile(path)
    assert "已生成Word模板" in page.message.text()
    before = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes())  # the company edits it
    qtbot.waitUntil(lambda: page.template_task is None)
    qtbot.mouseClick(page.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 2)
    assert opened[1] == path and "之前生成" in page.message.text()
    assert path.stat().st_mtime_ns >= before
    page.focus_where("document.business_license")
    assert not page.template_button.isVisible()


def test_focus_where_selects_documents_rows_and_files(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    select(qtbot, session, page, "international_certification")
    rid = session.add_row("certifications", {"name": "ISO 9001"})
    qtbot.waitUntil(lambda: page.tree_item(("ic_fee_vouchers", rid)) is not None)
    assert page.focus_where(f"document.ic_fee_vouchers.{rid}")
    assert page.current.key == ("ic_fee_vouchers", rid)
    assert "ISO 9001" in page.doc_note.text()
    ids = attach_three(qtbot, session, page, make_scan)
    assert page.focus_where(f"evidence.{ids[2]}")
    assert page.current.key == ("business_license", None)
    assert page.current_file_id() == ids[2]
    assert not page.focus_where("document.no_such_document")
    assert not page.focus_where("company.name")


def test_files_of_a_deselected_item_are_listed_apart(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    select(qtbot, session, page, "international_certification")
    key = ("ic_application_report", None)
    assert drop_on_document(page, key, [make_scan("报告.jpg")])
    wait_import(qtbot, page)
    session.set_item_selected("international_certification", False)
    qtbot.waitUntil(lambda: node(page.tree_item(key)).kind == "unused")
    assert page.tree_item(key).parent().text(0).startswith("不在本次申报范围内")
    fid = session.data.evidence[0].id
    assert page.focus_where(f"evidence.{fid}")
    assert page.current_file_id() == fid and page.remove_button.isEnabled()
    assert not page.add_button.isEnabled()
    session.undo_stack.undo()
    qtbot.waitUntil(lambda: node(page.tree_item(key)).kind == "doc")


def test_deleting_a_row_takes_its_files_and_undo_brings_them_back(qtbot, session, page, make_scan):  # type: ignore[no-untyped-def]
    select(qtbot, session, page, "international_certification")
    rid = session.add_row("certifications", {"name": "ISO 20000"})
    qtbot.waitUntil(lambda: page.tree_item(("ic_certificate", rid)) is not None)
    assert drop_on_document(page, ("ic_certificate", rid), [make_scan("证书.jpg")])
    wait_import(qtbot, page)
    session.delete_row("certifications", rid)
    qtbot.waitUntil(lambda: page.tree_item(("ic_certificate", rid)) is None)
    session.undo_stack.undo()
    qtbot.waitUntil(lambda: page.tree_item(("ic_certificate", rid)) is not None)
    assert node(page.tree_item(("ic_certificate", rid))).state == "attached"


def test_everything_survives_close_and_reopen(qtbot, session, page, make_scan, tmp_path):  # type: ignore[no-untyped-def]
    ids = attach_three(qtbot, session, page, make_scan)
    page.file_list.setCurrentRow(2)
    qtbot.keyClick(page.file_list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    page.page_strip.setCurrentRow(0)
    page.rotate_current_page(90)
    path = session.path
    page.set_session(None)
    session.close()

    again = ProjectSession.open(path)
    try:
        fresh = EvidencePage()
        qtbot.addWidget(fresh)
        fresh.set_session(again)
        files = again.data.files_for("business_license")
        assert [f.id for f in files] == [ids[0], ids[2], ids[1]]
        assert files[1].pages[0].user_rotation == 90
        assert fresh.tree_item(("business_license", None)).text(1) == "3 个文件，3 页"
        assert fresh.focus_where(f"evidence.{ids[2]}")
        assert "已转90°" in fresh.page_strip.item(0).text()
        fresh.set_session(None)
    finally:
        again.close()


def test_screenshot(qtbot, session, page, make_scan, tmp_path):  # type: ignore[no-untyped-def]
    select(qtbot, session, page, "outsourcing_offshore", "international_certification")
    session.add_row("certifications", {"name": "ISO/IEC 27001 信息安全管理体系"})
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 3)
    drop_on_document(
        page,
        ("business_license", None),
        [make_scan("营业执照.jpg"), make_scan("低清.jpg", size=(600, 850))],
    )
    wait_import(qtbot, page)
    qtbot.waitUntil(lambda: page.page_thumbnail_ready(0), timeout=IMPORT_TIMEOUT)
    page.file_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: page.page_thumbnail_ready(0), timeout=IMPORT_TIMEOUT)
    save_shot(page, "evidence")
    page.grab().save(str(tmp_path / "evidence.png"))
    assert (tmp_path / "evidence.png").stat().st_size > 10000


def test_switching_project_during_an_import_adds_nothing_anywhere(  # type: ignore[no-untyped-def]
    qtbot, session, page, tmp_path, make_scan, monkeypatch
):
    writer = PdfWriter(clone_from=str(two_page_pdf(tmp_path / "p.pdf")))
    writer.encrypt("x", algorithm="AES-128")
    locked = tmp_path / "加密.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    other = ProjectSession.create(tmp_path / "另一个.sbproj", session.store.guide_id)

    def ask(parent, name):  # type: ignore[no-untyped-def]
        page.set_session(other)  # the user opens another project meanwhile
        return "x"

    monkeypatch.setattr(errors, "ask_password", ask)
    try:
        assert drop_on_document(page, ("business_license", None), [locked, make_scan("b.jpg")])
        wait_import(qtbot, page)
        assert session.data.evidence == () and other.data.evidence == ()
        assert not page.message.isVisible()
        page.set_session(None)
    finally:
        other.close()


def test_the_same_file_attached_twice_is_pointed_out(qtbot, session, page, make_scan, monkeypatch):  # type: ignore[no-untyped-def]
    scan = make_scan("营业执照.jpg")
    monkeypatch.setattr(errors, "choose_files", lambda *a, **k: [str(scan)])
    page.focus_where("document.business_license")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    wait_import(qtbot, page)
    assert "内容完全相同" not in page.message.text()
    page.focus_where("document.credit_record")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    wait_import(qtbot, page)
    text = page.message.text()
    assert "已添加 1 个文件" in text and "内容完全相同" in text and "营业执照" in text
    assert [f.code for f in session.findings if f.code == "evidence.duplicate"] == [
        "evidence.duplicate"
    ]
