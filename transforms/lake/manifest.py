"""What a run did: row counts read back from the tables it wrote, the manifest and the printed summary.

Counts come from the Parquet files themselves (the truth every reader sees), plus the
Beam counters for what has no table (inputs read, duplicates).
"""
from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from datetime import datetime, timezone
from importlib import metadata
from typing import Dict, List, Optional

import pyarrow.parquet as pq
from schemas import SCHEMA_VERSION, TABLES
from transforms.lake.shards import table_files
from transforms.lake.store import join, open_file, write_atomically

PACKAGES = ("newsevents", "apache-beam", "pyarrow", "spacy", "trafilatura", "htmldate",
            "courlan", "feedparser", "py3langid")


def _num_rows(path: str, filesystem=None) -> int:
    """From the Parquet footer alone (the file is not read)."""
    with open_file(path, filesystem) as handle:
        return pq.ParquetFile(handle).metadata.num_rows


def table_counts(output: str, run_id: str, *, filesystem=None) -> Dict[str, int]:
    """Rows per table of one run (``filesystem``: pyarrow's, for a lake on an object store)."""
    return {table: sum(_num_rows(path, filesystem) for path in table_files(output, table, run_id)) for table in TABLES}


def _run_columns(output: str, table: str, run_id: str, columns: List[str], filesystem=None):
    """Each of one run's files of ``table``, read for ``columns`` only."""
    for path in table_files(output, table, run_id):
        with open_file(path, filesystem) as handle:
            yield pq.ParquetFile(handle).read(columns=columns)


def count_story_copies(output: str, run_id: str, *, filesystem=None) -> int:
    """How many of one run's articles joined another article's story (wire copies linked, not dropped)."""
    return sum(story not in (None, article)
               for table in _run_columns(output, "articles", run_id, ["article_id", "story_id"], filesystem)
               for article, story in zip(table.column("article_id").to_pylist(), table.column("story_id").to_pylist()))


def count_rejects_by_reason(output: str, run_id: str, *, filesystem=None) -> Dict[str, int]:
    """``{"stage/reason": rows}`` of one run's rejects."""
    counts: Counter = Counter()
    for table in _run_columns(output, "rejects", run_id, ["stage", "reason"], filesystem):
        for stage, reason in zip(table.column("stage").to_pylist(), table.column("reason").to_pylist()):
            counts[f"{stage}/{reason}"] += 1
    return dict(sorted(counts.items()))


def freshness_of_run(output: str, run_id: str, *, finished_at: datetime, filesystem=None) -> dict:
    """How fresh one run's articles are: the oldest and newest publication date they carry, when they were
    fetched or read (``ingested_at``, the run's start), as ISO 8601 UTC (None where no article says); and
    ``newest_lag_seconds``, from the newest publication date to ``finished_at``, when the rows were queryable
    (how late the lake is for the freshest story in it)."""
    published, ingested = [], []
    for table in _run_columns(output, "articles", run_id, ["published_at", "ingested_at"], filesystem):
        published += [value for value in table.column("published_at").to_pylist() if value is not None]
        ingested += [value for value in table.column("ingested_at").to_pylist() if value is not None]

    def iso(values, pick):
        return pick(values).astimezone(timezone.utc).isoformat() if values else None

    newest = max(published) if published else None
    return {"oldest_published_at": iso(published, min), "newest_published_at": iso(published, max),
            "oldest_ingested_at": iso(ingested, min), "newest_ingested_at": iso(ingested, max),
            "newest_lag_seconds": round((finished_at - newest).total_seconds(), 1) if newest else None}


def package_versions() -> Dict[str, Optional[str]]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def model_version(model: str) -> Optional[str]:
    """The installed version of the spaCy model package, without loading the model."""
    for name in (model, model.replace("_", "-")):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def write_manifest(output: str, run_id: str, manifest: dict) -> str:
    """Write ``OUTPUT/_runs/<run_id>.json``, replacing it at once (the old manifest or the new one, never none)."""
    final = join(output, "_runs", f"{run_id}.json")
    write_atomically(final, json.dumps(manifest, indent=2, sort_keys=True, default=str))
    return final


class PhaseTimer:
    """Wall-clock seconds per phase of a run: ``with phases("pipeline"): ...`` (a phase entered twice adds up)."""

    def __init__(self):
        self.seconds: Dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, phase: str):
        start = time.monotonic()
        try:
            yield self
        finally:
            self.seconds[phase] = round(self.seconds.get(phase, 0.0) + time.monotonic() - start, 2)


def throughput(articles: int, seconds: float) -> Optional[float]:
    """Articles per second of wall time (None for a run that took no measurable time)."""
    return round(articles / seconds, 2) if seconds > 0 else None


def _seconds(by_name: Optional[dict]) -> Optional[str]:
    if not by_name:
        return None
    return ", ".join(f"{name} {value:.1f} s" for name, value in by_name.items())


def format_summary(manifest: dict) -> str:
    """The run summary as a short two-column table."""
    counts = manifest.get("counts", {})
    rows = [
        ("run id", manifest.get("run_id")),
        ("status", manifest.get("status")),
        ("input files", counts.get("input_files")),
        ("  unchanged, not read", counts.get("inputs_unchanged")),
        ("records read", counts.get("records_read")),
        ("articles", counts.get("articles")),
        ("  copies of a story", counts.get("story_copies")),
        ("duplicates", counts.get("duplicates")),
        ("  published before", counts.get("duplicates_published")),
        ("rejects", counts.get("rejects")),
    ]
    rows += [(f"  {reason}", number) for reason, number in manifest.get("rejects_by_reason", {}).items()]
    rows += [
        ("entities", counts.get("entities")),
        ("mentions", counts.get("mentions")),
        ("events", counts.get("events")),
        ("  dated by text/article/none", "/".join(str((manifest.get("events_by_day_basis") or {}).get(basis, 0))
                                                  for basis in ("event", "published", "ingested"))),
        ("quotes", counts.get("quotes")),
        ("stances", counts.get("stances")),
        ("event summary days", len(manifest.get("event_summary_days") or [])),
        ("wall time", f"{manifest.get('wall_seconds', 0):.1f} s"),
        ("articles/s", manifest.get("articles_per_second")),
        ("time by phase", _seconds(manifest.get("phase_seconds"))),
        ("worker time by step", _seconds(manifest.get("stage_seconds"))),
        ("output", manifest.get("output")),
    ]
    width = max(len(str(name)) for name, _ in rows)
    lines = [f"{str(name).ljust(width)}  {'-' if value is None else value}" for name, value in rows]
    return "\n".join(lines)


def schema_info() -> dict:
    return {"schema_version": SCHEMA_VERSION, "tables": sorted(TABLES)}
