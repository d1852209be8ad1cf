"""The sample-scan generator behind ``tools/make_sample.py``: the sample data (``data``),
drawing helpers (``draw``), one module per kind of document (``screens``, ``audit``,
``contracts``, ``finance``, ``certificates``, ``personnel``) and the writer of the scans and
the manifest (``manifest``)."""
