"""The bundled sample company through the command line: ``check`` (text and --json), exit codes
for bad input and blocking problems, ``demo`` and ``app.outputs.demo.demo_manifest``."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.cli import main
from app.outputs.demo import SAMPLE_DIR, SAMPLE_MANIFEST, demo_manifest

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2019-02-01"  # before both deadlines of the 2019 guide

# -- the expected figures, worked out by hand from the sample's rows and the guide -----------------
# Year-end 2018 rates (USD per unit): CNY 0.145704, EUR 1.1450.
# Onshore, affiliated contract (CNY 2,000,000) excluded: (4,200,000 + 3,500,000) CNY
#   = 7,700,000 × 0.145704 = 1,121,920.80 USD  -> tier [1M, 5M): 50,000
# Offshore: 680,000 USD + 260,000 EUR × 1.1450 (= 297,700) + 350,000 USD = 1,327,700 USD
#   -> tier [1M, 5M): 100,000
# Total (onshore incl. affiliated + offshore) = 1,121,920.80 + 291,408 + 1,327,700
#   = 2,741,028.80 USD >= 1M, so certification and talent items are open.
# Certifications: 50 % of cost, each <= 100,000: 180,000 -> 90,000; 96,000 -> 48,000 = 138,000
# Talent: 2 persons hired in 2018, salary >= 200,000, contract >= 12 months, tax > 6 months
#   -> 2 × 50,000 = 100,000
# Export credit insurance: premiums 18,600 + 12,400 = 31,000 <= cap 50,000 -> 31,000
EXPECTED_CEILINGS = {
    "outsourcing_onshore": Decimal("50000"),
    "outsourcing_offshore": Decimal("100000"),
    "international_certification": Decimal("138000"),
    "talent_introduction": Decimal("100000"),
    "export_credit_insurance": Decimal("31000"),
}
EXPECTED_TOTAL = Decimal("419000")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def run_main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def assert_clean_error(stderr: str) -> None:
    assert stderr.strip(), "an error must say something"
    assert "Traceback" not in stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in stderr), stderr
    assert len(stderr.strip().splitlines()) <= 3, stderr


# -- check on the bundled sample -------------------------------------------------------------------


def test_check_sample_subprocess_exits_0_with_every_item_eligible() -> None:
    done = run_cli("check", "resources/sample/manifest.json", "--today", TODAY)
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    assert "珠海澳澜智联信息技术有限公司" in text
    assert text.count("符合条件") == len(EXPECTED_CEILINGS)
    assert "不符合条件" not in text
    for title in (
        "服务外包在岸业务",
        "服务外包离岸业务",
        "国际认证",
        "人才引进",
        "服务贸易出口信保",
    ):
        assert title in text
    assert "支持上限 50,000.00 元" in text and "支持上限 138,000.00 元" in text
    assert "申请金额合计：419,000.00 元" in text
    assert "没有必须解决的问题" in text
    assert "Traceback" not in done.stderr


def test_check_sample_json_in_process() -> None:
    code, out, err = run_main("check", str(SAMPLE_MANIFEST), "--json", "--today", TODAY)
    assert code == 0, err
    result = json.loads(out, parse_float=Decimal)
    assert set(result) == {
        "guide",
        "company",
        "items",
        "total_requested_cny",
        "findings",
        "dismissed",  # pages the clerk said are right as they are (此页无误)
        "pages_checked_now",  # pages stored before the page check, judged by this run
    }
    assert result["dismissed"] == [] and result["pages_checked_now"] == 0
    assert result["guide"] == "zhuhai-service-trade-2019"
    assert result["company"] == "珠海澳澜智联信息技术有限公司"
    assert list(result["items"]) == list(EXPECTED_CEILINGS)
    for item_id, body in result["items"].items():
        assert set(body) == {"title", "eligible", "ceiling_cny", "requested_cny", "reasons"}
        assert body["eligible"] is True, (item_id, body["reasons"])
        assert body["ceiling_cny"] == EXPECTED_CEILINGS[item_id], item_id
        assert body["requested_cny"] == EXPECTED_CEILINGS[item_id], item_id
        assert body["reasons"] == []
    assert result["total_requested_cny"] == EXPECTED_TOTAL
    assert result["findings"] == []  # before the deadlines the sample is entirely clean


def test_check_sample_after_the_deadlines_only_warns() -> None:
    code, out, _ = run_main("check", str(SAMPLE_MANIFEST), "--json", "--today", "2019-03-15")
    assert code == 0
    findings = json.loads(out)["findings"]
    assert findings and all(f["severity"] == "warning" for f in findings)
    assert {f["code"] for f in findings} == {"deadline.passed"}
    assert {f["where"] for f in findings} == {
        "deadline.district_review",
        "deadline.final_submission",
    }
    for f in findings:
        assert set(f) == {"code", "severity", "where", "message"}


# -- bad input: exit 2 with one Chinese line ---------------------------------------------------------


def test_missing_file_exits_2_subprocess(tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "没有这个文件.json"))
    assert done.returncode == 2
    assert_clean_error(done.stderr)
    assert "没有这个文件.json" in done.stderr and "找不到" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("garbage.json", "this is { not json", "JSON 格式错误"),
        ("binary.json", "\x00\x01\x02", "JSON 格式错误"),
        ("array.json", "[1, 2, 3]", "应为 JSON 对象"),
        ("notes.txt", "hello", "无法识别"),
    ],
)
def test_garbage_input_exits_2_in_process(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    code, out, err = run_main("check", str(path))
    assert code == 2
    assert_clean_error(err)
    assert expected in err and name in err
    assert out == ""


def test_garbage_input_exits_2_subprocess(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "packet-assembler-manifest", "version": 1', encoding="utf-8")
    done = run_cli("check", str(path), "--json")
    assert done.returncode == 2
    assert_clean_error(done.stderr)
    assert "broken.json" in done.stderr


def test_bad_usage_exits_2() -> None:
    code, _, err = run_main("check")
    assert code == 2
    assert_clean_error(err)


# -- a blocking problem: exit 1 ------------------------------------------------------------------------


def _credit_code(m: dict[str, Any], folder: Path) -> None:
    code = m["company"]["credit_code"]
    m["company"]["credit_code"] = code[:-1] + ("0" if code[-1] != "0" else "1")


def _drop_evidence(m: dict[str, Any], folder: Path) -> None:
    del m["evidence"]["credit_record"]


def _delete_scan(m: dict[str, Any], folder: Path) -> None:
    (folder / m["evidence"]["ic_certificate"]["cert-cmmi"][0]).unlink()


def _small_onshore(m: dict[str, Any], folder: Path) -> None:
    for row in m["tables"]["contracts"]:
        if row["scope"] == "onshore" and not row["affiliated"]:
            row["execution_amount"] = 100000


Change = Callable[[dict[str, Any], Path], None]


@pytest.mark.parametrize(
    ("change", "code", "where"),
    [
        (_credit_code, "company.credit_code.invalid", "company.credit_code"),
        (_drop_evidence, "document.missing", "document.credit_record"),
        (_delete_scan, "evidence.file_missing", "document.ic_certificate.cert-cmmi"),
        (_small_onshore, "item.ineligible", "item.outsourcing_onshore"),
    ],
    ids=["credit-code", "missing-document", "deleted-scan", "onshore-too-small"],
)
def test_blocking_problem_exits_1(tmp_path: Path, change: Change, code: str, where: str) -> None:
    manifest = demo_manifest(tmp_path)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    change(data, manifest.parent)
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    status, out, err = run_main("check", str(manifest), "--json", "--today", TODAY)
    assert status == 1, err
    findings = json.loads(out)["findings"]
    blocking = [f for f in findings if f["severity"] == "blocking"]
    assert (code, where) in {(f["code"], f["where"]) for f in blocking}, blocking
    assert findings[: len(blocking)] == blocking  # blocking first
    assert "Traceback" not in err


def test_blocking_problem_exits_1_subprocess_text(tmp_path: Path) -> None:
    manifest = demo_manifest(tmp_path)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["company"]["legal_rep"] = ""
    manifest.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run_cli("check", str(manifest), "--today", TODAY)
    assert done.returncode == 1
    assert "必须解决的问题" in done.stdout and "法定代表人" in done.stdout
    assert "Traceback" not in done.stderr


# -- demo_manifest and the demo command ----------------------------------------------------------------


def test_demo_manifest_is_a_faithful_copy(tmp_path: Path) -> None:
    path = demo_manifest(tmp_path)
    assert path.name == "manifest.json" and tmp_path in path.parents
    bundled = sorted(p.relative_to(SAMPLE_DIR) for p in SAMPLE_DIR.rglob("*") if p.is_file())
    copied = sorted(p.relative_to(path.parent) for p in path.parent.rglob("*") if p.is_file())
    assert copied == bundled and len(bundled) > 30
    for rel in bundled:
        a = hashlib.sha256((SAMPLE_DIR / rel).read_bytes()).digest()
        assert a == hashlib.sha256((path.parent / rel).read_bytes()).digest(), rel


def test_demo_manifest_twice_replaces_the_copy(tmp_path: Path) -> None:
    first = demo_manifest(tmp_path)
    first.write_text("damaged", encoding="utf-8")
    (first.parent / "leftover.txt").write_text("x", encoding="utf-8")
    second = demo_manifest(tmp_path)
    assert second == first
    assert second.read_bytes() == SAMPLE_MANIFEST.read_bytes()
    assert not (second.parent / "leftover.txt").exists()


def test_demo_command_builds_the_packet(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run_main("demo", "--out", str(out_dir))
    assert code == 0, err
    pdfs = list(out_dir.glob("*申报材料.pdf"))
    assert len(pdfs) == 1
    assert (out_dir / "珠海澳澜智联信息技术有限公司.xlsx").is_file()
    pages = len(PdfReader(pdfs[0]).pages)
    assert pages >= 40  # cover, 目录, form, tables and 32 evidence files (some multi-page)
    assert f"共 {pages} 页" in out
    assert "Traceback" not in err
