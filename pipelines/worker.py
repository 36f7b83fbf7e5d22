"""The Beam SDK worker that ``--direct_running_mode multi_processing`` starts, with its own logging quiet.

Beam's worker logs its start-up and every gRPC channel at INFO to the launcher's standard error (about
twenty lines per worker and run). This entry point gives the worker's log a handler at the level the run
asks for (``NEWSEVENTS_WORKER_LOG_LEVEL``, WARNING by default), then runs Beam's own worker main.
"""
from __future__ import annotations

import logging
import os
import sys

from transforms.common.logs import TEXT_FORMAT, WORKER_LOG_LEVEL, HarmlessFilter


def main() -> None:
    level = getattr(logging, os.environ.get(WORKER_LOG_LEVEL, "WARNING").upper(), logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.addFilter(HarmlessFilter())
    handler.setFormatter(logging.Formatter(TEXT_FORMAT.replace("%(name)s", "worker %(process)d %(name)s")))
    logging.getLogger().addHandler(handler)   # Beam's own basicConfig() then adds nothing
    from apache_beam.runners.worker import sdk_worker_main
    sdk_worker_main.main(sys.argv)


if __name__ == "__main__":
    main()
