"""Benchmark: the final build (what the user waits for after pressing 生成) against the reference
pipeline, on a ~300-page packet made of generated scans.

Run by hand (not by pytest)::

    python benchmarks/bench_build.py [--pages 300] [--runs 3]

Work that can be done at import time is done then, as in the program: every scan is imported
once through ``app.intake`` (normalised, EXIF folded, preflighted) and stored in a real project
file (timed separately, as "import"). Then, each run in a fresh child process:

(a) reference: img2pdf (JPEG passthrough) + pikepdf merge + reportlab page-number stamps, from
    the original scans (bench_assemble.run_reference);
(b) ours: ``app.outputs.build.build`` on the project file — cover, 目录, 申请表, generated tables, heading
    bands, page numbers, bookmarks, links, AND the Excel file, Word templates, originals
    checklist and checksums, written atomically.

Prints wall time (median), peak RSS, output size and the ratios, then our figures at 2x and 4x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for p in (str(REPO), str(REPO / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)

import bench_assemble as ba  # noqa: E402


def make_project(manifest: dict[str, object], path: Path, repeat: int) -> float:
    """A project applying for offshore outsourcing whose evidence is the generated scans; returns
    the import time in seconds."""
    from app.guide import DEFAULT_GUIDE_ID
    from app.intake import import_file
    from app.model import Company
    from app.project import ProjectStore

    start = time.perf_counter()
    files = manifest["files"]  # type: ignore[assignment]
    with ProjectStore.create(path, DEFAULT_GUIDE_ID) as store:
        store.set_company(
            Company(
                name="珠海基准测试科技有限公司",
                credit_code="91440400MA4UXXXX0R",
                district="香洲区",
                address="珠海市香洲区测试路1号",
                legal_rep="王测试",
                contact="李联系",
                phone="0756-1234567",
                email="bench@example.com",
                bank="测试银行",
                account="6222000011112222",
            )
        )
        store.set_declaration_confirmed(True)
        store.set_selected(["outsourcing_offshore"])
        store.set_input("outsourcing_offshore", "reported_on_platform", True)
        store.add_row(
            "contracts",
            {
                "name": "离岸软件开发合同",
                "client": "Acme Ltd",
                "country": "美国",
                "business_type": "software_rd",
                "scope": "offshore",
                "currency": "USD",
                "contract_amount": Decimal(2000000),
                "execution_amount": Decimal(1500000),
                "execution_date": dt.date(2018, 6, 30),
            },
        )
        docs = ["oso_contracts", "oso_fx_receipts", "oso_audit_report"]
        imported = {d: [] for d in docs}  # type: ignore[var-annotated]
        for r in range(repeat):
            for n, f in enumerate(files):  # type: ignore[attr-defined]
                imported[docs[(n + r) % len(docs)]].append(import_file(Path(f["scan"])))
        store.add_evidence_many("business_license", None, [imported["oso_contracts"][0]])
        store.add_evidence_many("credit_record", None, [imported["oso_contracts"][1]])
        store.add_evidence_many("oso_platform_screenshot", None, [imported["oso_contracts"][2]])
        for doc, items in imported.items():
            store.add_evidence_many(doc, None, items)
    return time.perf_counter() - start


def run_build(project: Path, out: Path) -> int:
    from app.outputs.build import BuildOptions, build
    from app.project import ProjectStore

    with ProjectStore.open(project) as store:
        result = build(store, out, BuildOptions(), today=dt.date(2019, 2, 1))
    return int(result.pdf.stat().st_size)


def child(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    if args.child == "reference":
        manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
        ba.run_reference(manifest, Path(args.out), from_scans=True)
        size = Path(args.out).stat().st_size
    else:
        size = run_build(Path(args.project), Path(args.out))
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "peak_mb": ba._peak_kib() / 1024, "size": size}))


def measure(cmd_tail: list[str], runs: int) -> dict[str, float]:
    return ba.run_children([sys.executable, __file__, *cmd_tail], runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["reference", "ours"])
    parser.add_argument("--manifest")
    parser.add_argument("--project")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        manifest = ba.generate(work, args.pages)
        files = manifest["files"]
        pages = sum(int(f["pages"]) for f in files)  # type: ignore[attr-defined]
        scan_bytes = sum(Path(f["scan"]).stat().st_size for f in files)  # type: ignore[attr-defined]
        manifest_path = work / "manifest.json"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        print(f"data set: {pages} evidence pages in {len(files)} files, {scan_bytes / 1e6:.0f} MB")  # type: ignore[arg-type]

        def line(name: str, r: dict[str, float]) -> str:
            return (
                f"{name:<40} wall {r['wall']:6.2f} s  peak {r['peak_mb']:6.0f} MB  "
                f"PDF {r['size'] / 1e6:7.1f} MB"
            )

        ref = measure(
            [
                "--child",
                "reference",
                "--manifest",
                str(manifest_path),
                "--out",
                str(work / "ref.pdf"),
            ],
            args.runs,
        )
        print(line("(a) reference: img2pdf + pikepdf + stamps", ref))
        first: dict[str, float] = {}
        for repeat in (1, 2, 4):
            project = work / f"p{repeat}.sbproj"
            took = make_project(manifest, project, repeat)
            ours = measure(
                ["--child", "ours", "--project", str(project), "--out", str(work / f"out{repeat}")],
                args.runs,
            )
            label = f"(b) ours: build, {repeat}x ({pages * repeat} pages)"
            print(line(label, ours) + f"  [import once: {took:.1f} s]")
            if repeat > 1:
                print(
                    f"    {repeat}x/1x: wall {ours['wall'] / first['wall']:.2f}x, "
                    f"peak {ours['peak_mb'] / first['peak_mb']:.2f}x"
                )
            else:
                first = ours
                print(
                    f"    ratios ours/(a): wall {ours['wall'] / ref['wall']:.2f}x, peak "
                    f"{ours['peak_mb'] / ref['peak_mb']:.2f}x, PDF/scan bytes {ours['size'] / scan_bytes:.3f}"
                )


if __name__ == "__main__":
    main()
