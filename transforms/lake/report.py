"""A self-contained HTML run report drawn with matplotlib (no Beam).

Figures (PNG, embedded as data URIs): events per day by GDELT quad class, the top dyads, a
holder × topic stance grid (support minus oppose, counts written in each cell), rejects by
reason; then a table of the latest runs from ``_runs/*.json``.
"""
from __future__ import annotations

import base64
import glob
import html
import io
import json
import os
from typing import List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from transforms.lake.query import run_query  # noqa: E402

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#4c9be8", 2: "#1b5fa8", 3: "#f0a04b", 4: "#c0392b"}


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _empty(message: str) -> str:
    figure, axes = plt.subplots(figsize=(7, 1.2))
    axes.axis("off")
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#666")
    return _png(figure)


def events_by_day(output: str) -> str:
    _, rows = run_query(output, """
        SELECT e.event_day, e.quad_class, count(*) FROM (
            SELECT coalesce(ev.event_date, CAST(a.published_at AS DATE), a.ingest_date) AS event_day, ev.quad_class
            FROM events ev JOIN articles a ON a.article_id = ev.article_id
                 AND coalesce(a.version, 1) = coalesce(ev.article_version, 1)) e
        GROUP BY 1, 2 ORDER BY 1, 2""")
    if not rows:
        return _empty("no events yet")
    days = sorted({r[0] for r in rows})
    figure, axes = plt.subplots(figsize=(8, 3.6))
    bottom = [0] * len(days)
    for quad, label in QUADS.items():
        values = [sum(r[2] for r in rows if r[0] == day and r[1] == quad) for day in days]
        axes.bar([d.isoformat() for d in days], values, bottom=bottom, label=f"{quad}: {label}",
                 color=QUAD_COLOURS[quad])
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_ylabel("events")
    axes.set_title("Events per day by quad class")
    axes.legend(fontsize=8, loc="upper left")
    axes.tick_params(axis="x", rotation=45)
    return _png(figure)


def top_dyads(output: str, limit: int = 15) -> str:
    _, rows = run_query(output, f"""
        SELECT coalesce(actor1, '?') || ' → ' || coalesce(actor2, '?'), count(*), avg(goldstein)
        FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {limit}""")
    if not rows:
        return _empty("no events yet")
    rows = list(reversed(rows))
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    colours = ["#2e86c1" if (r[2] or 0) >= 0 else "#c0392b" for r in rows]
    axes.barh([r[0] for r in rows], [r[1] for r in rows], color=colours)
    axes.set_xlabel("events (blue: mean Goldstein ≥ 0, red: < 0)")
    axes.set_title("Top dyads")
    return _png(figure)


def stance_grid(output: str, limit: int = 15) -> str:
    _, rows = run_query(output, """
        SELECT holder, coalesce(topic, '(none)'),
               sum(CASE WHEN polarity = 'support' THEN 1 ELSE 0 END),
               sum(CASE WHEN polarity = 'oppose' THEN 1 ELSE 0 END)
        FROM stances GROUP BY 1, 2""")
    if not rows:
        return _empty("no support or oppose stances yet")
    totals = {}
    for holder, _topic, support, oppose in rows:
        totals[holder] = totals.get(holder, 0) + support + oppose
    holders = sorted(totals, key=lambda h: (-totals[h], h))[:limit]
    topics = sorted({r[1] for r in rows if r[0] in holders})
    grid = [[0] * len(topics) for _ in holders]
    labels = [[""] * len(topics) for _ in holders]
    for holder, topic, support, oppose in rows:
        if holder in holders:
            i, j = holders.index(holder), topics.index(topic)
            grid[i][j] = support - oppose
            labels[i][j] = f"+{support}/−{oppose}"
    figure, axes = plt.subplots(figsize=(1.1 * len(topics) + 3, 0.45 * len(holders) + 1.8))
    limit_value = max(1, max(abs(v) for row in grid for v in row))
    image = axes.imshow(grid, cmap="RdYlGn", vmin=-limit_value, vmax=limit_value, aspect="auto")
    axes.set_xticks(range(len(topics)), topics, rotation=40, ha="right", fontsize=8)
    axes.set_yticks(range(len(holders)), holders, fontsize=8)
    for i in range(len(holders)):
        for j in range(len(topics)):
            if labels[i][j]:
                axes.text(j, i, labels[i][j], ha="center", va="center", fontsize=7)
    figure.colorbar(image, ax=axes, label="support − oppose")
    axes.set_title("Stances: holder × topic")
    return _png(figure)


def speakers_chart(output: str, limit: int = 15) -> str:
    """The speakers with the most quotes, direct and reported."""
    _, rows = run_query(output, f"""
        SELECT speaker, sum(CASE WHEN is_direct THEN 1 ELSE 0 END), sum(CASE WHEN is_direct THEN 0 ELSE 1 END)
        FROM quotes GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(limit)}""")
    if not rows:
        return _empty("no quotes yet")
    rows = list(reversed(rows))
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    names = [r[0] for r in rows]
    axes.barh(names, [r[1] for r in rows], color="#1b5fa8", label="direct quotes")
    axes.barh(names, [r[2] for r in rows], left=[r[1] for r in rows], color="#4c9be8", label="reported speech")
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlabel("quotes")
    axes.legend(loc="lower right", fontsize=8)
    axes.set_title("Who is quoted most")
    return _png(figure)


def rejects_chart(output: str) -> str:
    _, rows = run_query(output, "SELECT stage || '/' || reason, count(*) FROM rejects GROUP BY 1 ORDER BY 2 DESC")
    if not rows:
        return _empty("no rejects")
    figure, axes = plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))
    axes.barh([r[0] for r in reversed(rows)], [r[1] for r in reversed(rows)], color="#7f8c8d")
    axes.set_xlabel("inputs")
    axes.set_title("Rejects by reason")
    return _png(figure)


def latest_runs(output: str, limit: int = 10) -> List[dict]:
    runs = []
    for path in glob.glob(os.path.join(output, "_runs", "*.json")):
        with open(path, encoding="utf-8") as handle:
            runs.append(json.load(handle))
    runs.sort(key=lambda r: r.get("started_at", ""), reverse=True)
    return runs[:limit]


def render_report(output: str) -> str:
    """The report as one HTML document with every figure embedded."""
    sections = [
        ("Events per day by quad class", events_by_day(output)),
        ("Top dyads", top_dyads(output)),
        ("Who is quoted most", speakers_chart(output)),
        ("Stances: holder × topic (support/oppose)", stance_grid(output)),
        ("Rejects by reason", rejects_chart(output)),
    ]
    figures = "\n".join(f'<section><h2>{html.escape(title)}</h2><img alt="{html.escape(title)}" src="{uri}"></section>'
                        for title, uri in sections)
    columns = ("run_id", "status", "started_at", "wall_seconds", "articles", "events", "quotes", "stances",
               "rejects")
    rows = []
    for run in latest_runs(output):
        counts = run.get("counts", {})
        values = [run.get("run_id"), run.get("status"), run.get("started_at"),
                  f"{run.get('wall_seconds', 0):.1f}", counts.get("articles"), counts.get("events"),
                  counts.get("quotes"), counts.get("stances"), counts.get("rejects")]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in values) + "</tr>")
    table = ("<table><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>" + "".join(rows) + "</table>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsevents report: {html.escape(output)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}}img{{max-width:100%}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px;font-size:13px}}</style>
</head><body><h1>newsevents report</h1><p>Output: <code>{html.escape(output)}</code></p>
{figures}
<section><h2>Latest runs</h2>{table}</section>
</body></html>
"""
