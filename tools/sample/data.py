"""The sample company's data: the manifest is written from it, so scans and figures agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from app.model import Rate
from app.rules.company import uscc_check_char
from app.rules.evaluation import to_decimal

CREDIT_CODE_17 = "91440400MA52XK7R3"
COMPANY: dict[str, str] = {
    "name": "珠海澳澜智联信息技术有限公司",
    "credit_code": CREDIT_CODE_17 + uscc_check_char(CREDIT_CODE_17),
    "district": "高新区",
    "address": "珠海市高新区唐家湾镇示范路88号创新大厦12层",
    "legal_rep": "梁志远",
    "contact": "黄晓敏",
    "phone": "0756-3123456",
    "email": "shenbao@aolan-demo.example",
    "bank": "粤海示范银行珠海高新支行",
    "account": "80020000000012345678",
}
SHORT_NAME = "澳澜智联"

D = Decimal
CONTRACTS: list[dict[str, Any]] = [
    {
        "id": "ct-01",
        "name": "跨境电商平台软件开发服务合同",
        "client": "Northwind Commerce Inc.",
        "country": "美国",
        "business_type": "software_rd",
        "scope": "offshore",
        "affiliated": False,
        "currency": "USD",
        "contract_amount": D("900000"),
        "execution_amount": D("680000"),
        "execution_date": dt.date(2018, 6, 28),
    },
    {
        "id": "ct-02",
        "name": "工业产品外观设计外包合同",
        "client": "Rheinblick Design GmbH",
        "country": "德国",
        "business_type": "industrial_design",
        "scope": "offshore",
        "affiliated": False,
        "currency": "EUR",
        "contract_amount": D("300000"),
        "execution_amount": D("260000"),
        "execution_date": dt.date(2018, 9, 14),
    },
    {
        "id": "ct-03",
        "name": "数据中心运行维护服务协议",
        "client": "Harbourline Logistics Ltd.",
        "country": "中国香港",
        "business_type": "it_operations",
        "scope": "offshore",
        "affiliated": False,
        "currency": "USD",
        "contract_amount": D("350000"),
        "execution_amount": D("350000"),
        "execution_date": dt.date(2018, 11, 30),
    },
    {
        "id": "ct-04",
        "name": "智慧园区信息技术解决方案服务合同",
        "client": "佛山市示范智造有限公司",
        "country": "中国",
        "business_type": "it_solutions",
        "scope": "onshore",
        "affiliated": False,
        "currency": "CNY",
        "contract_amount": D("5000000"),
        "execution_amount": D("4200000"),
        "execution_date": dt.date(2018, 8, 20),
    },
    {
        "id": "ct-05",
        "name": "零售大数据分析服务合同",
        "client": "深圳市示范零售连锁有限公司",
        "country": "中国",
        "business_type": "big_data",
        "scope": "onshore",
        "affiliated": False,
        "currency": "CNY",
        "contract_amount": D("3500000"),
        "execution_amount": D("3500000"),
        "execution_date": dt.date(2018, 12, 10),
    },
    {
        "id": "ct-06",
        "name": "集团共享服务中心IT支持服务协议",
        "client": "澳澜控股集团有限公司",
        "country": "中国",
        "business_type": "it_operations",
        "scope": "onshore",
        "affiliated": True,
        "currency": "CNY",
        "contract_amount": D("2000000"),
        "execution_amount": D("2000000"),
        "execution_date": dt.date(2018, 10, 31),
    },
]
CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "id": "cert-cmmi",
        "name": "CMMI",
        "kind": "new",
        "certificate_no": "SAMPLE-CMMI-2018-0361",
        "issuer": "示范过程改进评估中心",
        "obtained_date": dt.date(2018, 7, 16),
        "currency": "CNY",
        "cost": D("180000"),
    },
    {
        "id": "cert-iso27001",
        "name": "ISO27001/BS7799",
        "kind": "new",
        "certificate_no": "ISMS-SAMPLE-18-0729",
        "issuer": "华南示范认证有限公司",
        "obtained_date": dt.date(2018, 10, 22),
        "currency": "CNY",
        "cost": D("96000"),
    },
]
PERSONS: list[dict[str, Any]] = [
    {
        "id": "person-01",
        "name": "周明轩",
        "id_number": "440400********0016",
        "degree": "master",
        "position": "高级算法工程师",
        "hire_date": dt.date(2018, 3, 1),
        "contract_months": 36,
        "annual_salary": D("360000"),
        "tax_months": 10,
    },
    {
        "id": "person-02",
        "name": "何静怡",
        "id_number": "440400********0024",
        "degree": "doctor",
        "position": "数据安全架构师",
        "hire_date": dt.date(2018, 5, 14),
        "contract_months": 36,
        "annual_salary": D("420000"),
        "tax_months": 7,
    },
]
POLICIES: list[dict[str, Any]] = [
    {
        "id": "policy-01",
        "policy_no": "SAMPLE-ECI-2018-0117",
        "insurer": "示范出口信用保险公司广东分公司",
        "insured_business": "软件研发服务出口（美国）",
        "period": "2018-04-01 至 2019-03-31",
        "premium": D("18600"),
        "paid_date": dt.date(2018, 4, 12),
    },
    {
        "id": "policy-02",
        "policy_no": "SAMPLE-ECI-2018-0388",
        "insurer": "示范出口信用保险公司广东分公司",
        "insured_business": "工业设计服务出口（德国）",
        "period": "2018-09-01 至 2019-08-31",
        "premium": D("12400"),
        "paid_date": dt.date(2018, 9, 7),
    },
]
# As the guide file quotes them (SAFE's table): CNY per USD, USD per EUR.
RATES = {"USD": Rate(D("1")), "CNY": Rate(D("6.8632")), "EUR": Rate(D("1.1450"), "usd_per")}
BUSINESS_TYPE_NAMES = {
    "software_rd": "软件研发服务",
    "industrial_design": "工业设计服务",
    "it_operations": "信息技术运营和维护服务",
    "it_solutions": "信息技术解决方案服务",
    "big_data": "大数据服务",
}
DEGREE_NAMES = {"master": "硕士研究生", "doctor": "博士研究生"}


def usd(row: dict[str, Any]) -> Decimal:
    return to_decimal(RATES[row["currency"]].to_usd(row["execution_amount"]))


def onshore_usd() -> Decimal:
    return sum((usd(r) for r in CONTRACTS if r["scope"] == "onshore" and not r["affiliated"]), D(0))


def offshore_usd() -> Decimal:
    return sum((usd(r) for r in CONTRACTS if r["scope"] == "offshore"), D(0))


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"
