"""A per-user cache of what reportlab reads from a TrueType font before it can draw with it.

``reportlab.pdfbase.ttfonts.TTFont`` walks the whole character map, the widths and the glyph
positions in Python each time a process registers a font: 0.13-0.15 s for the bundled WenQuanYi
collection, more for Windows' SimSun, in every build. What that parse produces depends only on
the font file, so the first process keeps it in the user's cache folder and later processes
rebuild the same font object from it. The font file itself is still read (the PDF embeds subsets
of its glyphs), which is a plain read of a few megabytes.

The cache is plain data: ``marshal`` of ints, floats, strings, bytes, lists, tuples and dicts
(reading it runs no code), behind a digest of its content, keyed by the font file (path, size,
modification time), the face in a collection, reportlab's and Python's versions and
:data:`FORMAT`; the font file's table directory is compared as well. Anything wrong with it
(missing, unreadable, damaged, stale, a read-only or absent folder, a full disk) means the font
is parsed as before and the cache rewritten, best effort and atomically: it never becomes the
user's problem.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from itertools import chain
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, TTFontParser

from app.system.logs import user_cache_dir

FORMAT = 1
"""The layout of a cache file; a change makes every older file stale."""

MAGIC = b"PAFONTC\x01"
_DIGEST = 16
_MARSHAL_VERSION = 4

_REBUILT = frozenset({"_ttf_data", "_pdfScale"})
"""Face attributes not kept: the font file's bytes (read again) and the scale function (made
again from ``unitsPerEm`` exactly as reportlab makes it)."""

_REQUIRED = frozenset(
    {"name", "charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "unitsPerEm"}
)
"""What a cached face must hold to be worth trusting at all (extractInfo sets them all)."""

_SCALARS = frozenset({int, float, bool, str, bytes, type(None)})
_STALE_TEMP_SECONDS = 24 * 3600
UNUSED_SECONDS = 90 * 24 * 3600
"""An entry not read for this long goes when another is written: the font it was made from
was moved, replaced, or belonged to an older copy of the program in another folder."""
_TOUCH_SECONDS = 24 * 3600  # a read marks its entry used at most once a day


def font_cache_dir() -> Path | None:
    """The folder of the font cache, or None when the user's folders cannot be found."""
    try:
        return user_cache_dir() / "fonts"
    except (RuntimeError, OSError, KeyError):  # Path.home() without a home
        return None


def load_ttfont(name: str, path: Path, index: int = 0, folder: Path | None = None) -> TTFont:
    """``TTFont(name, str(path), subfontIndex=index)``, from the cache in ``folder`` (by default
    :func:`font_cache_dir`) when it holds this face of this very file, else parsed and cached.

    Raises what ``TTFont`` raises (``TTFError``, ``OSError``) when the font cannot be read; never
    because of the cache.
    """
    folder = font_cache_dir() if folder is None else folder
    key = _key(path, index)
    entry = folder / _entry_name(path, index) if folder is not None and key else None
    if entry is not None:
        font = _from_cache(name, path, index, entry, key)
        if font is not None:
            return font
    font = TTFont(name, str(path), subfontIndex=index)
    if entry is not None and _key(path, index) == key:  # not changed while it was parsed
        _store(entry, key, font.face)
    return font


def _key(path: Path, index: int) -> tuple[Any, ...] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (
        FORMAT,
        reportlab.Version,
        tuple(sys.version_info[:2]),
        os.path.abspath(path),
        st.st_size,
        st.st_mtime_ns,
        index,
    )


def _entry_name(path: Path, index: int) -> str:
    where = f"{os.path.abspath(path)}\0{index}".encode("utf-8", "surrogatepass")
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", Path(path).stem)[:40]
    return f"{stem}-{index}-{hashlib.sha256(where).hexdigest()[:16]}.marshal"


# ---------------------------------------------------------------- reading


def _from_cache(
    name: str, path: Path, index: int, entry: Path, key: tuple[Any, ...] | None
) -> TTFont | None:
    try:
        blob = entry.read_bytes()
    except (OSError, ValueError):
        return None
    try:
        state = _decode(blob, key)
        font = None if state is None else _rebuild(name, path, index, *state)
    except Exception:  # a damaged entry is never the user's problem: parse the font instead
        return None
    if font is not None:
        _mark_used(entry)
    return font


def _mark_used(entry: Path) -> None:
    """Note that ``entry`` was read now (its modification time), for :func:`_remove_older`."""
    with contextlib.suppress(OSError):
        if time.time() - entry.stat().st_mtime > _TOUCH_SECONDS:
            os.utime(entry)


def _decode(
    blob: bytes, key: tuple[Any, ...] | None
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The face's attributes and its names in ``blob``, or None when it is not a sound entry
    for ``key``."""
    head = len(MAGIC) + _DIGEST
    if len(blob) <= head or not blob.startswith(MAGIC):
        return None
    payload = memoryview(blob)[head:]
    if hashlib.sha256(payload).digest()[:_DIGEST] != blob[len(MAGIC) : head]:
        return None
    with _no_collection():  # tens of thousands of small containers: no cycles to look for
        data = marshal.loads(payload)
    if type(data) is not tuple or len(data) != 3:
        return None
    stored_key, plain, names = data
    if stored_key != key or type(plain) is not dict or type(names) is not dict:
        return None
    if not all(type(k) is str for k in plain) or not _REQUIRED.issubset(
        plain.keys() | names.keys()
    ):
        return None
    if not all(type(k) is str and type(v) is str for k, v in names.items()):
        return None
    return plain, names


def _rebuild(
    name: str, path: Path, index: int, plain: dict[str, Any], names: dict[str, str]
) -> TTFont | None:
    """The TTFont that ``TTFont(name, str(path), subfontIndex=index)`` makes, from the cached
    attributes: the file is read and its table directory checked against them (cheap); only
    ``extractInfo`` (the slow part) is skipped."""
    face = TTFontFace.__new__(TTFontFace)
    TTFontParser.__init__(face, str(path), validate=0, subfontIndex=index)
    for attribute, value in vars(face).items():
        if attribute not in ("_ttf_data", "_pos") and plain.get(attribute, _MISSING) != value:
            return None  # the file is not the one the entry was made from
    vars(face).update(plain)
    for attribute, text in names.items():
        setattr(face, attribute, TTFNameBytes(text.encode("utf-8"), "utf-8"))
    face._pdfScale = _scale(face.unitsPerEm)
    return _font(name, face)


_MISSING = object()


def _scale(units_per_em: int) -> Callable[[Any], Any]:
    """What ``TTFontFile.extractInfo`` sets as ``_pdfScale`` (font units to 1/1000 em)."""
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _font(name: str, face: TTFontFace) -> TTFont:
    """``TTFont.__init__`` (default arguments) around a face already made."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ---------------------------------------------------------------- writing


def _encode(face: pdfmetrics.TypeFace) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The face's attributes as plain data and its names (``TTFNameBytes``, bytes carrying
    their text), or None when it holds anything else (a later reportlab: then no cache)."""
    plain: dict[str, Any] = {}
    names: dict[str, str] = {}
    for attribute, value in vars(face).items():
        if attribute in _REBUILT:
            continue
        if type(value) is TTFNameBytes:
            if TTFNameBytes(value.ustr.encode("utf-8"), "utf-8") != value:
                return None
            names[attribute] = value.ustr
        elif _plain(value):
            plain[attribute] = value
        else:
            return None
    return plain, names


def _plain(value: object, depth: int = 0) -> bool:
    """Whether ``value`` is made only of the types marshal gives back as they were."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    items: Any
    if kind is list or kind is tuple:
        items = value
    elif kind is dict:
        if not set(map(type, value)) <= _SCALARS:  # type: ignore[call-overload]
            return False
        items = value.values()  # type: ignore[attr-defined]
    else:
        return False
    kinds = set(map(type, items))
    if kinds <= _SCALARS:
        return True
    if kinds <= {list, tuple} and set(map(type, chain.from_iterable(items))) <= _SCALARS:
        return True  # lists of scalars (the glyphs of each character, the metrics of each glyph)
    return depth < 3 and all(_plain(item, depth + 1) for item in items)


def _store(entry: Path, key: tuple[Any, ...] | None, face: pdfmetrics.TypeFace) -> None:
    """Write the entry (temporary file, then renamed over the old one); nothing on failure."""
    try:
        encoded = _encode(face)
        if encoded is None:
            return
        payload = marshal.dumps((key, *encoded), _MARSHAL_VERSION)
        digest = hashlib.sha256(payload).digest()[:_DIGEST]
        entry.parent.mkdir(parents=True, exist_ok=True)
        _remove_older(entry.parent, "*.tmp", _STALE_TEMP_SECONDS)
        _remove_older(entry.parent, "*.marshal", UNUSED_SECONDS)
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=entry.stem + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC + digest + payload)
            os.replace(temporary, entry)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except Exception:  # read-only or missing folder, full disk, a name Windows locks: no cache
        return


def _remove_older(folder: Path, pattern: str, seconds: float) -> None:
    """Files of ``folder`` matching ``pattern`` last changed more than ``seconds`` ago:
    temporary files (``*.tmp``, a day old) left by a process that died while writing, and
    entries (``*.marshal``) not read for :data:`UNUSED_SECONDS` (each is a few megabytes)."""
    now = time.time()
    for old in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > seconds:
                old.unlink()
