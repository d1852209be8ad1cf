"""Writing the sample: every scan into ``scans/``, then ``manifest.json`` naming them with the
company, items, tables and options."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PIL import Image

from tools.sample.audit import audit_report_pdf
from tools.sample.certificates import (
    business_license,
    certificate_iso,
    certificate_landscape,
    certification_report,
)
from tools.sample.contracts import consulting_contract, contract_pages
from tools.sample.data import (
    BUSINESS_TYPE_NAMES,
    CERTIFICATIONS,
    COMPANY,
    CONTRACTS,
    PERSONS,
    POLICIES,
    RATES,
    D,
    offshore_usd,
    onshore_usd,
)
from tools.sample.draw import save_jpeg, save_png, save_tiff_g4
from tools.sample.finance import (
    fee_vouchers,
    fx_receipts,
    invoice_page,
    invoices_summary,
    premium_invoices,
    premium_notice,
    sheet_of_slips,
)
from tools.sample.personnel import identity_degree, labour_contract, social_security, tax_statement
from tools.sample.screens import credit_screenshot, platform_screenshot


def json_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return "\u0000dec:" + str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def dumps(obj: Any) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000dec:([^"]+)"', r"\1", text)


def generate(out: Path) -> dict[str, Any]:
    scans = out / "scans"
    scans.mkdir(parents=True, exist_ok=True)
    for old in scans.iterdir():
        old.unlink()
    evidence: dict[str, Any] = {}

    def put(
        doc_id: str, name: str, make: Callable[[Path], None], row_id: str | None = None
    ) -> None:
        path = scans / name
        make(path)
        rel = f"scans/{name}"
        if row_id is None:
            evidence.setdefault(doc_id, []).append(rel)
        else:
            evidence.setdefault(doc_id, {}).setdefault(row_id, []).append(rel)

    def jpeg(img: Image.Image, orientation: int | None = None) -> Callable[[Path], None]:
        return lambda p: save_jpeg(img, p, orientation)

    put("business_license", "营业执照副本.jpg", jpeg(business_license(11)))
    put("credit_record", "信用中国查询截图.png", lambda p: save_png(credit_screenshot(), p))
    put(
        "oso_platform_screenshot",
        "服务外包平台填报截图.png",
        lambda p: save_png(platform_screenshot(), p),
    )
    put("oso_audit_report", "2018年度审计报告.pdf", lambda p: p.write_bytes(audit_report_pdf()))
    for k, row in enumerate(CONTRACTS):
        name = f"合同{k + 1:02d}-{row['name']}"
        if row["id"] == "ct-02":
            pages = contract_pages(row, 100 + k, two_pages=True)
            put("oso_contracts", f"{name}.tif", lambda p, pages=pages: save_tiff_g4(pages, p))
        else:
            put("oso_contracts", f"{name}.jpg", jpeg(contract_pages(row, 100 + k)[0]))
    put("oso_invoices", "在岸业务发票汇总清单.jpg", jpeg(invoices_summary()))
    onshore = [r for r in CONTRACTS if r["scope"] == "onshore" and not r["affiliated"]]
    put(
        "oso_invoices",
        "在岸业务发票复印件.jpg",
        jpeg(
            sheet_of_slips(
                [
                    invoice_page(
                        51 + k,
                        r["client"],
                        BUSINESS_TYPE_NAMES[r["business_type"]],
                        (r["execution_amount"] * D("0.3")).quantize(D("0.01")),
                        r["execution_date"],
                        COMPANY["name"],
                    )
                    for k, r in enumerate(onshore)
                ],
                55,
                "在岸业务增值税专用发票（复印件，节选）",
                gray=True,
            )
        ),
    )
    offshore = [r for r in CONTRACTS if r["scope"] == "offshore"]
    put("oso_fx_receipts", "收汇凭证-1.jpg", jpeg(fx_receipts(offshore[:2], 81)))
    put("oso_fx_receipts", "收汇凭证-2.jpg", jpeg(fx_receipts(offshore[2:], 85)))
    put(
        "ic_application_report",
        "国际资质认证奖励申请报告-签字盖章.jpg",
        jpeg(certification_report()),
    )
    for k, row in enumerate(CERTIFICATIONS):
        cert = certificate_landscape(row) if row["name"] == "CMMI" else certificate_iso(row)
        short = "CMMI" if row["name"] == "CMMI" else "ISO27001"
        put("ic_certificate", f"{short}证书.jpg", jpeg(cert), row["id"])
        put(
            "ic_consulting_contract",
            f"{short}认证咨询合同.jpg",
            jpeg(consulting_contract(row, 200 + k)),
            row["id"],
        )
        put(
            "ic_fee_vouchers",
            f"{short}认证费用发票及付款凭证.jpg",
            jpeg(fee_vouchers(row, 210 + 3 * k)),
            row["id"],
        )
    for k, person in enumerate(PERSONS):
        n = person["name"]
        rid = person["id"]
        put(
            "ti_identity_degree",
            f"{n}-身份证及学历证书.jpg",
            jpeg(identity_degree(person, 300 + k)),
            rid,
        )
        contract = labour_contract(person, 310 + k)
        if k == 1:  # photographed with a phone: pixels stored turned, EXIF says "rotate 90° CW"
            put(
                "ti_labour_contract",
                f"{n}-劳动合同（手机拍摄）.jpg",
                jpeg(contract.rotate(90, expand=True), orientation=6),
                rid,
            )
        else:
            put("ti_labour_contract", f"{n}-劳动合同.jpg", jpeg(contract), rid)
        put(
            "ti_income_tax",
            f"{n}-个人所得税纳税记录.jpg",
            jpeg(tax_statement(person, 320 + k)),
            rid,
        )
        put(
            "ti_social_security",
            f"{n}-社保缴费明细.jpg",
            jpeg(social_security(person, 330 + k)),
            rid,
        )
    for k, pol in enumerate(POLICIES):
        put("eci_premium_notices", f"保险费通知书-{k + 1}.jpg", jpeg(premium_notice(pol, 400 + k)))
    put("eci_premium_invoices", "保险费发票.jpg", jpeg(premium_invoices()))

    def rows(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: json_value(v) for k, v in r.items()} for r in table]

    manifest: dict[str, Any] = {
        "format": "packet-assembler-manifest",
        "version": 1,
        "guide": "zhuhai-service-trade-2019",
        "company": COMPANY,
        "items": {
            "outsourcing_onshore": {
                "selected": True,
                "inputs": {
                    "reported_on_platform": True,
                    "platform_amount_usd": json_value(onshore_usd().quantize(D("0.01"))),
                },
            },
            "outsourcing_offshore": {
                "selected": True,
                "inputs": {
                    "reported_on_platform": True,
                    "platform_amount_usd": json_value(offshore_usd().quantize(D("0.01"))),
                },
            },
            "international_certification": {"selected": True},
            "talent_introduction": {"selected": True},
            "export_credit_insurance": {
                "selected": True,
                "inputs": {"service_trade_insurance": True},
                "requested_cny": json_value(sum((p["premium"] for p in POLICIES), D(0))),
            },
        },
        "tables": {
            "contracts": rows(CONTRACTS),
            "certifications": rows(CERTIFICATIONS),
            "persons": rows(PERSONS),
            "policies": rows(POLICIES),
        },
        "rates": {"EUR": json_value(RATES["EUR"].value)},
        "declaration_confirmed": True,
        "evidence": evidence,
        "options": {"duplex": False, "gutter_mm": 25, "repeat_shared": False},
    }
    (out / "manifest.json").write_text(dumps(manifest) + "\n", encoding="utf-8")
    return manifest
