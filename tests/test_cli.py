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
