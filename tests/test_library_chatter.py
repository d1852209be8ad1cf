"""What libraries say goes to the log file, never to the terminal: importing and building a
project whose PDF holds a 100,000-deep nested dictionary prints our own lines only (pypdf warns
from so deep inside that logging itself fails, and logging's default prints a "--- Logging
error ---" block for each failure)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.outputs.demo import SAMPLE_MANIFEST

MAIN = Path(__file__).resolve().parents[1] / "main.py"
DEPTH = 100_000


def _deep_pdf() -> bytes:
    nest = "<< /A " * DEPTH + "1" + " >>" * DEPTH
    content = b"BT /F1 24 Tf 72 720 Td (deep) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> /Deep " + nest + " >>"
        ).encode(),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_a_deeply_nested_pdf_leaves_the_terminal_quiet(tmp_path: Path) -> None:
    sample = tmp_path / "清单"
    shutil.copytree(SAMPLE_MANIFEST.parent, sample)
    manifest = json.loads((sample / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest, ensure_ascii=False)
    pdfs = sorted(p for p in (sample / "scans").glob("*.pdf") if p.name in text)
    assert pdfs, "the sample has a PDF to replace"
    pdfs[0].write_bytes(_deep_pdf())
    home = tmp_path / "数据"
    env = {**os.environ, "PACKET_ASSEMBLER_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    project = tmp_path / "深.sbproj"

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(MAIN), *argv],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )

    imported = run("import", str(sample / "manifest.json"), str(project))
    assert imported.returncode == 0, imported.stderr[-2000:]
    built = run("build", str(project), "--out", str(tmp_path / "输出"), "--today", "2019-02-01")
    assert built.returncode == 0, built.stderr[-2000:]
    for result in (imported, built):
        err = result.stderr
        assert "Logging error" not in err and "Traceback" not in err and "Warning" not in err
        assert len(err) < 4000, err[:2000]  # our progress lines only
        assert all(not line.isascii() or not line.strip() for line in err.splitlines()), err[:2000]
    assert (home / "logs" / "library.log").exists()  # the chatter went there


def _fax_tiff_with_bad_codes() -> bytes:
    """A Group 4 fax TIFF whose strip is garbled: libtiff (inside Pillow) prints "Fax4Decode:
    Bad code word" straight to the process's stderr, past Python's logging."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("1", (400, 300), 1)
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 50, 300, 200), outline=0)
    draw.line((0, 0, 399, 299), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", compression="group4")
    data = bytearray(buffer.getvalue())
    for i in range(20, min(len(data) - 200, 400)):
        data[i] ^= 0x5A
    return bytes(data)


def test_what_c_libraries_print_goes_to_the_native_log(tmp_path: Path) -> None:
    home = tmp_path / "数据"
    script = (
        "import sys;"
        "from app.system.logs import native_log_path, route_library_messages;"
        "from app.system.streams import route_native_stderr;"
        "route_library_messages(); assert route_native_stderr(native_log_path());"
        "from pathlib import Path; from app.intake import import_file;"
        f"import_file(Path({str(tmp_path / '传真.tif')!r}));"
        "print('我们自己的话', file=sys.stderr)"
    )
    (tmp_path / "传真.tif").write_bytes(_fax_tiff_with_bad_codes())
    env = {**os.environ, "PACKET_ASSEMBLER_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=MAIN.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "我们自己的话"  # ours reaches the terminal, libtiff's not
    assert "Fax4Decode" in (home / "logs" / "native.log").read_text(encoding="utf-8")
