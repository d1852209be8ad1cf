"""One lock for every PDFium call in the program: PDFium is not thread-safe, not even across
documents (pypdfium2's documentation), and it is called from imports (the page check, on
several threads), thumbnails and printing."""

from __future__ import annotations

import threading

PDFIUM_LOCK = threading.Lock()
"""Held around every PDFium call (opening and closing documents and pages included)."""
