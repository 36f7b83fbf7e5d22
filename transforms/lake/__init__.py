"""The output lake: Parquet shards, staging and crash-safe publishing, recovery, the fetch state,
the event summary, the run manifest, and the query and report commands over the tables.

``run.LakeRun`` is a run's life in the lake. Imports ``common`` and ``schemas``; never the
extraction or ingest rooms.
"""
