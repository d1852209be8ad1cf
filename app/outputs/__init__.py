"""What the program makes from a project.

:mod:`app.outputs.build`: the build (packet PDF, Excel file, Word templates, originals list,
replaced as one set); :mod:`app.outputs.templates` and :mod:`app.outputs.originals` write the
Word templates and the originals checklist; :mod:`app.outputs.online`: the online-declaration
folder; :mod:`app.outputs.print_pages`: each page's resolution and colour for printing;
:mod:`app.outputs.last_build` finds what the last build left; :mod:`app.outputs.demo` writes the
bundled sample. The files themselves are written through :mod:`app.files`.

Import from the modules themselves: this package re-exports nothing.
"""
