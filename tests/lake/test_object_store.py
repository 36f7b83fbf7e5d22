"""Inputs on an object store, read through Beam's FileSystems from a real S3 API on 127.0.0.1.

The server is moto's (``moto[server]``, Apache-2.0), started by the test on a free port of 127.0.0.1 and
stopped after it; the credentials are dummies, and the endpoint is given to Beam with ``--s3_endpoint_url``, so
nothing leaves this machine. The lake itself must still be on a local or mounted file system: an object-store
``--output`` is refused before anything is written.
"""
from __future__ import annotations

import glob
import logging
import os

import pytest

from pipelines import news_events
from tests.conftest import FIXED_NOW, SEEDS, sql_rows
from tests.test_cli import _assert_usage_error, _newsevents

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed (pip install -e '.[test]')")
boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (pip install -e '.[aws]')")

BUCKET = "news"
KEYS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on 127.0.0.1 holding the seeds under ``s3://news/seeds/``; yields its URL."""
    saved = {name: os.environ.get(name) for name in KEYS}
    os.environ.update(KEYS)   # no real credentials, and no instance-metadata lookup over the network
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    assert host == "127.0.0.1"
    endpoint = f"http://{host}:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        for path in sorted(glob.glob(os.path.join(SEEDS, "*.txt"))):
            client.upload_file(path, BUCKET, f"seeds/{os.path.basename(path)}")
        yield endpoint
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


SECRET = "not-a-real-secret-7d1f"   # moto checks no signature: any key will do


def _s3_flags(endpoint):
    return ["--s3_endpoint_url", endpoint, "--s3_access_key_id", "test", "--s3_secret_access_key", SECRET,
            "--s3_region_name", "us-east-1"]


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


def test_worker_processes_read_from_the_same_endpoint(s3_endpoint, seed_run, tmp_path):
    """Two DirectRunner worker processes: each sets up its file systems with the run's flags (without them an
    S3 client goes to AWS's public endpoint)."""
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    output = str(tmp_path / "lake")
    manifest = news_events.run(["--input", f"s3://{BUCKET}/seeds/", "--output", output, "--run-id", "s3multi",
                                "--direct_running_mode", "multi_processing", "--direct_num_workers", "2",
                                *_s3_flags(s3_endpoint)], now=FIXED_NOW)
    assert manifest["counts"]["articles"] == 5 and manifest["counts"]["rejects"] == 0
    for table, columns in [("events", "actor1, cameo_code, actor2, sentence"), ("stances", "holder, polarity, target")]:
        assert _table(output, table, columns) == _table(seed_run[0], table, columns), table


def test_dask_workers_read_from_the_same_endpoint(s3_endpoint, seed_run, tmp_path):
    """A Dask LocalCluster of two worker processes on 127.0.0.1 reading the seeds from the S3 server."""
    distributed = pytest.importorskip("distributed", reason="the newsevents[dask] extra is not installed")
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    output = str(tmp_path / "lake")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0") as cluster:
        manifest = news_events.run(["--input", f"s3://{BUCKET}/seeds/", "--output", output, "--run-id", "s3dask",
                                    "--runner", "apache_beam.runners.dask.dask_runner.DaskRunner",
                                    "--dask_client_address", cluster.scheduler_address, *_s3_flags(s3_endpoint)],
                                   now=FIXED_NOW)
    assert manifest["counts"]["articles"] == 5 and manifest["counts"]["rejects"] == 0
    for table, columns in [("events", "actor1, cameo_code, actor2, sentence"), ("stances", "holder, polarity, target")]:
        assert _table(output, table, columns) == _table(seed_run[0], table, columns), table


def test_an_object_store_output_is_refused_before_anything_is_written(s3_endpoint, tmp_path):
    result = _newsevents("run", "--input", SEEDS, "--output", f"s3://{BUCKET}/lake", *_s3_flags(s3_endpoint),
                         cwd=str(tmp_path))
    _assert_usage_error(result, "must be on a local or mounted file system")
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
