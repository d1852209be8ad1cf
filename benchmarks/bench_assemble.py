"""Benchmark: the streaming packet assembler against a pikepdf reference pipeline.

Run by hand (not by pytest)::

    cd /work/main && /work/venv/bin/python benchmarks/bench_assemble.py [--pages 300] [--runs 3]

It generates a realistic set of scans in a temp dir (300-dpi A4 JPEG pages with noise, some
landscape, PNG pages, a 3-page TIFF, PDFs of mixed sizes), normalises each file to a PDF
(img2pdf for images, PDFs as they are), then times, each run in a fresh child process:

(a) the reference: img2pdf (JPEG passthrough, from the original scans) + pikepdf merge +
    reportlab page-number stamps overlaid with pikepdf;
(a') the same reference starting from the normalised PDFs (what our build starts from);
(b) ``app.packet.assemble.assemble`` with a reportlab page-number overlay, reading each
    normalised PDF from disk when asked (as the project store would).

It prints wall time (median of the runs), peak RSS of the child (ru_maxrss), output size and
the ratios, then our figures at 2x and 4x the pages (the same files listed again under new ids).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def compile_program() -> None:
    """The program's modules compiled, as it keeps them after its first start (``main.py``'s
    ``keep_compiled_code``): the children import ``app`` directly, and where the environment
    turns bytecode writing off (``PYTHONDONTWRITEBYTECODE``) every run would compile ~180
    modules again, which no user's second start does."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for folder in ("app", "widgets"):
        compileall.compile_dir(root / folder, quiet=1)


# ---------------------------------------------------------------- data set generation


def _scan_image(seed: int, landscape: bool) -> object:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    w, h = (3508, 2480) if landscape else (2480, 3508)
    noise = Image.effect_noise((w // 3, h // 3), 40).resize((w, h))
    page = Image.blend(Image.new("L", (w, h), 235), noise, rng.uniform(0.08, 0.2))
    draw = ImageDraw.Draw(page)
    for y in range(300, h - 200, 60):
        draw.text((200, y), f"Scan {seed} line {y} " * 8, fill=20)
    return Image.merge("RGB", (page, page.point(lambda v: v - 5), page.point(lambda v: v - 12)))


def _reportlab_pdf(seed: int, pages: int, size: tuple[float, float]) -> bytes:
    from reportlab.pdfgen import canvas

    from app.system.fonts import register_fonts

    font = register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size)
    for p in range(pages):
        c.setFont(font, 11)
        for i in range(50):
            c.drawString(50, size[1] - 60 - i * 14, f"合同 {seed} 第 {p + 1} 页 条款 {i} " * 3)
        c.rect(40, 40, size[0] - 80, size[1] - 80)
        c.showPage()
    c.save()
    return buf.getvalue()


def generate(workdir: Path, target_pages: int) -> dict[str, object]:
    """Write the scans and their normalised PDFs; return the manifest (as JSON-able data)."""
    import img2pdf
    from reportlab.lib.pagesizes import A3, A4, landscape, letter

    scans = workdir / "scans"
    norm = workdir / "norm"
    scans.mkdir()
    norm.mkdir()
    files: list[dict[str, object]] = []  # name, scan path, norm path, pages

    def add(name: str, scan: Path, pdf: bytes, pages: int) -> None:
        path = norm / f"{name}.pdf"
        path.write_bytes(pdf)
        files.append({"id": name, "scan": str(scan), "norm": str(path), "pages": pages})

    jpeg_count = int(target_pages * 0.66)
    land_count = int(target_pages * 0.07)
    png_count = int(target_pages * 0.03)
    bases = [_scan_image(s, False) for s in range(10)]
    land_bases = [_scan_image(100 + s, True) for s in range(3)]
    for i in range(jpeg_count + land_count):
        landscape_page = i >= jpeg_count
        image = (land_bases if landscape_page else bases)[i % (3 if landscape_page else 10)]
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=random.Random(i).randint(70, 80), dpi=(300, 300))
        scan = scans / f"scan{i:04d}.jpg"
        scan.write_bytes(buf.getvalue())
        add(f"jpg{i:04d}", scan, img2pdf.convert(buf.getvalue()), 1)
    for i in range(png_count):
        image = bases[i % 10].convert("L").resize((1240, 1754))
        scan = scans / f"shot{i:03d}.png"
        image.save(scan, dpi=(150, 150))
        add(f"png{i:03d}", scan, img2pdf.convert(scan.read_bytes()), 1)
    frames = [bases[i].convert("L").resize((1240, 1754)) for i in range(3)]
    tiff = scans / "fax.tif"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    add("tiff", tiff, img2pdf.convert(tiff.read_bytes()), 3)
    done = sum(int(f["pages"]) for f in files)  # type: ignore[call-overload]
    sizes = [A4, letter, landscape(letter), A3, landscape(A4)]
    seed = 0
    while done < target_pages:
        pages = min(1 + seed % 5, target_pages - done)
        pdf = _reportlab_pdf(seed, pages, sizes[seed % len(sizes)])
        scan = scans / f"doc{seed:03d}.pdf"
        scan.write_bytes(pdf)
        add(f"pdf{seed:03d}", scan, pdf, pages)
        done += pages
        seed += 1
    return {"files": files}


# ---------------------------------------------------------------- the pipelines (child side)


def _reference_font() -> str:
    """The bundled WenQuanYi face registered straight with reportlab, as a pipeline outside this
    program would (parsed in every process: our font cache is not the reference's to use)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from app.system.fonts import FONT_PATH

    name = "ReferenceWQY"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(FONT_PATH), subfontIndex=0))
    return name


def _stamps(total: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _reference_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(1, total + 1):
        c.setFont(font, 10)
        c.drawCentredString(A4[0] / 2, 25, f"第 {n} 页 共 {total} 页")
        c.showPage()
    c.save()
    return buf.getvalue()


def _cover() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _reference_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 24)
    c.drawCentredString(A4[0] / 2, A4[1] / 2, "珠海市服务贸易专项资金申报材料")
    c.showPage()
    c.save()
    return buf.getvalue()


def run_reference(manifest: dict[str, object], out: Path, from_scans: bool) -> None:
    import img2pdf
    import pikepdf

    files = manifest["files"]  # type: ignore[assignment]
    a4_layout = img2pdf.get_layout_fun((img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297)))
    pdf = pikepdf.new()
    pdf.pages.extend(pikepdf.open(io.BytesIO(_cover())).pages)
    for f in files:  # type: ignore[attr-defined]
        if from_scans and not str(f["scan"]).endswith(".pdf"):
            data = img2pdf.convert(Path(f["scan"]).read_bytes(), layout_fun=a4_layout)
        else:
            data = Path(f["norm"]).read_bytes()
        src = pikepdf.open(io.BytesIO(data))
        pdf.pages.extend(src.pages)
    stamps = pikepdf.open(io.BytesIO(_stamps(len(pdf.pages))))
    for page, stamp in zip(pdf.pages, stamps.pages, strict=True):
        page.add_overlay(stamp)
    pdf.save(out)


def run_ours(manifest: dict[str, object], out: Path, repeat: int) -> None:
    from app.packet.assemble import DocInfo, DrawnPage, EvidencePage, OutlineNode, assemble
    from app.packet.layout import Layout

    files = manifest["files"]  # type: ignore[assignment]
    paths: dict[str, Path] = {}
    pages: list[DrawnPage | EvidencePage] = [DrawnPage(0)]
    outline = [OutlineNode("封面", 0)]
    for r in range(repeat):
        for f in files:  # type: ignore[attr-defined]
            file_id = f"{f['id']}-{r}"
            paths[file_id] = Path(f["norm"])
            outline.append(OutlineNode(str(f["id"]), len(pages)))
            for p in range(int(f["pages"])):
                pages.append(EvidencePage(file_id, p, band=p == 0))
    assemble(
        out,
        pages,
        _cover(),
        _stamps(len(pages)),
        lambda file_id: paths[file_id].read_bytes(),
        Layout(),
        outline,
        info=DocInfo("基准测试", "基准公司"),
    )


def child(args: argparse.Namespace) -> None:
    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    out = Path(args.out)
    start = time.perf_counter()
    if args.child == "reference":
        run_reference(manifest, out, from_scans=True)
    elif args.child == "reference-norm":
        run_reference(manifest, out, from_scans=False)
    else:
        run_ours(manifest, out, args.repeat)
    wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "peak_mb": _peak_kib() / 1024, "size": out.stat().st_size}))


def _peak_kib() -> int:
    """Peak resident set of this process in KiB.

    VmHWM belongs to the process image started by exec; ``ru_maxrss`` would also count the
    parent's memory at fork time on Linux, so it is only the fallback.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# ---------------------------------------------------------------- the parent


def run_children(cmd: list[str], runs: int) -> dict[str, float]:
    """Run ``cmd`` (a child printing one JSON line) ``runs`` times: median wall, max peak."""
    results = []
    for _ in range(runs):
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    out = {
        "wall": statistics.median(r["wall"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
        "size": results[-1]["size"],
    }
    if all("cpu" in r for r in results):  # processor seconds, every thread (less load-bound)
        out["cpu"] = statistics.median(r["cpu"] for r in results)
    return out


def measure(kind: str, manifest: Path, out: Path, runs: int, repeat: int = 1) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", kind, "--manifest", str(manifest)]
    cmd += ["--out", str(out), "--repeat", str(repeat)]
    return run_children(cmd, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["reference", "reference-norm", "ours"])
    parser.add_argument("--manifest")
    parser.add_argument("--out")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not args.child:
        compile_program()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="bench-assemble-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        manifest = generate(work, args.pages)
        files = manifest["files"]
        pages = 1 + sum(int(f["pages"]) for f in files)  # type: ignore[attr-defined]
        scan_bytes = sum(Path(f["scan"]).stat().st_size for f in files)  # type: ignore[attr-defined]
        norm_bytes = sum(Path(f["norm"]).stat().st_size for f in files)  # type: ignore[attr-defined]
        manifest_path = work / "manifest.json"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        print(
            f"data set: {pages} pages, {len(files)} files, scans {scan_bytes / 1e6:.0f} MB, "  # type: ignore[arg-type]
            f"normalised {norm_bytes / 1e6:.0f} MB (generated in {time.perf_counter() - t0:.0f} s)"
        )
        ref = measure("reference", manifest_path, work / "ref.pdf", args.runs)
        ref_norm = measure("reference-norm", manifest_path, work / "refn.pdf", args.runs)
        ours = measure("ours", manifest_path, work / "ours.pdf", args.runs)

        def line(name: str, r: dict[str, float]) -> str:
            return (
                f"{name:<44} wall {r['wall']:6.2f} s  peak {r['peak_mb']:6.0f} MB  "
                f"output {r['size'] / 1e6:6.1f} MB"
            )

        print(line("(a)  reference: img2pdf + pikepdf + stamps", ref))
        print(line("(a') reference from normalised PDFs", ref_norm))
        print(line("(b)  ours: streaming assemble + overlay", ours))
        print(
            f"ratios ours/(a): wall {ours['wall'] / ref['wall']:.2f}x, "
            f"peak {ours['peak_mb'] / ref['peak_mb']:.2f}x; ours/(a'): wall "
            f"{ours['wall'] / ref_norm['wall']:.2f}x, peak {ours['peak_mb'] / ref_norm['peak_mb']:.2f}x;"
            f" output/normalised input {ours['size'] / norm_bytes:.3f}"
        )
        for repeat in (2, 4):
            r = measure("ours", manifest_path, work / "ours.pdf", args.runs, repeat)
            print(line(f"(b)  ours at {repeat}x ({(pages - 1) * repeat + 1} pages)", r))


if __name__ == "__main__":
    main()
