"""The Beam SDK worker that ``--direct_running_mode multi_processing`` starts, with its own logging quiet.

Beam's worker logs its start-up and every gRPC channel at INFO to the launcher's standard error (about
twenty lines per worker and run). This entry point gives the worker's log a handler at the level the run
asks for (``NEWSEVENTS_WORKER_LOG_LEVEL``, WARNING by default), imports the pipeline's modules, then runs
Beam's own worker main. The time until then is the run's ``start`` stage (summed over workers): a launcher
imports the same modules before its run's clock starts, so a worker's start-up is set apart likewise.
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()

import importlib  # noqa: E402 - after the clock: the worker's start-up is timed from here
import logging  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from transforms.common.logs import TEXT_FORMAT, WORKER_LOG_LEVEL, HarmlessFilter  # noqa: E402


def main() -> None:
    level = getattr(logging, os.environ.get(WORKER_LOG_LEVEL, "WARNING").upper(), logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.addFilter(HarmlessFilter())
    handler.setFormatter(logging.Formatter(TEXT_FORMAT.replace("%(name)s", "worker %(process)d %(name)s")))
    logging.getLogger().addHandler(handler)   # Beam's own basicConfig() then adds nothing
    from apache_beam.runners.worker import sdk_worker_main

    from transforms.beam.metrics import note_start_seconds
    importlib.import_module("transforms.beam.graph")   # every step's modules (spaCy, trafilatura), before a bundle
    note_start_seconds(time.perf_counter() - STARTED)
    sdk_worker_main.main(sys.argv)


if __name__ == "__main__":
    main()
