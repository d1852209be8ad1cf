"""Rules and findings: what a guide's rules make of a company's data.

:mod:`app.rules.evaluation` computes each item's basis, ceiling and requested amount
(:func:`~app.rules.evaluation.evaluate`, :class:`~app.rules.evaluation.Rates`,
:func:`~app.rules.evaluation.fmt_money`); :mod:`app.rules.findings` words what is missing or
wrong (with :mod:`app.rules.claims`, :mod:`app.rules.duplicates`, :mod:`app.rules.company` and
:mod:`app.rules.process`), as :class:`~app.rules.finding_model.Finding` records.

Import from the modules themselves: this package re-exports nothing.
"""
