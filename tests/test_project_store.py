"""The project store: round trips, one committed transaction per action, exact undo, order."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from app.model import Company, PageInfo, ProjectData, Rate
from app.project import FILE_SUFFIX, SCHEMA_VERSION, ProjectStore
from app.system.errors import EvidenceDamagedError, ProjectFileError
from tests.project_store_fixtures import imported

GUIDE = "zhuhai-service-trade-2019"


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / f"项目{FILE_SUFFIX}"


@pytest.fixture
def store(path: Path) -> Iterator[ProjectStore]:
    with ProjectStore.create(path, GUIDE) as created:
        yield created


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def order_of(data: ProjectData, document_id: str, row_id: str | None = None) -> list[str]:
    return [f.name for f in data.files_for(document_id, row_id)]


def test_round_trip_of_everything_through_close_and_reopen(path: Path) -> None:
    company = Company(
        name="珠海市某某信息技术有限公司",
        credit_code="91440400MA4UXXXX1X",
        district="横琴新区",
        address="珠海市横琴新区环岛东路 1 号",
        legal_rep="张三",
        contact="李四",
        phone="0756-1234567",
        email="li@example.com",
        bank="中国银行珠海分行",
        account="6217 0000 0000 0000",
    )
    contract = {
        "counterparty": "ACME Ltd.",
        "amount": Decimal("123.450"),
        "tiny": Decimal("1E-7"),
        "big": Decimal("12345678901234567890.0100"),
        "count": 3,
        "zero": 0,
        "affiliated": False,
        "offshore": True,
        "signed": dt.date(2018, 2, 28),
        "currency": "USD",
    }
    scan = imported("合同扫描件.jpg", pages=3)
    licence = imported("营业执照.pdf", pages=1)
    with ProjectStore.create(path, GUIDE) as store:
        store.set_company(company)
        store.set_company_field("phone", "0756-7654321")
        store.set_selected(["outsourcing_offshore", "service_trade_statistics"])
        store.set_input("outsourcing_offshore", "amount_usd", Decimal("1000000.00"))
        store.set_input("outsourcing_offshore", "funded", True)
        store.set_input("outsourcing_offshore", "trainees", 0)
        store.set_input("outsourcing_offshore", "since", dt.date(2018, 1, 1))
        store.set_input("outsourcing_offshore", "note", "")
        store.set_requested("outsourcing_offshore", Decimal("100000.00"))
        store.set_rate("EUR", Rate(Decimal("1.1450"), "usd_per"))
        store.set_rate("HKD", Rate(Decimal("7.83440"), "per_usd"))
        store.set_rate("THB", Rate(Decimal("3.0700"), "usd_per", 100, "泰铢"))
        first = store.add_row("contracts", contract)
        second = store.add_row("contracts", {"counterparty": "第二家"})
        zeroth = store.add_row("contracts", {"counterparty": "插到最前"}, position=0)
        person = store.add_row("talents", {"name": "王五", "salary": Decimal("200000")})
        licence_id = store.add_evidence("business_license", None, licence)
        scan_id = store.add_evidence("contract_scans", first, scan)
        store.rotate_page(scan_id, 1, 90)
        store.rotate_page(scan_id, 2, -90)
        store.rotate_page(scan_id, 2, 450)  # 270 + 450 = 720 = 0 (mod 360)
        store.set_option("duplex", False)
        store.set_option("gutter_mm", 25)
        store.set_option("meta", {"exported": dt.date(2019, 5, 1), "fee": Decimal("0.50")})

    with ProjectStore.open(path) as store:
        data = store.load()
        assert store.guide_id == GUIDE == data.guide_id
        assert data.company == Company(**{**company.__dict__, "phone": "0756-7654321"})
        assert data.selected == ("outsourcing_offshore", "service_trade_statistics")
        inputs = data.item_inputs("outsourcing_offshore")
        assert dict(inputs) == {
            "amount_usd": Decimal("1000000.00"),
            "funded": True,
            "trainees": 0,
            "since": dt.date(2018, 1, 1),
            "note": "",
        }
        assert type(inputs["funded"]) is bool and type(inputs["trainees"]) is int
        assert str(inputs["amount_usd"]) == "1000000.00"
        assert data.requested == {"outsourcing_offshore": Decimal("100000.00")}
        assert str(data.rates["HKD"].value) == "7.83440"
        assert data.rates["HKD"].quote == "per_usd"
        thb = data.rates["THB"]
        assert (thb.value, thb.quote, thb.units, thb.name) == (
            Decimal("3.0700"),
            "usd_per",
            100,
            "泰铢",
        )
        assert [r.id for r in data.rows("contracts")] == [zeroth, first, second]
        stored = data.rows("contracts")[1].values
        assert dict(stored) == contract
        for key, value in contract.items():
            assert type(stored[key]) is type(value), key
            assert str(stored[key]) == str(value), key
        assert [r.id for r in data.rows("talents")] == [person]
        assert str(data.rows("talents")[0].values["salary"]) == "200000"

        (licence_file,) = data.files_for("business_license")
        (scan_file,) = data.files_for("contract_scans", first)
        assert licence_file.id == licence_id and scan_file.id == scan_id
        assert scan_file.name == "合同扫描件.jpg"
        assert scan_file.sha256 == scan.sha256
        assert scan_file.size == len(scan.original)
        assert scan_file.order == 0 and scan_file.page_count == 3
        assert [p.user_rotation for p in scan_file.pages] == [0, 90, 0]
        assert scan_file.pages[0] == PageInfo(595.28, 841.89, 0, None, 0)
        assert scan_file.pages[1].dpi == 301.0 and scan_file.pages[1].source_rotation == 90
        assert store.evidence_original(scan_id) == scan.original
        assert store.evidence_pdf(scan_id) == scan.pdf
        assert store.evidence_pdf(licence_id).startswith(b"%PDF-")
        assert store.verify() == []
        assert store.get_options() == {
            "duplex": False,
            "gutter_mm": 25,
            "meta": {"exported": dt.date(2019, 5, 1), "fee": Decimal("0.50")},
        }
        assert type(store.get_options()["gutter_mm"]) is int

        raw = sqlite3.connect(path)
        try:
            assert raw.execute("PRAGMA page_size").fetchone() == (16384,)
            assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        finally:
            raw.close()


def test_every_mutation_is_committed_and_seen_by_another_store(
    path: Path, store: ProjectStore
) -> None:
    other = ProjectStore.open(path, read_only=True)
    try:
        store.set_company_field("name", "甲公司")
        assert other.load().company.name == "甲公司"
        store.set_company(Company(name="乙公司", district="香洲区"))
        assert other.load().company == Company(name="乙公司", district="香洲区")
        store.set_selected(["b", "a"])
        assert other.load().selected == ("b", "a")
        store.set_item_selected("c", True, ["a", "b", "c"])
        assert other.load().selected == ("a", "b", "c")
        store.set_input("a", "x", Decimal("1.0"))
        assert other.load().item_inputs("a") == {"x": Decimal("1.0")}
        store.set_input("a", "x", None)
        assert "a" not in other.load().inputs
        store.set_requested("a", Decimal("5"))
        assert other.load().requested == {"a": Decimal("5")}
        store.set_requested("a", None)
        assert other.load().requested == {}
        store.set_rate("JPY", Rate(Decimal("0.91"), "usd_per", 100))
        assert other.load().rates == {"JPY": Rate(Decimal("0.91"), "usd_per", 100)}
        store.set_rate("JPY", None)
        assert other.load().rates == {}
        row = store.add_row("t", {"a": 1})
        assert other.load().rows("t")[0].values == {"a": 1}
        store.update_cell("t", row, "b", True)
        assert other.load().rows("t")[0].values == {"a": 1, "b": True}
        store.update_cell("t", row, "a", None)
        assert other.load().rows("t")[0].values == {"b": True}
        store.update_row("t", row, {"c": "only"})
        assert other.load().rows("t")[0].values == {"c": "only"}
        row2 = store.add_row("t", {})
        store.move_row("t", row2, 0)
        assert [r.id for r in other.load().rows("t")] == [row2, row]
        file_id = store.add_evidence("doc", row, imported("a.png"))
        assert [f.id for f in other.load().files_for("doc", row)] == [file_id]
        ids = store.add_evidence_many("doc", None, [imported("b.png"), imported("c.png")])
        assert order_of(other.load(), "doc") == ["b.png", "c.png"]
        store.move_evidence(ids[1], 0)
        assert order_of(other.load(), "doc") == ["c.png", "b.png"]
        store.rotate_page(file_id, 0, 180)
        assert other.load().files_for("doc", row)[0].pages[0].user_rotation == 180
        snap = store.remove_evidence(ids[0])
        assert order_of(other.load(), "doc") == ["c.png"]
        store.restore_evidence(snap)
        assert order_of(other.load(), "doc") == ["c.png", "b.png"]
        row_snap = store.delete_row("t", row)
        assert [r.id for r in other.load().rows("t")] == [row2]
        assert other.load().files_for("doc", row) == ()
        store.restore_row(row_snap)
        assert [r.id for r in other.load().rows("t")] == [row2, row]
        assert other.evidence_original(file_id) == imported("a.png").original
        store.set_option("duplex", True)
        assert other.get_options() == {"duplex": True}
        store.set_option("duplex", None)
        assert other.get_options() == {}
    finally:
        other.close()


def test_failing_mutations_raise_and_leave_the_file_unchanged(
    path: Path, store: ProjectStore
) -> None:
    row = store.add_row("contracts", {"amount": Decimal("1.00")})
    store.add_row("talents", {"name": "x"})
    file_id = store.add_evidence("doc", None, imported("a.pdf", pages=2))
    before_bytes = file_digest(path)
    before = store.load()

    bad_sha = imported("bad.pdf")
    bad_sha = type(bad_sha)(bad_sha.name, bad_sha.original, "0" * 64, bad_sha.pdf, bad_sha.pages)
    failing = [
        (KeyError, lambda: store.update_cell("contracts", "no-such-row", "x", 1)),
        (KeyError, lambda: store.update_cell("talents", row, "x", 1)),  # wrong table
        (KeyError, lambda: store.update_row("contracts", "nope", {})),
        (KeyError, lambda: store.delete_row("talents", row)),
        (KeyError, lambda: store.move_row("contracts", "nope", 0)),
        (KeyError, lambda: store.add_evidence("doc", "no-such-row", imported("b.pdf"))),
        (KeyError, lambda: store.remove_evidence("nope")),
        (KeyError, lambda: store.move_evidence("nope", 0)),
        (KeyError, lambda: store.rotate_page("nope", 0, 90)),
        (KeyError, lambda: store.evidence_pdf("nope")),
        (IndexError, lambda: store.rotate_page(file_id, 2, 90)),
        (ValueError, lambda: store.rotate_page(file_id, 0, 45)),
        (ValueError, lambda: store.add_row("contracts", {}, row_id=row)),  # id in use
        (ValueError, lambda: store.add_row("contracts", {}, position=-1)),
        (ValueError, lambda: store.set_company_field("Nick Name", "x")),
        (ValueError, lambda: store.set_selected(["a", "a"])),
        (TypeError, lambda: store.add_row("contracts", {"amount": 1.5})),  # float is not a Value
        (TypeError, lambda: store.set_input("i", "f", dt.datetime(2019, 1, 1))),  # type: ignore[arg-type]
        (TypeError, lambda: store.set_rate("EUR", 1.1)),  # type: ignore[arg-type]
        (TypeError, lambda: store.set_rate("EUR", Decimal("1.1"))),  # type: ignore[arg-type]
        (TypeError, lambda: store.set_option("x", {1.0, 2.0})),
        # The second file is bad: the first one, already inserted, is rolled back with it.
        (ValueError, lambda: store.add_evidence_many("doc", None, [imported("ok"), bad_sha])),
    ]
    for error, action in failing:
        with pytest.raises(error):
            action()
        assert file_digest(path) == before_bytes
    assert store.load() == before
    # The store is still usable after all these failures.
    store.update_cell("contracts", row, "amount", Decimal("2.00"))
    assert store.load().rows("contracts")[0].values["amount"] == Decimal("2.00")


def test_delete_row_and_restore_row_are_an_exact_undo(store: ProjectStore) -> None:
    rows = [store.add_row("contracts", {"n": n, "amount": Decimal(f"{n}.10")}) for n in range(4)]
    target = rows[2]
    other_file = store.add_evidence("invoices", rows[1], imported("other.pdf"))
    files = store.add_evidence_many(
        "invoices", target, [imported("i1.pdf", 2), imported("i2.pdf", 1)]
    )
    store.add_evidence("contract_scans", target, imported("c1.jpg", 3))
    store.rotate_page(files[0], 1, 270)
    store.move_evidence(files[1], 0)
    before = store.load()
    blobs = {
        f.id: (store.evidence_original(f.id), store.evidence_pdf(f.id)) for f in before.evidence
    }

    snap = store.delete_row("contracts", target)
    assert snap.position == 2 and snap.row.values == {"n": 2, "amount": Decimal("2.10")}
    assert len(snap.evidence) == 3
    after_delete = store.load()
    assert [r.id for r in after_delete.rows("contracts")] == [rows[0], rows[1], rows[3]]
    assert {f.id for f in after_delete.evidence} == {other_file}
    with pytest.raises(KeyError):
        store.evidence_pdf(files[0])
    with pytest.raises(KeyError):  # its row is gone, so the file cannot come back alone
        store.restore_evidence(snap.evidence[0])

    store.restore_row(snap)
    assert store.load() == before
    for file_id, (original, pdf) in blobs.items():
        assert store.evidence_original(file_id) == original
        assert store.evidence_pdf(file_id) == pdf
    assert store.verify() == []
    with pytest.raises(ValueError):
        store.restore_row(snap)  # already back


def test_remove_evidence_and_restore_evidence_are_an_exact_undo(store: ProjectStore) -> None:
    ids = store.add_evidence_many("doc", None, [imported(n, 2) for n in "abcd"])
    store.rotate_page(ids[2], 0, 90)
    before = store.load()
    snap = store.remove_evidence(ids[2])
    assert snap.file.order == 2 and snap.file.pages[0].user_rotation == 90
    assert order_of(store.load(), "doc") == ["a", "b", "d"]
    assert [f.order for f in store.load().files_for("doc")] == [0, 1, 2]
    store.restore_evidence(snap)
    assert store.load() == before
    assert store.evidence_pdf(ids[2]) == imported("c", 2).pdf
    with pytest.raises(ValueError):
        store.restore_evidence(snap)


def test_rows_and_evidence_keep_their_order(store: ProjectStore) -> None:
    ids = [store.add_row("t", {"n": n}) for n in range(5)]
    store.move_row("t", ids[0], 3)
    assert [r.values["n"] for r in store.load().rows("t")] == [1, 2, 3, 0, 4]
    store.move_row("t", ids[4], 0)
    assert [r.values["n"] for r in store.load().rows("t")] == [4, 1, 2, 3, 0]
    store.move_row("t", ids[1], 99)  # clamped to the end
    assert [r.values["n"] for r in store.load().rows("t")] == [4, 2, 3, 0, 1]
    store.add_row("t", {"n": 9}, position=2)
    store.add_row("t", {"n": 8}, position=99)
    assert [r.values["n"] for r in store.load().rows("t")] == [4, 2, 9, 3, 0, 1, 8]
    store.add_row("other", {"n": 0})  # another table has its own positions
    assert [r.values["n"] for r in store.load().rows("other")] == [0]

    files = store.add_evidence_many("doc", None, [imported(n) for n in "abc"])
    store.add_evidence_many("doc", None, [imported("x"), imported("y")], position=1)
    assert order_of(store.load(), "doc") == ["a", "x", "y", "b", "c"]
    store.move_evidence(files[2], 0)
    assert order_of(store.load(), "doc") == ["c", "a", "x", "y", "b"]
    store.move_evidence(files[2], 99)
    assert order_of(store.load(), "doc") == ["a", "x", "y", "b", "c"]
    store.add_evidence("doc", ids[0], imported("per-row"))  # another group
    store.add_evidence("doc2", None, imported("other doc"))
    data = store.load()
    assert [f.order for f in data.files_for("doc")] == [0, 1, 2, 3, 4]
    assert order_of(data, "doc", ids[0]) == ["per-row"]
    assert order_of(data, "doc2") == ["other doc"]


def test_selection_follows_the_guide_order(store: ProjectStore) -> None:
    guide_order = ["a", "b", "c", "d"]
    store.set_item_selected("c", True, guide_order)
    store.set_item_selected("a", True, guide_order)
    store.set_item_selected("d", True, guide_order)
    assert store.load().selected == ("a", "c", "d")
    store.set_item_selected("c", False, guide_order)
    store.set_item_selected("c", False, guide_order)  # deselecting twice is harmless
    assert store.load().selected == ("a", "d")


def test_on_change_is_called_after_each_commit(store: ProjectStore, path: Path) -> None:
    seen: list[tuple[str, dict[str, object]]] = []

    def record(topic: str) -> None:
        # Called after the commit: another connection already sees the change.
        with ProjectStore.open(path, read_only=True) as other:
            seen.append((topic, dict(other.load().company.__dict__)))

    store.on_change.append(record)
    store.set_company_field("name", "丙公司")
    assert seen == [("company", {**Company().__dict__, "name": "丙公司"})]
    seen.clear()
    row = store.add_row("t", {})
    store.delete_row("t", row)
    assert [topic for topic, _ in seen] == ["tables", "tables", "evidence"]
    seen.clear()
    with pytest.raises(KeyError):
        store.delete_row("t", row)
    assert seen == []  # nothing committed, nothing announced


def test_verify_reports_files_whose_bytes_changed(path: Path, store: ProjectStore) -> None:
    good, bad_pdf, bad_original = store.add_evidence_many(
        "doc", None, [imported("good"), imported("bad pdf"), imported("bad original")]
    )
    raw = sqlite3.connect(path)
    with raw:
        raw.execute(
            "UPDATE evidence_blobs SET pdf = ? WHERE file_id = ?", (b"%PDF-tampered", bad_pdf)
        )
        raw.execute(
            "UPDATE evidence_blobs SET original = ? WHERE file_id = ?", (b"x", bad_original)
        )
    raw.close()
    assert store.verify() == [bad_pdf, bad_original]
    assert store.damaged_evidence() == {bad_pdf: ("pdf",), bad_original: ("original",)}
    with pytest.raises(EvidenceDamagedError) as caught:  # what a build reads is verified
        store.evidence_pdf(bad_pdf)
    assert caught.value.file_id == bad_pdf and "“bad pdf”" in caught.value.message
    assert store.evidence_pdf(bad_original) == imported("bad original").pdf
    store.remove_evidence(bad_pdf)
    store.remove_evidence(bad_original)
    assert store.verify() == []
    assert [f.id for f in store.load().evidence] == [good]


def test_a_closed_store_refuses_work(path: Path) -> None:
    store = ProjectStore.create(path, GUIDE)
    assert not store.closed
    store.close()
    store.close()
    assert store.closed
    with pytest.raises(ProjectFileError) as excinfo:
        store.load()
    assert str(path) in excinfo.value.message
    with pytest.raises(ProjectFileError):
        store.set_option("x", 1)


def test_one_store_can_be_used_from_a_worker_thread(store: ProjectStore) -> None:
    errors: list[BaseException] = []

    def work(table: str) -> None:
        try:
            for n in range(20):
                store.add_row(table, {"n": n}, position=0)
                store.load()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(f"t{k}",)) for k in range(2)]
    for worker in workers:
        worker.start()
    work("main")
    for worker in workers:
        worker.join()
    assert errors == []
    data = store.load()
    for table in ("t0", "t1", "main"):
        assert [r.values["n"] for r in data.rows(table)] == list(range(19, -1, -1))
