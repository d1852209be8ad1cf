"""Malformed manifests, a generated family: every bad value at every kind of key is refused with a
ManifestError (an AppError) whose Chinese message names the key path — never another exception
type, never silently accepted. Plus the evidence-path policy (files outside the manifest's
folder) and values that are valid at their bounds, which must go through ``check`` cleanly.

Cases are written as raw JSON text (NaN, Infinity, 1e999999 and 5,000-digit numbers cannot be
written by ``json.dumps``): the base manifest has a placeholder where the bad token goes.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.cli import main
from app.manifest.load import OutsideFilesError, load_manifest
from app.manifest.transfer import import_manifest
from app.system.errors import AppError, ManifestError

CJK = re.compile(r"[\u4e00-\u9fff]")
HOLE = "@@HOLE@@"
DEEP = "[" * 100_000 + "]" * 100_000
HUGE = "9" * 5000

# The bad tokens, by what they are.
NON_FINITE = ["NaN", "Infinity", "-Infinity"]
OUT_OF_RANGE = ["1e400", "1e999999", "-1e999999", HUGE, "1e-30"]
WRONG_FOR_NUMBER = ["{}", "[]", "true", '"680000"', '"abc"', '{"a": 1}']
WRONG_FOR_TEXT = ["{}", "[]", '{"a": "b"}', "12", "true", "NaN"]
WRONG_FOR_BOOL = ["0", "1", '"true"', '"是"', "{}", "[]"]
WRONG_FOR_OBJECT = ["[]", '"x"', "1", "true"]


def base(credit_code: str) -> dict[str, Any]:
    return {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": "zhuhai-service-trade-2019",
        "company": {
            "name": "珠海测试信息技术有限公司",
            "credit_code": credit_code,
            "district": "香洲区",
            "address": "珠海市香洲区测试路1号",
            "legal_rep": "张三",
            "contact": "李四",
            "phone": "0756-2222333",
        },
        "items": {
            "export_credit_insurance": {"requested_cny": 900},
            "outsourcing_onshore": {
                "selected": False,
                "inputs": {"reported_on_platform": True, "platform_amount_usd": 1000},
            },
        },
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
                    "currency": "USD",
                    "cost": 5000,
                }
            ],
            "persons": [
                {
                    "id": "h1",
                    "name": "王五",
                    "position": "工程师",
                    "hire_date": "2018-02-01",
                    "contract_months": 36,
                    "annual_salary": 200000,
                    "tax_months": 10,
                }
            ],
        },
        "rates": {"EUR": 1.1450},
        "evidence": {
            "business_license": ["scan.png"],
            "credit_record": ["scans/scan2.png"],
            "ic_certificate": {"c1": ["scan.png"]},
        },
        "options": {"duplex": False, "gutter_mm": 25, "repeat_shared": False},
    }


def _set(doc: dict[str, Any], key_path: str, value: Any) -> None:
    """Set ``a.b[0].c`` in ``doc`` (creating the last key)."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", key_path)
    node: Any = doc
    for part in parts[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    last = parts[-1]
    if last.startswith("["):
        node[int(last[1:-1])] = value
    else:
        node[last] = value


Case = tuple[str, str, str]  # (key path to mutate, raw JSON token, key path the message names)


def _cases() -> list[Case]:
    cases: list[Case] = []

    def add(key: str, tokens: list[str], named: str | None = None) -> None:
        cases.extend((key, t, named or key) for t in tokens)

    # Whole sections of the wrong type.
    for section in ("company", "items", "tables", "rates", "evidence", "options"):
        add(section, WRONG_FOR_OBJECT)
    add("version", ["true", '"1"', "1.0", "2"])
    add("format", ["1", "{}"])
    add("guide", ["1", "{}", '"no-such-guide"'])
    # Money and numbers, in every place a number is written.
    for key in (
        "rates.EUR",
        "items.export_credit_insurance.requested_cny",
        "items.outsourcing_onshore.inputs.platform_amount_usd",
        "tables.policies[0].premium",
        "tables.certifications[0].cost",
        "tables.persons[0].annual_salary",
        "options.gutter_mm",
    ):
        add(key, NON_FINITE + OUT_OF_RANGE + WRONG_FOR_NUMBER)
    add("rates.EUR", ["0", "-1.2"])
    add("rates.XYZ", ["1.5"])  # not a currency of the guide's table
    add("rates.usd", ["1"])
    add("items.export_credit_insurance.requested_cny", ["-1", "-0.01"])
    add("tables.policies[0].premium", ["-5"])
    add("tables.persons[0].contract_months", ["36.5", "-1", "1e400", HUGE, '"36"', "{}"])
    add("options.gutter_mm", ["-1", "51", "50.01"])
    # Text, dates, choices, currencies in cells.
    for key in (
        "company.name",
        "company.phone",
        "tables.policies[0].policy_no",
        "tables.policies[0].paid_date",
        "tables.certifications[0].kind",
        "tables.certifications[0].currency",
    ):
        add(key, WRONG_FOR_TEXT)
    add("company.name", ['"' + "名" * 2001 + '"'])
    add("tables.certifications[0].currency", ['"XYZ"'])
    add("tables.policies[0].paid_date", ['"2018-02-30"'])
    # Booleans.
    for key in (
        "options.duplex",
        "options.repeat_shared",
        "items.export_credit_insurance.selected",
        "items.outsourcing_onshore.inputs.reported_on_platform",
    ):
        add(key, WRONG_FOR_BOOL)
    # Objects where an object is required, arrays where an array is.
    add("items.export_credit_insurance", ["[]", '"x"', "1"])
    add("items.export_credit_insurance.inputs", ["[]", '"x"', "1", "true"])
    add("items.outsourcing_onshore.inputs", ['["reported_on_platform"]'])
    add("tables.policies", ["{}", '"x"', "1"])
    add("tables.policies[0]", ["[]", '"x"', "1"])
    add("tables.policies[0].id", ["1", '"bad id"', '"' + "x" * 65 + '"'])
    add("options.out_dir", ["{}", "[]", "NaN", '{"nested": [1, 2]}'])
    # Evidence paths.
    add("evidence.business_license", ['"scan.png"', "{}", "1"])
    add("evidence.business_license[0]", ["1", '""', "{}", "null"])
    add(
        "evidence.business_license[0]",
        ['"a\\u0000b.png"', '"a\\nb.png"', '"' + "x" * 4000 + '.png"'],
    )
    add("evidence.ic_certificate", ['["scan.png"]', '"scan.png"'])
    add("evidence.ic_certificate.c1", ['"scan.png"', "{}"])
    add("evidence.ic_certificate.nope", ['["scan.png"]'])
    add("evidence.application_form", ['["scan.png"]'])
    add("evidence.no_such_doc", ['["scan.png"]'])
    # Unknown keys, at each level.
    add("bogus", ["1"])
    add("company.bogus", ['"x"'])
    add("items.export_credit_insurance.bogus", ["1"])
    add("items.no_such_item", ["{}"])
    add("tables.policies[0].bogus", ['"x"'])
    add("tables.no_such_table", ["[]"])
    long_key = "k" * 100_000
    # Named, but not 100,000 letters long: the key is cut after 100 characters.
    cases.append((f"items.{long_key}", "{}", f"items.{long_key}"[:100] + "…"))
    add("tables.policies[0].paid_date", ['"' + "2" * 1999 + '"'])
    # Nesting far beyond any manifest: named as the file, not as a key.
    add("company.name", [DEEP], "（文件）")
    add("options.out_dir", ["[" * 500 + "]" * 500])
    return cases


CASES = _cases()


def _id(case: Case) -> str:
    key, token, _ = case
    shown = token if len(token) <= 16 else f"{token[:8]}…{len(token)}"
    key = key if len(key) <= 60 else f"{key[:20]}…{len(key)}"
    return f"{key}={shown}"


@pytest.fixture
def folder(tmp_path: Path, credit_code: Callable[[str], str]) -> tuple[Path, dict[str, Any]]:
    (tmp_path / "scans").mkdir()
    Image.new("L", (600, 800), 255).save(tmp_path / "scan.png")
    Image.new("L", (600, 800), 255).save(tmp_path / "scans" / "scan2.png")
    return tmp_path, base(credit_code("91440400MA4T8E901"))


def _write(folder: Path, doc: dict[str, Any], key: str, token: str) -> Path:
    doc = copy.deepcopy(doc)
    _set(doc, key, HOLE)
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace(json.dumps(HOLE), token)
    path = folder / "manifest.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_family_is_large_and_the_base_is_valid(folder: tuple[Path, dict[str, Any]]) -> None:
    assert len(CASES) >= 130
    tmp, doc = folder
    path = tmp / "manifest.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    m = load_manifest(path)
    assert m.data.selected == ("export_credit_insurance",)
    assert [r.outside for r in m.evidence] == [False, False, False]


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_malformed_manifest_is_refused_naming_the_key(
    folder: tuple[Path, dict[str, Any]], case: Case
) -> None:
    key, token, named = case
    tmp, doc = folder
    path = _write(tmp, doc, key, token)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    message = info.value.message
    assert isinstance(info.value, AppError)
    assert message.startswith("清单文件 manifest.json 有误："), message[:200]
    # the key is named, or a key inside it (rates.EUR.a for an object with an unknown key)
    assert re.search(f"：{re.escape(named)}[：.\\[]", message), message[:300]
    assert CJK.search(message.split(named, 1)[1]), "the reason is in Chinese"
    assert "Traceback" not in message and "Error" not in message
    assert len(message) < 600, "a message, not a dump of the input"


@pytest.mark.parametrize("case", CASES[::9], ids=[_id(c) for c in CASES[::9]])
def test_cli_check_exits_2_with_one_chinese_line(
    folder: tuple[Path, dict[str, Any]], case: Case
) -> None:
    key, token, _named = case
    tmp, doc = folder
    path = _write(tmp, doc, key, token)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(path)], out, err) == 2
    assert err.getvalue().startswith("清单文件 manifest.json 有误："), err.getvalue()[:200]
    assert "内部错误" not in err.getvalue() and out.getvalue() == ""


# -- values at their bounds are accepted and go all the way through check -------------------------

ACCEPTED = [
    ("tables.policies[0].premium", "99999999999999.99"),
    ("tables.policies[0].premium", "0"),
    ("tables.policies[0].premium", "1e3"),
    ("tables.policies[0].premium", "0.000000000001"),
    ("items.export_credit_insurance.requested_cny", "0"),
    ("items.export_credit_insurance.requested_cny", "null"),
    ("rates.EUR", "0.000001"),
    ("rates.CNY", "0.145704"),
    ("options.gutter_mm", "0"),
    ("options.gutter_mm", "50"),
    ("options.gutter_mm", "12.5"),
    ("options.out_dir", '"D:/申报/输出"'),
    ("options.note", "3"),
    ("options.duplex", "null"),
    ("tables.persons[0].contract_months", "36.0"),
    ("tables.certifications[0].currency", '"欧元"'),
    ("tables.policies[0].policy_no", '""'),
    ("company.name", '"' + "名" * 2000 + '"'),
    ("evidence.business_license[0]", '"./scans/../scan.png"'),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=[f"{k}={t[:12]}" for k, t in ACCEPTED])
def test_values_at_their_bounds_are_accepted_and_checked(
    folder: tuple[Path, dict[str, Any]], case: tuple[str, str]
) -> None:
    key, token = case
    tmp, doc = folder
    path = _write(tmp, doc, key, token)
    load_manifest(path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["check", "--json", str(path)], out, err)
    assert code in (0, 1), err.getvalue()
    assert err.getvalue() == ""
    assert json.loads(out.getvalue())["guide"] == "zhuhai-service-trade-2019"


# -- evidence outside the manifest's folder ------------------------------------------------------


def _outside_file(tmp: Path) -> Path:
    secret = tmp.parent / f"{tmp.name}-elsewhere" / "private.png"
    secret.parent.mkdir()
    Image.new("L", (600, 800), 128).save(secret)
    return secret


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "symlinked-folder"])
def test_files_outside_the_manifest_folder_are_refused_unless_allowed(
    folder: tuple[Path, dict[str, Any]], how: str
) -> None:
    tmp, doc = folder
    secret = _outside_file(tmp)
    if how == "dotdot":
        written = f"../{secret.parent.name}/{secret.name}"
    elif how == "absolute":
        written = str(secret)
    elif how == "symlink":
        os.symlink(secret, tmp / "looks-local.png")
        written = "looks-local.png"
    else:
        os.symlink(secret.parent, tmp / "linked")
        written = "linked/private.png"
    doc = copy.deepcopy(doc)
    doc["evidence"]["business_license"] = [written]
    path = tmp / "manifest.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(OutsideFilesError) as info:
        load_manifest(path)
    assert "：evidence.business_license[0]：" in info.value.message
    assert str(secret) in info.value.message and "--allow-outside" in info.value.message
    assert info.value.paths == (secret.resolve(),)

    err = io.StringIO()
    assert main(["check", str(path)], io.StringIO(), err) == 2
    assert "不在清单文件所在的文件夹" in err.getvalue()
    target = tmp / "p.sbproj"
    assert main(["import", str(path), str(target)], io.StringIO(), io.StringIO()) == 2
    assert not target.exists()

    allowed = load_manifest(path, allow_outside=True)
    outside = [r for r in allowed.evidence if r.outside]
    assert [r.path for r in outside] == [secret.resolve()]
    out = io.StringIO()
    assert main(["check", "--allow-outside", str(path)], out, io.StringIO()) in (0, 1)
    assert f"使用了清单文件夹以外的文件：{secret.resolve()}" in out.getvalue()


def test_an_allowed_outside_file_is_imported(folder: tuple[Path, dict[str, Any]]) -> None:
    tmp, doc = folder
    secret = _outside_file(tmp)
    doc = copy.deepcopy(doc)
    doc["evidence"]["business_license"] = [str(secret)]
    path = tmp / "manifest.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    target = tmp / "p.sbproj"
    import_manifest(load_manifest(path, allow_outside=True), target)
    assert target.is_file()
