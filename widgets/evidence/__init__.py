"""The parts of the 材料 page (widgets.pages.evidence): the checklist as data, its tree, the
file list and page strip, the buttons, the message strip, the background import and Word
templates."""
