"""The query command, the shipped queries and the HTML report, on the seed output."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess

import pytest

from pipelines import cli, news_events
from tests.conftest import FIXED_NOW, ROOT, inbox_with_rejects
from transforms.lake.query import run_query

QUERIES = os.path.join(ROOT, "queries")


def _query_file(output, name):
    with open(os.path.join(QUERIES, name), encoding="utf-8") as handle:
        return run_query(output, handle.read())


def test_us_russia_events_by_day(seed_run):
    columns, rows = _query_file(seed_run[0], "us_russia_events_by_day.sql")
    records = [dict(zip(columns, r)) for r in rows]
    assert any(r["actor1"] == "Donald Trump" and r["actor2"] == "Vladimir Putin" and r["cameo_code"].startswith("04")
               for r in records)
    for r in records:
        assert {r["actor1_code"][:3], r["actor2_code"][:3]} == {"USA", "RUS"}
        assert r["sentence"]


def test_mentions_of_x(seed_run):
    columns, rows = _query_file(seed_run[0], "mentions_of_x.sql")
    records = [dict(zip(columns, r)) for r in rows]
    assert {r["canonical_name"] for r in records} == {"Volodymyr Zelenskyy"}
    assert {"name", "pronoun"} <= {r["mention_type"] for r in records}   # "Zelenskyy" and "he", "his"
    for r in records:
        assert r["mention"] in r["sentence"] and "\n" not in r["sentence"]


def test_stances_by_holder_on_topic(seed_run):
    columns, rows = _query_file(seed_run[0], "stances_by_holder_on_topic.sql")
    found = {(r[0], r[2]) for r in rows}
    assert ("Pete Hegseth", "oppose") in found and ("Ukraine", "support") in found   # both sides of the topic


def test_top_dyads_by_goldstein(seed_run):
    columns, rows = _query_file(seed_run[0], "top_dyads_by_goldstein.sql")
    assert 0 < len(rows) <= 20
    sums = [r[columns.index("goldstein_sum")] for r in rows]
    assert sums == sorted(sums, reverse=True)
    assert ("USAGOV", "RUSGOV") in {(r[0], r[1]) for r in rows}


def test_rejects_report(tmp_path):
    inbox = inbox_with_rejects(tmp_path, {"empty.txt": b"", "slides.pdf": b"%PDF"})
    output = str(tmp_path / "lake")
    news_events.run(["--input", str(inbox), "--output", output, "--run-id", "r1"], now=FIXED_NOW)
    columns, rows = _query_file(output, "rejects_report.sql")
    assert {(r[1], r[2], r[3]) for r in rows} == {("read", "empty", 1), ("read", "unknown_type", 1)}


def test_query_command_formats(seed_run, tmp_path, capsys):
    output = seed_run[0]
    assert cli.main(["query", output, "SELECT count(*) AS n FROM articles", "--format", "csv"]) == 0
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [["n"], ["5"]]
    assert cli.main(["query", output, "--file", os.path.join(QUERIES, "top_dyads_by_goldstein.sql"),
                     "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and "goldstein_sum" in records[0]
    target = str(tmp_path / "events.parquet")
    assert cli.main(["query", output, "SELECT * FROM events", "--format", "parquet", "--out", target]) == 0
    assert os.path.getsize(target) > 0
    assert cli.main(["query", output, "SELECT holder FROM stances LIMIT 3"]) == 0
    assert "(3 rows)" in capsys.readouterr().out


@pytest.mark.parametrize("args, fragment", [
    (["query", "{out}", "SELECT nope FROM articles"], "query:"),
    (["query", "{out}"], "either SQL or --file"),
    (["query", "/nonexistent/lake", "SELECT 1"], "no such output directory"),
    (["query", "{out}", "SELECT 1", "--format", "parquet"], "needs --out"),
    # read-only, confined to the lake
    (["query", "{out}", "COPY (SELECT * FROM articles) TO '/tmp/newsevents-leak.csv'"], "not COPY"),
    (["query", "{out}", "ATTACH '/tmp/newsevents-other.db'"], "not ATTACH"),
    (["query", "{out}", "INSTALL httpfs"], "only queries"),
    (["query", "{out}", "SET enable_external_access = true"], "only queries"),
    (["query", "{out}", "SELECT * FROM read_csv('/etc/passwd', sep = ':')"], "Permission"),
    (["query", "{out}", "SELECT * FROM read_text('" + os.path.join(ROOT, "README.md") + "')"], "Permission"),
])
def test_query_command_errors_are_one_line(seed_run, capsys, args, fragment):
    assert cli.main([a.replace("{out}", seed_run[0]) for a in args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0]


def test_report_is_one_interactive_page_with_every_section(seed_run, tmp_path):
    path = str(tmp_path / "report.html")
    assert cli.main(["report", seed_run[0], "--out", path]) == 0
    page = open(path, encoding="utf-8").read()
    for title in ("Totals", "Events per day by quad class", "Top dyads", "Who is quoted most",
                  "Stances: holder × topic", "Events", "Stances", "Quotes", "Rejects by reason", "Latest runs"):
        assert f"<h2>{title}</h2>" in page, title
    assert page.count('class="plotly-graph-div"') == 4   # events over time, dyads, speakers, stance grid
    assert "generated " in page and "seedrun" in page   # when, and the latest runs
    # self-contained: plotly.js is inlined once, nothing is fetched when the page opens
    assert len(re.findall(r"<script[^>]*\bsrc=", page)) == 0 and page.count("plotly.js v") >= 1
    assert "Donald Trump (USA" in page   # actors with their codes
    assert "no date known" in page        # the seeds have no dates: said, and drawn apart
    assert page.count('<input class="filter"') == 3


def test_the_report_renders_in_a_headless_browser(seed_run, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Chromium is not installed (Debian package 'chromium'); the report's HTML is checked above")
    path = str(tmp_path / "report.html")
    assert cli.main(["report", seed_run[0], "--out", path]) == 0
    shot = str(tmp_path / "report.png")
    # no network: every host resolves nowhere, so a page that needed one would render empty figures
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600",
                    "--host-resolver-rules=MAP * ~NOTFOUND", f"--screenshot={shot}", "--virtual-time-budget=5000",
                    "file://" + path], capture_output=True, timeout=120, check=True)
    with open(shot, "rb") as handle:
        data = handle.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000   # a drawn page, not a blank one


def test_what_x_said_about_y(seed_run):
    columns, rows = _query_file(seed_run[0], "what_x_said_about_y.sql")
    records = [dict(zip(columns, r)) for r in rows]
    assert records and all("Trump" in r["speaker"] and "peace" in r["content"].lower() for r in records)
    assert {r["kind"] for r in records} <= {"quote", "reported"}


def test_query_on_a_folder_that_is_not_a_lake_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["query", str(tmp_path), "SELECT count(*) FROM articles"]) == 2
    assert "not a newsevents lake" in capsys.readouterr().err


def test_query_output_is_what_each_format_promises(seed_run, capsys):
    output = seed_run[0]
    sql = "SELECT article_id, sentence, [actor1, actor2] AS pair, event_date FROM events ORDER BY event_id LIMIT 3"
    assert cli.main(["query", output, sql, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)   # one JSON array, not lines
    assert len(records) == 3 and isinstance(records[0]["pair"], list)
    assert cli.main(["query", output, sql, "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == records
    assert cli.main(["query", output, sql, "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert json.loads(rows[0]["pair"]) == records[0]["pair"]   # a list as JSON, not a Python repr
    assert cli.main(["query", output, sql, "--max-width", "20"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert any("…" in line for line in table[2:5]) and all(len(cell.strip()) <= 20 for cell in table[2].split("|"))


def test_evidence_sentences_carry_no_surrounding_white_space(seed_run):
    columns, rows = run_query(seed_run[0], "SELECT e.sentence, substr(a.text, e.char_start + 1, e.char_end - e.char_start) "
                                           "FROM events e JOIN articles a USING (article_id)")
    assert rows and all(sentence == sentence.strip() and sentence == piece for sentence, piece in rows)


def test_report_on_a_lake_with_no_rows_says_so(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "short.txt").write_text("Too short to be an article.", encoding="utf-8")
    output = str(tmp_path / "lake")
    news_events.run(["--input", str(inbox), "--output", output, "--run-id", "r1"], now=FIXED_NOW)
    assert cli.main(["report", output]) == 0
    page = open(os.path.join(output, "_runs", "report.html"), encoding="utf-8").read()
    assert "No events yet." in page and "No quotes yet." in page and "too_short" in page
