"""Where active content stands in a PDF, so that it is removed by its place, never by its name.

A key such as ``/A`` is an action only where ISO 32000 puts one (an annotation, an outline item,
a form field); the keys of a resource dictionary (``/Font``, ``/XObject``...), of a Type 3
font's ``/CharProcs`` or of a DeviceN ``/Colorants`` dictionary are names the producer chose, and
a font, image or glyph called ``/A``, ``/P`` or ``/JS`` is ordinary content. Deleting such keys
by name loses letters ("age 3 of 3" for "Page 3 of 3"). Both the intake (which normalises every
evidence PDF) and the packet writer (which copies stored evidence) decide with the functions
below.
"""

from __future__ import annotations

from pypdf.generic import DictionaryObject, PdfObject

NAME_KEYED = frozenset(
    {
        "/Font",
        "/XObject",
        "/ExtGState",
        "/ColorSpace",
        "/Pattern",
        "/Shading",
        "/Properties",
        "/CharProcs",
        "/Colorants",
    }
)
"""Keys whose dictionary value is keyed by names the producer chose (resource categories, ISO
32000-1 7.8.3; Type 3 glyph procedures, 9.6.5; DeviceN colorants, 8.6.6.5): none of its keys is
ever removed."""

ACTIVE = frozenset(
    {
        "/AA",  # additional actions (pages, annotations, fields, the catalog)
        "/OpenAction",  # the catalog's
        "/JS",  # a JavaScript action's script
        "/JavaScript",  # the names tree of document scripts
        "/EmbeddedFiles",  # the names tree of attachments
        "/Names",  # the catalog's name dictionary (scripts, attachments, destinations)
        "/Annots",  # a page's annotations (links, widgets, attachments, media)
        "/AF",  # associated files (PDF 2.0)
        "/EF",  # a file specification's embedded file streams
    }
)
"""Keys that are active content wherever they stand outside a name-keyed dictionary."""

BACK_LINKS = frozenset({"/Parent", "/P"})
"""Links from content back into a page tree, an outline or a structure tree. Only the packet
writer drops them (it copies a page's resources, never its page tree)."""


def child_is_name_keyed(parent_is_name_keyed: bool, key: str) -> bool:
    """Whether the value under ``key`` is a name-keyed dictionary. The values of a name-keyed
    dictionary are ordinary objects again (a font called /Font is a font, not a category)."""
    return not parent_is_name_keyed and key in NAME_KEYED


def is_active(key: str, value: PdfObject | None) -> bool:
    """Whether ``key`` with ``value`` (resolved) is active content, in a dictionary that is not
    name-keyed. ``/A`` is an action (or a movie activation) only when it is a dictionary."""
    if key in ACTIVE:
        return True
    return key == "/A" and isinstance(value, DictionaryObject)


def is_back_link(key: str, value: PdfObject | None) -> bool:
    """Whether ``key`` links back to a page, a page-tree node, an annotation or a structure
    element (a dictionary), in a dictionary that is not name-keyed. ``/P`` with a name (an
    optional-content membership's visibility policy) is data."""
    return key in BACK_LINKS and (key == "/Parent" or isinstance(value, DictionaryObject))
