"""How a run logs: timestamps, a level for newsevents and one for Beam, text or JSON lines (no Beam).

``newsevents`` logs at ``--log-level`` (INFO by default: progress lines and phases); Beam, gRPC and the
other libraries at ``--beam-log-level`` (WARNING by default). ``--log-format json`` writes one JSON
object per line (``time``, ``level``, ``logger``, ``message``, and ``progress`` on progress lines) for a
scheduler to parse. Start-up warnings that say nothing about the run are dropped.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import sys
from datetime import datetime, timezone
from typing import List

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
#: Messages from Beam that say nothing about the run: its optional Google Cloud clients, the
#: semi-persistent directory local workers do not have, and its advice on running modes when the
#: pipeline starts its quiet workers itself (``pipelines.worker``).
HARMLESS = ("apitools not found", "No semi_persistent_directory",
            "direct_running_mode should be `multi_processing`")


class HarmlessFilter(logging.Filter):
    """Drops the records whose message contains one of :data:`HARMLESS`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(text in record.getMessage() for text in HARMLESS)


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if hasattr(record, "progress"):
            entry["progress"] = record.progress
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The environment variable that carries ``--beam-log-level`` to the worker processes.
WORKER_LOG_LEVEL = "NEWSEVENTS_WORKER_LOG_LEVEL"


def configure_logging(level: str = "INFO", fmt: str = "text", beam_level: str = "WARNING") -> None:
    """Send every log record to standard error in ``fmt``: newsevents's at ``level``, others at ``beam_level``."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(HarmlessFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(getattr(logging, beam_level))
    logging.getLogger("newsevents").setLevel(getattr(logging, level))


def logging_flags(argv: List[str]) -> argparse.Namespace:
    """The logging flags alone, read before anything else so that everything after logs as asked (a bad
    value is left to the full parse, which reports it in one line)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--log-level", default="INFO", choices=LOG_LEVELS)
    parser.add_argument("--beam-log-level", default="WARNING", choices=LOG_LEVELS)
    parser.add_argument("--log-format", default="text", choices=LOG_FORMATS)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return parser.parse_known_args(argv)[0]
    except SystemExit:
        return parser.parse_known_args([])[0]
