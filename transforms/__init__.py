"""Everything between reading articles and publishing tables, in five rooms.

- ``common``: stable ids, packaged data files, usage errors. Imports nothing else from here.
- ``ingest``: inputs, readers, cleaning, language, feeds, fetching; from a file or URL to an
  ``articles`` row. Imports ``common``.
- ``extract``: plain functions over a spaCy ``Doc`` (entities, actors, events, stances) and
  ``analyse``, what one article yields. Imports ``common``; never Beam, ``ingest`` or ``lake``.
- ``lake``: the output on disk: shards, staging, publishing, recovery, fetch state, the event
  summary, the manifest, query and report. Imports ``common``; never ``extract`` or ``ingest``.
- ``beam``: the composite PTransforms and thin DoFns that tie the rooms above into a pipeline.

``tests/test_layout.py`` checks these rules.
"""
