"""The ``event_summary`` roll-up, recomputed with DuckDB for the days a run touched (no Beam).

One row per (actor1_code, actor2_code, cameo_code, day, day_basis), the day being ``event_date``
(``day_basis`` ``event``) or, when that is unknown, the article's publication date (``published``);
an article with neither is counted on its ingest date and says so (``ingested``): a reader filters
those out rather than take the run's date for the event's. Only the latest version
of each article counts. Each day is one file, ``event_summary/event_day=YYYY-MM-DD/
event_summary.parquet``, replaced by an atomic rename. ``event_day`` is the partition column: it
is in the folder name only, never in the file, so that every Hive-partitioned reader (DuckDB,
``pyarrow.dataset``, pandas, polars) merges the two (a lake written before this layout has its
files rewritten by the next run). On an object store the tables are read through pyarrow's file
system (``filesystem``) and each day's file is one upload.
"""
from __future__ import annotations

from typing import Iterable, List, Optional

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from schemas import DERIVED_TABLES
from transforms.lake.shards import table_files
from transforms.lake.store import join, list_files, open_file, relative, remove, remove_empty_folder, write_atomically
from transforms.lake.tables import create_view

TABLE = "event_summary"
PARTITION = "event_day"

#: An event's day and where it comes from, over ``e`` (events) and ``a`` (its article, with ``published_day``):
#: its own date, else its article's publication date, else the day the article was read.
EVENT_DAY_SQL = "coalesce(e.event_date, a.published_day, a.ingest_date)"
DAY_BASIS_SQL = ("CASE WHEN e.event_date IS NOT NULL THEN 'event' WHEN a.published_day IS NOT NULL THEN 'published' "
                 "ELSE 'ingested' END")

_EVENTS_BY_DAY = """
WITH articles AS (
    SELECT article_id, coalesce(version, 1) AS version, source, ingested_at, {story} AS story_id,
           CAST(published_at AS DATE) AS published_day, ingest_date
    FROM _lake_articles
), latest AS (
    SELECT article_id, max(version) AS version FROM articles GROUP BY article_id
), events AS (
    SELECT e.*, a.source, a.ingested_at, a.story_id,
           {day} AS event_day, {basis} AS day_basis
    FROM _lake_events e
    JOIN latest l ON l.article_id = e.article_id AND l.version = coalesce(e.article_version, 1)
    JOIN articles a ON a.article_id = e.article_id AND a.version = l.version
)
"""


def _events_by_day(con, out: str, *, filesystem=None) -> Optional[str]:
    """The ``WITH`` clause of the lake's events with their day, over views created on ``con``; None
    while the lake has no events or no articles."""
    articles, events = table_files(out, "articles"), table_files(out, "events")
    if not articles or not events:
        return None
    create_view(con, "_lake_articles", out, "articles", articles, filesystem=filesystem)
    create_view(con, "_lake_events", out, "events", events, filesystem=filesystem)
    # articles written before stories were linked are each their own story
    columns = {row[0] for row in con.execute("DESCRIBE _lake_articles").fetchall()}
    story = "coalesce(story_id, article_id)" if "story_id" in columns else "article_id"
    return _EVENTS_BY_DAY.format(day=EVENT_DAY_SQL, basis=DAY_BASIS_SQL, story=story)


def _of_run(out: str, run_id: str, select: str, *, filesystem=None) -> list:
    """Rows of ``select`` (over ``events`` with their day) restricted to the events run ``run_id`` published."""
    files = table_files(out, "events", run_id)
    if not files:
        return []
    con = duckdb.connect()
    try:
        events_by_day = _events_by_day(con, out, filesystem=filesystem)
        if events_by_day is None:
            return []
        create_view(con, "_run_events", out, "events", files, filesystem=filesystem)
        return con.sql(events_by_day + select.format(
            run_events="event_id IN (SELECT event_id FROM _run_events)")).fetchall()
    finally:
        con.close()


def days_of_run(out: str, run_id: str, *, filesystem=None) -> List[str]:
    """The days (ISO) of the events that run ``run_id`` has published."""
    rows = _of_run(out, run_id, "SELECT DISTINCT event_day FROM events WHERE {run_events} ORDER BY 1",
                   filesystem=filesystem)
    return [row[0].isoformat() for row in rows]


def legacy_days(out: str, *, filesystem=None) -> List[str]:
    """The days whose summary file an older version wrote: it still holds the partition column (which
    left the files), or lacks a column added since (``num_stories``)."""
    current = set(DERIVED_TABLES[TABLE].names) - {PARTITION}
    days = []
    for path in list_files(out, f"{TABLE}/{PARTITION}=*/event_summary.parquet"):
        with open_file(path, filesystem) as handle:
            if set(pq.ParquetFile(handle).schema_arrow.names) != current:
                days.append(relative(path, join(out, TABLE)).split("/")[0].split("=", 1)[1])
    return sorted(days)


def day_bases_of_run(out: str, run_id: str, *, filesystem=None) -> dict:
    """How many of the events run ``run_id`` published are dated by their text (``event``), by their
    article's publication (``published``), or by nothing but the day they were read (``ingested``)."""
    counts = {"event": 0, "published": 0, "ingested": 0}
    counts.update(dict(_of_run(out, run_id, "SELECT day_basis, count(*) FROM events WHERE {run_events} GROUP BY 1",
                               filesystem=filesystem)))
    return counts


def recompute_event_summary(out: str, run_id: str, *, also_days: Iterable[str] = (), filesystem=None) -> List[str]:
    """Rebuild the summary of every day this run has events for, and of ``also_days`` (the days its
    older files had: a day left with no events loses its file); returns the days rebuilt."""
    days = sorted(set(days_of_run(out, run_id, filesystem=filesystem)) | set(also_days) | set(legacy_days(out, filesystem=filesystem)))
    if not days:
        return []
    schema = DERIVED_TABLES[TABLE]
    in_file = schema.remove(schema.get_field_index(PARTITION))
    con = duckdb.connect()
    try:
        events_by_day = _events_by_day(con, out, filesystem=filesystem)
        for day in days:
            folder = join(out, TABLE, f"{PARTITION}={day}")
            final = join(folder, "event_summary.parquet")
            if events_by_day is None:
                table = None
            else:
                summary = con.sql(events_by_day + f"""
                    SELECT actor1_code, actor2_code, cameo_code, event_day, day_basis,
                           count(*) AS num_mentions, count(DISTINCT article_id) AS num_articles,
                           count(DISTINCT source) AS num_sources, count(DISTINCT story_id) AS num_stories,
                           min(ingested_at) AS first_seen, max(ingested_at) AS last_seen,
                           avg(confidence) AS avg_confidence,
                           -- one example event: the most confident, ties broken by id, so that the
                           -- summary does not depend on the order files are read in
                           arg_max({{'id': event_id, 'sentence': sentence}}, row(confidence, event_id)) AS example
                    FROM events WHERE event_day = DATE '{day}'
                    GROUP BY actor1_code, actor2_code, cameo_code, event_day, day_basis
                    ORDER BY num_mentions DESC, actor1_code, actor2_code, cameo_code, day_basis""")
                table = summary.select("* EXCLUDE (example), example.id AS example_event_id, "
                                       "example.sentence AS example_sentence").to_arrow_table()
            if table is None or table.num_rows == 0:
                remove([final])
                remove_empty_folder(folder)
                continue
            buffer = pa.BufferOutputStream()
            pq.write_table(table.select(in_file.names).cast(in_file), buffer)
            write_atomically(final, buffer.getvalue().to_pybytes())
    finally:
        con.close()
    return days
