"""Projects for the workbook, templates and originals tests (plain data, built here)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.guide import DEFAULT_GUIDE_ID, Guide, guide_by_id
from app.model import Company, ProjectData, Rate, Row

D = Decimal


def guide() -> Guide:
    return guide_by_id(DEFAULT_GUIDE_ID)


COMPANY = Company(
    name="珠海/测试:科技有限公司",
    credit_code="91440400MA4UXXXX0R",
    district="香洲区",
    address="珠海市香洲区情侣中路 1 号",
    legal_rep="张三",
    contact="李四",
    phone="0756-1234567",
    email="li@example.com",
    bank="中国银行珠海分行",
    account="6217000000000000001",
)


def contracts() -> tuple[Row, ...]:
    def row(rid: str, **values: object) -> Row:
        return Row(id=rid, values=values)  # type: ignore[arg-type]

    return (
        row(
            "c1",
            name="=HYPERLINK(软件开发合同)",
            client="香港甲公司",
            country="中国香港",
            business_type="software_rd",
            scope="offshore",
            affiliated=False,
            currency="USD",
            contract_amount=D("3000000"),
            execution_amount=D("2500000.50"),
            execution_date=dt.date(2018, 6, 30),
        ),
        row(
            "c2",
            name="数据处理合同",
            client="广州乙公司",
            country="中国",
            business_type="big_data",
            scope="onshore",
            affiliated=False,
            currency="CNY",
            contract_amount=D("10000000"),
            execution_amount=D("8000000"),
            execution_date=dt.date(2018, 9, 1),
        ),
        row(
            "c3",
            name="集团内部运维合同",
            client="珠海丙集团",
            country="中国",
            business_type="it_operations",
            scope="onshore",
            affiliated=True,
            currency="CNY",
            contract_amount=D("1000000"),
            execution_amount=D("1000000"),
            execution_date=dt.date(2018, 3, 1),
        ),
        row(
            "c4",
            name="往年呼叫中心合同",
            client="澳门丁公司",
            country="中国澳门",
            business_type="call_center",
            scope="offshore",
            currency="HKD",
            contract_amount=D("500000"),
            execution_amount=D("400000"),
            execution_date=dt.date(2017, 12, 31),
        ),
    )


def certifications() -> tuple[Row, ...]:
    return (
        Row(
            "k1",
            {
                "name": "CMMI",
                "kind": "new",
                "certificate_no": "CMMI-2018-001",
                "issuer": "CMMI Institute",
                "obtained_date": dt.date(2018, 5, 20),
                "currency": "CNY",
                "cost": D("300000"),
            },
        ),
        Row(
            "k2",
            {
                "name": "ISO27001/BS7799",
                "kind": "maintenance",
                "certificate_no": "ISMS-77",
                "issuer": "BSI",
                "obtained_date": dt.date(2018, 11, 2),
                "currency": "USD",
                "cost": D("10000"),
            },
        ),
    )


def tcm_rows() -> tuple[Row, ...]:
    return (
        Row(
            "t1",
            {
                "name": "澳门中医诊疗",
                "kind": "medical",
                "partner": "澳门戊医院",
                "country": "中国澳门",
                "currency": "USD",
                "revenue": D("200000"),
                "income_date": dt.date(2018, 8, 31),
            },
        ),
        Row(
            "t2",
            {
                "name": "葡萄牙针灸培训",
                "kind": "training",
                "partner": "里斯本己学院",
                "country": "葡萄牙",
                "currency": "EUR",
                "revenue": D("150000"),
                "income_date": dt.date(2018, 11, 30),
            },
        ),
    )


def project(selected: tuple[str, ...]) -> ProjectData:
    """A company applying for ``selected`` with rows for every table those items use."""
    return ProjectData(
        guide_id=DEFAULT_GUIDE_ID,
        company=COMPANY,
        selected=selected,
        inputs={
            "outsourcing_onshore": {"reported_on_platform": True},
            "outsourcing_offshore": {"reported_on_platform": True},
            "service_trade_statistics": {
                "reported_on_platform": True,
                "registered_currency": "USD",
                "registered_amount": D("800000"),
            },
            "technology_trade": {
                "introduced_foreign_tech": True,
                "funding_received": True,
                "funding_level": "provincial",
                "import_currency": "EUR",
                "import_amount": D("200000"),
                "actual_cost": D("250000"),
            },
        },
        tables={
            "contracts": contracts(),
            "certifications": certifications(),
            "tcm_projects": tcm_rows(),
        },
        rates={"HKD": Rate(D("0.128"), "usd_per")},
        requested={"outsourcing_offshore": D("80000")},
        declaration_confirmed=True,
    )
