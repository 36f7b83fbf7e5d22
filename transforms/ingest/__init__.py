"""Reading input: files, feeds and web pages -> parsed articles -> clean ``articles`` rows.

Plain functions (Beam's ``FileSystems`` for remote paths, nothing else of Beam); the cleaning
rules are data in ``data/``. Imports ``common`` and ``schemas`` only.
"""
