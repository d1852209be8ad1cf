"""Output files: names safe for Windows, atomic writes, and whole sets replaced as one.

:mod:`app.outputs.names`: file names made from user text, single files written atomically.
:mod:`app.outputs.outputset`: :class:`OutputSet`, the atomic replacement of a set of outputs.
:mod:`app.outputs.online`: the online-declaration folder.
:mod:`app.outputs.build`: the build (packet PDF, Excel file, Word templates, originals list,
replaced as one set); :mod:`app.outputs.templates` and :mod:`app.outputs.originals` write the
Word templates and the originals checklist; :mod:`app.outputs.last_build` finds what the last
build left; :mod:`app.outputs.demo` writes the bundled sample.

The build and its parts are imported from their modules (never re-exported here: this package
is imported by the rules and the workbook, which the build imports).
"""

from app.outputs.names import (
    FALLBACK_STEM,
    FORBIDDEN,
    LONGEST_TAIL,
    MAX_COMPONENT,
    MAX_NAME,
    MAX_OUTPUT_PATH,
    MIN_STEM,
    PACKET_TAIL,
    RESERVED,
    STAGING_EXTRA,
    TEMP_EXTRA,
    UMASK,
    WINDOWS_MAX_PATH,
    OutputName,
    atomic_path,
    check_output_paths,
    company_file_name,
    company_name_notice,
    held_open,
    held_open_message,
    no_permission_message,
    output_name,
    path_length,
    path_room,
    replace_with_retry,
    safe_file_stem,
    write_atomic,
    write_output,
)
from app.outputs.outputset import JOURNAL, OutputSet, recover, staging_prefix

__all__ = [
    "FALLBACK_STEM",
    "FORBIDDEN",
    "JOURNAL",
    "LONGEST_TAIL",
    "MAX_COMPONENT",
    "MAX_NAME",
    "MAX_OUTPUT_PATH",
    "MIN_STEM",
    "PACKET_TAIL",
    "RESERVED",
    "STAGING_EXTRA",
    "TEMP_EXTRA",
    "UMASK",
    "WINDOWS_MAX_PATH",
    "OutputName",
    "OutputSet",
    "atomic_path",
    "check_output_paths",
    "company_file_name",
    "company_name_notice",
    "held_open",
    "held_open_message",
    "no_permission_message",
    "output_name",
    "path_length",
    "path_room",
    "recover",
    "replace_with_retry",
    "safe_file_stem",
    "staging_prefix",
    "write_atomic",
    "write_output",
]
