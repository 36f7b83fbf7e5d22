"""The calls the lake makes on S3 through one boto3 client (no Beam): listing, reading, writing, copying,
deleting, for :func:`transforms.lake.store.session`; and the client for the lake's lease.

Beam's S3 file system makes a new client for each call (a quarter of a second each: most of a run's
bookkeeping on S3), and it cannot send a write condition. The client here is configured by the run's
``--s3_*`` flags as Beam's is (endpoint, keys, region, ``--s3_verify``, ``--s3_disable_ssl``) and otherwise as
boto3 is (the ``AWS_*`` variables, the credentials file), so it reaches what the pipeline's workers reach.
"""
from __future__ import annotations

import io
from typing import Iterable, List, Optional, Tuple

#: Beam's S3 flags, and the argument of boto3's ``client("s3", ...)`` each one gives.
CLIENT_ARGUMENTS = {"s3_endpoint_url": "endpoint_url", "s3_access_key_id": "aws_access_key_id",
                    "s3_secret_access_key": "aws_secret_access_key", "s3_session_token": "aws_session_token",
                    "s3_region_name": "region_name", "s3_api_version": "api_version", "s3_verify": "verify"}


def s3_client(flags: Optional[dict] = None):
    """A boto3 S3 client from the run's flags (``{"s3_endpoint_url": ..., ...}``; boto3's defaults for the rest).

    Raises:
        ImportError: boto3 is not installed (the ``aws`` extra).
    """
    import boto3

    flags = flags or {}
    arguments = {argument: flags[flag] for flag, argument in CLIENT_ARGUMENTS.items() if flags.get(flag) is not None}
    if flags.get("s3_disable_ssl"):
        arguments["use_ssl"] = False
    return boto3.session.Session().client("s3", **arguments)


def split(path: str) -> Tuple[str, str]:
    """``s3://bucket/key`` as ``(bucket, key)``."""
    bucket, _, key = path[len("s3://"):].partition("/")
    return bucket, key


def status(exc: Exception) -> Optional[int]:
    """The HTTP status of a botocore error, if it has one."""
    return (getattr(exc, "response", None) or {}).get("ResponseMetadata", {}).get("HTTPStatusCode")


class _Upload(io.BytesIO):
    """A file to write whose bytes are uploaded as one object when it is closed: whole or not at all (a
    ``with`` left by an exception uploads nothing)."""

    def __init__(self, client, path: str):
        super().__init__()
        self._client, self._path = client, path

    def close(self) -> None:
        if self.closed:
            return
        data = self.getvalue()
        super().close()
        bucket, key = split(self._path)
        self._client.upload_fileobj(io.BytesIO(data), bucket, key)   # multipart for a large object

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is not None:
            super().close()   # discarded
        else:
            self.close()

    def __del__(self) -> None:   # abandoned unclosed: discarded, not uploaded
        if not self.closed:
            super().close()


class S3Calls:
    """What ``transforms.lake.store`` does on S3, through one client."""

    def __init__(self, client):
        self.client = client

    def list(self, prefix: str) -> List[str]:
        """Every object whose path starts with ``prefix`` (``s3://bucket/some/prefix``)."""
        bucket, key = split(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key)
        return [f"s3://{bucket}/{item['Key']}" for page in pages for item in page.get("Contents", [])]

    def exists(self, path: str) -> bool:
        bucket, key = split(path)
        try:
            self.client.head_object(Bucket=bucket, Key=key)
            return True
        except Exception as exc:  # noqa: BLE001 - botocore's ClientError; a 404 is an answer
            if status(exc) == 404:
                return False
            raise

    def open(self, path: str) -> io.BytesIO:
        """The object's bytes, as a seekable file (the lake's launcher reads small objects: logs, manifests,
        the state store, Parquet footers)."""
        bucket, key = split(path)
        return io.BytesIO(self.client.get_object(Bucket=bucket, Key=key)["Body"].read())

    def create(self, path: str) -> _Upload:
        return _Upload(self.client, path)

    def copy(self, pairs: Iterable[Tuple[str, str]]) -> None:
        for source, target in pairs:
            bucket, key = split(source)
            self.client.copy({"Bucket": bucket, "Key": key}, *split(target))   # multipart for a large object

    def delete(self, paths: List[str]) -> None:
        """Delete objects, 1,000 to a request; a missing one is no error (S3 says it deleted it)."""
        by_bucket = {}
        for path in paths:
            bucket, key = split(path)
            by_bucket.setdefault(bucket, []).append(key)
        for bucket, keys in by_bucket.items():
            for start in range(0, len(keys), 1000):
                objects = [{"Key": key} for key in keys[start:start + 1000]]
                response = self.client.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
                if response.get("Errors"):
                    error = response["Errors"][0]
                    raise OSError(f"delete s3://{bucket}/{error.get('Key')}: {error.get('Code')} "
                                  f"{error.get('Message', '')}".rstrip())
