"""The wizard's pages, one module each, thin over app/."""
