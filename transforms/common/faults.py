"""A test-only seam: kill the process at a named point of a run, to prove what a crash there leaves.

Set ``NEWSEVENTS_FAULT_AT`` to one of :data:`POINTS` and the process that reaches that point dies at once
(``SIGKILL``: no clean-up, no ``finally``, no manifest), as a power cut or the OOM killer would leave it.
Unset (always, outside tests), :func:`checkpoint` does nothing but read one environment variable.
``tests/lake/test_faults.py`` runs a real run to each point, then the next run, and checks the lake.
"""
from __future__ import annotations

import os
import signal

FAULT_ENV = "NEWSEVENTS_FAULT_AT"

#: Every point, in the order a run reaches them.
POINTS = (
    "read",               # a record read (inside the pipeline)
    "nlp",                # an article analysed (inside the pipeline)
    "staging-write",      # a table shard written to the staging (inside the pipeline)
    "staged",             # the pipeline done, every table staged, nothing published
    "journal-written",    # the publish journal committed: from here the run will be published
    "file-moved",         # the first staged file moved into the tables
    "files-moved",        # every file moved, the same run id's old files not yet removed
    "duplicates-logged",  # the duplicates log written to _runs/
    "fetch-state",        # the fetch state updated
    "event-summary",      # event_summary recomputed, the manifest not yet written
    "manifest-written",   # the run's manifest written, its staging (and journal) not yet removed
)


def checkpoint(name: str) -> None:
    """Die here if the test seam names this point."""
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
