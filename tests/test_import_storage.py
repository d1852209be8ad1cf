"""Import speed and storage: a scan's bytes are kept once in the project file (the normalised
PDF refers to them), JPEG and PNG files are checked whole without decoding their pixels, files
stream into the project all or none, and older project files are converted."""

from __future__ import annotations

import hashlib
import io
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PIL import Image

from app.intake import import_bytes, import_stream
from app.intake.images import png_whole
from app.project import ProjectStore, pdfdelta
from app.project.schema import FILE_SUFFIX, SCHEMA_VERSION
from app.system.errors import BuildCancelled, IntakeError
from tests.intake_support import encode, marked_pdf, upright_image

GUIDE = "zhuhai-service-trade-2019"
REPO = Path(__file__).resolve().parents[1]


def scan(seed: int, size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A noisy page, like a scan (noise keeps JPEG and PNG files scan-sized)."""
    noise = Image.effect_noise((size[0] // 4, size[1] // 4), 60).resize(size)
    page = Image.blend(Image.new("L", size, 230), noise, 0.15 + seed / 100)
    return Image.merge("RGB", (page, page, page.point(lambda v: v - 10)))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("scans")
    paths = []
    for n in range(6):
        path = folder / f"扫描{n}.jpg"
        path.write_bytes(encode(scan(n), "JPEG", quality=85, dpi=(150, 150)))
        paths.append(path)
    for n in range(2):
        path = folder / f"截图{n}.png"
        path.write_bytes(encode(scan(10 + n, (800, 1100)).convert("L"), "PNG"))
        paths.append(path)
    pdf = folder / "合同.pdf"
    pdf.write_bytes(marked_pdf(pages=3))
    paths.append(pdf)
    return paths


# ------------------------------------------------------------------------------ the codec


def test_a_normalised_jpeg_is_stored_as_a_few_hundred_bytes_plus_the_original(
    corpus: list[Path],
) -> None:
    original = corpus[0].read_bytes()
    pdf = import_bytes(corpus[0].name, original).pdf
    blob = pdfdelta.encode(pdf, original)
    assert pdfdelta.is_delta(blob) and len(blob) < 2000 < len(original)
    assert pdfdelta.decode(blob, original) == pdf
    # the check of a stored file hashes the pieces without putting the PDF together
    assert pdfdelta.sha256(blob, original) == hashlib.sha256(pdf).hexdigest()
    assert pdfdelta.sha256(pdf, b"") == hashlib.sha256(pdf).hexdigest()  # stored whole
    damaged = original[:100] + bytes([original[100] ^ 1]) + original[101:]
    assert pdfdelta.sha256(blob, damaged) != hashlib.sha256(pdf).hexdigest()


def test_a_png_s_image_data_split_over_chunks_is_found_piece_by_piece() -> None:
    image = scan(3, (900, 1200)).convert("L")
    out = io.BytesIO()
    image.save(out, "PNG")
    original = out.getvalue()
    assert original.count(b"IDAT") > 3  # Pillow writes 64 KiB chunks
    pdf = import_bytes("多块.png", original).pdf
    blob = pdfdelta.encode(pdf, original)
    assert len(blob) < 0.05 * len(original)
    assert pdfdelta.decode(blob, original) == pdf


def test_what_shares_nothing_is_stored_whole() -> None:
    pdf = marked_pdf()
    assert pdfdelta.encode(pdf, b"unrelated bytes" * 1000) is pdf
    assert pdfdelta.decode(pdf, b"") == pdf


@pytest.mark.parametrize(
    "blob",
    [
        pdfdelta.MAGIC + b"R0 999999\n",
        pdfdelta.MAGIC + b"L50\nshort",
        pdfdelta.MAGIC + b"X1\n",
        pdfdelta.MAGIC + b"R-1 4\n",
        pdfdelta.MAGIC + b"L3",
    ],
)
def test_a_malformed_stored_pdf_is_an_error_not_garbage(blob: bytes) -> None:
    with pytest.raises(ValueError):
        pdfdelta.decode(blob, b"0123456789")
    with pytest.raises(ValueError):
        pdfdelta.sha256(blob, b"0123456789")


# ------------------------------------------------------------------------ the project file


def test_the_project_file_is_little_bigger_than_the_evidence(
    corpus: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / f"p{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        ids = store.add_evidence_stream("business_license", None, import_stream(corpus))
        for file_id, source in zip(ids, corpus, strict=True):
            assert store.evidence_original(file_id) == source.read_bytes()  # byte for byte
            pdf = store.evidence_pdf(file_id)
            assert pdf == import_bytes(source.name, source.read_bytes()).pdf
        assert store.verify() == []
    empty = tmp_path / f"empty{FILE_SUFFIX}"
    ProjectStore.create(empty, GUIDE).close()  # the tables' own pages, whatever the evidence
    evidence = sum(p.stat().st_size for p in corpus)
    assert path.stat().st_size - empty.stat().st_size <= 1.15 * evidence


def test_a_stored_pdf_damaged_in_the_file_is_found_by_verify(
    corpus: list[Path], tmp_path: Path
) -> None:
    path = tmp_path / f"p{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        file_id = store.add_evidence(
            "business_license", None, import_bytes(corpus[0].name, corpus[0].read_bytes())
        )
    conn = sqlite3.connect(path)
    blob = conn.execute("SELECT pdf FROM evidence_blobs").fetchone()[0]
    assert pdfdelta.is_delta(blob)
    conn.execute("UPDATE evidence_blobs SET pdf = ?", (blob.replace(b"R", b"R9", 1),))
    conn.commit()
    conn.close()
    with ProjectStore.open(path) as store:
        assert store.verify() == [file_id]


def _as_version_3(path: Path) -> None:
    """What a version-3 program wrote: every normalised PDF stored whole (and rates as a
    version-3 program stored them)."""
    conn = sqlite3.connect(path, isolation_level=None)
    rows = conn.execute("SELECT file_id, original, pdf FROM evidence_blobs").fetchall()
    conn.execute("BEGIN")
    for column in ("name", "units", "quote"):
        conn.execute(f"ALTER TABLE rates DROP COLUMN {column}")
    conn.execute("ALTER TABLE rates RENAME COLUMN value TO usd_per_unit")
    conn.execute("ALTER TABLE pages DROP COLUMN analysis")  # version 7
    conn.execute("DROP TABLE guide_copy")  # version 6
    for file_id, original, pdf in rows:
        whole = pdfdelta.decode(bytes(pdf), bytes(original))
        conn.execute("UPDATE evidence_blobs SET pdf = ? WHERE file_id = ?", (whole, file_id))
    conn.execute("PRAGMA user_version = 3")
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()


def test_a_version_3_file_is_converted_and_shrinks(corpus: list[Path], tmp_path: Path) -> None:
    path = tmp_path / f"old{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        ids = store.add_evidence_stream("business_license", None, import_stream(corpus))
        pdfs = [store.evidence_pdf(i) for i in ids]
    _as_version_3(path)
    before = path.stat().st_size
    evidence = sum(p.stat().st_size for p in corpus)
    assert before > 1.6 * evidence  # the old layout: every scan twice
    with ProjectStore.open(path) as store:
        assert [store.evidence_pdf(i) for i in ids] == pdfs
        assert store.verify() == []
        assert [f.id for f in store.load().evidence] == ids
    assert path.stat().st_size < 0.7 * before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    stored = [bytes(r[0]) for r in conn.execute("SELECT pdf FROM evidence_blobs")]
    conn.close()
    assert sum(pdfdelta.is_delta(b) for b in stored) >= 8  # the JPEGs, PNGs and the PDF


# ------------------------------------------------------------------- streaming, all or none


def test_a_refusal_midway_leaves_nothing_and_nothing_staged(
    corpus: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "坏的.jpg"
    data = corpus[1].read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    path = tmp_path / f"p{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        store.add_evidence("business_license", None, import_bytes("先有.pdf", marked_pdf()))
        with pytest.raises(IntakeError) as err:
            store.add_evidence_stream(
                "business_license", None, import_stream([*corpus[:4], bad, *corpus[4:]])
            )
        assert "“坏的.jpg”" in err.value.message
        assert [f.name for f in store.load().evidence] == ["先有.pdf"]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM evidence").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM evidence_blobs").fetchone() == (1,)
    conn.close()


def test_a_cancel_leaves_nothing(corpus: list[Path], tmp_path: Path) -> None:
    seen: list[str] = []

    def cancel() -> bool:
        return len(seen) >= 3

    path = tmp_path / f"p{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        with pytest.raises(BuildCancelled):
            store.add_evidence_stream(
                "business_license",
                None,
                import_stream(corpus, progress=lambda d, t, n: seen.append(n), cancel=cancel),
            )
        assert store.load().evidence == ()


def test_files_keep_their_order_and_place(corpus: list[Path], tmp_path: Path) -> None:
    path = tmp_path / f"p{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        first = store.add_evidence("business_license", None, import_bytes("一.pdf", marked_pdf()))
        last = store.add_evidence("business_license", None, import_bytes("二.pdf", marked_pdf()))
        ids = store.add_evidence_stream(
            "business_license", None, import_stream(corpus, workers=3), position=1
        )
        files = store.load().files_for("business_license")
    assert [f.id for f in files] == [first, *ids, last]
    assert [f.name for f in files[1:-1]] == [p.name for p in corpus]
    assert [f.order for f in files] == list(range(len(corpus) + 2))


def test_passwords_are_asked_one_at_a_time(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    paths = []
    for n in range(4):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf())))
        writer.encrypt(user_password="secret", owner_password="o", algorithm="AES-128")
        path = tmp_path / f"加密{n}.pdf"
        with path.open("wb") as fh:
            writer.write(fh)
        paths.append(path)
    inside = 0
    most = 0
    lock = threading.Lock()

    def ask(_name: str) -> str:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        threading.Event().wait(0.05)
        with lock:
            inside -= 1
        return "secret"

    done = list(import_stream(paths, password=ask, workers=4))
    assert [d.name for d in done] == [p.name for p in paths]
    assert most == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX only")
def test_a_slow_file_does_not_hold_up_the_files_after_it(tmp_path: Path) -> None:
    """While one file takes long (here: its password prompt is open), the other workers go on
    with the files after it, well beyond two a worker. Each later file is a named pipe fed
    only once a worker has opened it, so the prompt can see how far the workers got."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(marked_pdf())))
    writer.encrypt(user_password="secret", owner_password="o", algorithm="AES-128")
    slow = tmp_path / "加密.pdf"
    with slow.open("wb") as fh:
        writer.write(fh)
    jpeg = encode(scan(3, (300, 420)), "JPEG")
    pipes = []
    for n in range(12):
        pipe = tmp_path / f"扫描{n:02d}.jpg"
        os.mkfifo(pipe)
        pipes.append(pipe)

    def feed(pipe: Path, wait: bool) -> bool:
        """Write the scan into ``pipe`` once a worker reads it; ``wait``: block until then,
        else give up after 10 s without a reader."""
        flags = os.O_WRONLY if wait else os.O_WRONLY | os.O_NONBLOCK
        for _ in range(1 if wait else 1000):
            try:
                fd = os.open(pipe, flags)
            except OSError:  # ENXIO: nobody reads it yet
                threading.Event().wait(0.01)
                continue
            with os.fdopen(fd, "wb") as fh:
                fh.write(jpeg)
            return True
        return False

    fed_while_held = 0

    def ask(_name: str) -> str:
        nonlocal fed_while_held
        for pipe in pipes:
            if not feed(pipe, wait=False):
                break
            fed_while_held += 1
        rest = pipes[fed_while_held:]
        threading.Thread(target=lambda: [feed(p, wait=True) for p in rest], daemon=True).start()
        return "secret"

    done = list(import_stream([slow, *pipes], password=ask, workers=2))
    assert [d.name for d in done] == [slow.name] + [p.name for p in pipes]
    assert all(d.original == jpeg for d in done[1:])
    # two files a worker ahead (as before) would have fed only 3 of them
    assert fed_while_held == len(pipes)


KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from app.intake import import_stream
    from app.project import ProjectStore

    path, folder = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(folder.iterdir())

    def stalling(items):
        for n, item in enumerate(items):
            if n == len(files) - 1:  # the others are written (and committed, staged)
                print("stalled", flush=True)
                sys.stdin.readline()
            yield item

    with ProjectStore.open(path) as store:
        store.add_evidence_stream(
            "business_license", None, stalling(import_stream(files)), stage_bytes=1
        )
    """
)


def test_kill_9_during_a_streaming_import_leaves_none_and_cleans_up(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    rng = random.Random(4)
    for n in range(40):
        (folder / f"f{n:02d}.jpg").write_bytes(
            encode(upright_image((600, 800)).effect_spread(rng.randint(1, 4)), "JPEG")
        )
    path = tmp_path / f"crash{FILE_SUFFIX}"
    with ProjectStore.create(path, GUIDE) as store:
        store.set_company_field("name", "辛公司")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == "stalled", child.communicate()[1]
        # the writer goes on with what the feeder prepared before the stall: wait for it
        staged = 0
        for _ in range(600):
            conn = sqlite3.connect(path, timeout=30)
            (staged,) = conn.execute("SELECT count(*) FROM evidence").fetchone()
            conn.close()
            if staged >= 30:
                break
            threading.Event().wait(0.05)
        assert staged >= 30  # written (a few may still be in preparation), out of sight
    finally:
        child.kill()
        child.wait(timeout=30)
    with ProjectStore.open(path) as store:
        data = store.load()
        assert data.company.name == "辛公司" and data.evidence == ()
        assert store.verify() == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM evidence_blobs").fetchone() == (0,)
    conn.close()


# ---------------------------------------------------------- whole, without decoding pixels


def test_a_jpeg_cut_short_is_refused_and_trailing_bytes_are_not() -> None:
    """A copy cut short anywhere, even by the end-of-image marker's last byte, is refused (the
    reduced-scale decode reads every block; the end marker is looked for in the last bytes)."""
    whole = encode(scan(1, (400, 500)), "JPEG")
    progressive = encode(scan(1, (400, 500)), "JPEG", progressive=True)
    for data in (whole, progressive, whole + b"trailing bytes after the end marker"):
        assert import_bytes("扫描件.jpg", data).page_count == 1
    for data in (whole, progressive):
        for cut in (len(data) - 1, len(data) - 2, len(data) - 200, len(data) // 2, 300):
            with pytest.raises(IntakeError) as caught:
                import_bytes("扫描件.jpg", data[:cut])
            assert "扫描件.jpg" in caught.value.message
    with pytest.raises(IntakeError):
        import_bytes("扫描件.jpg", b"\xff\xd8\xff\xd9")  # no scan at all


@pytest.mark.parametrize("fraction", [0.99, 0.9, 0.6, 0.3])
def test_a_truncated_jpeg_is_refused_without_decoding(fraction: float) -> None:
    data = encode(scan(2, (600, 800)), "JPEG")
    with pytest.raises(IntakeError) as err:
        import_bytes("截断.jpg", data[: int(len(data) * fraction)])
    assert "“截断.jpg”" in err.value.message and "不完整" in err.value.message


def test_png_structure_check() -> None:
    image = scan(3, (300, 400)).convert("L")
    data = encode(image, "PNG")
    assert png_whole(data) is True
    assert png_whole(encode(image, "PNG", interlace=1)) in (None, True)
    assert png_whole(data[:-20]) is False
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 0x01
    assert png_whole(bytes(flipped)) is False  # the CRC of its chunk no longer matches
    with pytest.raises(IntakeError):
        import_bytes("翻转.png", bytes(flipped))
