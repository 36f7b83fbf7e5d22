"""The ``freshness`` view of ``newsevents query``: one row per run, read from the manifests in ``_runs/``
(no Beam). What a dashboard polls to tell how fresh the lake is: when each run's rows became queryable and
how old the newest story in them was by then (``transforms.lake.manifest.freshness_of_run``)."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Optional

import pyarrow as pa

from transforms.lake.store import list_files, read_text

UTC = pa.timestamp("us", tz="UTC")
FRESHNESS_SCHEMA = pa.schema([
    pa.field("run_id", pa.string()),
    pa.field("status", pa.string()),
    pa.field("started_at", UTC),
    pa.field("finished_at", UTC),   # when the run's rows were queryable (null for a failed run)
    pa.field("articles", pa.int64()),
    pa.field("oldest_published_at", UTC),
    pa.field("newest_published_at", UTC),
    pa.field("newest_ingested_at", UTC),   # when the run fetched or read its inputs (its start)
    pa.field("newest_lag_seconds", pa.float64()),   # newest_published_at to finished_at
    pa.field("wall_seconds", pa.float64()),
])


def _time(value) -> Optional[datetime]:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def freshness_table(output: str) -> pa.Table:
    """The ``freshness`` rows of the lake at ``output`` (a manifest that cannot be read is left out)."""
    rows = []
    for path in list_files(output, "_runs/*.json"):
        try:
            manifest = json.loads(read_text(path))
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or "run_id" not in manifest:
            continue
        fresh = manifest.get("freshness") or {}
        rows.append({"run_id": manifest["run_id"], "status": manifest.get("status"),
                     "started_at": _time(manifest.get("started_at")), "finished_at": _time(manifest.get("finished_at")),
                     "articles": (manifest.get("counts") or {}).get("articles"),
                     "oldest_published_at": _time(fresh.get("oldest_published_at")),
                     "newest_published_at": _time(fresh.get("newest_published_at")),
                     "newest_ingested_at": _time(fresh.get("newest_ingested_at")),
                     "newest_lag_seconds": fresh.get("newest_lag_seconds"),
                     "wall_seconds": manifest.get("wall_seconds")})
    return pa.Table.from_pylist(rows, schema=FRESHNESS_SCHEMA)
