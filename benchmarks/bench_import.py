"""Benchmark: attaching evidence (what the user waits for after a drop) against the reference
pipeline, and the size of the project file it makes.

Run by hand (not by pytest)::

    python benchmarks/bench_import.py [--pages 340] [--runs 3]

The corpus is generated (``bench_assemble.generate``): A4 JPEG scans at 300 dpi, landscape
scans, PNG screenshots, a multipage TIFF and PDFs of 1-5 pages in A4, Letter, A3 and landscape.
Each run is a fresh child process:

(a) reference: img2pdf (JPEG passthrough) + pikepdf merge + reportlab page-number stamps, from
    the scans: the best-known pipeline from the same files to one printable PDF;
(b) ours: every file imported the way the window does it (``app.intake.import_stream``, stored
    into a new project file in one all-or-nothing transaction), at 1x and 4x the corpus.

Prints wall time (median), peak RSS, bytes written (the project file) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for p in (str(REPO), str(REPO / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)

import bench_assemble as ba  # noqa: E402


def run_import(manifest: dict[str, object], project: Path, repeat: int) -> int:
    """Import every scan ``repeat`` times into a new project file; returns its size."""
    from app.guide import DEFAULT_GUIDE_ID
    from app.intake import import_stream
    from app.project import ProjectStore

    files = manifest["files"]  # type: ignore[assignment]
    paths = [Path(str(f["scan"])) for _ in range(repeat) for f in files]  # type: ignore[attr-defined]
    with ProjectStore.create(project, DEFAULT_GUIDE_ID) as store:
        store.add_evidence_stream("business_license", None, import_stream(paths))
    return project.stat().st_size


def child(args: argparse.Namespace) -> None:
    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    out = Path(args.out)
    start, cpu = time.perf_counter(), time.process_time()
    if args.child == "reference":
        ba.run_reference(manifest, out, from_scans=True)
        size = out.stat().st_size
    else:
        size = run_import(manifest, out, args.repeat)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": ba._peak_kib() / 1024, "size": size}))


def measure(kind: str, manifest: Path, out: Path, runs: int, repeat: int = 1) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out.unlink(missing_ok=True)
        cmd = [sys.executable, __file__, "--child", kind, "--manifest", str(manifest)]
        cmd += ["--out", str(out), "--repeat", str(repeat)]
        results.append(ba.run_children(cmd, 1))
    return {
        "wall": sorted(r["wall"] for r in results)[len(results) // 2],
        "cpu": sorted(r["cpu"] for r in results)[len(results) // 2],
        "peak_mb": max(r["peak_mb"] for r in results),
        "size": results[-1]["size"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=340)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["reference", "ours"])
    parser.add_argument("--manifest")
    parser.add_argument("--out")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-4x", action="store_true", help="skip the 4x run")
    args = parser.parse_args()
    if not args.child:
        ba.compile_program()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        manifest = ba.generate(work, args.pages)
        files = manifest["files"]
        pages = sum(int(f["pages"]) for f in files)  # type: ignore[attr-defined]
        scan_bytes = sum(Path(f["scan"]).stat().st_size for f in files)  # type: ignore[attr-defined]
        manifest_path = work / "manifest.json"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        print(
            f"corpus: {len(files)} files, {pages} pages, {scan_bytes / 1e6:.0f} MB "  # type: ignore[arg-type]
            f"(generated in {time.perf_counter() - t0:.0f} s)"
        )
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"load average before: {load} (on {os.cpu_count()} cores)")
        ref = measure("reference", manifest_path, work / "ref.pdf", args.runs)
        ours = measure("ours", manifest_path, work / "p.sbproj", args.runs)

        def line(name: str, r: dict[str, float], what: str) -> str:
            return (
                f"{name:<40} wall {r['wall']:6.2f} s  cpu {r['cpu']:6.2f} s  "
                f"peak {r['peak_mb']:6.0f} MB  {what} {r['size'] / 1e6:6.1f} MB"
            )

        print(line("(a) reference: img2pdf + pikepdf + stamps", ref, "output PDF"))
        print(line("(b) ours: import into a project file", ours, "project file"))
        print(
            f"ratios (b)/(a): wall {ours['wall'] / ref['wall']:.2f}x, "
            f"cpu {ours['cpu'] / ref['cpu']:.2f}x (processor seconds, all threads: "
            f"on a busy machine the wall ratio of a threaded pipeline suffers most), "
            f"peak {ours['peak_mb'] / ref['peak_mb']:.2f}x; "
            f"project file / input {ours['size'] / scan_bytes:.3f}x"
        )
        if not args.no_4x:
            four = measure("ours", manifest_path, work / "p4.sbproj", 1, 4)
            print(line("(b) ours at 4x the corpus", four, "project file"))
            print(f"    4x: project file / input {four['size'] / (4 * scan_bytes):.3f}x")


if __name__ == "__main__":
    main()
