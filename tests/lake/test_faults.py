"""Fault injection: a real run killed at each point of its life, then the next run, then the lake checked.

The seam is ``NEWSEVENTS_FAULT_AT`` (``transforms.common.faults``): the run's process dies with SIGKILL at
that point, as a power cut would leave it. The inputs hold two articles, a copy of one, an input too short
to be an article and a page fetched from a local server (127.0.0.1), on top of a lake where another run
has already published one article. After the crash:

- nothing of the crashed run is visible if it died before committing its journal, and every file that is
  visible is whole; the other run's rows are all there;
- the next run (same inputs, another id) recovers: the staging is gone, and a committed run is published
  in full and its manifest says so;
- articles + duplicates + rejects = records read, every article once, every entity, event and quote row
  pointing at an article, ``event_summary`` counting each event once, and the fetched page in the lake
  exactly once (the fetch state is recorded only with a published run).
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, SEEDS, sql_rows
from tests.web_server import LocalSite, page_names
from transforms.common.faults import FAULT_ENV, POINTS
from transforms.lake.staging import staging_dir

COMMITTED = set(POINTS[POINTS.index("journal-written"):])
TABLES_WITH_ARTICLE = ("entities", "events", "quotes", "stances")


def _newsevents(output, inbox, urls_file, run_id, fault=None):
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    return subprocess.run([sys.executable, "-m", "pipelines.news_events", "--input", inbox, "--urls", urls_file,
                           "--allow-private-addresses", "--output", output, "--run-id", run_id, "--host-delay", "0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _files(output, table="*"):
    return sorted(glob.glob(os.path.join(output, table, "*=*", "*.parquet")))


def _rows(output, sql):
    tables = {t: f"read_parquet('{output}/{t}/**/*.parquet', hive_partitioning=true, union_by_name=true)"
              for t in ("articles", "events", "event_summary", *TABLES_WITH_ARTICLE)}
    return sql_rows(sql.format(**tables))


@pytest.fixture(scope="module")
def site():
    with LocalSite() as server:
        yield server


@pytest.fixture(scope="module")
def template(tmp_path_factory, site):
    """A lake where run ``base`` published one article, and the inputs of the run to crash."""
    root = tmp_path_factory.mktemp("faults")
    seeds = sorted(glob.glob(os.path.join(SEEDS, "*.txt")))
    base_inbox, inbox = root / "base_inbox", root / "inbox"
    base_inbox.mkdir()
    inbox.mkdir()
    shutil.copy(seeds[3], base_inbox / "base.txt")
    shutil.copy(seeds[1], inbox / "a.txt")
    shutil.copy(seeds[2], inbox / "b.txt")
    shutil.copy(seeds[1], inbox / "a_copy.txt")
    (inbox / "short.txt").write_text("Too short.", encoding="utf-8")
    urls = root / "urls.txt"
    urls.write_text(site.url(f"/pages/{page_names(1)[0]}") + "\n", encoding="utf-8")
    empty_urls = root / "no_urls.txt"
    empty_urls.write_text("", encoding="utf-8")
    lake = str(root / "lake")
    done = _newsevents(lake, str(base_inbox), str(empty_urls), "base")
    assert done.returncode == 0, done.stderr
    return {"lake": lake, "inbox": str(inbox), "urls": str(urls)}


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_each_point_loses_and_duplicates_nothing(template, tmp_path, point):
    lake = str(tmp_path / "lake")
    shutil.copytree(template["lake"], lake)
    base_files = _files(lake)

    crashed = _newsevents(lake, template["inbox"], template["urls"], "crash", fault=point)
    assert crashed.returncode == -signal.SIGKILL, f"the run was not killed at {point}: {crashed.stderr[-2000:]}"

    # What a reader sees now: the other run's files, whole; nothing of the crash unless it had committed.
    assert set(base_files) <= set(_files(lake))
    for path in _files(lake):
        pq.read_metadata(path)   # raises on a torn file
    crash_files = [p for p in _files(lake) if os.path.basename(p).startswith("crash-")]
    if point not in COMMITTED:
        assert crash_files == []
    assert _rows(lake, "SELECT count(*) FROM {articles} WHERE run_id = 'base'") == [(1,)]
    left_staging = os.path.isdir(staging_dir(lake, "crash"))
    assert left_staging or point in ("read", "nlp")   # from the first staged write on, there is staging
    if point == "manifest-written":
        assert glob.glob(os.path.join(lake, "_runs", "crash.json"))

    # The next run recovers.
    after = _newsevents(lake, template["inbox"], template["urls"], "next")
    assert after.returncode == 0, after.stderr[-2000:]
    with open(os.path.join(lake, "_runs", "next.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert any(line.startswith("crash:") for line in manifest["recovered"]) == left_staging
    assert not glob.glob(staging_dir(lake, "*"))
    counts = manifest["counts"]
    # a committed run's local files are published: the next run does not read them again (the URL it
    # does read, and finds fetched before)
    assert counts["inputs_unchanged"] == (4 if point in COMMITTED else 0)
    assert counts["articles"] + counts["duplicates"] + counts["duplicates_published"] + counts["rejects"] \
        == counts["records_read"] == (1 if point in COMMITTED else 5)
    if point in COMMITTED:
        with open(os.path.join(lake, "_runs", "crash.json"), encoding="utf-8") as handle:
            crash = json.load(handle)
        if point == "manifest-written":   # it had said it succeeded; only its staging was left
            assert crash["status"] == "succeeded"
        else:
            assert crash["status"] == "published_by_recovery" and crash["recovered_by"] == "next"
        assert crash["counts"]["articles"] == 3 and counts["articles"] == 0
    else:
        assert not glob.glob(os.path.join(lake, "*", "*=*", "crash-*.parquet"))
        assert counts["articles"] == 3

    # The lake as a whole: every input once.
    assert _rows(lake, "SELECT count(*), count(DISTINCT article_id) FROM {articles}") == [(4, 4)]
    with open(template["urls"], encoding="utf-8") as handle:
        url = handle.read().strip()
    state = sqlite3.connect(os.path.join(lake, "_state", "fetch.sqlite"))
    try:
        assert state.execute("SELECT count(*) FROM urls WHERE url = ?", (url,)).fetchall() == [(1,)]
    finally:
        state.close()
    for table in TABLES_WITH_ARTICLE:
        assert _rows(lake, f"SELECT count(*) FROM {{{table}}} t WHERE t.article_id NOT IN "
                           "(SELECT article_id FROM {articles})") == [(0,)], table
    assert _rows(lake, "SELECT sum(num_mentions) FROM {event_summary}") == _rows(lake, "SELECT count(*) FROM {events}")


def _mount_small(path, inodes):
    """A tmpfs at ``path`` with room for ``inodes`` files and folders; None (and why) where that cannot be."""
    if not sys.platform.startswith("linux") or shutil.which("mount") is None:
        return "no mount command (not Linux)"
    os.makedirs(path, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size=20m,nr_inodes={inodes}", "tmpfs", path],
                          capture_output=True, text=True)
    return None if done.returncode == 0 else f"cannot mount a small file system here: {done.stderr.strip()[:200]}"


@pytest.mark.parametrize("inodes", [26])
def test_a_full_disk_publishes_nothing_partial_and_the_next_run_recovers(tmp_path, inodes):
    mount = str(tmp_path / "small")
    why = _mount_small(mount, inodes)
    if why:
        pytest.skip(why)
    try:
        lake = os.path.join(mount, "lake")
        inbox = str(tmp_path / "inbox")
        os.makedirs(inbox)
        for name in sorted(os.listdir(SEEDS))[:3]:
            shutil.copy(os.path.join(SEEDS, name), inbox)
        no_urls = tmp_path / "no_urls.txt"
        no_urls.write_text("", encoding="utf-8")
        full = _newsevents(lake, inbox, str(no_urls), "full")
        assert full.returncode == 1, full.stderr[-2000:]
        assert "Traceback" not in full.stderr.splitlines()[-1]
        assert not glob.glob(os.path.join(lake, "_runs", "*.tmp"))
        committed = os.path.exists(os.path.join(staging_dir(lake, "full"), "_PUBLISHING.json"))
        if not committed:
            assert not glob.glob(os.path.join(lake, "*", "*=*", "full-*.parquet"))
        for path in _files(lake):
            pq.read_metadata(path)
        subprocess.run(["mount", "-o", "remount,nr_inodes=10000", mount], check=True)
        after = _newsevents(lake, inbox, str(no_urls), "after")
        assert after.returncode == 0, after.stderr[-2000:]
        assert _rows(lake, "SELECT count(*), count(DISTINCT article_id) FROM {articles}") == [(3, 3)]
        assert not glob.glob(staging_dir(lake, "*"))
    finally:
        subprocess.run(["umount", mount], capture_output=True)
