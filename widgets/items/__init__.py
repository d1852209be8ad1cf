"""The parts of the 申报项目 page (widgets.pages.items): the item list, the inputs form and
the result box."""
