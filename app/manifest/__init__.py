"""The JSON manifest: a whole project as one readable file plus evidence files beside it.

Format documented in ``docs/manifest.md``. :mod:`app.manifest.load` reads and checks a manifest;
:mod:`app.manifest.transfer` imports one into a project file and exports a project as one;
:mod:`app.manifest.pages` reads, applies and writes the page edits an evidence entry may carry;
:mod:`app.manifest.doc` keeps the format's reference in step with the guide files;
:mod:`app.manifest.source` loads a project file or a manifest the same way for the command line
and the review (and checks the project's guide against ``--guide`` and the bundled guide files).

Import from the modules themselves: this package re-exports nothing, so that the command line,
which imports :mod:`app.manifest.source` at start, does not load the project store and pikepdf
before it needs them.
"""
