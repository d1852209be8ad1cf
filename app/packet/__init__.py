"""The packet: plan, drawn pages and the streaming PDF assembler."""
