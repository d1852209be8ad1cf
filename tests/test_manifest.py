"""The JSON manifest: the bundled sample loads exactly, bad manifests are refused with a Chinese
message naming the key, and import → project file → export keeps everything (values exactly,
evidence bytes by SHA-256)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from app.manifest.load import Manifest, load_manifest
from app.manifest.transfer import export_manifest, import_manifest, write_project_data
from app.model import Rate
from app.outputs.demo import SAMPLE_MANIFEST, demo_manifest
from app.project import ProjectStore
from app.rules.company import check_credit_code
from app.system.errors import AppError, IntakeError, ManifestError

CJK = re.compile(r"[\u4e00-\u9fff]")


# -- helpers ----------------------------------------------------------------------------------------


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def exact(obj: Any) -> Any:
    """Decimals as their exact digits, so 1121920.80 and 1121920.8 compare unequal."""
    if isinstance(obj, Decimal):
        return f"dec:{obj}"
    if isinstance(obj, Mapping):
        return {k: exact(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [exact(v) for v in obj]
    return obj


def raw_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def evidence_by_content(m: Manifest) -> dict[tuple[str, str | None], list[str]]:
    """(document, row) -> sha256 of its files, in order (the order across documents is not
    meaningful: export writes documents sorted by id)."""
    out: dict[tuple[str, str | None], list[str]] = {}
    for r in m.evidence:
        out.setdefault((r.document_id, r.row_id), []).append(sha(r.path))
    return out


def scan_png(path: Path, text: str = "scan") -> Path:
    img = Image.new("L", (1240, 1754), 255)
    ImageDraw.Draw(img).rectangle((100, 100, 1100, 300), outline=0, width=6)
    ImageDraw.Draw(img).text((120, 150), text, fill=0)
    img.save(path, dpi=(150, 150))
    return path


@pytest.fixture
def small(tmp_path: Path, credit_code: Any) -> dict[str, Any]:
    """A small valid manifest (export credit insurance + one certification row) in tmp_path."""
    scan_png(tmp_path / "scan.png")
    return {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": "zhuhai-service-trade-2019",
        "company": {
            "name": "珠海测试信息技术有限公司",
            "credit_code": credit_code("91440400MA4T8E901"),
            "district": "香洲区",
            "address": "珠海市香洲区测试路1号",
            "legal_rep": "张三",
            "contact": "李四",
            "phone": "0756-2222333",
        },
        "items": {"export_credit_insurance": {"requested_cny": 900}},
        "tables": {
            "policies": [
                {
                    "id": "p1",
                    "policy_no": "T-1",
                    "insurer": "测试保险公司",
                    "insured_business": "软件出口",
                    "premium": 1000.50,
                    "paid_date": "2018-05-01",
                }
            ],
            "certifications": [
                {
                    "id": "c1",
                    "name": "CMMI",
                    "kind": "new",
                    "certificate_no": "N-1",
                    "issuer": "测试认证机构",
                    "obtained_date": "2018-03-03",
                    "cost": 5000,
                }
            ],
        },
        "evidence": {
            "business_license": ["scan.png"],
            "credit_record": ["scan.png"],
            "eci_premium_notices": ["scan.png"],
            "eci_premium_invoices": ["scan.png"],
            "ic_certificate": {"c1": ["scan.png"]},
        },
    }


def write(tmp_path: Path, data: dict[str, Any], name: str = "manifest.json") -> Path:
    path = tmp_path / name
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = info.value.message
    assert CJK.search(message), message
    assert "Traceback" not in message and "Error" not in message
    return message


# -- the bundled sample ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Manifest:
    return load_manifest(SAMPLE_MANIFEST)


def test_sample_loads_with_exact_values(sample: Manifest) -> None:
    data = sample.data
    assert data.guide_id == "zhuhai-service-trade-2019"
    assert data.selected == (
        "outsourcing_onshore",
        "outsourcing_offshore",
        "international_certification",
        "talent_introduction",
        "export_credit_insurance",
    )
    assert check_credit_code(data.company.credit_code) is None
    assert data.company.district == "高新区"
    onshore = data.item_inputs("outsourcing_onshore")
    assert onshore["reported_on_platform"] is True
    assert str(onshore["platform_amount_usd"]) == "1121920.80"
    assert data.requested == {"export_credit_insurance": Decimal(31000)}
    assert data.rates == {
        "CNY": Rate(Decimal("6.8632"), "per_usd"),  # checked against SAFE's table
        "EUR": Rate(Decimal("1.1450"), "usd_per"),  # as the guide quotes EUR
    }
    assert [len(data.rows(t)) for t in ("contracts", "certifications", "persons", "policies")] == [
        6,
        2,
        2,
        2,
    ]
    eur = next(r for r in data.rows("contracts") if r.values["currency"] == "EUR")
    assert eur.values["execution_amount"] == Decimal(260000)
    assert eur.values["execution_date"] == dt.date(2018, 9, 14)
    assert eur.values["business_type"] == "industrial_design"
    affiliated = [r.id for r in data.rows("contracts") if r.values.get("affiliated") is True]
    assert len(affiliated) == 1
    assert {r.values["scope"] for r in data.rows("contracts")} == {"onshore", "offshore"}
    assert sample.options == {"duplex": False, "gutter_mm": 25, "repeat_shared": False}


def test_sample_names_existing_evidence_for_every_row(sample: Manifest) -> None:
    assert sample.evidence, "the sample must attach evidence"
    for ref in sample.evidence:
        assert ref.path.is_file(), ref.path
        assert SAMPLE_MANIFEST.parent in ref.path.parents
    per_row = {(r.document_id, r.row_id) for r in sample.evidence if r.row_id is not None}
    for row in sample.data.rows("persons"):
        for doc in (
            "ti_identity_degree",
            "ti_labour_contract",
            "ti_income_tax",
            "ti_social_security",
        ):
            assert (doc, row.id) in per_row
    for row in sample.data.rows("certifications"):
        for doc in ("ic_certificate", "ic_consulting_contract", "ic_fee_vouchers"):
            assert (doc, row.id) in per_row


def test_sample_scans_exercise_intake() -> None:
    """One EXIF-rotated JPEG, one landscape scan, one multi-page TIFF, PNG screenshots, a PDF;
    small files, all of it under ~3 MB."""
    scans = sorted((SAMPLE_MANIFEST.parent / "scans").iterdir())
    orientations, landscape, tiff_frames = [], [], []
    for f in scans:
        if f.suffix == ".jpg":
            with Image.open(f) as im:
                orientations.append(im.getexif().get(0x0112, 1))
                if im.width > im.height and im.getexif().get(0x0112, 1) == 1:
                    landscape.append(f.name)
                assert 140 <= im.info["dpi"][0] <= 210
            assert f.stat().st_size < 140_000, f.name
        elif f.suffix == ".tif":
            with Image.open(f) as im:
                tiff_frames.append(im.n_frames)
    assert 6 in orientations
    assert landscape
    assert tiff_frames and max(tiff_frames) >= 2
    assert any(f.suffix == ".png" for f in scans) and any(f.suffix == ".pdf" for f in scans)
    total = sum(f.stat().st_size for f in SAMPLE_MANIFEST.parent.rglob("*") if f.is_file())
    assert total < 3_200_000


# -- refusals ---------------------------------------------------------------------------------------


def test_small_manifest_loads(tmp_path: Path, small: dict[str, Any]) -> None:
    m = load_manifest(write(tmp_path, small))
    assert m.data.selected == ("export_credit_insurance",)
    premium = m.data.rows("policies")[0].values["premium"]
    assert isinstance(premium, Decimal) and premium == Decimal("1000.5")
    assert [(r.document_id, r.row_id) for r in m.evidence][-1] == ("ic_certificate", "c1")


def test_unknown_top_level_key(tmp_path: Path, small: dict[str, Any]) -> None:
    small["evidense"] = {}
    msg = refused(write(tmp_path, small))
    assert "manifest.json" in msg and "evidense" in msg and "未知的键" in msg


def test_unknown_item(tmp_path: Path, small: dict[str, Any]) -> None:
    small["items"]["outsourcing_onshor"] = {}
    msg = refused(write(tmp_path, small))
    assert "items.outsourcing_onshor" in msg and "未知的申报项目" in msg


def test_unknown_item_key_and_input(tmp_path: Path, small: dict[str, Any]) -> None:
    small["items"]["export_credit_insurance"]["selectd"] = True
    assert "items.export_credit_insurance.selectd" in refused(write(tmp_path, small))
    del small["items"]["export_credit_insurance"]["selectd"]
    small["items"]["outsourcing_onshore"] = {"inputs": {"reported": True}}
    assert "items.outsourcing_onshore.inputs.reported" in refused(write(tmp_path, small))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "数字请不要加引号"),
        ("1000", "数字请不要加引号"),
        (True, "应为数字"),
        (-5, "不能为负数"),
    ],
)
def test_bad_number(tmp_path: Path, small: dict[str, Any], value: Any, reason: str) -> None:
    small["tables"]["policies"][0]["premium"] = value
    msg = refused(write(tmp_path, small))
    assert "tables.policies[0].premium" in msg and reason in msg


def test_bad_requested_amount(tmp_path: Path, small: dict[str, Any]) -> None:
    small["items"]["export_credit_insurance"]["requested_cny"] = "很多"
    msg = refused(write(tmp_path, small))
    assert "items.export_credit_insurance.requested_cny" in msg


def test_bad_int(tmp_path: Path, small: dict[str, Any]) -> None:
    small["items"]["talent_introduction"] = {}
    small["tables"]["persons"] = [{"id": "x1", "name": "王五", "contract_months": 12.5}]
    msg = refused(write(tmp_path, small))
    assert "tables.persons[0].contract_months" in msg and "整数" in msg


@pytest.mark.parametrize("value", ["2018-02-30", "30/06/2018", "去年"])
def test_bad_date(tmp_path: Path, small: dict[str, Any], value: str) -> None:
    small["tables"]["policies"][0]["paid_date"] = value
    msg = refused(write(tmp_path, small))
    assert "tables.policies[0].paid_date" in msg and "不是有效的日期" in msg


def test_bad_choice_currency_and_business_type(tmp_path: Path, small: dict[str, Any]) -> None:
    small["tables"]["certifications"][0]["kind"] = "renewal"
    msg = refused(write(tmp_path, small))
    assert "tables.certifications[0].kind" in msg and "新取得" in msg
    small["tables"]["certifications"][0]["kind"] = "维护"  # the Chinese label is accepted
    assert load_manifest(write(tmp_path, small)).data.rows("certifications")[0].values["kind"] == (
        "maintenance"
    )
    small["tables"]["certifications"][0]["currency"] = "XYZ"
    assert "tables.certifications[0].currency" in refused(write(tmp_path, small))
    del small["tables"]["certifications"][0]["currency"]
    small["tables"]["contracts"] = [{"id": "k1", "business_type": "gardening"}]
    msg = refused(write(tmp_path, small))
    assert "tables.contracts[0].business_type" in msg and "指导目录" in msg


def test_unknown_table_and_column(tmp_path: Path, small: dict[str, Any]) -> None:
    small["tables"]["policies"][0]["premium_cny"] = 5
    msg = refused(write(tmp_path, small))
    assert "tables.policies[0].premium_cny" in msg and "不是表 policies 的列" in msg
    del small["tables"]["policies"][0]["premium_cny"]
    small["tables"]["polices"] = []
    assert "tables.polices" in refused(write(tmp_path, small))


def test_bad_and_duplicate_row_ids(tmp_path: Path, small: dict[str, Any]) -> None:
    small["tables"]["certifications"][0]["id"] = "p1"  # already a policy row
    msg = refused(write(tmp_path, small))
    assert "tables.certifications[0].id" in msg and "重复" in msg
    small["tables"]["certifications"][0]["id"] = "证书 一"
    assert "tables.certifications[0].id" in refused(write(tmp_path, small))


def test_unknown_row_id_in_per_row_evidence(tmp_path: Path, small: dict[str, Any]) -> None:
    small["evidence"]["ic_certificate"] = {"c1": ["scan.png"], "c9": ["scan.png"]}
    msg = refused(write(tmp_path, small))
    assert "evidence.ic_certificate.c9" in msg and "没有这个行编号" in msg


def test_per_row_evidence_must_be_keyed_by_row(tmp_path: Path, small: dict[str, Any]) -> None:
    small["evidence"]["ic_certificate"] = ["scan.png"]
    msg = refused(write(tmp_path, small))
    assert "evidence.ic_certificate" in msg and "行编号" in msg


def test_evidence_for_generated_or_unknown_documents(tmp_path: Path, small: dict[str, Any]) -> None:
    small["evidence"]["eci_policy_list"] = ["scan.png"]
    msg = refused(write(tmp_path, small))
    assert "evidence.eci_policy_list" in msg and "程序生成" in msg
    del small["evidence"]["eci_policy_list"]
    small["evidence"]["bank_statement"] = ["scan.png"]
    assert "evidence.bank_statement" in refused(write(tmp_path, small))
    del small["evidence"]["bank_statement"]
    small["evidence"]["credit_record"] = "scan.png"
    assert "evidence.credit_record" in refused(write(tmp_path, small))


def test_missing_evidence_file(tmp_path: Path, small: dict[str, Any]) -> None:
    """Loading only resolves paths; importing refuses and leaves no project file behind."""
    small["evidence"]["credit_record"] = ["scans/信用记录.png"]
    m = load_manifest(write(tmp_path, small))
    missing = tmp_path / "scans" / "信用记录.png"
    assert missing in [r.path for r in m.evidence]
    project = tmp_path / "p.sbproj"
    with pytest.raises(ManifestError) as info:
        import_manifest(m, project)
    assert "信用记录.png" in info.value.message and "不存在" in info.value.message
    assert not project.exists()
    assert list(tmp_path.glob("*.sbproj*")) == []


def test_refused_evidence_aborts_the_import(tmp_path: Path, small: dict[str, Any]) -> None:
    (tmp_path / "credit.pdf").write_text("<html>not a pdf</html>", encoding="utf-8")
    small["evidence"]["credit_record"] = ["credit.pdf"]
    project = tmp_path / "p.sbproj"
    with pytest.raises(IntakeError) as info:
        import_manifest(load_manifest(write(tmp_path, small)), project)
    assert "credit.pdf" in info.value.message
    assert list(tmp_path.glob("*.sbproj*")) == []


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "packet-assembler-manifest", "version": 1,}',
        '{"format": "packet-assembler-manifest"',
        "",
        "manifest",
    ],
)
def test_bad_json(tmp_path: Path, text: str) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(text, encoding="utf-8")
    msg = refused(path)
    assert "manifest.json" in msg and "JSON 格式错误" in msg and "行" in msg


def test_not_utf8_missing_file_and_wrong_header(tmp_path: Path, small: dict[str, Any]) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes(json.dumps({"company": {"name": "珠海"}}, ensure_ascii=False).encode("gbk"))
    assert "UTF-8" in refused(path)
    assert "找不到清单文件" in refused(tmp_path / "nowhere.json")
    assert "format" in refused(write(tmp_path, {**small, "format": "something-else"}))
    assert "version" in refused(write(tmp_path, {**small, "version": 2}))
    assert "guide" in refused(write(tmp_path, {**small, "guide": "zhuhai-2031"}))
    top = tmp_path / "list.json"
    top.write_text("[]", encoding="utf-8")
    assert "应为 JSON 对象" in refused(top)


def test_unknown_company_field(tmp_path: Path, small: dict[str, Any]) -> None:
    small["company"]["fax"] = "0756-1"
    msg = refused(write(tmp_path, small))
    assert "company.fax" in msg
    del small["company"]["fax"]
    small["company"]["phone"] = 7562222333
    assert "company.phone" in refused(write(tmp_path, small))


def test_refusals_are_app_errors_with_exit_code_2(tmp_path: Path, small: dict[str, Any]) -> None:
    small["bogus"] = 1
    with pytest.raises(AppError) as info:
        load_manifest(write(tmp_path, small))
    assert info.value.exit_code == 2


# -- import into a project file and export back -------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """sample → project → export 1 → project 2 → export 2 (the sample copied first)."""
    base = tmp_path_factory.mktemp("roundtrip")
    original = demo_manifest(base / "src")
    p1 = base / "one.sbproj"
    import_manifest(load_manifest(original), p1)
    out1 = base / "export1" / "manifest.json"
    out1.parent.mkdir()
    with ProjectStore.open(p1) as store:
        export_manifest(store, out1)
    p2 = base / "two.sbproj"
    import_manifest(load_manifest(out1), p2)
    out2 = base / "export2" / "manifest.json"
    out2.parent.mkdir()
    with ProjectStore.open(p2) as store:
        export_manifest(store, out2)
    return {"original": original, "p1": p1, "out1": out1, "p2": p2, "out2": out2}


def test_import_keeps_everything(round_trip: dict[str, Path], sample: Manifest) -> None:
    with ProjectStore.open(round_trip["p1"]) as store:
        data = store.load()
        options = store.get_options()
        originals = {f.id: store.evidence_original(f.id) for f in data.evidence}
    want = sample.data
    assert data.company == want.company
    assert data.selected == want.selected
    assert exact(dict(data.inputs)) == exact(dict(want.inputs))
    assert exact(dict(data.requested)) == exact(dict(want.requested))
    assert {k: (str(r.value), r.quote, r.units, r.name) for k, r in data.rates.items()} == {
        k: (str(r.value), r.quote, r.units, r.name) for k, r in want.rates.items()
    }
    for table in ("contracts", "certifications", "persons", "policies"):
        got = [(r.id, exact(dict(r.values))) for r in data.rows(table)]
        assert got == [(r.id, exact(dict(r.values))) for r in want.rows(table)], table
    assert data.declaration_confirmed is want.declaration_confirmed is True
    assert {k: v for k, v in options.items() if k != "declaration_confirmed"} == sample.options
    stored = sorted(data.evidence, key=lambda f: (f.document_id, f.row_id or "", f.order))
    expected = sorted(
        (
            (r.document_id, r.row_id or "", n, sha(r.path), r.path.name)
            for n, r in enumerate(sample.evidence)
        ),
    )
    # same files per (document, row), in the manifest's order, with the original bytes
    by_key: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for doc, row, _n, digest, name in expected:
        by_key.setdefault((doc, row), []).append((digest, name))
    got_by_key: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for f in stored:
        got_by_key.setdefault((f.document_id, f.row_id or ""), []).append((f.sha256, f.name))
        assert hashlib.sha256(originals[f.id]).hexdigest() == f.sha256
        assert f.page_count >= 1
    assert got_by_key == by_key


def test_export_equals_the_original_semantically(round_trip: dict[str, Path]) -> None:
    original, exported = raw_json(round_trip["original"]), raw_json(round_trip["out1"])
    for key in ("format", "version", "guide", "company", "items", "tables", "rates", "options"):
        assert exact(exported[key]) == exact(original[key]), key
    assert set(exported) == set(original)
    a = evidence_by_content(load_manifest(round_trip["original"]))
    b = evidence_by_content(load_manifest(round_trip["out1"]))
    assert a == b
    # the exported files are under evidence/ beside the manifest, named by document and row
    for ref in load_manifest(round_trip["out1"]).evidence:
        rel = ref.path.relative_to(round_trip["out1"].parent)
        assert rel.parts[0] == "evidence" and rel.parts[1] == ref.document_id
        if ref.row_id is not None:
            assert rel.parts[2] == ref.row_id


def test_export_writes_exact_decimal_digits(round_trip: dict[str, Path]) -> None:
    text = round_trip["out1"].read_text(encoding="utf-8")
    assert '"platform_amount_usd": 1121920.80' in text
    assert '"EUR": 1.1450' in text
    assert '"execution_date": "2018-06-28"' in text


def test_export_import_export_is_a_fixed_point_by_content(round_trip: dict[str, Path]) -> None:
    one, two = raw_json(round_trip["out1"]), raw_json(round_trip["out2"])
    strip = copy.deepcopy
    a, b = strip(one), strip(two)
    a.pop("evidence")
    b.pop("evidence")
    assert exact(a) == exact(b)
    assert evidence_by_content(load_manifest(round_trip["out1"])) == evidence_by_content(
        load_manifest(round_trip["out2"])
    )


def test_export_import_export_is_a_fixed_point_byte_for_byte(round_trip: dict[str, Path]) -> None:
    assert round_trip["out1"].read_text(encoding="utf-8") == round_trip["out2"].read_text(
        encoding="utf-8"
    )


def test_export_of_an_edited_project_differs(round_trip: dict[str, Path], tmp_path: Path) -> None:
    """The comparison above can fail: change one cell and the export shows it exactly."""
    project = tmp_path / "edited.sbproj"
    with ProjectStore.open(round_trip["p1"]) as store:
        store.backup(project)
    with ProjectStore.open(project) as store:
        row = store.load().rows("policies")[0]
        store.update_cell("policies", row.id, "premium", Decimal("18600.01"))
        out = tmp_path / "m" / "manifest.json"
        out.parent.mkdir()
        export_manifest(store, out)
    exported = raw_json(out)
    original = raw_json(round_trip["original"])
    assert exact(exported["tables"]) != exact(original["tables"])
    assert exported["tables"]["policies"][0]["premium"] == Decimal("18600.01")


def test_stages_and_review_figures_round_trip(tmp_path: Path, small: dict[str, Any]) -> None:
    small["stages"] = {"review_submitted": "2019-02-02", "review_passed": "2019-02-15"}
    small["review_figures"] = {"items": "export_credit_insurance", "total": "1000.50"}
    m = load_manifest(write(tmp_path, small))
    assert m.data.stages == {
        "review_submitted": dt.date(2019, 2, 2),
        "review_passed": dt.date(2019, 2, 15),
    }
    project = tmp_path / "p.sbproj"
    with ProjectStore.create(project, m.guide.id) as store:
        write_project_data(store, m.data)
        out = tmp_path / "out" / "manifest.json"
        out.parent.mkdir()
        export_manifest(store, out)
    exported = raw_json(out)
    assert exported["stages"] == small["stages"]
    assert exported["review_figures"] == small["review_figures"]


@pytest.mark.parametrize(
    ("stages", "word"),
    [({"review_passd": "2019-02-15"}, "未知的阶段"), ({"review_passed": "2月15日"}, "应为日期")],
)
def test_bad_stages_are_refused(
    tmp_path: Path, small: dict[str, Any], stages: dict[str, str], word: str
) -> None:
    small["stages"] = stages
    msg = refused(write(tmp_path, small))
    assert f"stages.{next(iter(stages))}" in msg and word in msg
