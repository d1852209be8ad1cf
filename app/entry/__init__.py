"""What a clerk types or pastes: :mod:`app.entry.values` parses every typed value (``coerce``,
``parse_date``: the one parser), :mod:`app.entry.row_import` takes rows pasted or imported from
Excel, and :mod:`app.entry.row_header` recognises a first row that names the table's columns.

Import from the modules themselves: this package re-exports nothing.
"""
