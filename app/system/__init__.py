"""The program's surroundings: its name and version (:mod:`app.system.about`), the errors it
raises (:mod:`app.system.errors`), its logs and the C libraries' output
(:mod:`app.system.logs`, :mod:`app.system.streams`), saved options (:mod:`app.system.options`),
fonts (:mod:`app.system.fonts`) and the PDF libraries' shared guards
(:mod:`app.system.pdfium_lock`, :mod:`app.system.pdf_active`).

Import from the modules themselves: this package re-exports nothing.
"""
