"""Inputs and the lake on an object store, through Beam's FileSystems, against a real S3 API on 127.0.0.1.

The server is moto's (``moto[server]``, Apache-2.0; ``tests.s3_server``), started by the test on a free port
of 127.0.0.1 and stopped after it; the credentials are dummies, and the endpoint is given to Beam with ``--s3_endpoint_url``
(and to ``newsevents query`` and ``report`` with ``AWS_ENDPOINT_URL``), so nothing leaves this machine. A lake
on S3 must hold exactly the tables a local run writes: the runs here use the seed run's id and clock.
"""
from __future__ import annotations

import glob
import json
import logging
import os
import subprocess
import sys

import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import news_events
from schemas import DERIVED_TABLES, TABLES
from tests.conftest import FIXED_NOW, ROOT, SEEDS, sql_rows
from tests.s3_server import LocalS3, s3_flags
from tests.test_cli import _assert_usage_error, _newsevents
from transforms.common.faults import FAULT_ENV
from transforms.lake.query import connect, run_query
from transforms.lake import store
from transforms.lake.run import LakeRun
from transforms.lake.lease import LakeBusy, LakeLock, LeaseTimes
from transforms.lake.staging import stale_runs

pytest.importorskip("moto.server", reason="moto[server] is not installed (pip install -e '.[test]')")
boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (pip install -e '.[aws]')")

BUCKET = "news"


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on 127.0.0.1 holding the seeds under ``s3://news/seeds/``; yields its URL."""
    server = LocalS3(buckets=[BUCKET])
    with server as endpoint:
        client = server.client()
        for path in sorted(glob.glob(os.path.join(SEEDS, "*.txt"))):
            client.upload_file(path, BUCKET, f"seeds/{os.path.basename(path)}")
        yield endpoint


SECRET = "not-a-real-secret-7d1f"   # moto checks no signature: any key will do


def _s3_flags(endpoint):
    return s3_flags(endpoint, secret=SECRET)


def _table(output, table, columns):
    return sorted(sql_rows(f"SELECT {columns} FROM read_parquet('{output}/{table}/**/*.parquet')"))


def test_seeds_read_from_s3_give_the_tables_of_a_local_run(s3_endpoint, seed_run, tmp_path):
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    output = str(tmp_path / "lake")
    manifest = news_events.run(["--input", f"s3://{BUCKET}/seeds/", "--output", output, "--run-id", "s3run",
                                *_s3_flags(s3_endpoint)], now=FIXED_NOW)
    assert manifest["status"] == "succeeded"
    local = seed_run[0]
    # the same articles, read from the object store (their source is the s3:// path)
    assert _table(output, "articles", "text, content_sha256") == _table(local, "articles", "text, content_sha256")
    assert {row[0] for row in _table(output, "articles", "input_path")} == {
        f"s3://{BUCKET}/seeds/{os.path.basename(p)}" for p in glob.glob(os.path.join(SEEDS, "*.txt"))}
    for table, columns in [("events", "actor1, actor1_code, cameo_code, actor2, actor2_code, sentence"),
                           ("quotes", "speaker, speaker_code, content, is_direct"),
                           ("stances", "holder, holder_code, polarity, target, topic, evidence"),
                           ("entities", "name, label, mentions, first_char")]:
        assert _table(output, table, columns) == _table(local, table, columns), table
    with open(os.path.join(output, "_runs", "s3run.json"), encoding="utf-8") as handle:
        recorded = handle.read()
    assert s3_endpoint in recorded and SECRET not in recorded   # the manifest keeps the flags, not the secret


def _keys(prefix):
    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix.rstrip("/") + "/")
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


#: The order that makes each table's rows comparable.
ORDER = {"articles": "article_id", "entities": "article_id, first_char, label, name",
         "mentions": "article_id, char_start, char_end, entity_key", "events": "event_id",
         "quotes": "quote_id", "stances": "stance_id", "rejects": "input, stage, reason",
         "event_summary": "event_day, actor1_code, actor2_code, cameo_code, day_basis"}


def assert_same_tables(lake, local, *, inputs_on_s3=False):
    """Every table of the S3 lake, read as ``newsevents query`` reads it, equals the local seed run's, row
    for row and column for column (the ingest and event days included); but where the article was read
    from, when it was read from the S3 server."""
    remote, here = connect(lake), connect(local)
    try:
        for table in [*TABLES, *DERIVED_TABLES]:
            columns = "* EXCLUDE (input_path)" if inputs_on_s3 and table == "articles" else "*"
            sql = f"SELECT {columns} FROM {table} ORDER BY {ORDER[table]}"
            assert remote.execute(sql).fetchall() == here.execute(sql).fetchall(), table
            assert remote.execute(sql).description == here.execute(sql).description, table
    finally:
        remote.close()
        here.close()


@pytest.fixture
def s3_env(s3_endpoint, monkeypatch):
    """``newsevents query`` and ``report`` (and boto3 in these tests) find the server through the environment;
    Beam's file systems, called here outside a run, through the run's flags."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    FileSystems.set_options(PipelineOptions(_s3_flags(s3_endpoint)))
    return s3_endpoint


def test_an_object_store_inbox_is_read_once_and_a_changed_object_again(s3_endpoint, tmp_path):
    """The incremental state knows object-store inputs by their listing (size and time): the next run over the
    same inbox reads nothing; an object written again is read again, and only it."""
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    for path in sorted(glob.glob(os.path.join(SEEDS, "*.txt"))):   # an inbox of its own: the seeds are shared
        client.upload_file(path, BUCKET, f"inbox-once/{os.path.basename(path)}")
    output = str(tmp_path / "lake")
    argv = ["--input", f"s3://{BUCKET}/inbox-once/", "--output", output, *_s3_flags(s3_endpoint)]
    first = news_events.run(argv + ["--run-id", "first"], now=FIXED_NOW)
    again = news_events.run(argv + ["--run-id", "again"], now=FIXED_NOW)
    assert first["counts"]["articles"] == 5 and first["counts"]["inputs_unchanged"] == 0
    assert again["counts"]["input_files"] == 0 and again["counts"]["inputs_unchanged"] == 5
    assert again["counts"]["duplicates_published"] == 0   # not read, so not even a duplicate
    key = f"inbox-once/{sorted(os.listdir(SEEDS))[0]}"
    body = client.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    client.put_object(Bucket=BUCKET, Key=key, Body=body + b"\nA line added later.\n")
    changed = news_events.run(argv + ["--run-id", "changed"], now=FIXED_NOW)
    assert changed["counts"]["input_files"] == 1 and changed["counts"]["inputs_unchanged"] == 4


def test_the_seeds_into_an_s3_lake_give_the_tables_of_a_local_run(s3_env, seed_run):
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    lake = f"s3://{BUCKET}/lake"
    manifest = news_events.run(["--input", SEEDS, "--output", lake, "--run-id", "seedrun", *_s3_flags(s3_env)],
                               now=FIXED_NOW)
    assert manifest["status"] == "succeeded" and manifest["counts"] == seed_run[1]["counts"]
    assert_same_tables(lake, seed_run[0])
    keys = _keys("lake")
    # the manifest lists every file the run published; nothing is left in the staging, no temporary name
    assert {f"lake/{name}" for name in manifest["published_files"]} <= set(keys)
    assert not [key for key in keys if "/_state/staging/" in key or key.endswith(".tmp")]
    assert "lake/_runs/seedrun.json" in keys and "lake/_state/fetch.sqlite" in keys
    # (a second run reading nothing again, the fetch state being on S3: the crash test below)
    # query and report over the S3 lake from the command line
    result = _newsevents("query", lake, "SELECT count(*) AS n FROM events", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"n\n{seed_run[1]['counts']['events']}\n"
    result = _newsevents("report", lake)
    assert result.returncode == 0, result.stderr
    assert "lake/_runs/report.html" in _keys("lake/_runs")


def test_dask_workers_write_to_the_s3_lake(s3_env, seed_run):
    """A Dask LocalCluster of two worker processes on 127.0.0.1 reads the seeds from the S3 server and writes
    the lake there (the workers share no disk with it): each worker sets up its file systems with the run's
    flags, without which an S3 client goes to AWS's public endpoint. The run is cut into two chunks
    (``--chunk-size 3``), each a pipeline on the cluster, whose stories the launcher links on S3. The tables
    and counts are the local run's."""
    distributed = pytest.importorskip("distributed", reason="the newsevents[dask] extra is not installed")
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    lake = f"s3://{BUCKET}/dask"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0") as cluster:
        manifest = news_events.run(["--input", f"s3://{BUCKET}/seeds/", "--output", lake, "--run-id", "seedrun",
                                    "--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                                    "--dask_client_address", cluster.scheduler_address, "--chunk-size", "3",
                                    *_s3_flags(s3_env)],
                                   now=FIXED_NOW)
    assert manifest["status"] == "succeeded"
    assert_same_tables(lake, seed_run[0], inputs_on_s3=True)
    # the counts too; records read are unknown on a runner that reports no metrics, never a wrong 0
    local = seed_run[1]["counts"]
    assert {name: manifest["counts"][name] for name in ("articles", "duplicates", "rejects", "story_copies")} \
        == {name: local[name] for name in ("articles", "duplicates", "rejects", "story_copies")}
    assert manifest["counts"]["records_read"] in (None, local["records_read"])


def _crashing_run(lake, run_id, fault):
    env = {**os.environ, FAULT_ENV: fault}
    return subprocess.run([sys.executable, "-m", "pipelines.news_events", "--input", SEEDS, "--output", lake,
                           "--run-id", run_id, "--lease-ttl", "2", "--lease-renew", "1",
                           *_s3_flags(os.environ["AWS_ENDPOINT_URL"])],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_crash_after_the_commit_point_is_published_by_the_next_run(s3_env, seed_run):
    lake = f"s3://{BUCKET}/crash"
    died = _crashing_run(lake, "seedrun", "journal-written")
    assert died.returncode == -9, died.stderr
    assert not [key for key in _keys("crash") if key.endswith(".parquet") and "/_state/" not in key]   # nothing visible
    assert "crash/_state/staging/seedrun/_PUBLISHING.json" in _keys("crash")
    manifest = news_events.run(["--input", SEEDS, "--output", lake, "--run-id", "next", "--lease-wait", "10",
                                *_s3_flags(s3_env)], now=FIXED_NOW)   # the dead run's lease expires first
    assert manifest["recovered"] == ["seedrun: finished publishing 7 files"]
    # what the crashed run read is in the fetch state, kept on S3: nothing is read again
    assert manifest["counts"]["inputs_unchanged"] == 5 and manifest["counts"]["articles"] == 0
    assert not [key for key in _keys("crash") if "/_state/staging/" in key]
    recovered = json.loads(_read("crash/_runs/seedrun.json"))
    assert recovered["status"] == "published_by_recovery" and recovered["recovered_by"] == "next"
    for table, columns in [("events", "event_id, actor1, cameo_code, actor2, sentence"),
                           ("stances", "stance_id, holder, polarity, target")]:
        sql = f"SELECT {columns} FROM {table} ORDER BY ALL"
        assert run_query(lake, sql) == run_query(seed_run[0], sql), table


def test_a_crash_before_the_commit_point_leaves_nothing(s3_env):
    lake = f"s3://{BUCKET}/early"
    died = _crashing_run(lake, "early", "staged")
    assert died.returncode == -9, died.stderr
    assert not [key for key in _keys("early") if "/_state/" not in key]   # no table, no manifest
    assert [key for key in _keys("early") if "/_state/staging/early/" in key]
    assert stale_runs(lake) == [("early", None)]
    # what the next run does first, holding the lake (once the dead run's lease expired)
    with LakeRun(lake, "later", started=FIXED_NOW, details={}, lease=LeaseTimes(wait=10)) as later:
        assert later.recover() == {}   # nothing published
    assert later.manifest["recovered"] == ["early: removed the staging of a run that did not finish"]
    assert _keys("early") == []


def _read(key):
    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode("utf-8")


def test_the_launcher_lock_for_a_store_without_a_lease_keeps_one_launchers_runs_apart(s3_env):
    """An object store without conditional writes (``hdfs://``) falls back to a ``flock`` on the launcher's
    machine, named after the lake's URL (S3 and GCS hold a lease in the lake: ``test_lease.py``)."""
    with LakeLock(f"s3://{BUCKET}/locked", "first"):
        with pytest.raises(LakeBusy, match="run 'first'"):
            with LakeLock(f"s3://{BUCKET}/locked/", "second"):
                pass
        with LakeLock(f"s3://{BUCKET}/other", "third"):   # another lake is another lock
            pass


def test_an_s3_output_that_cannot_be_written_is_one_line(s3_endpoint, tmp_path):
    result = _newsevents("run", "--input", SEEDS, "--output", "s3://no-such-bucket/lake", *_s3_flags(s3_endpoint),
                         cwd=str(tmp_path))
    _assert_usage_error(result, "not writable")
    assert os.listdir(tmp_path) == []   # no "s3:" folder left in the current directory


def test_a_missing_remote_input_is_one_line(s3_endpoint, tmp_path):
    result = _newsevents("run", "--input", f"s3://{BUCKET}/nothing/*.txt", "--output", str(tmp_path / "out"),
                         *_s3_flags(s3_endpoint))
    _assert_usage_error(result, "matches nothing")


def test_a_file_system_that_is_not_installed_names_its_extra(tmp_path):
    try:
        import apache_beam.io.gcp.gcsfilesystem  # noqa: F401
        pytest.skip("Beam's GCS file system is installed here")
    except ImportError:
        pass
    result = _newsevents("run", "--input", "gs://bucket/articles/*.txt", "--output", str(tmp_path / "out"))
    _assert_usage_error(result, "newsevents[gcp]")


def test_one_client_for_a_run_reads_and_writes_as_beams_file_systems_do(s3_env):
    """Inside a store session every call on s3:// goes through one client; what each returns is what Beam's
    FileSystems return outside one (a glob's ``*`` within a folder, ``**`` across)."""
    flags = {"s3_endpoint_url": s3_env, "s3_access_key_id": "test", "s3_secret_access_key": SECRET,
             "s3_region_name": "us-east-1"}
    root = f"s3://{BUCKET}/session"
    for key in ["a/x=1/r1-0.parquet", "a/x=1/r2-0.parquet", "a/x=2/r1-0.parquet", "a/y.txt", "b/c/d.jsonl"]:
        store.write_atomically(f"{root}/{key}", key)
    patterns = ["a/*=*/r1-*.parquet", "a/*=*/*.parquet", "**", "a/*", "b/**", "b/*.jsonl", "nothing/*"]
    outside = {pattern: store.list_files(root, pattern) for pattern in patterns}
    assert outside["a/*=*/r1-*.parquet"] == [f"{root}/a/x=1/r1-0.parquet", f"{root}/a/x=2/r1-0.parquet"]
    assert outside["b/*.jsonl"] == [] and len(outside["**"]) == 5
    with store.session(flags):
        assert {pattern: store.list_files(root, pattern) for pattern in patterns} == outside
        assert store.read_text(f"{root}/b/c/d.jsonl") == "b/c/d.jsonl"
        assert store.exists(f"{root}/a/y.txt") and not store.exists(f"{root}/a/z.txt")
        store.move([f"{root}/a/y.txt"], [f"{root}/moved/y.txt"])
        store.remove([f"{root}/a/x=2/r1-0.parquet", f"{root}/never-was"])
    assert store.list_files(root, "**") == sorted([f"{root}/a/x=1/r1-0.parquet", f"{root}/a/x=1/r2-0.parquet",
                                                   f"{root}/b/c/d.jsonl", f"{root}/moved/y.txt"])
    assert store.read_text(f"{root}/moved/y.txt") == "a/y.txt"
