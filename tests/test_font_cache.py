"""The per-user font cache (app.system.font_cache): a process that finds what reportlab read from
a font file in the cache builds the same font object without parsing it again, draws the same
PDF bytes, and anything wrong with the cache means a parse as before, never an error.

Every test uses its own cache folder (tmp_path); the suite as a whole runs with
PACKET_ASSEMBLER_CACHE pointing at a temporary folder (conftest), never the user's own.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from app.system.font_cache import MAGIC, font_cache_dir, load_ttfont
from app.system.fonts import FONT_PATH, SONG_PATH
from app.system.logs import user_cache_dir

MAIN = Path(__file__).resolve().parents[1] / "main.py"
FONTS = [pytest.param(FONT_PATH, 0, id="wqy-ttc"), pytest.param(SONG_PATH, 0, id="uming-ttf")]
TEXT = "珠海市内外经贸发展专项资金申请表（盖章）Ａ4 page 12, ０７５６；王珺 ©½ \u00a0é"


def same(a: object, b: object, where: str = "") -> None:
    """``a`` and ``b`` are equal with the very same types all the way down (1 and 1.0, bytes
    and reportlab's TTFNameBytes, lists and tuples told apart)."""
    assert type(a) is type(b), (where, type(a), type(b))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple)
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{n}]")
    else:
        assert a == b, (where, a, b)
        if hasattr(a, "ustr"):
            assert a.ustr == b.ustr, where  # type: ignore[attr-defined]


def same_font(cached: TTFont, fresh: TTFont) -> None:
    """The cached font is what ``TTFont(...)`` makes: every attribute of the font and its face."""
    ours, theirs = dict(vars(cached.face)), dict(vars(fresh.face))
    scale, fresh_scale = ours.pop("_pdfScale"), theirs.pop("_pdfScale")
    for value in (0, 1, 7, 1000, 2048, -256, 0.5):
        same(scale(value), fresh_scale(value), f"_pdfScale({value})")
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        same(ours[key], theirs[key], key)
    font, fresh_font = dict(vars(cached)), dict(vars(fresh))
    assert sorted(font) == sorted(fresh_font)
    for key in fresh_font:
        if key not in ("face", "state", "encoding"):
            same(font[key], fresh_font[key], key)
    assert type(cached.encoding) is type(fresh.encoding)
    assert cached.encoding.name == fresh.encoding.name
    assert type(cached.state) is type(fresh.state) and len(cached.state) == 0


def entry_of(folder: Path) -> Path:
    (entry,) = folder.glob("*.marshal")
    return entry


def stamp(path: Path) -> tuple[int, int, bytes]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, path.read_bytes()


@pytest.mark.parametrize(("path", "index"), FONTS)
def test_a_cached_font_is_the_font_reportlab_parses(path: Path, index: int, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    first = load_ttfont("Cold", path, index, folder)  # parsed, then kept
    entry = entry_of(folder)
    assert entry.read_bytes().startswith(MAGIC)
    before = stamp(entry)
    cached = load_ttfont("Cold", path, index, folder)
    assert stamp(entry) == before  # served from the entry, not parsed and written again
    fresh = TTFont("Cold", str(path), subfontIndex=index)
    same_font(first, fresh)
    same_font(cached, fresh)
    assert cached.face is not first.face


@pytest.mark.parametrize(("path", "index"), FONTS)
def test_a_cached_font_embeds_and_measures_like_a_parsed_one(
    path: Path, index: int, tmp_path: Path
) -> None:
    load_ttfont("F", path, index, tmp_path)
    cached = load_ttfont("F", path, index, tmp_path)
    fresh = TTFont("F", str(path), subfontIndex=index)
    codes = [0, 32, *sorted({ord(c) for c in TEXT}), 0x20AC, 0x4E00, 0x9FA5, 0x10FFFF]
    for chunk in (codes[:3], codes, codes[::-1]):
        assert cached.face.makeSubset(chunk) == fresh.face.makeSubset(chunk)
    assert [cached.face.getCharWidth(c) for c in codes] == [
        fresh.face.getCharWidth(c) for c in codes
    ]
    for size in (9, 10.5, 24):
        assert cached.stringWidth(TEXT, size) == fresh.stringWidth(TEXT, size)


def _mask(pdf: bytes) -> bytes:
    """The PDF without what differs between any two runs: its dates and its /ID."""
    pdf = re.sub(rb"D(?::|\\072)\d{14}(?:Z|[+-]\d\d'\d\d')?", b"D", pdf)
    return re.sub(rb"/ID\s*\[\s*<[0-9a-fA-F]*>\s*<[0-9a-fA-F]*>\s*\]", b"/ID", pdf)


def test_the_sample_packet_is_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {
        **os.environ,
        "PACKET_ASSEMBLER_HOME": str(tmp_path / "home"),
        "PACKET_ASSEMBLER_CACHE": str(cache),
        "PYTHONIOENCODING": "utf-8",
    }

    def demo(out: Path) -> dict[str, bytes]:
        done = subprocess.run(
            [sys.executable, str(MAIN), "demo", "--out", str(out)],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return {p.name: p.read_bytes() for p in out.glob("*.pdf")}

    parsed = demo(tmp_path / "cold")  # an empty cache: the fonts are parsed (and kept)
    entries = {p.name: stamp(p) for p in (cache / "fonts").glob("*.marshal")}
    assert len(entries) == 2  # the sans and the Song face
    cached = demo(tmp_path / "warm")
    assert {p.name: stamp(p) for p in (cache / "fonts").glob("*.marshal")} == entries
    assert len(parsed) == 2 and parsed.keys() == cached.keys()
    for name, pdf in parsed.items():
        assert b"/FontFile2" in pdf, name
        assert _mask(pdf) == _mask(cached[name]), name


def _damaged(entry: Path, how: str) -> None:
    blob = entry.read_bytes()
    if how == "empty":
        entry.write_bytes(b"")
    elif how == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif how == "flipped":
        entry.write_bytes(blob[:-100] + bytes([blob[-100] ^ 0x40]) + blob[-99:])
    elif how == "garbage":
        entry.write_bytes(os.urandom(len(blob)))
    elif how == "not ours":
        entry.write_bytes(b"PK\x03\x04" + blob[4:])
    else:  # a sound file that does not hold a face: right magic and digest, wrong content
        payload = marshal.dumps({"charToGlyph": "?"}) if how == "wrong shape" else b"\xff" * 64
        entry.write_bytes(MAGIC + hashlib.sha256(payload).digest()[:16] + payload)


@pytest.mark.parametrize(
    "how", ["empty", "truncated", "flipped", "garbage", "not ours", "wrong shape", "not marshal"]
)
def test_a_damaged_entry_is_parsed_again_and_rewritten(how: str, tmp_path: Path) -> None:
    load_ttfont("S", SONG_PATH, 0, tmp_path)
    entry = entry_of(tmp_path)
    _damaged(entry, how)
    damaged = stamp(entry)
    fresh = TTFont("S", str(SONG_PATH), subfontIndex=0)
    same_font(load_ttfont("S", SONG_PATH, 0, tmp_path), fresh)
    rewritten = stamp(entry)
    assert rewritten != damaged
    same_font(load_ttfont("S", SONG_PATH, 0, tmp_path), fresh)
    assert stamp(entry) == rewritten  # the rewritten entry is sound: served, not rewritten
    assert [p.name for p in tmp_path.iterdir()] == [entry.name]  # no temporary file left


def test_a_changed_font_file_is_not_served_from_the_old_entry(tmp_path: Path) -> None:
    font = tmp_path / "字体" / "face.ttf"
    font.parent.mkdir()
    shutil.copyfile(SONG_PATH, font)
    cache = tmp_path / "cache"
    load_ttfont("C", font, 0, cache)
    old = entry_of(cache).read_bytes()

    # Another font under the same name (other size, other modification time).
    shutil.copyfile(FONT_PATH, font)
    other = load_ttfont("C", font, 0, cache)
    same_font(other, TTFont("C", str(font), subfontIndex=0))
    assert len(other.face.charToGlyph) > 30_000  # WenQuanYi's map, not UMing's 7,646
    assert entry_of(cache).read_bytes() != old

    # The same size and modification time, but a table (and its checksum) changed: the table
    # directory, read from the file each time, does not match the entry.
    shutil.copyfile(SONG_PATH, font)
    load_ttfont("C", font, 0, cache)
    st = font.stat()
    data = bytearray(font.read_bytes())
    record = data.index(b"post", 12)  # the post table's record: tag, checksum, offset, length
    data[record + 4] ^= 0xFF
    font.write_bytes(bytes(data))
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (font.stat().st_size, font.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    changed = load_ttfont("C", font, 0, cache)
    fresh = TTFont("C", str(font), subfontIndex=0)
    same_font(changed, fresh)
    assert changed.face.table["post"]["checksum"] == fresh.face.table["post"]["checksum"]


def test_a_touched_font_file_is_parsed_again(tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    shutil.copyfile(SONG_PATH, font)
    load_ttfont("T", font, 0, tmp_path / "cache")
    entry = entry_of(tmp_path / "cache")
    before = entry.read_bytes()
    st = font.stat()
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    load_ttfont("T", font, 0, tmp_path / "cache")
    after = stamp(entry)
    assert after[2] != before  # the same face under a new key
    same_font(load_ttfont("T", font, 0, tmp_path / "cache"), TTFont("T", str(font)))
    assert stamp(entry) == after


def test_each_face_of_a_collection_has_its_own_entry(tmp_path: Path) -> None:
    zero = load_ttfont("Z0", FONT_PATH, 0, tmp_path)
    one = load_ttfont("Z1", FONT_PATH, 1, tmp_path)
    assert len(list(tmp_path.glob("*.marshal"))) == 2
    again = load_ttfont("Z1", FONT_PATH, 1, tmp_path)
    same_font(again, TTFont("Z1", str(FONT_PATH), subfontIndex=1))
    assert zero.face.name != one.face.name == again.face.name


def test_an_unusable_cache_folder_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    fresh = TTFont("U", str(SONG_PATH), subfontIndex=0)
    for folder in (blocker, blocker / "fonts"):
        same_font(load_ttfont("U", SONG_PATH, 0, folder), fresh)
        same_font(load_ttfont("U", SONG_PATH, 0, folder), fresh)
    assert blocker.read_bytes() == b"not a folder"

    # The entry's name taken by a folder: it can be neither read nor replaced.
    cache = tmp_path / "cache"
    load_ttfont("U", SONG_PATH, 0, cache)
    entry = entry_of(cache)
    entry.unlink()
    entry.mkdir()
    same_font(load_ttfont("U", SONG_PATH, 0, cache), fresh)
    assert entry.is_dir() and [p.name for p in cache.iterdir()] == [entry.name]


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permissions bind only non-root POSIX"
)
def test_a_read_only_cache_folder_changes_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        fresh = TTFont("R", str(SONG_PATH), subfontIndex=0)
        same_font(load_ttfont("R", SONG_PATH, 0, cache), fresh)
        assert list(cache.iterdir()) == []
    finally:
        cache.chmod(0o700)


def test_an_unreadable_font_raises_as_reportlab_does(tmp_path: Path) -> None:
    with pytest.raises(TTFError):
        load_ttfont("M", tmp_path / "missing.ttf", 0, tmp_path / "cache")
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all" * 10)
    with pytest.raises(TTFError):
        load_ttfont("M", bad, 0, tmp_path / "cache")
    bad.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 100)  # no tables: what reportlab raises
    with pytest.raises(Exception) as raised:
        TTFont("M", str(bad))
    with pytest.raises(type(raised.value)):
        load_ttfont("M", bad, 0, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.marshal"))


def test_threads_loading_at_once_get_the_same_font(tmp_path: Path) -> None:
    fonts: list[TTFont] = []
    errors: list[BaseException] = []

    def load() -> None:
        try:
            fonts.append(load_ttfont("P", SONG_PATH, 0, tmp_path))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(fonts) == 4
    fresh = TTFont("P", str(SONG_PATH), subfontIndex=0)
    for font in fonts:
        same_font(font, fresh)
    entry = entry_of(tmp_path)
    before = stamp(entry)
    same_font(load_ttfont("P", SONG_PATH, 0, tmp_path), fresh)
    assert stamp(entry) == before
    assert [p.name for p in tmp_path.iterdir()] == [entry.name]


def test_the_cache_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PACKET_ASSEMBLER_CACHE", "PACKET_ASSEMBLER_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", "/home/用户")
    assert user_cache_dir() == Path("/home/用户/.cache/申报材料助手")
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/u")
    assert user_cache_dir() == Path("/var/cache/u/申报材料助手")
    assert font_cache_dir() == Path("/var/cache/u/申报材料助手/fonts")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "/c/Users/u/AppData/Local")
    assert user_cache_dir() == Path("/c/Users/u/AppData/Local/申报材料助手/cache")
    monkeypatch.setenv("PACKET_ASSEMBLER_HOME", "/portable/数据")
    assert user_cache_dir() == Path("/portable/数据/cache")
    monkeypatch.setenv("PACKET_ASSEMBLER_CACHE", "/tmp/c")
    assert font_cache_dir() == Path("/tmp/c/fonts")


def test_the_test_suite_never_uses_the_users_own_cache() -> None:
    folder = font_cache_dir()
    assert folder is not None
    assert not folder.is_relative_to(Path.home() / ".cache")
    assert os.environ.get("PACKET_ASSEMBLER_CACHE")


def test_a_face_holding_more_than_plain_data_is_not_cached(tmp_path: Path) -> None:
    """A later reportlab may keep other things on the face: then there is no entry (and the
    font is what reportlab made), never an entry that gives back something else."""
    from app.system import font_cache

    face = TTFont("N", str(SONG_PATH)).face
    key = font_cache._key(SONG_PATH, 0)
    for extra in ({1: {2, 3}}, [(1, object())], frozenset({1}), 3j):
        face.extra = extra
        font_cache._store(tmp_path / "entry.marshal", key, face)
        assert list(tmp_path.iterdir()) == []
    face.extra = {1: [(2, 3.5, b"x", "y", None, True)]}
    font_cache._store(tmp_path / "entry.marshal", key, face)
    assert [p.name for p in tmp_path.iterdir()] == ["entry.marshal"]


def test_a_damaged_song_font_is_passed_over_for_the_bundled_one(tmp_path: Path) -> None:
    """A Windows PC's SimSun that reportlab cannot read (a file without the tables it looks up
    raises KeyError there) must not stop every build: the bundled Song face is used."""
    bad = tmp_path / "simsun.ttc"
    bad.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 8)  # a TrueType header with no tables
    script = (
        "import sys; from pathlib import Path; import app.system.fonts as f\n"
        f"f.song_sources = lambda: [(Path({str(bad)!r}), 0), (f.SONG_PATH, 0)]\n"
        "print(f.register_song(), Path(f._song.face.filename).name)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=MAIN.parent, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["SongBody", SONG_PATH.name]


def test_entries_unused_for_months_go_when_another_is_written(tmp_path: Path) -> None:
    """An entry for a font that moved (an older copy of the program in another folder) is not
    kept forever: once unread for UNUSED_SECONDS, the next entry written removes it. An entry
    read meanwhile stays."""
    from app.system.font_cache import UNUSED_SECONDS

    first, second = tmp_path / "a" / FONT_PATH.name, tmp_path / "b" / FONT_PATH.name
    for copy in (first, second):
        copy.parent.mkdir()
        shutil.copyfile(FONT_PATH, copy)
    cache = tmp_path / "cache"
    load_ttfont("A", first, 0, cache)
    load_ttfont("B", second, 0, cache)
    (old, used) = sorted(cache.glob("*.marshal"), key=lambda e: e.name != entry_name(first))
    months_ago = os.stat(old).st_mtime - UNUSED_SECONDS - 3600
    for entry in (old, used):
        os.utime(entry, (months_ago, months_ago))
    load_ttfont("B", second, 0, cache)  # read from its entry: marked used now
    assert os.stat(used).st_mtime > months_ago + UNUSED_SECONDS
    load_ttfont("C", first, 1, cache)  # another face: a new entry is written
    names = {e.name for e in cache.glob("*.marshal")}
    assert used.name in names and old.name not in names and len(names) == 2
    # the font whose entry went is parsed and cached again when next used
    load_ttfont("A2", first, 0, cache)
    assert len(list(cache.glob("*.marshal"))) == 3


def entry_name(path: Path) -> str:
    from app.system.font_cache import _entry_name

    return _entry_name(path, 0)
