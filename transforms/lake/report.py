"""A self-contained, interactive HTML report of a lake, drawn with Plotly (no Beam).

One file that needs no network when it is opened: plotly.js is inlined once. Figures zoom and show each
bar's figures on hover; a legend entry hides or shows its series (a quad class, a kind of quote).
- events per day by GDELT quad class, on a real time axis with a range slider; events with no date known
  (neither in the text nor the article's) in grey on the day they were read, and counted apart;
- the top dyads and who is quoted most, with names and codes;
- the holder × topic stance grid, where "no stance" is grey and a balanced cell (as much support as
  opposition) is the colour scale's middle;
- rejects by reason;
- tables of the most confident events, the stances and the quotes, with their sentences and a link to the
  article, each with a filter box (actor, code, topic, words);
- totals for the whole lake and for its last run, the latest runs, and when the report was generated.
"""
from __future__ import annotations

import html
import json
import os
from datetime import datetime, timezone
from typing import List, Optional, Sequence

import plotly.graph_objects as go

from transforms.lake.event_summary import DAY_BASIS_SQL, EVENT_DAY_SQL
from transforms.lake.query import LakeQueries
from transforms.lake.store import is_local, list_files, read_text

QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#4c9be8", 2: "#1b5fa8", 3: "#f0a04b", 4: "#c0392b"}
TABLE_ROWS = 200
#: Beyond this many days between the first and the last event, events are drawn per month.
MAX_DAILY_SPAN = 120
#: The day an event is counted on, and where that day comes from (as in ``event_summary``).
_EVENT_DAYS = f"""
    SELECT e.*, {EVENT_DAY_SQL} AS day, {DAY_BASIS_SQL} AS day_basis,
           coalesce(a.final_url, a.url) AS link, a.input_path
    FROM events e JOIN (SELECT *, CAST(published_at AS DATE) AS published_day FROM articles) a
         ON a.article_id = e.article_id AND coalesce(a.version, 1) = coalesce(e.article_version, 1)"""


def _named(name: str, code: str) -> str:
    """``coalesce(name, '?') || ' (' || code || ')'`` in SQL: a name with its code."""
    return f"coalesce({name}, '?') || CASE WHEN {code} IS NULL THEN '' ELSE ' (' || {code} || ')' END"


class _Figures:
    """Each figure as an HTML fragment; plotly.js goes into the first one only."""

    def __init__(self):
        self.first = True

    def html(self, figure: go.Figure, height: int) -> str:
        figure.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white",
                             font={"family": "system-ui, sans-serif", "size": 12})
        fragment = figure.to_html(full_html=False, include_plotlyjs="inline" if self.first else False,
                                  config={"displaylogo": False, "responsive": True})
        self.first = False
        return fragment


def _note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def events_over_time(query: LakeQueries, figures: _Figures) -> str:
    _, rows = query(f"SELECT day, day_basis, quad_class, count(*) FROM ({_EVENT_DAYS}) GROUP BY 1, 2, 3")
    if not rows:
        return _note("No events yet.")
    dated = [r for r in rows if r[1] != "ingested"]
    undated = [r for r in rows if r[1] == "ingested"]
    by_basis = {basis: sum(r[3] for r in rows if r[1] == basis) for basis in ("event", "published", "ingested")}
    note = (f"{by_basis['event']} events dated by the text, {by_basis['published']} by their article's publication "
            f"date, {by_basis['ingested']} with no date known: those are drawn in grey on the day they were read, "
            "which is not when they happened (hide them with the legend).")
    first, last = min(r[0] for r in rows), max(r[0] for r in rows)
    monthly = (last - first).days > MAX_DAILY_SPAN   # one-day bars over years are too thin to see
    bucket = (lambda day: day.replace(day=1)) if monthly else (lambda day: day)
    when = "%{x|%Y-%m}" if monthly else "%{x|%Y-%m-%d}"
    width = (27 if monthly else 0.8) * 86_400_000   # milliseconds, on a date axis
    note += " One bar per month: the events span more than four months." if monthly else ""
    figure = go.Figure()
    buckets = sorted({bucket(r[0]) for r in rows})

    def series(chosen):
        counts = {b: 0 for b in buckets}
        for row in chosen:
            counts[bucket(row[0])] += row[3]
        return [counts[b] for b in buckets]

    for quad, label in QUADS.items():
        values = series([r for r in dated if r[2] == quad])
        if any(values):
            figure.add_bar(x=buckets, y=values, width=width, name=f"{quad} {label}", marker_color=QUAD_COLOURS[quad],
                           hovertemplate=when + ": %{y} events<extra>" + label + "</extra>")
    if undated:
        figure.add_bar(x=buckets, y=series(undated), width=width, name="no date known (day read)",
                       marker_color="#bdc3c7", marker_pattern_shape="/",
                       hovertemplate="read " + when + ": %{y} events with no date<extra></extra>")
    figure.update_layout(barmode="stack", xaxis={"type": "date", "rangeslider": {"visible": True}},
                         yaxis_title="events", legend={"orientation": "h", "y": 1.12})
    return figures.html(figure, 420) + _note(note)


def _bars(rows: Sequence[tuple], figures: _Figures, *, names: Sequence[str], colours: Sequence[str],
          axis: str, hover: Optional[List[str]] = None) -> str:
    """Horizontal stacked bars, one row per label, largest at the top."""
    rows = list(reversed(rows))
    labels = [r[0] for r in rows]
    figure = go.Figure()
    for k, (name, colour) in enumerate(zip(names, colours)):
        figure.add_bar(y=labels, x=[r[k + 1] for r in rows], name=name, orientation="h", marker_color=colour,
                       customdata=hover and list(reversed(hover)),
                       hovertemplate="%{y}: %{x}" + (" · %{customdata}" if hover else "") + "<extra>" + name + "</extra>")
    figure.update_layout(barmode="stack", xaxis_title=axis, showlegend=len(names) > 1,
                         legend={"orientation": "h", "y": 1.08}, yaxis={"automargin": True})
    return figures.html(figure, 120 + 24 * len(rows))


def top_dyads(query: LakeQueries, figures: _Figures, limit: int = 15) -> str:
    _, rows = query(f"""
        SELECT {_named('actor1', 'actor1_code')} || ' → ' || {_named('actor2', 'actor2_code')},
               count(*) FILTER (WHERE goldstein >= 0), count(*) FILTER (WHERE goldstein < 0 OR goldstein IS NULL),
               round(avg(goldstein), 1)
        FROM events GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(limit)}""")
    if not rows:
        return _note("No events yet.")
    return _bars([r[:3] for r in rows], figures, names=["cooperative (Goldstein ≥ 0)", "conflictual (Goldstein < 0)"],
                 colours=["#2e86c1", "#c0392b"], axis="events",
                 hover=[f"mean Goldstein {r[3]}" for r in rows])


def speakers_chart(query: LakeQueries, figures: _Figures, limit: int = 15) -> str:
    _, rows = query(f"""
        SELECT {_named('speaker', 'speaker_code')}, count(*) FILTER (WHERE is_direct),
               count(*) FILTER (WHERE NOT is_direct)
        FROM quotes GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {int(limit)}""")
    if not rows:
        return _note("No quotes yet.")
    return _bars(rows, figures, names=["direct quotes", "reported speech"], colours=["#1b5fa8", "#4c9be8"],
                 axis="quotes")


def stance_grid(query: LakeQueries, figures: _Figures, limit: int = 15) -> str:
    _, rows = query(f"""
        SELECT {_named('holder', 'holder_code')}, coalesce(topic, '(no topic)'),
               count(*) FILTER (WHERE polarity = 'support'), count(*) FILTER (WHERE polarity = 'oppose')
        FROM stances GROUP BY 1, 2""")
    if not rows:
        return _note("No stances yet.")
    totals: dict = {}
    for holder, _topic, support, oppose in rows:
        totals[holder] = totals.get(holder, 0) + support + oppose
    holders = sorted(totals, key=lambda h: (-totals[h], h))[:limit]
    topics = sorted({r[1] for r in rows if r[0] in holders})
    z = [[None] * len(topics) for _ in holders]
    text = [[""] * len(topics) for _ in holders]
    for holder, topic, support, oppose in rows:
        if holder in holders and support + oppose:
            i, j = holders.index(holder), topics.index(topic)
            z[i][j] = support - oppose
            text[i][j] = f"+{support} / −{oppose}"
    bound = max([1] + [abs(v) for row in z for v in row if v is not None])
    figure = go.Figure(go.Heatmap(
        z=z, x=topics, y=holders, text=text, texttemplate="%{text}", colorscale="RdYlGn", zmin=-bound, zmax=bound,
        colorbar={"title": "support − oppose"}, xgap=2, ygap=2,
        hovertemplate="%{y} on %{x}: %{text}<extra></extra>"))
    figure.update_layout(plot_bgcolor="#d5d8dc", yaxis={"autorange": "reversed", "automargin": True},
                         xaxis={"automargin": True})
    return figures.html(figure, 160 + 28 * len(holders)) + _note(
        "Grey: no support or opposition stated. Yellow: as much of one as of the other. "
        "Neutral mentions are counted in the stances table, not here.")


def rejects_chart(query: LakeQueries, figures: _Figures) -> str:
    _, rows = query("SELECT stage || '/' || reason, count(*) FROM rejects GROUP BY 1 ORDER BY 2 DESC, 1")
    if not rows:
        return _note("No rejects.")
    return _bars(rows, figures, names=["inputs"], colours=["#7f8c8d"], axis="inputs")


def _link(url: Optional[str], path: Optional[str]) -> str:
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}">article</a>'
    if path:
        where = path.rsplit(":", 1)[0] if path.rsplit(":", 1)[-1].isdigit() else path
        if not is_local(where):   # an object on a store: named, no link a browser could follow
            return html.escape(where)
        return f'<a href="file://{html.escape(os.path.abspath(where), quote=True)}">{html.escape(os.path.basename(path))}</a>'
    return ""


def _table(name: str, columns: Sequence[str], rows: Sequence[Sequence[str]], total: int) -> str:
    """An HTML table of already escaped cells, with a filter box."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    shown = f"the first {len(rows)} of {total}" if total > len(rows) else f"all {total}"
    return (f'<input class="filter" type="search" placeholder="filter {html.escape(name)}: actor, code, topic, words…" '
            f'data-table="{name}"> <span class="note">{shown}</span>'
            f'<div class="scroll"><table id="{name}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>')


def _cell(value) -> str:
    return "" if value is None else html.escape(str(value).strip())


def events_table(query: LakeQueries) -> str:
    _, total = query("SELECT count(*) FROM events")
    _, rows = query(f"""
        SELECT day, day_basis, {_named('actor1', 'actor1_code')}, cameo_code, quad_class, {_named('actor2', 'actor2_code')},
               modality, round(confidence, 2), sentence, link, input_path
        FROM ({_EVENT_DAYS}) ORDER BY confidence DESC, day DESC, event_id LIMIT {TABLE_ROWS}""")
    cells = [[_cell(r[0]) + f' <span class="note">{_cell(r[1])}</span>', _cell(r[2]), _cell(r[3]),
              _cell(QUADS.get(r[4], "")), _cell(r[5]), _cell(r[6]), _cell(r[7]), _cell(r[8]), _link(r[9], r[10])]
             for r in rows]
    return _table("events", ["day (from)", "source", "CAMEO", "quad class", "target", "modality", "confidence",
                             "sentence", "link"], cells, total[0][0])


def stances_table(query: LakeQueries) -> str:
    _, total = query("SELECT count(*) FROM stances")
    _, rows = query(f"""
        SELECT {_named('s.holder', 's.holder_code')}, s.polarity, s.topic, s.target, s.evidence,
               coalesce(a.final_url, a.url), a.input_path
        FROM stances s LEFT JOIN articles a ON a.article_id = s.article_id
             AND coalesce(a.version, 1) = coalesce(s.article_version, 1)
        ORDER BY s.polarity = 'neutral', s.holder, s.stance_id LIMIT {TABLE_ROWS}""")
    cells = [[_cell(v) for v in r[:5]] + [_link(r[5], r[6])] for r in rows]
    return _table("stances", ["holder", "polarity", "topic", "target", "evidence", "link"], cells, total[0][0])


def quotes_table(query: LakeQueries) -> str:
    _, total = query("SELECT count(*) FROM quotes")
    _, rows = query(f"""
        SELECT {_named('q.speaker', 'q.speaker_code')}, CASE WHEN q.is_direct THEN 'direct' ELSE 'reported' END,
               q.content, coalesce(a.final_url, a.url), a.input_path
        FROM quotes q LEFT JOIN articles a ON a.article_id = q.article_id
             AND coalesce(a.version, 1) = coalesce(q.article_version, 1)
        ORDER BY q.speaker, q.quote_id LIMIT {TABLE_ROWS}""")
    cells = [[_cell(v) for v in r[:3]] + [_link(r[3], r[4])] for r in rows]
    return _table("quotes", ["speaker", "kind", "content", "link"], cells, total[0][0])


def latest_runs(output: str, limit: int = 10) -> List[dict]:
    runs = []
    for path in list_files(output, "_runs/*.json"):
        try:
            runs.append(json.loads(read_text(path)))
        except (OSError, ValueError):
            continue
    runs.sort(key=lambda r: r.get("started_at", ""), reverse=True)
    return runs[:limit]


TOTALS = ("articles", "events", "quotes", "stances", "rejects")


def totals(query: LakeQueries, runs: List[dict]) -> str:
    lake = {table: query(f"SELECT count(*) FROM {table}")[1][0][0] for table in TOTALS}
    last = runs[0] if runs else {}
    counts = last.get("counts", {})
    head = "".join(f"<th>{t}</th>" for t in TOTALS)
    return (f"<table><tr><th></th>{head}</tr>"
            f"<tr><th>whole lake</th>{''.join(f'<td>{lake[t]}</td>' for t in TOTALS)}</tr>"
            f"<tr><th>last run ({_cell(last.get('run_id'))})</th>"
            f"{''.join(f'<td>{_cell(counts.get(t))}</td>' for t in TOTALS)}</tr></table>")


def runs_table(runs: List[dict]) -> str:
    columns = ("run_id", "status", "started_at", "wall s", "input files", "unchanged", "articles", "events",
               "quotes", "stances", "rejects")
    rows = []
    for run in runs:
        counts = run.get("counts", {})
        values = [run.get("run_id"), run.get("status"), run.get("started_at"), f"{run.get('wall_seconds', 0):.1f}",
                  counts.get("input_files"), counts.get("inputs_unchanged"), counts.get("articles"),
                  counts.get("events"), counts.get("quotes"), counts.get("stances"), counts.get("rejects")]
        rows.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in values) + "</tr>")
    return "<table><tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>" + "".join(rows) + "</table>"


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ddd;padding:4px 8px;font-size:13px;vertical-align:top;text-align:left}
.note{color:#666;font-size:13px}.scroll{max-height:480px;overflow:auto}.filter{width:28em;padding:4px;margin-top:.5em}"""
_FILTER = """document.querySelectorAll('input.filter').forEach(function(box){box.addEventListener('input',function(){
var words=box.value.toLowerCase();document.querySelectorAll('#'+box.dataset.table+' tbody tr').forEach(function(row){
row.style.display=row.textContent.toLowerCase().indexOf(words)>=0?'':'none';});});});"""


def render_report(output: str, *, now: Optional[datetime] = None) -> str:
    """The report as one HTML document that needs nothing else to open."""
    generated = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    figures = _Figures()
    runs = latest_runs(output)
    with LakeQueries(output) as query:
        sections = [
            ("Totals", totals(query, runs)),
            ("Events per day by quad class", events_over_time(query, figures)),
            ("Top dyads", top_dyads(query, figures)),
            ("Who is quoted most", speakers_chart(query, figures)),
            ("Stances: holder × topic", stance_grid(query, figures)),
            ("Events", events_table(query)),
            ("Stances", stances_table(query)),
            ("Quotes", quotes_table(query)),
            ("Rejects by reason", rejects_chart(query, figures)),
            ("Latest runs", runs_table(runs)),
        ]
    body = "\n".join(f'<section><h2>{html.escape(title)}</h2>\n{content}</section>' for title, content in sections)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newsevents report: {html.escape(output)}</title>
<style>{_STYLE}</style></head><body>
<h1>newsevents report</h1>
<p class="note">Lake <code>{html.escape(os.path.abspath(output) if is_local(output) else output)}</code> · generated {generated} UTC</p>
{body}
<script>{_FILTER}</script>
</body></html>
"""
