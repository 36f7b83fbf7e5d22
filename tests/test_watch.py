"""``newsevents watch``: real watchers (subprocesses) over a real feed on 127.0.0.1 whose items appear while they
run, with compressed ticks; killed mid-tick, restarted, stopped with SIGTERM; and the pieces they are made of."""
from __future__ import annotations

import glob
import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines.watch import parse_duration, split_argv
from tests.conftest import EXTRACTION, ROOT
from tests.test_cli import _newsevents
from tests.web_server import LocalSite
from transforms.common.errors import UsageError
from transforms.common.faults import FAULT_ENV
from transforms.ingest.fetch import Fetcher, FetchSettings
from transforms.ingest.poll import poll
from transforms.lake.query import run_query

LOCAL = FetchSettings(allowed_networks=("127.0.0.1/32",), host_delay=0.0)


def _pages(count):
    """``count`` distinct real news pages (the extraction corpus's), as bytes."""
    paths = sorted(glob.glob(os.path.join(EXTRACTION, "cache", "*.html")))[:count]
    assert len(paths) == count
    return [open(path, "rb").read() for path in paths]


class Watcher:
    """``newsevents watch`` in a process of its own, its log in a file (a full pipe never stalls it)."""

    def __init__(self, tmp_path, name, *flags, fault=None):
        env = {**os.environ, "TMPDIR": str(tmp_path)}
        env.pop(FAULT_ENV, None)
        if fault:
            env[FAULT_ENV] = fault
        self.log_path = tmp_path / f"{name}.log"
        self.log = open(self.log_path, "w+", encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "watch", *flags], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def text(self) -> str:
        return open(self.log_path, encoding="utf-8").read()

    def wait_for(self, fragment: str, timeout: float = 120, *, after: int = 0) -> str:
        """Wait until the log has ``fragment`` after its first ``after`` characters; the log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if fragment in text[after:]:
                return text
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"{fragment!r} not in the watcher's log:\n{self.text()}")

    def stop(self, how=signal.SIGTERM, timeout: float = 120) -> int:
        if self.process.poll() is None:
            self.process.send_signal(how)
        code = self.process.wait(timeout=timeout)
        self.log.close()
        return code


def _watch_flags(site, lake, every="2s"):
    return ["--feed", site.url("/feed.xml"), "--output", str(lake), "--every", every, "--allow-private-addresses",
            "--host-delay", "0", "--progress-interval", "0"]


def _published(lake):
    """``{fetched URL: times in articles}`` and the run ids of the table files."""
    con = duckdb.connect()
    files = glob.glob(os.path.join(lake, "articles", "**", "*.parquet"), recursive=True)
    if not files:
        return {}, set()
    rows = con.execute(f"SELECT fetched_url, count(*) FROM read_parquet({files!r}) GROUP BY 1").fetchall()
    runs = {os.path.basename(path).split("-")[0] for table in ("articles", "rejects")
            for path in glob.glob(os.path.join(lake, table, "**", "*.parquet"), recursive=True)}
    return dict(rows), runs


def _rejected(lake):
    files = glob.glob(os.path.join(lake, "rejects", "**", "*.parquet"), recursive=True)
    if not files:
        return set()
    return {row[0] for row in duckdb.connect().execute(f"SELECT input FROM read_parquet({files!r})").fetchall()}


def test_a_watcher_killed_mid_tick_restarted_and_stopped_publishes_every_item_exactly_once(tmp_path):
    """The soak test: items appear in a feed over compressed ticks; the first watcher dies inside a tick's pipeline
    (SIGKILL, as the OOM killer would), the second redoes it and goes on, and stops cleanly on SIGTERM; every
    item is in the lake once (an article, or a reject saying why), nothing of the killed tick was published."""
    lake = tmp_path / "lake"
    pages = _pages(9)
    with LocalSite() as site:
        urls = [site.serve("item0.html", pages[0], published=time.time())]
        first = Watcher(tmp_path, "first", *_watch_flags(site, lake), fault="nlp")
        log = first.wait_for("run ")   # the first tick with news started its run...
        assert first.process.wait(timeout=120) == -signal.SIGKILL   # ...and died inside its pipeline
        killed = log.split("run ", 1)[1].split(":", 1)[0]
        published, runs = _published(str(lake))
        assert published == {} and killed not in runs   # nothing of the killed tick is visible

        second = Watcher(tmp_path, "second", *_watch_flags(site, lake))
        second.wait_for("tick ")
        for number in range(1, len(pages)):   # one or two items a tick, some while a tick is running
            urls.append(site.serve(f"item{number}.html", pages[number], published=time.time()))
            time.sleep(0.7 if number % 3 else 2.2)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:   # until every item is in the lake
            published, _runs = _published(str(lake))
            if all(published.get(url) or url in _rejected(str(lake)) for url in urls):
                break
            time.sleep(0.5)
        assert second.stop(signal.SIGTERM) == 0
    log = second.text()
    print(log)
    assert "stopping on SIGTERM" in log
    published, runs = _published(str(lake))
    rejected = _rejected(str(lake))
    assert all(count == 1 for count in published.values()), published   # nothing twice
    assert all(url in published or url in rejected for url in urls)     # nothing lost
    assert len(published) >= len(urls) - 2   # real news pages: nearly all are articles
    assert "tick " in log and "failed (" not in log
    staging = lake / "_state" / "staging"
    assert not staging.exists() or not os.listdir(staging)   # the killed tick's staging was cleared
    beat = json.loads((lake / "_state" / "watch.json").read_text())
    assert beat["failed_ticks"] == 0 and beat["published_ticks"] >= 2
    # The lake says how fresh it is: a row per run in the freshness view, from the manifests, agreeing with
    # the articles each run published.
    _columns, rows = run_query(str(lake), """
        WITH a AS (SELECT run_id, max(published_at) AS newest, max(ingested_at) AS read FROM articles GROUP BY run_id)
        SELECT f.run_id, f.articles, f.newest_published_at = a.newest, f.finished_at > a.read, f.newest_lag_seconds
        FROM freshness f JOIN a USING (run_id) WHERE f.status = 'succeeded'""")
    assert len(rows) >= 2 and all(articles >= 1 and same and later and lag > 0
                                  for _run, articles, same, later, lag in rows), rows
    _columns, failed = run_query(str(lake), "SELECT count(*) FROM freshness WHERE status = 'failed'")
    assert failed == [(0,)]   # the killed tick wrote nothing, not even a manifest


def test_sigterm_during_a_tick_abandons_it_and_the_next_watcher_publishes_it(tmp_path):
    lake = tmp_path / "lake"
    pages = _pages(2)
    with LocalSite() as site:
        urls = [site.serve(f"page{i}.html", body, published=time.time()) for i, body in enumerate(pages)]
        first = Watcher(tmp_path, "first", *_watch_flags(site, lake, every="1h"))
        log = first.wait_for("run ")
        run_id = log.split("run ", 1)[1].split(":", 1)[0]
        assert first.stop(signal.SIGTERM) == 0
        log = first.text()
        assert "abandoned on SIGTERM" in log and "stopping on SIGTERM" in log
        published, runs = _published(str(lake))
        assert published == {} and run_id not in runs
        manifest = json.loads((lake / "_runs" / f"{run_id}.json").read_text())
        assert manifest["status"] == "failed" and "SIGTERM" in manifest["error"]

        second = Watcher(tmp_path, "second", *_watch_flags(site, lake, every="1h"), "--once")
        assert second.process.wait(timeout=180) == 0, second.text()
    published, _runs = _published(str(lake))
    assert sorted(published) == sorted(urls) and set(published.values()) == {1}


def test_a_failed_tick_costs_only_itself_and_a_second_watcher_is_refused(tmp_path):
    """A tick that fails (its topics file broken between two ticks) is logged and counted, the watcher goes on,
    and the next tick publishes once the file is mended; a second watcher on the same lake exits 2."""
    lake = tmp_path / "lake"
    topics = tmp_path / "topics.json"
    topics.write_text(open(os.path.join(ROOT, "transforms", "extract", "data", "topics.v2.json")).read())
    good = topics.read_text()
    pages = _pages(2)
    with LocalSite() as site:
        first = site.serve("a.html", pages[0], published=time.time())
        watcher = Watcher(tmp_path, "watcher", *_watch_flags(site, lake), "--topics", str(topics))
        watcher.wait_for("published ")
        refused = _newsevents("watch", *_watch_flags(site, lake), cwd=ROOT)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert refused.stderr.startswith("newsevents watch: error:") and "lake" in refused.stderr

        topics.write_text("{ not json")
        mark = len(watcher.text())
        second = site.serve("b.html", pages[1], published=time.time())
        watcher.wait_for("failed (", after=mark)
        topics.write_text(good)
        mark = len(watcher.text())
        watcher.wait_for("published ", after=mark)
        assert watcher.stop(signal.SIGINT) == 0
    published, _runs = _published(str(lake))
    assert sorted(published) == sorted([first, second]) and set(published.values()) == {1}
    beat = json.loads((lake / "_state" / "watch.json").read_text())
    assert beat["failed_ticks"] >= 1 and beat["published_ticks"] == 2


def test_a_poll_finds_new_entries_and_files_without_a_pipeline(tmp_path):
    pages = _pages(2)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("x")
    stamp = os.stat(inbox / "a.txt")
    known_files = {str(inbox / "a.txt"): (stamp.st_size, stamp.st_mtime_ns, "")}
    with LocalSite() as site:
        feed = site.url("/feed.xml")
        site.serve("one.html", pages[0], published=time.time())
        fetcher = Fetcher(LOCAL)

        def news(known_urls, validators=None, paths=()):
            return poll(paths=paths, known_files=known_files,
                        stamp=lambda p: (p, os.stat(p).st_size, os.stat(p).st_mtime_ns), urls=[], feeds=[feed],
                        known_urls=known_urls, validators=validators or {}, fetcher=fetcher)

        assert news(set()).entries == 1
        assert not news({site.url("/served/one.html")})   # the feed changed, but lists only what was fetched
        etag = fetcher.fetch(feed, accept=("application/rss+xml",)).etag
        quiet = news(set(), {feed: (etag, None)})
        assert not quiet and quiet.feeds_not_modified == 1   # 304: nothing read
        site.serve("two.html", pages[1], published=time.time())
        assert news({site.url("/served/one.html")}, {feed: (etag, None)}).entries == 1
        assert news(set(), paths=[str(inbox / "a.txt")]).files == 0
        (inbox / "b.txt").write_text("y")
        assert news(set(), paths=[str(inbox / "a.txt"), str(inbox / "b.txt")]).files == 1
    fetcher = Fetcher(LOCAL)   # a new connection (the old one's keep-alive thread outlives the server)
    refused = news(set())   # the server is gone: the feed failed, nothing new
    assert not refused and refused.feeds_failed


@pytest.mark.parametrize("text,seconds", [("30s", 30), ("5m", 300), ("1h", 3600), ("1h30m", 5400), ("2d", 172800),
                                          ("90", 90), ("0.5s", 0.5)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("argv,fragment", [(["--every", "soon"], "--every"), (["--every", "0s"], "more than 0"),
                                           (["--max-ticks", "-1"], "--max-ticks")])
def test_watch_flag_mistakes(argv, fragment):
    with pytest.raises(UsageError, match=fragment):
        split_argv(argv + ["--output", "x"])


def test_watch_usage_mistakes_are_one_line_and_exit_2(tmp_path):
    for argv, fragment in ((["--output", str(tmp_path / "lake")], "no input"),
                           (["--input", str(tmp_path / "nowhere"), "--output", str(tmp_path / "lake")], "nowhere"),
                           (["--input", str(tmp_path), "--output", str(tmp_path / "lake"), "--run-id", "x"], "--run-id"),
                           (["--input", str(tmp_path), "--output", str(tmp_path / "lake"), "--every", "1x"], "--every")):
        result = _newsevents("watch", *argv)
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("newsevents watch: error:") and fragment in lines[0]


def test_an_empty_inbox_is_nothing_new_and_once_exits_0(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result = _newsevents("watch", "--input", str(inbox), "--output", str(tmp_path / "lake"), "--once")
    assert result.returncode == 0, result.stderr
    assert "nothing new" in result.stderr
    assert not (tmp_path / "lake" / "_runs").exists() or not list((tmp_path / "lake" / "_runs").glob("*.json"))


def test_a_stop_abandons_a_tick_before_its_commit_point_and_lets_it_finish_after():
    from transforms.common.stopping import Stopped, StopSignals, critical_section

    saved = {number: signal.getsignal(number) for number in StopSignals.SIGNALS}
    try:
        signals = StopSignals().install()
        with pytest.raises(Stopped):
            with signals.abandonable():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(1)   # the handler raises here, in the main thread
        signals.requested.clear()
        finished = []
        with signals.abandonable():
            with critical_section():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.2)
            time.sleep(0.2)   # past the commit point, the rest of the tick is not abandoned either
            finished.append(True)
        assert finished == [True] and signals.requested.is_set() and signals.name == "SIGTERM"
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
