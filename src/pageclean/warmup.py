"""Imported by the pool's fork server: loads the parsers and builds the language index once, so
that every pool worker forked from it starts warm (the index is ~0.4 s of CPU per process)."""

from pageclean.parallel import warm

warm()
