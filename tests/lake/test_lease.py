"""The lake's lease on S3, against moto's S3 server on 127.0.0.1 (``tests.s3_server``), which honours S3's
conditional writes (``If-None-Match: *``, ``If-Match``) as S3 does: takers racing, a holder renewing, an expired
lease taken over, a stolen lease noticed; then whole launchers, each with a temporary folder of its own as on
two machines, racing into one lake, killed mid-run, and robbed of their lease mid-run.
"""
from __future__ import annotations

import json
import os
import threading
import time

import pytest
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions

from tests.conftest import FIXED_NOW, SEEDS
from tests.s3_server import Launcher, LocalS3, s3_flags
from transforms.lake.lease import LEASE, LakeBusy, LeaseLost, LeaseTimes, ObjectLease, S3LeaseObject, hold_lake

pytest.importorskip("moto.server", reason="moto[server] is not installed (pip install -e '.[test]')")
pytest.importorskip("boto3", reason="boto3 is not installed (pip install -e '.[aws]')")

BUCKET = "leases"


@pytest.fixture(scope="module")
def s3():
    server = LocalS3(buckets=[BUCKET])
    with server as endpoint:
        os.environ["AWS_ENDPOINT_URL"] = endpoint   # boto3 finds the server (the clients the leases make)
        FileSystems.set_options(PipelineOptions(s3_flags(endpoint)))   # and Beam's, to read the lakes here
        try:
            yield server
        finally:
            os.environ.pop("AWS_ENDPOINT_URL", None)


def _lease(lake, run_id, *, ttl=4.0, renew=1.0, wait=0.0):
    return hold_lake(lake, run_id, times=LeaseTimes(ttl=ttl, renew=renew, wait=wait))


def _lease_body(s3, lake):
    key = f"{lake[len(f's3://{BUCKET}/'):]}/{LEASE}"
    try:
        return json.loads(s3.client().get_object(Bucket=BUCKET, Key=key)["Body"].read())
    except s3.client().exceptions.NoSuchKey:
        return None


def test_a_lake_on_s3_is_held_with_a_lease_and_a_second_taker_is_refused_naming_the_holder(s3):
    lake = f"s3://{BUCKET}/one"
    with _lease(lake, "first") as first:
        assert isinstance(first, ObjectLease)
        body = _lease_body(s3, lake)
        assert body["holder"]["run_id"] == "first" and body["holder"]["pid"] == os.getpid()
        assert body["ttl_seconds"] == 4.0 and body["expires_at"] > body["taken_at"]
        with pytest.raises(LakeBusy, match=r"run 'first' \(host .*, pid \d+\), whose lease expires in [0-5] s"):
            with _lease(lake, "second"):
                pass
        with _lease(f"s3://{BUCKET}/two", "third"):   # another lake, another lease
            pass
    assert _lease_body(s3, lake) is None   # let go
    with _lease(lake, "second"):
        pass


def test_of_twenty_pairs_of_racing_takers_exactly_one_takes_the_lease(s3):
    for trial in range(20):
        lake = f"s3://{BUCKET}/race{trial}"
        leases = [_lease(lake, f"taker{n}") for n in range(2)]
        outcomes, ready = [None, None], threading.Barrier(2)

        def take(number):
            ready.wait()
            try:
                leases[number].__enter__()
                outcomes[number] = "held"
            except LakeBusy:
                outcomes[number] = "refused"

        threads = [threading.Thread(target=take, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["held", "refused"], trial
        winner = outcomes.index("held")
        assert _lease_body(s3, lake)["holder"]["run_id"] == f"taker{winner}"
        leases[winner].__exit__(None, None, None)


def test_a_holder_renews_its_lease_so_it_outlives_its_time_to_live(s3):
    lake = f"s3://{BUCKET}/renewed"
    with _lease(lake, "long", ttl=2.0, renew=0.5):
        first = _lease_body(s3, lake)["renewed_at"]
        time.sleep(4.5)   # more than twice its time to live
        with pytest.raises(LakeBusy):
            with _lease(lake, "impatient"):
                pass
        assert _lease_body(s3, lake)["renewed_at"] > first


def test_an_expired_lease_is_taken_over_once_and_its_holder_learns_it_lost_it(s3):
    lake = f"s3://{BUCKET}/expired"
    dead = _lease(lake, "dead", ttl=2.0, renew=1.0)
    dead.__enter__()
    dead._stop.set()   # its holder stops renewing, as if it were killed or cut off
    dead._renewer.join()
    started = time.monotonic()
    # two launchers waiting for it: one takes it over when it expires, the other is refused
    waiting = [_lease(lake, f"next{n}", ttl=30.0, renew=5.0, wait=3.5) for n in range(2)]
    outcomes = [None, None]

    def take(number):
        try:
            waiting[number].__enter__()
            outcomes[number] = time.monotonic() - started
        except LakeBusy as exc:
            outcomes[number] = str(exc)

    threads = [threading.Thread(target=take, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [outcome for outcome in outcomes if isinstance(outcome, float)]
    assert len(taken) == 1 and 2.0 <= taken[0] <= 2.0 + 3, outcomes   # within its time to live, and not before
    winner = waiting[outcomes.index(taken[0])]
    assert winner.describe()["taken_over_from"]["run_id"] == "dead"
    assert [o for o in outcomes if isinstance(o, str)][0].startswith(f"{lake} is being written by run '{winner.run_id}'")
    with pytest.raises(LeaseLost, match=f"taken over by run '{winner.run_id}'"):
        dead.confirm()   # the dead holder's renewal is refused: it must not commit
    dead.__exit__(None, None, None)
    assert _lease_body(s3, lake)["holder"]["run_id"] == winner.run_id   # and its exit did not delete the new lease
    winner.__exit__(None, None, None)


def test_a_lease_stolen_from_its_holder_is_noticed_by_the_renewing_thread(s3):
    lake = f"s3://{BUCKET}/stolen"
    with _lease(lake, "holder", ttl=4.0, renew=0.5) as lease:
        thief = S3LeaseObject(f"{lake}/{LEASE}")
        found = thief.read()
        assert thief.replace(json.dumps({"holder": {"run_id": "thief"}, "ttl_seconds": 60}).encode(), found.version)
        time.sleep(1.5)
        assert lease.lost and "taken over by run 'thief'" in lease.lost
        with pytest.raises(LeaseLost):
            lease.confirm()
    assert _lease_body(s3, lake)["holder"]["run_id"] == "thief"   # a holder that lost it does not delete it


def test_lease_times_are_checked():
    with pytest.raises(ValueError, match="at most half"):
        LeaseTimes(ttl=10, renew=6).check()
    with pytest.raises(ValueError, match="more than 0"):
        LeaseTimes(ttl=0).check()
    assert LeaseTimes().check() == LeaseTimes(ttl=60.0, renew=15.0, wait=0.0)


# --- whole launchers ---------------------------------------------------------------------------------------------

def _keys(s3, prefix):
    pages = s3.client().get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix + "/")
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


def _articles(s3, prefix):
    from transforms.lake.query import run_query

    return run_query(f"s3://{BUCKET}/{prefix}", "SELECT article_id, run_id FROM articles ORDER BY ALL")[1]


def test_two_launchers_on_two_machines_into_one_s3_lake_exactly_one_publishes(s3, tmp_path):
    """Each launcher has its own temporary folder, as on two machines (the launcher-local lock kept neither
    out). Started together: one publishes the seeds, the other exits 2 naming it; the lake holds one run."""
    for trial in range(2):
        prefix = f"pair{trial}"
        launchers = [Launcher(s3.endpoint, f"s3://{BUCKET}/{prefix}", f"run{n}", tmp_path / f"{trial}-{n}")
                     for n in range(2)]
        results = [launcher.wait() for launcher in launchers]
        codes = sorted(code for code, _out, _err in results)
        assert codes == [0, 2], results
        winner = [n for n, (code, _o, _e) in enumerate(results) if code == 0][0]
        refused = results[1 - winner][2].strip().splitlines()
        assert len(refused) == 1 and refused[0].startswith("newsevents: error: ") and \
            f"being written by run 'run{winner}'" in refused[0] and "lease expires in" in refused[0], refused
        articles = _articles(s3, prefix)
        assert len(articles) == 5 and {run for _a, run in articles} == {f"run{winner}"}
        assert f"{prefix}/_runs/run{1 - winner}.json" not in _keys(s3, prefix)
        assert f"{prefix}/{LEASE}" not in _keys(s3, prefix)   # let go at the end


def test_a_killed_launchers_lease_is_taken_over_after_it_expires_and_its_run_leaves_nothing(s3, tmp_path):
    prefix, ttl = "killed", 6.0
    lake = f"s3://{BUCKET}/{prefix}"
    died = Launcher(s3.endpoint, lake, "dead", tmp_path / "a", "--lease-ttl", str(ttl), "--lease-renew", "1.5",
                    fault="staged")
    code, _out, err = died.wait()
    assert code == -9, err
    killed_at = time.time()
    assert f"{prefix}/{LEASE}" in _keys(s3, prefix) and [k for k in _keys(s3, prefix) if "/_state/staging/dead/" in k]
    # straight away, a launcher that does not wait is refused
    code, _out, err = Launcher(s3.endpoint, lake, "eager", tmp_path / "b").wait()
    assert code == 2 and "run 'dead'" in err, err
    code, _out, err = Launcher(s3.endpoint, lake, "after", tmp_path / "c", "--lease-wait", "30").wait()
    assert code == 0, err
    manifest = json.loads(s3.client().get_object(Bucket=BUCKET, Key=f"{prefix}/_runs/after.json")["Body"].read())
    held = manifest["lake_held_with"]
    assert held["taken_over_from"]["run_id"] == "dead"
    from datetime import datetime

    taken = datetime.fromisoformat(held["taken_at"]).timestamp()
    assert killed_at < taken <= killed_at + ttl + 5, (killed_at, held)   # within its time to live and 5 s
    assert manifest["recovered"] == ["dead: removed the staging of a run that did not finish"]
    articles = _articles(s3, prefix)
    assert len(articles) == 5 and {run for _a, run in articles} == {"after"}
    assert not [key for key in _keys(s3, prefix) if "/_state/staging/" in key or "/dead" in key]


def test_a_launcher_whose_lease_is_taken_over_mid_run_publishes_nothing(s3, tmp_path):
    from pipelines import news_events

    prefix = "robbed"
    lake = f"s3://{BUCKET}/{prefix}"
    outcome = {}

    def launch():
        try:
            outcome["manifest"] = news_events.run(["--input", SEEDS, "--output", lake, "--run-id", "robbed",
                                                   "--lease-ttl", "6", "--lease-renew", "1", *s3_flags(s3.endpoint)],
                                                  now=FIXED_NOW)
        except Exception as exc:  # noqa: BLE001 - what the run raised is the outcome
            outcome["error"] = exc

    runner = threading.Thread(target=launch)
    runner.start()
    thief = S3LeaseObject(f"{lake}/{LEASE}")
    deadline = time.monotonic() + 120
    while (found := thief.read()) is None:   # the lease is taken before the pipeline starts
        assert time.monotonic() < deadline and runner.is_alive(), outcome
        time.sleep(0.02)
    # another launcher that judged it expired takes it over (as a partitioned holder would find)
    assert thief.replace(json.dumps({"holder": {"run_id": "thief"}, "ttl_seconds": 600}).encode(), found.version)
    runner.join(timeout=300)
    assert isinstance(outcome.get("error"), LeaseLost), outcome
    keys = _keys(s3, prefix)
    assert not [key for key in keys if "/_state/" not in key], keys   # no table, no manifest
    assert not [key for key in keys if "_PUBLISHING.json" in key]     # never committed
    assert _lease_body(s3, lake)["holder"]["run_id"] == "thief"
