"""Inputs for the plan, packet PDF and build tests: a project and its evidence PDFs, made here.

Every evidence page is a real (reportlab) PDF page carrying a unique ASCII marker
``EVID-<file id>-P<n>`` so tests can find each page of the output with pdftotext.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from app.guide import DEFAULT_GUIDE_ID, guide_by_id
from app.guide.model import Guide
from app.model import Company, EvidenceFile, PageInfo, ProjectData, Row
from app.rules.company import uscc_check_char
from app.rules.findings import required_documents

GUIDE: Guide = guide_by_id(DEFAULT_GUIDE_ID)

CREDIT_CODE = "91440400MA4" + "ABCDE1"
CREDIT_CODE = CREDIT_CODE + uscc_check_char(CREDIT_CODE)

COMPANY = Company(
    name="珠海市示例软件科技有限公司",
    credit_code=CREDIT_CODE,
    district="香洲区",
    address="珠海市香洲区唐家湾镇大学路101号科技园3栋508室",
    legal_rep="王大明",
    contact="李小红",
    phone="0756-1234567",
    email="lixh@example.com",
    bank="中国银行珠海分行营业部",
    account="6217 8570 0000 1234 567",
)

ALL_ITEMS = (
    "service_trade_statistics",
    "outsourcing_onshore",
    "outsourcing_offshore",
    "technology_trade",
    "culture_translation",
    "culture_service_export",
    "tcm_projects",
    "international_certification",
    "talent_introduction",
    "talent_training",
    "public_service_center",
    "export_credit_insurance",
)


def marker(file_id: str, page: int) -> str:
    return f"EVID-{file_id}-P{page + 1}"


def evidence_pdf(file_id: str, pages: int, landscape_pages: Iterable[int] = ()) -> bytes:
    """A PDF whose page ``n`` shows the marker of (file_id, n)."""
    wide = set(landscape_pages)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    for n in range(pages):
        size = landscape(A4) if n in wide else A4
        c.setPageSize(size)
        c.setFont("Helvetica", 18)
        c.drawString(60, size[1] / 2, marker(file_id, n))
        c.rect(20, 20, size[0] - 40, size[1] - 40)
        c.showPage()
    c.save()
    return buf.getvalue()


def _rows() -> dict[str, tuple[Row, ...]]:
    d = dt.date
    contracts = (
        Row(
            "c1",
            {
                "name": "移动银行App外包开发合同",
                "client": "澳门某银行股份有限公司",
                "country": "中国澳门",
                "business_type": "software_rd",
                "scope": "offshore",
                "affiliated": False,
                "currency": "USD",
                "contract_amount": Decimal("2500000"),
                "execution_amount": Decimal("2100000.50"),
                "execution_date": d(2018, 6, 30),
            },
        ),
        Row(
            "c2",
            {
                "name": "数据中心运维服务合同",
                "client": "广州某科技有限公司",
                "country": "中国",
                "business_type": "it_operations",
                "scope": "onshore",
                "affiliated": False,
                "currency": "CNY",
                "contract_amount": Decimal("9000000"),
                "execution_amount": Decimal("8000000"),
                "execution_date": d(2018, 11, 15),
            },
        ),
        Row(
            "c3",
            {
                "name": "集团内部财务共享服务协议",
                "client": "本集团香港控股有限公司",
                "country": "中国香港",
                "business_type": "financial_back_office",
                "scope": "onshore",
                "affiliated": True,
                "currency": "HKD",
                "contract_amount": Decimal("1000000"),
                "execution_amount": Decimal("800000"),
                "execution_date": d(2018, 3, 1),
            },
        ),
    )
    certs = (
        Row(
            "r_cmmi",
            {
                "name": "CMMI 5级",
                "kind": "new",
                "certificate_no": "CMMI-2018-0001",
                "issuer": "CMMI Institute",
                "obtained_date": d(2018, 8, 8),
                "currency": "CNY",
                "cost": Decimal("150000"),
            },
        ),
        Row(
            "r_iso",
            {
                "name": "ISO27001/BS7799",
                "kind": "maintenance",
                "certificate_no": "ISMS-0427",
                "issuer": "BSI",
                "obtained_date": d(2018, 4, 2),
                "currency": "CNY",
                "cost": Decimal("60000"),
            },
        ),
    )
    persons = (
        Row(
            "p1",
            {
                "name": "张三",
                "id_number": "440402199001011234",
                "degree": "master",
                "position": "架构师",
                "hire_date": d(2018, 3, 1),
                "contract_months": 36,
                "annual_salary": Decimal("360000"),
                "tax_months": 10,
            },
        ),
    )
    policies = (
        Row(
            "pol1",
            {
                "policy_no": "SINO-2018-778899",
                "insurer": "中国出口信用保险公司广东分公司",
                "insured_business": "软件出口服务",
                "period": "2018-01-01至2018-12-31",
                "premium": Decimal("36500.00"),
                "paid_date": d(2018, 2, 10),
            },
        ),
    )
    tcm = (
        Row(
            "t1",
            {
                "name": "澳门中医康复培训项目",
                "kind": "training",
                "partner": "澳门某中医学会",
                "country": "中国澳门",
                "currency": "USD",
                "revenue": Decimal("400000"),
                "income_date": dt.date(2018, 9, 30),
            },
        ),
    )
    trainees = tuple(
        Row(
            f"tr{i}",
            {
                "name": f"学员{i}",
                "course": "软件测试",
                "start_date": d(2018, 3, 1),
                "end_date": d(2018, 5, 1),
            },
        )
        for i in range(200)
    )
    costs = (
        Row(
            "k1",
            {
                "center": "info_center",
                "category": "server",
                "description": "云服务器租赁",
                "date": d(2018, 5, 1),
                "amount": Decimal("120000"),
            },
        ),
    )
    return {
        "contracts": contracts,
        "certifications": certs,
        "persons": persons,
        "policies": policies,
        "tcm_projects": tcm,
        "trainees": trainees,
        "costs": costs,
    }


INPUTS = {
    "service_trade_statistics": {
        "reported_on_platform": True,
        "registered_currency": "USD",
        "registered_amount": Decimal("800000"),
    },
    "outsourcing_onshore": {"reported_on_platform": True},
    "outsourcing_offshore": {"reported_on_platform": True},
    "technology_trade": {
        "introduced_foreign_tech": True,
        "funding_received": True,
        "funding_level": "provincial",
        "import_currency": "USD",
        "import_amount": Decimal("100000"),
        "actual_cost": Decimal("250000"),
    },
    "culture_translation": {"in_catalogue": True, "translation_cost": Decimal("45678.9")},
    "culture_service_export": {
        "in_catalogue": True,
        "export_currency": "USD",
        "export_amount": Decimal("600000"),
    },
    "talent_training": {
        "on_record": True,
        "funding_received": True,
        "course_months": Decimal("2"),
        "trainee_count": 200,
    },
    "public_service_center": {"provincial_funded": True},
    "export_credit_insurance": {"service_trade_insurance": True},
}


def project(
    selected: Sequence[str],
    pages: int = 1,
    files_per_document: int = 1,
    missing: Iterable[str] = (),
    company: Company = COMPANY,
) -> ProjectData:
    """A complete project for ``selected`` (guide order), with every required document attached
    (``files_per_document`` files of ``pages`` pages each) except the documents in ``missing``."""
    chosen = tuple(i for i in GUIDE.item_ids if i in selected)
    base = ProjectData(
        guide_id=GUIDE.id,
        company=company,
        selected=chosen,
        inputs={k: v for k, v in INPUTS.items() if k in chosen},
        tables=_rows(),
    )
    skip = set(missing)
    files: list[EvidenceFile] = []
    for doc_id, row_id in required_documents(GUIDE, base):
        if doc_id in skip:
            continue
        for k in range(files_per_document):
            fid = f"{doc_id}-{row_id or 'x'}-{k}"
            files.append(
                EvidenceFile(
                    id=fid,
                    document_id=doc_id,
                    row_id=row_id,
                    name=f"{doc_id}_{k}.pdf",
                    sha256=f"{len(files):064x}",
                    size=1000 + k,
                    order=k,
                    pages=tuple(PageInfo(595.28, 841.89, 0, None) for _ in range(pages)),
                )
            )
    return ProjectData(
        guide_id=base.guide_id,
        company=base.company,
        selected=base.selected,
        inputs=base.inputs,
        tables=base.tables,
        evidence=tuple(files),
        declaration_confirmed=True,
    )


class MemorySource:
    """Project data plus evidence PDFs held in memory (an ``EvidenceSource``)."""

    def __init__(self, data: ProjectData, landscape_pages: Iterable[int] = ()) -> None:
        self.data = data
        wide = tuple(landscape_pages)
        self.pdfs = {f.id: evidence_pdf(f.id, f.page_count, wide) for f in data.evidence}
        self.originals = {f.id: f"original bytes of {f.name}".encode() for f in data.evidence}

    def load(self) -> ProjectData:
        return self.data

    def evidence_pdf(self, file_id: str) -> bytes:
        return self.pdfs[file_id]

    def evidence_original(self, file_id: str) -> bytes:
        return self.originals[file_id]
