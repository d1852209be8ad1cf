"""A first draft of a guide file from a guide's published text (``main.py guide draft``).

``text`` reads the file and its numbered outline; ``amounts`` the figures of a sentence;
``items`` and ``documents`` the items and the 申报材料 lists; ``meta`` the guide's own facts and
:func:`draft_guide`; ``write`` the TOML with its 【待核对】 comments; ``command`` the CLI."""

from app.guide.draft.command import add_draft_command, run_draft
from app.guide.draft.meta import draft_guide
from app.guide.draft.model import Draft
from app.guide.draft.write import render

__all__ = ["Draft", "add_draft_command", "draft_guide", "render", "run_draft"]
