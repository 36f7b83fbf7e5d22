"""Who may write the lake: one run at a time, whatever machine launched it (no Beam).

A lake on a local (or mounted) disk is held with an exclusive ``flock`` on ``OUTPUT/_state/lake.lock``
(:class:`LakeLock`): it dies with its process, so a killed run never blocks the next.

A lake on an object store cannot hold a ``flock``, and its launchers may run on different machines (a
scheduler's workers, a backfill next to the hourly run). It is held with a *lease*, ``OUTPUT/_state/lease.json``
(:class:`ObjectLease`), written only with the store's conditional writes, which is what makes two launchers
agree:

- **taking it**: create the object only if no object has the key (S3 ``If-None-Match: *``, GCS
  ``ifGenerationMatch=0``). If it exists and is live, the launcher is refused (exit 2, naming the holder and
  when the lease expires), or waits for it with ``--lease-wait``; if it has expired (its holder was killed
  or cut off), it is replaced only if it is still the object that was read (``If-Match`` its ETag, GCS
  ``ifGenerationMatch`` its generation), so that of two launchers taking over one expired lease, one wins.
- **keeping it**: the holder rewrites it every ``--lease-renew`` seconds, again only if it is still the
  object it last wrote; a refused renewal means another launcher took it over, and the run is lost.
  Before its commit point (``transforms.lake.staging``) the run renews once more and stops if it cannot:
  a run that lost its lease publishes nothing and writes nothing more into the lake.
- **letting go**: the holder deletes it, again only if it is still its own.

Whether a lease has expired is judged by the store's clock (when the object was last written, against the
time of the response that read it, both in whole seconds, so a second is added), so launchers whose clocks
disagree still agree on it. The lease's body says who holds it (host, pid, run id), when it was taken and
renewed, and its time to live, for people.

S3 is tested against moto's server, which honours these conditions; GCS takes the same path through
``google-cloud-storage`` and has not been tested here: the one GCS emulator on PyPI (``gcp-storage-emulator``)
does not implement generation preconditions. Other object stores (``hdfs://``...) keep a ``flock`` on the launcher's
machine: one launcher per lake is then the scheduler's to ensure.
"""
from __future__ import annotations

import email.utils
import fcntl
import hashlib
import json
import logging
import os
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple, Optional

from transforms.lake.s3 import s3_client, split, status
from transforms.lake.store import is_local

LOG = logging.getLogger("newsevents")

LAKE_LOCK = os.path.join("_state", "lake.lock")
LEASE = "_state/lease.json"
#: The store's times come in whole seconds (``Last-Modified``, ``Date``): a lease is judged expired once it is
#: this much older than its time to live, never before it.
CLOCK_GRAIN = 1.0


class LakeBusy(RuntimeError):
    """Another run holds the lake; the message names it."""


class LeaseLost(RuntimeError):
    """Another launcher took the lake's lease over from this run: it must publish nothing."""


@dataclass(frozen=True)
class LeaseTimes:
    """Seconds: how long a lease lives without renewal, how often its holder renews it, and how long a
    launcher waits for a live lease to be let go or to expire before it gives up (0: not at all)."""
    ttl: float = 60.0
    renew: float = 15.0
    wait: float = 0.0

    def check(self) -> "LeaseTimes":
        """Raises ValueError (naming the flag) unless the renewal comes well within the time to live."""
        if not self.ttl > 0 or not self.renew > 0 or not self.wait >= 0:
            raise ValueError("--lease-ttl and --lease-renew must be more than 0 seconds, --lease-wait 0 or more")
        if self.renew * 2 > self.ttl:
            raise ValueError(f"--lease-renew {self.renew:g}: at most half of --lease-ttl ({self.ttl:g})")
        return self


def lock_path(output: str) -> str:
    """The lake's lock file for a ``flock``: in the lake on a local disk; for an object store without a lease,
    a file in the launcher's temporary folder named after the lake's URL."""
    if is_local(output):
        return os.path.join(output, LAKE_LOCK)
    digest = hashlib.sha256(output.rstrip("/").encode("utf-8")).hexdigest()[:24]
    return os.path.join(tempfile.gettempdir(), "newsevents-locks", f"{digest}.lock")


class LakeLock:
    """Holds the lake's ``flock`` (:func:`lock_path`) for the life of a run (released if the process dies).

    Raises:
        LakeBusy: (on entering) another run holds it; the message names that run.
    """

    lost: Optional[str] = None   # a ``flock`` is never lost while its process lives

    def __init__(self, output: str, run_id: str):
        self.path = lock_path(output)
        self.output = output
        self.run_id = run_id
        self.handle = None

    def __enter__(self) -> "LakeLock":
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another run"
            handle.close()
            raise LakeBusy(f"{self.output or '.'} is being written by {holder}; "
                           "runs into one lake go one at a time") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"run {self.run_id!r} (pid {os.getpid()})")
        handle.flush()
        self.handle = handle
        return self

    def confirm(self) -> None:
        """A ``flock`` cannot be lost while its process lives."""

    def describe(self) -> dict:
        return {"lock": self.path}

    def __exit__(self, *exc_info) -> None:
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


class Found(NamedTuple):
    """The lease as read: its body, its version (ETag or generation), and its age by the store's clock."""
    body: dict
    version: str
    age: float


class S3LeaseObject:
    """Conditional writes of one S3 object through boto3 (``transforms.lake.s3``: the run's ``--s3_*`` flags,
    else boto3's own configuration). Each call returns None where the store refused its condition."""

    def __init__(self, path: str, flags: Optional[dict] = None):
        self.path = path
        self.bucket, self.key = split(path)
        self.client = s3_client(flags)

    @staticmethod
    def _refused(exc: Exception) -> bool:
        """412: the condition failed; 409: a conditional write of the same key was in flight (S3 says so)."""
        return status(exc) in (409, 412)

    def _put(self, body: bytes, **condition) -> Optional[str]:
        try:
            return self.client.put_object(Bucket=self.bucket, Key=self.key, Body=body, ContentType="application/json",
                                          **condition)["ETag"]
        except Exception as exc:  # noqa: BLE001 - botocore's ClientError; anything else is raised
            if self._refused(exc):
                return None
            raise

    def create(self, body: bytes) -> Optional[str]:
        return self._put(body, IfNoneMatch="*")

    def replace(self, body: bytes, version: str) -> Optional[str]:
        return self._put(body, IfMatch=version)

    def read(self) -> Optional[Found]:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.key)
        except self.client.exceptions.NoSuchKey:
            return None
        sent = response["ResponseMetadata"]["HTTPHeaders"].get("date")
        now = email.utils.parsedate_to_datetime(sent) if sent else datetime.now(timezone.utc)
        body = json.loads(response["Body"].read().decode("utf-8"))
        return Found(body, response["ETag"], (now - response["LastModified"]).total_seconds())

    def delete(self, version: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.key, IfMatch=version)
        except Exception as exc:  # noqa: BLE001 - as in _put
            if not self._refused(exc) and status(exc) != 404:
                raise


class GcsLeaseObject:
    """The same on Google Cloud Storage, through ``google-cloud-storage`` (the ``gcp`` extra) with generation
    preconditions. Untested here: the one GCS emulator on PyPI does not implement generation preconditions. The age is
    judged by this machine's clock against the object's update time."""

    def __init__(self, path: str, flags: Optional[dict] = None):
        from google.api_core import exceptions
        from google.cloud import storage

        self.path = path
        bucket, _, key = path[len("gs://"):].partition("/")
        self.blob = storage.Client().bucket(bucket).blob(key)
        self.refused = (exceptions.PreconditionFailed, exceptions.NotFound)

    def _upload(self, body: bytes, generation: int) -> Optional[str]:
        try:
            self.blob.upload_from_string(body, content_type="application/json", if_generation_match=generation)
        except self.refused:
            return None
        return str(self.blob.generation)

    def create(self, body: bytes) -> Optional[str]:
        return self._upload(body, 0)

    def replace(self, body: bytes, version: str) -> Optional[str]:
        return self._upload(body, int(version))

    def read(self) -> Optional[Found]:
        blob = self.blob.bucket.get_blob(self.blob.name)
        if blob is None:
            return None
        try:
            body = json.loads(blob.download_as_bytes(if_generation_match=blob.generation).decode("utf-8"))
        except self.refused:
            return None   # replaced between the two calls: read again
        return Found(body, str(blob.generation), (datetime.now(timezone.utc) - blob.updated).total_seconds())

    def delete(self, version: str) -> None:
        try:
            self.blob.delete(if_generation_match=int(version))
        except self.refused:
            pass


class ObjectLease:
    """Holds the lake's lease on an object store for the life of a run (see the module's docstring).

    Args:
        lease_object: the lease's object (:class:`S3LeaseObject`, :class:`GcsLeaseObject`).

    Raises:
        LakeBusy: (on entering) the lease is live and held by another run (after ``times.wait``).
        LeaseLost: (from :meth:`confirm`) another launcher took the lease over.
    """

    def __init__(self, output: str, run_id: str, *, times: LeaseTimes, lease_object):
        self.output = output
        self.run_id = run_id
        self.times = times
        self.object = lease_object
        self.holder = {"run_id": run_id, "host": socket.gethostname(), "pid": os.getpid()}
        self.taken_at = ""
        self.taken_over: Optional[dict] = None   # the body of the expired lease this run replaced
        self.version: Optional[str] = None
        self.lost: Optional[str] = None   # why the lease was lost
        self._renewed = 0.0
        self.waited = 0.0
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._renewer: Optional[threading.Thread] = None

    def _body(self) -> bytes:
        now = datetime.now(timezone.utc)
        self.taken_at = self.taken_at or now.isoformat()
        return json.dumps({"holder": self.holder, "taken_at": self.taken_at, "renewed_at": now.isoformat(),
                           "expires_at": (now + timedelta(seconds=self.times.ttl)).isoformat(),
                           "ttl_seconds": self.times.ttl}, sort_keys=True).encode("utf-8")

    def __enter__(self) -> "ObjectLease":
        start = time.monotonic()
        deadline = start + self.times.wait
        while True:
            found = self._take()
            if found is None:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise LakeBusy(_busy_message(self.output, found))
            time.sleep(min(left, 1.0, max(0.1, _ttl(found) + CLOCK_GRAIN - found.age)))
        self._renewed = time.monotonic()
        self.waited = round(self._renewed - start, 2)
        if self.taken_over is not None:
            LOG.warning("lake %s: took over the expired lease of %s", self.output, _who(self.taken_over))
        self._renewer = threading.Thread(target=self._keep, name="newsevents-lease", daemon=True)
        self._renewer.start()
        return self

    def describe(self) -> dict:
        """What the run's manifest records of its lease."""
        return {"object": self.object.path, "taken_at": self.taken_at, "waited_seconds": self.waited,
                "ttl_seconds": self.times.ttl, "taken_over_from": self.taken_over.get("holder")
                if self.taken_over is not None else None}

    def _take(self) -> Optional[Found]:
        """Take the lease if it is free or expired; else the live lease found (None once taken)."""
        while True:
            self.taken_at = ""   # the time of the write that takes it
            self.version = self.object.create(self._body())
            if self.version is not None:
                return None
            found = self.object.read()
            if found is None:
                time.sleep(0.05)   # let go between the two calls (or still being written): try again
                continue
            if found.age < _ttl(found) + CLOCK_GRAIN:
                return found
            self.version = self.object.replace(self._body(), found.version)
            if self.version is None:   # another launcher took it over first: its lease is the live one
                return self.object.read() or found
            self.taken_over = found.body
            return None

    def _renew(self) -> None:
        with self._guard:
            if self.lost:
                raise LeaseLost(self.lost)
            version = self.object.replace(self._body(), self.version)
            if version is None:
                found = self.object.read()
                self.lost = (f"the lease on {self.output} was taken over by "
                             f"{_who(found.body) if found else 'another run'}; this run publishes nothing")
                raise LeaseLost(self.lost)
            self.version = version
            self._renewed = time.monotonic()

    def _keep(self) -> None:
        """The renewing thread: renew every ``times.renew`` seconds until let go or lost. A renewal that fails
        for another reason (the store unreachable) is tried again; once the lease may have expired, it is lost."""
        while not self._stop.wait(self.times.renew):
            try:
                self._renew()
            except LeaseLost as exc:
                LOG.error("%s", exc)
                return
            except Exception as exc:  # noqa: BLE001 - the store's client errors; tried again, then lost
                LOG.warning("lake %s: could not renew the lease (%s: %s)", self.output, type(exc).__name__, exc)
                if time.monotonic() - self._renewed >= self.times.ttl:
                    with self._guard:
                        self.lost = f"the lease on {self.output} expired before it could be renewed ({exc})"
                    LOG.error("%s", self.lost)
                    return

    def confirm(self) -> None:
        """Renew now (before the commit point): raises :class:`LeaseLost` if this run no longer holds it."""
        self._renew()

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
        with self._guard:
            if not self.lost and self.version is not None:
                try:
                    self.object.delete(self.version)
                except Exception as exc:  # noqa: BLE001 - it expires anyway; the run's outcome stands
                    LOG.warning("lake %s: could not let go of the lease (%s); it expires in %g s",
                                self.output, exc, self.times.ttl)


def _ttl(found: Found) -> float:
    return float(found.body.get("ttl_seconds", 0) or 0)


def _who(body: dict) -> str:
    holder = body.get("holder") or {}
    return f"run {holder.get('run_id', '?')!r} (host {holder.get('host', '?')}, pid {holder.get('pid', '?')})"


def _busy_message(output: str, found: Found) -> str:
    left = max(0.0, _ttl(found) + CLOCK_GRAIN - found.age)
    return (f"{output} is being written by {_who(found.body)}, whose lease expires in {left:.0f} s unless "
            f"renewed (at {found.body.get('expires_at', '?')}); runs into one lake go one at a time")


def hold_lake(output: str, run_id: str, *, times: LeaseTimes = LeaseTimes(), flags: Optional[dict] = None):
    """What keeps other runs out of the lake while this one writes: a lease in the lake on S3 and GCS, else
    a ``flock`` (:class:`LakeLock`); a context manager with ``confirm()`` before the commit point.
    ``flags``: the run's flags (``--s3_endpoint_url``...)."""
    for scheme, lease_object in (("s3://", S3LeaseObject), ("gs://", GcsLeaseObject)):
        if output.startswith(scheme):
            return ObjectLease(output, run_id, times=times, lease_object=lease_object(_lease_path(output), flags))
    return LakeLock(output, run_id)


def _lease_path(output: str) -> str:
    return f"{output.rstrip('/')}/{LEASE}"
