"""A desk of applications for the review tests: the sample's project file, its manifest, a
built sample packet, a project with problems, a damaged project file and a packet whose PDF was
changed after the build. Built once per session (building the sample takes a few seconds)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.manifest.load import load_manifest
from app.manifest.transfer import import_manifest
from app.outputs.build import SUMS_NAME, BuildOptions, build
from app.outputs.demo import demo_manifest
from app.project import ProjectStore

TODAY = dt.date(2019, 2, 1)
SAMPLE_NAME = "珠海澳澜智联信息技术有限公司"
SAMPLE_CODE = "91440400MA52XK7R3F"
PROBLEM_NAME = "珠海问题示例有限公司"


@dataclass(frozen=True)
class Desk:
    root: Path
    project: Path
    manifest: Path
    packet: Path
    problem: Path
    damaged: Path
    tampered: Path


def resum(folder: Path) -> None:
    """Rewrite a packet's checksums after a test changed a file on purpose (so that only the
    check under test fails)."""
    sums = folder / SUMS_NAME
    lines = []
    for line in sums.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rel = line.split("  ", 1)[1]
            line = f"{hashlib.sha256((folder / rel).read_bytes()).hexdigest()}  {rel}"
        lines.append(line)
    sums.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_desk(root: Path) -> Desk:
    root.mkdir(parents=True, exist_ok=True)
    manifest = demo_manifest(root / "清单")
    project = root / "示例企业.sbproj"
    import_manifest(load_manifest(manifest), project)
    packet = root / "申报材料" / "示例企业"
    with ProjectStore.open(project) as store:
        build(store, packet, BuildOptions(), today=TODAY)

    problem = root / "问题企业.sbproj"
    shutil.copyfile(project, problem)
    with ProjectStore.open(problem) as store:
        store.set_company_fields(
            {"name": PROBLEM_NAME, "credit_code": "91440400MA4UXXXX0R", "district": "香洲区"}
        )
        data = store.load()
        licence = next(f for f in data.evidence if f.name.startswith("营业执照"))
        store.remove_evidence(licence.id)

    damaged = root / "损坏.sbproj"
    damaged.write_bytes(project.read_bytes()[:8192])

    tampered = root / "申报材料" / "被修改"
    shutil.copytree(packet, tampered)
    (pdf,) = tampered.glob("*-申报材料.pdf")
    with pdf.open("ab") as fh:
        fh.write(b"\n% changed after the build\n")
    return Desk(root, project, manifest, packet, problem, damaged, tampered)


@pytest.fixture(scope="session")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    yield make_desk(tmp_path_factory.mktemp("desk") / "汇总")
