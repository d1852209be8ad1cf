"""The packet: plan, drawn pages and the streaming PDF assembler.

:func:`make_plan` lays out every entry and page before anything is drawn; the drawers
(:mod:`app.packet.draw` and its parts) draw the non-scan pages and the overlay from the plan;
:func:`app.packet.assemble.assemble` streams everything into one A4 PDF. ``app.outputs.build`` runs it all.
"""

from app.packet.form import cny_capital
from app.packet.plan import BuildOptions, Entry, Plan, PlanPage, Reference, make_plan

__all__ = ["BuildOptions", "Entry", "Plan", "PlanPage", "Reference", "cny_capital", "make_plan"]
