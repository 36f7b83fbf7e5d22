"""moto's S3 server (``moto[server]``, Apache-2.0) on a free port of 127.0.0.1, for the object-store tests and
the S3 benchmark: a process of its own, so that it shares no interpreter (and no lock) with the runs it serves.

    with LocalS3(buckets=["news"]) as endpoint:   # "http://127.0.0.1:PORT"
        ...

The credentials are dummies set in the environment for the life of the server (moto checks no signature), with
the instance-metadata lookup turned off, so that nothing leaves this machine.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from typing import Iterable, List

from tests.conftest import ROOT, SEEDS
from transforms.common.faults import FAULT_ENV

KEYS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true"}


def s3_flags(endpoint: str, *, secret: str = "test") -> List[str]:
    """The run's flags that point Beam (and the lake's client) at the server (moto checks no signature: any
    secret will do)."""
    return ["--s3_endpoint_url", endpoint, "--s3_access_key_id", "test", "--s3_secret_access_key", secret,
            "--s3_region_name", "us-east-1"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalS3:
    """A context manager: starts the server, creates ``buckets``, yields the endpoint; stops it after."""

    def __init__(self, buckets: Iterable[str] = ()):
        self.buckets = list(buckets)
        self.endpoint = ""
        self._server = None
        self._saved = {}

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")

    def __enter__(self) -> str:
        self._saved = {name: os.environ.get(name) for name in KEYS}
        os.environ.update(KEYS)
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self._server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            client = self.client()
            for _attempt in range(200):
                try:
                    client.list_buckets()
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    if self._server.poll() is not None:
                        raise RuntimeError("moto's S3 server did not start") from None
                    time.sleep(0.1)
            for bucket in self.buckets:
                client.create_bucket(Bucket=bucket)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self.endpoint

    def __exit__(self, *exc_info) -> None:
        if self._server is not None:
            self._server.terminate()
            self._server.wait(timeout=30)
            self._server = None
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Launcher:
    """``newsevents run`` on the seeds into ``lake``, in a process with a temporary folder of its own (its
    output in files there, so that neither pipe fills while the test waits for the other launcher)."""

    def __init__(self, endpoint, lake, run_id, scratch, *extra, fault=None):
        os.makedirs(scratch, exist_ok=True)
        env = {**os.environ, "TMPDIR": str(scratch)}
        env.pop(FAULT_ENV, None)
        if fault:
            env[FAULT_ENV] = fault
        self.out, self.err = (open(os.path.join(scratch, name), "w+", encoding="utf-8") for name in ("out", "err"))
        self.process = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", "--input", SEEDS,
                                         "--output", lake, "--run-id", run_id, *s3_flags(endpoint), *extra],
                                        cwd=ROOT, env=env, stdout=self.out, stderr=self.err)

    def wait(self):
        """``(exit code, standard output, standard error)`` once it has ended."""
        code = self.process.wait(timeout=300)
        texts = []
        for handle in (self.out, self.err):
            handle.seek(0)
            texts.append(handle.read())
            handle.close()
        return code, *texts
