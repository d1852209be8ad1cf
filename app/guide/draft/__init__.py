"""A first draft of a guide file from a guide's published text (``main.py guide draft``).

``text`` reads the file and its numbered outline; ``amounts`` the figures of a sentence;
``items`` and ``documents`` the items and the 申报材料 lists; ``meta`` the guide's own facts and
:func:`draft_guide`; ``write`` the TOML with its 【待核对】 comments; ``command`` the CLI."""
