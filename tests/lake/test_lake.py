"""Scheduled runs: idempotent reruns, cross-run deduplication, versions, crash safety, exit codes."""
from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import news_events
from schemas import ARTICLES_SCHEMA, SCHEMA_VERSION
from transforms.lake.staging import staging_dir
from tests.conftest import FIXED_NOW, ROOT, SEEDS, inbox_with_rejects, sql_rows

TEXT = ("Delegations from Washington and Moscow met in Riyadh on Tuesday to discuss a ceasefire in "
        "Ukraine, officials from both countries said after the talks ended late in the evening. ")


def _count(output, table, what="*"):
    return sql_rows(f"SELECT count({what}) FROM read_parquet('{output}/{table}/**/*.parquet', "
                f"hive_partitioning=true, union_by_name=true)")[0][0]


def first_article_id(output):
    return sql_rows(f"SELECT min(article_id) FROM read_parquet('{output}/articles/**/*.parquet')")[0][0]


def _run(*args):
    return news_events.run(list(args), now=FIXED_NOW)


def test_rerun_with_the_same_run_id_gives_identical_counts(tmp_path):
    output = str(tmp_path / "lake")
    first = _run("--input", SEEDS, "--output", output, "--run-id", "daily")
    counts = {t: _count(output, t) for t in ("articles", "entities", "events", "stances", "event_summary")}
    second = _run("--input", SEEDS, "--output", output, "--run-id", "daily")
    assert {t: _count(output, t) for t in counts} == counts
    assert first["counts"]["articles"] == second["counts"]["articles"] == 5


def test_new_run_ids_append_without_duplicates(tmp_path):
    output = str(tmp_path / "lake")
    _run("--input", SEEDS, "--output", output, "--run-id", "monday")
    second = _run("--input", SEEDS, "--output", output, "--run-id", "tuesday", "--reprocess")
    assert second["counts"]["articles"] == 0
    assert second["counts"]["duplicates_published"] == 5
    for table, key in (("articles", "article_id"), ("events", "event_id"), ("stances", "stance_id")):
        assert _count(output, table) == _count(output, table, f"DISTINCT {key}") > 0, table


def test_an_unchanged_inbox_is_not_read_again_and_a_changed_file_is(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = sorted(os.listdir(SEEDS))[:2]
    for name in names:
        (inbox / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    output = str(tmp_path / "lake")
    first = _run("--input", str(inbox), "--output", output, "--run-id", "one")
    assert first["counts"]["input_files"] == 2 and first["counts"]["articles"] == 2
    tables = {t: _count(output, t) for t in ("articles", "events", "quotes")}
    again = _run("--input", str(inbox), "--output", output, "--run-id", "two")
    assert (again["counts"]["input_files"], again["counts"]["inputs_unchanged"], again["counts"]["records_read"]) \
        == (0, 2, 0)
    assert {t: _count(output, t) for t in tables} == tables
    os.utime(inbox / names[0], (1, 1))   # touched, same content: still not read
    touched = _run("--input", str(inbox), "--output", output, "--run-id", "three")
    assert (touched["counts"]["input_files"], touched["counts"]["inputs_unchanged"]) == (0, 2)
    with open(inbox / names[1], "a", encoding="utf-8") as handle:
        handle.write("\nKyiv was not invited, Ukrainian officials complained on Tuesday.\n")
    changed = _run("--input", str(inbox), "--output", output, "--run-id", "four")
    assert (changed["counts"]["input_files"], changed["counts"]["inputs_unchanged"]) == (1, 1)
    assert changed["counts"]["articles"] == 1
    everything = _run("--input", str(inbox), "--output", output, "--run-id", "five", "--reprocess")
    assert everything["counts"]["input_files"] == 2 and everything["counts"]["duplicates_published"] == 2
    # a rerun of a run id replaces what it published: its own files are read again, not skipped
    rerun = _run("--input", str(inbox), "--output", output, "--run-id", "one")
    assert rerun["counts"]["input_files"] == 2


def test_every_duplicate_is_in_the_duplicates_log(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt")
    for name in ("a.txt", "b.txt"):   # the same article twice in one run
        with open(seed, encoding="utf-8") as handle:
            (inbox / name).write_text(handle.read(), encoding="utf-8")
    output = str(tmp_path / "lake")
    first = _run("--input", str(inbox), "--output", output, "--run-id", "one")
    with open(first["duplicates_log"], encoding="utf-8") as handle:
        logged = [json.loads(line) for line in handle]
    assert first["counts"]["duplicates"] == len(logged) == 1
    assert logged[0]["input"].endswith("b.txt") and logged[0]["kept_input"].endswith("a.txt")
    assert logged[0]["why"] == "same content"
    second = _run("--input", seed, "--output", output, "--run-id", "two")   # published by run one
    with open(second["duplicates_log"], encoding="utf-8") as handle:
        logged = [json.loads(line) for line in handle]
    assert second["counts"]["duplicates_published"] == len(logged) == 1
    assert logged[0]["why"] == "published before" and logged[0]["duplicate_of"] == first_article_id(output)


def test_changed_content_is_a_new_version(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feed = inbox / "feed.jsonl"
    feed.write_text(json.dumps({"url": "https://news.example/riyadh", "title": "Riyadh", "text": TEXT * 3}))
    output = str(tmp_path / "lake")
    _run("--input", str(inbox), "--output", output, "--run-id", "one")
    feed.write_text(json.dumps({"url": "https://news.example/riyadh", "title": "Riyadh",
                                "text": TEXT * 3 + "Kyiv was not invited, Ukrainian officials complained."}))
    second = _run("--input", str(inbox), "--output", output, "--run-id", "two")
    assert second["counts"]["articles"] == 1
    rows = sql_rows(f"SELECT article_id, version, run_id FROM read_parquet('{output}/articles/**/*.parquet') ORDER BY 2")
    assert [(r[1], r[2]) for r in rows] == [(1, "one"), (2, "two")]
    assert rows[0][0] == rows[1][0]
    versions = sql_rows(f"SELECT DISTINCT article_version FROM read_parquet('{output}/entities/**/*.parquet') ORDER BY 1")
    assert versions == [(1,), (2,)]   # the entities of each version, told apart


def test_files_carry_the_schema_version_and_old_partitions_still_read(tmp_path):
    output = str(tmp_path / "lake")
    _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "new")
    [path] = glob.glob(f"{output}/articles/ingest_date=*/new-*.parquet")
    assert pq.read_schema(path).metadata[b"newsevents.schema_version"] == SCHEMA_VERSION.encode()
    # A partition written before the "version" column existed.
    old_schema = pa.schema([f for f in ARTICLES_SCHEMA if f.name != "version"])
    old_rows = pq.read_table(path).drop_columns(["version"]).cast(old_schema)
    os.makedirs(f"{output}/articles/ingest_date=2024-12-01")
    old_rows = old_rows.set_column(old_rows.schema.get_field_index("article_id"), "article_id",
                                   pa.array(["0000000000000000"]))
    old_rows = old_rows.set_column(old_rows.schema.get_field_index("run_id"), "run_id", pa.array(["old"]))
    pq.write_table(old_rows, f"{output}/articles/ingest_date=2024-12-01/old-00000-of-00001.parquet")
    rows = sql_rows(f"SELECT run_id, version FROM read_parquet('{output}/articles/**/*.parquet', "
                f"hive_partitioning=true, union_by_name=true) ORDER BY run_id")
    assert rows == [("new", 1), ("old", None)]


def test_reject_ratio_over_the_threshold_exits_3(tmp_path):
    inbox = inbox_with_rejects(tmp_path, {"empty1.txt": b"", "empty2.txt": b""})
    output = str(tmp_path / "lake")
    code = news_events.main(["--input", str(inbox), "--output", output, "--run-id", "r", "--max-reject-ratio", "0.5"])
    assert code == 3
    with open(os.path.join(output, "_runs", "r.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert manifest["exit_code"] == 3 and manifest["reject_ratio"] == pytest.approx(2 / 3, abs=1e-3)
    assert news_events.main(["--input", str(inbox), "--output", output, "--run-id", "r",
                             "--max-reject-ratio", "0.9"]) == 0


def test_a_failed_run_writes_its_manifest_and_exits_1(tmp_path):
    bad = tmp_path / "bad.actors.txt"
    bad.write_text("+A_SYNONYM_BEFORE_ANY_ACTOR\n")
    output = str(tmp_path / "lake")
    code = news_events.main(["--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output,
                             "--run-id", "broken", "--actors", str(bad)])
    assert code == 1
    with open(os.path.join(output, "_runs", "broken.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert manifest["status"] == "failed" and "synonym before any actor" in manifest["error"]
    assert not glob.glob(f"{output}/articles/**/*.parquet", recursive=True)


def test_a_killed_run_leaves_nothing_visible_and_the_next_run_recovers(tmp_path):
    output = str(tmp_path / "lake")
    _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "before")
    before = {t: _count(output, t) for t in ("articles", "events", "stances")}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.news_events", "--input", SEEDS, "--output", output, "--run-id", "killed"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = staging_dir(output, "killed")
    deadline = time.monotonic() + 120
    # Wait until Beam is writing the run's files into staging, then kill the process outright.
    while time.monotonic() < deadline and process.poll() is None:
        if glob.glob(os.path.join(staging, "*", "**", "*"), recursive=True):
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert not glob.glob(f"{output}/*/ingest_date=*/killed-*.parquet")
    assert {t: _count(output, t) for t in before} == before
    after = _run("--input", SEEDS, "--output", output, "--run-id", "next")
    assert after["status"] == "succeeded"
    assert any(line.startswith("killed:") for line in after["recovered"])
    assert not os.path.exists(staging)
    assert _count(output, "articles") == 5


def test_a_second_run_into_a_lake_being_written_is_refused_with_exit_2(tmp_path, capsys):
    from transforms.lake.lease import LakeLock

    output = str(tmp_path / "lake")
    with LakeLock(output, "first"):
        code = news_events.main(["--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output,
                                 "--run-id", "second"])
    assert code == 2
    assert "run 'first'" in capsys.readouterr().err
    assert not glob.glob(f"{output}/articles/**/*.parquet", recursive=True)
    assert _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output,
                "--run-id", "second")["status"] == "succeeded"   # the lock went with its holder


def test_retrying_a_killed_run_id_publishes_only_the_retry(tmp_path):
    output = str(tmp_path / "lake")
    env = {**os.environ, "NEWSEVENTS_FAULT_AT": "staged"}
    killed = subprocess.run([sys.executable, "-m", "pipelines.news_events", "--input", SEEDS, "--output", output,
                             "--run-id", "daily"], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert glob.glob(os.path.join(staging_dir(output, "daily"), "articles", "**", "*.parquet"), recursive=True)
    retry = _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "daily")
    assert retry["status"] == "succeeded" and retry["counts"]["articles"] == 1
    assert _count(output, "articles") == 1 and _count(output, "rejects") == 0


def test_rerunning_a_run_id_with_fewer_inputs_leaves_no_stale_summary_rows(tmp_path):
    output = str(tmp_path / "lake")
    _run("--input", SEEDS, "--output", output, "--run-id", "r")
    _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "r")
    events = _count(output, "events")
    assert events > 0
    assert sql_rows(f"SELECT sum(num_mentions) FROM read_parquet('{output}/event_summary/**/*.parquet')")[0][0] == events
    assert sql_rows(f"SELECT count(*) FROM read_parquet('{output}/event_summary/**/*.parquet') s WHERE "
                    f"s.example_event_id NOT IN (SELECT event_id FROM read_parquet('{output}/events/**/*.parquet'))"
                    )[0][0] == 0


def test_an_output_path_with_quotes_and_brackets_works_end_to_end(tmp_path):
    from transforms.lake.query import run_query

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), encoding="utf-8") as handle:
        text = handle.read()
    for name in ("a.txt", "b.txt"):   # one article and its duplicate
        (inbox / name).write_text(text, encoding="utf-8")
    output = str(tmp_path / "it's [lake]")
    manifest = _run("--input", str(inbox), "--output", output, "--run-id", "q")
    assert manifest["status"] == "succeeded" and manifest["counts"]["articles"] == 1
    with open(manifest["duplicates_log"], encoding="utf-8") as handle:
        assert len(handle.read().splitlines()) == manifest["counts"]["duplicates"] == 1
    assert manifest["event_summary_days"]
    assert run_query(output, "SELECT count(*) FROM articles")[1] == [(1,)]
    assert run_query(output, "SELECT sum(num_mentions) FROM event_summary")[1] == \
        run_query(output, "SELECT count(*) FROM events")[1]


def test_a_truncated_file_stops_the_next_run_before_it_publishes_and_is_named(tmp_path, capsys):
    from pipelines import cli

    output = str(tmp_path / "lake")
    _run("--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "one")
    [events] = glob.glob(os.path.join(output, "events", "*", "*.parquet"))
    with open(events, "rb") as handle:
        data = handle.read()
    with open(events, "wb") as handle:
        handle.write(data[:len(data) // 2])
    code = news_events.main(["--input", os.path.join(SEEDS, "002_67bedc424d3f0f2d.txt"), "--output", output,
                             "--run-id", "two"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert events in err[-1] and "not a readable Parquet file" in err[-1]
    assert not glob.glob(os.path.join(output, "*", "*", "two-*.parquet"))
    assert cli.main(["query", output, "SELECT count(*) FROM articles"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and events in err[0]


def test_a_damaged_fetch_state_fails_the_run_with_its_path(tmp_path, capsys):
    output = tmp_path / "lake"
    (output / "_state").mkdir(parents=True)
    (output / "_state" / "fetch.sqlite").write_bytes(b"this is not a database" * 100)
    urls = tmp_path / "urls.txt"
    urls.write_text("http://127.0.0.1:9/page.html\n")
    code = news_events.main(["--urls", str(urls), "--output", str(output), "--allow-private-addresses",
                             "--run-id", "f"])
    assert code == 1
    assert "fetch.sqlite: the fetch state cannot be read" in capsys.readouterr().err
    with open(output / "_runs" / "f.json", encoding="utf-8") as handle:
        assert json.load(handle)["status"] == "failed"


def test_the_manifest_says_where_the_days_of_its_events_come_from(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    met = ("Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing to discuss trade, "
           "officials from both countries said after the talks ended late in the evening. ")
    dated = {"url": "https://news.example/beijing", "title": "Beijing", "published_at": "2025-02-11T09:00:00Z",
             "text": met * 3}
    (inbox / "feed.jsonl").write_text(json.dumps(dated), encoding="utf-8")
    with open(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), encoding="utf-8") as handle:   # no date at all
        (inbox / "undated.txt").write_text(handle.read(), encoding="utf-8")
    manifest = _run("--input", str(inbox), "--output", str(tmp_path / "lake"), "--run-id", "days")
    bases = manifest["events_by_day_basis"]
    assert sum(bases.values()) == manifest["counts"]["events"] > 0
    assert bases["ingested"] > 0 and bases["event"] + bases["published"] > 0
    assert "dated by text/article/none" in news_events.format_summary(manifest)
