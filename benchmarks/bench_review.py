"""Benchmark: ``review`` over many companies (the association's desk), the whole command as a
user runs it: finding the sources, checking each, writing the summary workbook.

Run by hand (not by pytest)::

    python benchmarks/bench_review.py [--companies 100] [--manifests 10] [--runs 3]

The companies are generated here, not kept in the repository: the sample company (32 scans,
44 pages) is imported once into a project file and built once into a packet folder; then each
company is a copy of that project file under its own name and credit code, and of that packet
folder. Measured, each in a fresh child process (median wall time, peak RSS):

(a) N project files; (b) N built packet folders (checksums, PDF, 目录 and Excel verified);
(c) both together (2N sources, duplicates by credit code reported); (d) M manifests, which
``check`` (and so ``review``) reads by importing every scan again — reported per manifest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for p in (str(REPO), str(REPO / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)

import bench_assemble as ba  # noqa: E402

TODAY = dt.date(2019, 2, 1)
DISTRICTS = ["香洲区", "金湾区", "斗门区", "高新区", "横琴新区", "高栏港经济区"]


def generate(work: Path, companies: int, manifests: int) -> dict[str, Path]:
    from app.manifest.load import load_manifest
    from app.manifest.transfer import import_manifest
    from app.outputs.build import BuildOptions, build
    from app.outputs.demo import demo_manifest
    from app.project import ProjectStore
    from app.rules.company import uscc_check_char

    base = work / "base.sbproj"
    import_manifest(load_manifest(demo_manifest(work / "sample")), base)
    with ProjectStore.open(base) as store:
        build(store, work / "base-packet", BuildOptions(), today=TODAY)
    projects, packets, mans = work / "projects", work / "packets", work / "manifests"
    for n in range(1, companies + 1):
        path = projects / f"企业{n:03d}.sbproj"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base, path)
        first17 = f"91440400MA{n:07d}"
        with ProjectStore.open(path) as store:
            store.set_company_fields(
                {
                    "name": f"珠海基准测试第{n:03d}号科技有限公司",
                    "credit_code": first17 + uscc_check_char(first17),
                    "district": DISTRICTS[n % len(DISTRICTS)],
                }
            )
        shutil.copytree(work / "base-packet", packets / f"企业{n:03d}")
    for n in range(1, manifests + 1):
        shutil.copytree(work / "sample" / "示例企业", mans / f"企业{n:03d}")
    return {"projects": projects, "packets": packets, "manifests": mans}


def child(args: argparse.Namespace) -> None:
    from app.cli import main

    start = time.perf_counter()
    out = io.StringIO()
    code = main(
        ["review", *args.paths, "--out", args.out, "--json", "--today", TODAY.isoformat()],
        out,
        io.StringIO(),
    )
    wall = time.perf_counter() - start
    sources = len(json.loads(out.getvalue())["sources"])
    print(
        json.dumps({"wall": wall, "peak_mb": ba._peak_kib() / 1024, "size": sources, "code": code})
    )


def measure(paths: list[Path], out: Path, runs: int) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", "--out", str(out), *map(str, paths)]
    return ba.run_children(cmd, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--manifests", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if not args.child:
        ba.compile_program()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        work = Path(tmp)
        start = time.perf_counter()
        folders = generate(work, args.companies, args.manifests)
        print(f"generated {args.companies} companies in {time.perf_counter() - start:.1f} s")

        def line(name: str, r: dict[str, float]) -> str:
            per = 1000 * r["wall"] / r["size"]
            return (
                f"{name:<36} wall {r['wall']:6.2f} s  ({per:5.0f} ms per source)  "
                f"peak {r['peak_mb']:5.0f} MB  sources {int(r['size'])}"
            )

        summary = work / "汇总.xlsx"
        n, m = args.companies, args.manifests
        print(line(f"(a) {n} project files", measure([folders["projects"]], summary, args.runs)))
        print(line(f"(b) {n} packet folders", measure([folders["packets"]], summary, args.runs)))
        both = measure([folders["projects"], folders["packets"]], summary, args.runs)
        print(line(f"(c) both ({2 * n} sources)", both))
        if m:
            print(line(f"(d) {m} manifests", measure([folders["manifests"]], summary, args.runs)))


if __name__ == "__main__":
    main()
