"""Shared fixtures for the core-rules tests: the shipped guide, the small second guide, and
builders for app.model.ProjectData, rows, evidence files and a valid company.

Builders are handed out as fixtures (factories) so test modules need no imports from here.
"""

from __future__ import annotations

import atexit
import datetime as dt
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.guide import CHECKLIST_DIR, Guide, load_guide
from app.model import Company, EvidenceFile, PageInfo, ProjectData, Row, Value
from app.rules.company import uscc_check_char

# No test reads or writes the user's own cache folder (the font cache): one temporary folder for
# the whole run, inherited by the programs the tests start.
_CACHE = Path(tempfile.mkdtemp(prefix="packet-assembler-test-cache-"))
os.environ["PACKET_ASSEMBLER_CACHE"] = str(_CACHE)
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

SHIPPED_2019 = CHECKLIST_DIR / "zhuhai-2019.toml"
DATA_DIR = Path(__file__).resolve().parent / "data"
MINI_2020 = DATA_DIR / "guide-2020-mini.toml"

_ids = itertools.count(1)


def valid_credit_code(first17: str = "91440400MA4UXXXXX") -> str:
    """A credit code whose check character is right (computed, not copied)."""
    return first17 + uscc_check_char(first17)


def _row(row_id: str | None = None, **values: Value) -> Row:
    return Row(id=row_id or f"r{next(_ids):04d}", values=dict(values))


def _evidence(
    document_id: str,
    row_id: str | None = None,
    *,
    name: str | None = None,
    dpi: float | None = 300.0,
    pages: int = 1,
    order: int = 0,
) -> EvidenceFile:
    n = next(_ids)
    return EvidenceFile(
        id=f"e{n:04d}",
        document_id=document_id,
        row_id=row_id,
        name=name or f"{document_id}-{n}.pdf",
        sha256=f"{n:064x}",
        size=1000 + n,
        order=order,
        pages=tuple(
            PageInfo(width_pt=595.0, height_pt=842.0, source_rotation=0, dpi=dpi)
            for _ in range(pages)
        ),
    )


def _company(**changes: str) -> Company:
    base: dict[str, str] = {
        "name": "珠海示例软件有限公司",
        "credit_code": valid_credit_code(),
        "district": "香洲区",
        "address": "珠海市香洲区示例路1号",
        "legal_rep": "张三",
        "contact": "李四",
        "phone": "0756-1234567",
        "email": "contact@example.com",
        "bank": "中国银行珠海分行",
        "account": "6217000000000000",
    }
    base.update(changes)
    return Company(**base)


ProjectBuilder = Callable[..., ProjectData]


def _builder(guide_id: str) -> ProjectBuilder:
    def build(
        *selected: str,
        inputs: Mapping[str, Mapping[str, Value]] | None = None,
        tables: Mapping[str, Iterable[Row]] | None = None,
        company: Company | None = None,
        rates: Mapping[str, Decimal] | None = None,
        requested: Mapping[str, Decimal] | None = None,
        evidence: Iterable[EvidenceFile] = (),
        declaration_confirmed: bool = True,
    ) -> ProjectData:
        return ProjectData(
            guide_id=guide_id,
            company=company if company is not None else _company(),
            selected=tuple(selected),
            inputs={k: dict(v) for k, v in (inputs or {}).items()},
            tables={k: tuple(v) for k, v in (tables or {}).items()},
            rates=dict(rates or {}),
            requested=dict(requested or {}),
            evidence=tuple(evidence),
            declaration_confirmed=declaration_confirmed,
        )

    return build


@pytest.fixture(scope="session")
def guide() -> Guide:
    """The shipped 2019 guide, loaded by the real loader."""
    return load_guide(SHIPPED_2019)


@pytest.fixture(scope="session")
def guide_text() -> str:
    """The shipped 2019 guide file's text (bad files are made by editing it)."""
    return SHIPPED_2019.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def mini_guide() -> Guide:
    """The small, different 2020 guide in tests/data (same code, another year)."""
    return load_guide(MINI_2020)


@pytest.fixture
def project(guide: Guide) -> ProjectBuilder:
    """``project("item_a", "item_b", inputs=..., tables=..., evidence=...)`` -> ProjectData
    for the 2019 guide, with a valid company unless ``company=`` is given."""
    return _builder(guide.id)


@pytest.fixture
def mini_project(mini_guide: Guide) -> ProjectBuilder:
    return _builder(mini_guide.id)


@pytest.fixture
def row() -> Callable[..., Row]:
    """``row(col=value, ...)`` (optionally ``row_id=``) -> Row with a unique id."""
    return _row


@pytest.fixture
def contract() -> Callable[..., Row]:
    """An outsourcing contract row: ``contract(amount, scope="onshore", ...)``.

    ``amount`` is the execution amount (the contract amount is the same unless given)."""

    def make(
        amount: Decimal | str | int,
        scope: str = "onshore",
        *,
        currency: str = "USD",
        date: dt.date = dt.date(2018, 6, 30),
        affiliated: bool = False,
        contract_amount: Decimal | None = None,
        name: str | None = None,
    ) -> Row:
        amt = Decimal(amount)
        return _row(
            name=name or f"合同{next(_ids)}",
            client="客户公司",
            country="美国" if scope == "offshore" else "中国",
            business_type="software_rd",
            scope=scope,
            affiliated=affiliated,
            currency=currency,
            contract_amount=contract_amount if contract_amount is not None else amt,
            execution_amount=amt,
            execution_date=date,
        )

    return make


@pytest.fixture
def evidence() -> Callable[..., EvidenceFile]:
    """``evidence(document_id, row_id=None, dpi=300.0, pages=1)`` -> EvidenceFile."""
    return _evidence


@pytest.fixture
def company() -> Callable[..., Company]:
    """``company(**changes)`` -> a Company that passes every check, with changes applied."""
    return _company


@pytest.fixture
def credit_code() -> Callable[[str], str]:
    return valid_credit_code


def pytest_make_parametrize_id(config: Any, val: object, argname: str) -> str | None:
    """Readable ids for Decimal parameters (999999.99 rather than val0)."""
    if isinstance(val, Decimal):
        return str(val)
    return None
