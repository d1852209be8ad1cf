"""The Excel file of the packet (``book``: the workbook, openpyxl; ``names``: its file name
and the 目录 lines, without openpyxl; ``cells`` and ``form``: the sheets' parts)."""
