"""Benchmark: the lake's lease on S3 (moto's server on 127.0.0.1). ``--trials`` times, two launchers, each with
a temporary folder of its own as on two machines, started together on the seeds into one new S3 lake: how often
exactly one published and the lake held one run's rows. Then ``--kills`` times, a launcher killed (SIGKILL)
mid-run and the next one started with ``--lease-wait``: the seconds from the kill to the next run taking the
lease over, against ``--lease-ttl``. Writes bench/results/bench_lease.json.

    .venv/bin/python bench/bench_lease.py [--trials 20] [--kills 3] [--ttl 5]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from results import report  # noqa: E402
from tests.s3_server import Launcher, LocalS3  # noqa: E402

BUCKET = "bench"


def rows(server: LocalS3, prefix: str) -> list:
    """(article_id, run_id) of the articles published under ``prefix``, read from the Parquet keys."""
    import io

    import pyarrow.parquet as pq

    client = server.client()
    found = []
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=f"{prefix}/articles/")
    for key in (item["Key"] for page in pages for item in page.get("Contents", [])):
        table = pq.read_table(io.BytesIO(client.get_object(Bucket=BUCKET, Key=key)["Body"].read()),
                              columns=["article_id", "run_id"])
        found += list(zip(table.column("article_id").to_pylist(), table.column("run_id").to_pylist()))
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--ttl", type=float, default=5.0)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="bench-lease-")
    one_published, both_published, rows_right, takeovers = 0, 0, 0, []
    try:
        server = LocalS3(buckets=[BUCKET])
        with server as endpoint:
            for trial in range(args.trials):
                prefix = f"race{trial}"
                pair = [Launcher(endpoint, f"s3://{BUCKET}/{prefix}", f"run{n}", os.path.join(scratch, f"{trial}-{n}"))
                        for n in range(2)]
                codes = [launcher.wait()[0] for launcher in pair]
                one_published += sorted(codes) == [0, 2]
                both_published += codes == [0, 0]
                published = rows(server, prefix)
                rows_right += len(published) == 5 and len({run for _a, run in published}) == 1
                print(f"trial {trial}: exit codes {codes}, {len(published)} article rows", flush=True)
            for kill in range(args.kills):
                prefix = f"killed{kill}"
                lake = f"s3://{BUCKET}/{prefix}"
                dead = Launcher(endpoint, lake, "dead", os.path.join(scratch, f"k{kill}a"), "--lease-ttl",
                                str(args.ttl), "--lease-renew", str(args.ttl / 4), fault="staged")
                assert dead.wait()[0] == -9
                killed_at = time.time()
                code, _out, err = Launcher(endpoint, lake, "next", os.path.join(scratch, f"k{kill}b"),
                                           "--lease-wait", str(args.ttl * 4)).wait()
                assert code == 0, err
                manifest = json.loads(server.client().get_object(Bucket=BUCKET, Key=f"{prefix}/_runs/next.json")
                                      ["Body"].read())
                taken = datetime.fromisoformat(manifest["lake_held_with"]["taken_at"]).timestamp()
                takeovers.append(round(taken - killed_at, 2))
                print(f"kill {kill}: lease taken over {takeovers[-1]} s after the kill", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report("bench_lease", {"trials": args.trials, "exactly_one_published": one_published,
                           "both_published": both_published, "rows_of_one_run": rows_right,
                           "lease_ttl_s": args.ttl, "kills": args.kills, "takeover_after_kill_s": takeovers,
                           "worst_takeover_s": max(takeovers) if takeovers else None})
    return 0


if __name__ == "__main__":
    sys.exit(main())
