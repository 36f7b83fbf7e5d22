"""Where the lake's files live: a local (or mounted) folder, or an object store (``s3://``, ``gs://``, ``hdfs://``).

Every function takes full paths and works on both. A local path keeps what POSIX gives: a file is written
under a temporary name, ``fsync``-ed and renamed, and a move is a rename. Anything else goes through Beam's
``FileSystems`` (set up with the run's options: an endpoint, keys), where an object appears whole when its
upload completes and a move is a copy and a delete; ``transforms.lake.staging`` builds the commit protocol
on exactly that. DuckDB reads an object-store lake as Arrow datasets over pyarrow's own file system for the
scheme (:func:`arrow_filesystem`): DuckDB's ``httpfs`` extension would have to be downloaded.

Beam's S3 file system makes a new client for every call (a quarter of a second each, most of a run's
bookkeeping on S3), so a run opens a :func:`session`: inside it, every call on an ``s3://`` path goes through
one boto3 client made from the run's flags (``transforms.lake.s3``). The session changes what a call costs,
never what it returns; outside one (a pipeline's workers, the query command) the calls go through
``FileSystems`` as before.
"""
from __future__ import annotations

import contextlib
import contextvars
import glob
import os
import re
import shutil
from typing import BinaryIO, Iterator, List, Optional, Union

from apache_beam.io.filesystems import FileSystems

from transforms.lake.s3 import S3Calls, s3_client


#: The run's S3 calls (``transforms.lake.s3``) while a :func:`session` is open in this context, else None.
_S3_SESSION: contextvars.ContextVar = contextvars.ContextVar("newsevents_s3_session", default=None)


@contextlib.contextmanager
def session(flags: Optional[dict] = None) -> Iterator[None]:
    """One S3 client, made from the run's ``flags`` (``--s3_endpoint_url``...; boto3's defaults for the
    rest), for every call on an ``s3://`` path until the ``with`` ends. Nothing is made if boto3 is not
    installed (a lake on S3 then fails where it did before, naming the extra)."""
    try:
        calls = S3Calls(s3_client(flags))
    except ImportError:
        calls = None
    token = _S3_SESSION.set(calls)
    try:
        yield
    finally:
        _S3_SESSION.reset(token)


def _s3(path: str) -> Optional[S3Calls]:
    """The session's S3 calls if ``path`` is on S3 and a session is open, else None."""
    return _S3_SESSION.get() if path.startswith("s3://") else None


def is_local(path: str) -> bool:
    """Whether ``path`` is on the local (or a mounted) file system rather than an object store."""
    return FileSystems.get_scheme(path) in (None, "file")


def join(root: str, *parts: str) -> str:
    return os.path.join(root, *parts) if is_local(root) else "/".join([root.rstrip("/"), *parts])


def relative(path: str, root: str) -> str:
    """``path`` relative to ``root``, '/'-separated on an object store."""
    if is_local(root):
        return os.path.relpath(path, root)
    return path[len(root.rstrip("/")) + 1:]


def list_files(root: str, pattern: str) -> List[str]:
    """The files under ``root`` matching ``pattern`` ('/'-separated; ``*`` stays within a folder, ``**``
    crosses folders on an object store), sorted. ``root`` is escaped on a local disk, so a ``[`` in it is a
    character; on an object store there are no folders, only keys, and a folder matches nothing."""
    if is_local(root):
        return sorted(path for path in glob.glob(os.path.join(glob.escape(root), *pattern.split("/")))
                      if os.path.isfile(path))
    client = _s3(root)
    if client is None:
        return sorted(meta.path for meta in FileSystems.match([join(root, pattern)])[0].metadata_list)
    full = join(root, pattern)
    prefix = re.split(r"[*?\[]", full, maxsplit=1)[0]
    wanted = re.compile(FileSystems.get_filesystem(full).translate_pattern(full))   # Beam's reading of a glob
    return sorted(path for path in client.list(prefix) if wanted.match(path))


def exists(path: str) -> bool:
    if is_local(path):
        return os.path.exists(path)
    client = _s3(path)
    return FileSystems.exists(path) if client is None else client.exists(path)


def open_file(path: str, filesystem=None) -> BinaryIO:
    """A file to read (seekable: pyarrow reads a Parquet footer through it); on an object store through
    pyarrow's ``filesystem`` when given (one client for many files), else through Beam's."""
    if is_local(path):
        return open(path, "rb")
    if filesystem is not None:
        return filesystem.open_input_file(arrow_path(path))
    client = _s3(path)
    return FileSystems.open(path) if client is None else client.open(path)


def create(path: str) -> BinaryIO:
    """A file to write, whole when closed on an object store (any folder must exist on a local disk)."""
    client = _s3(path)
    return FileSystems.create(path) if client is None else client.create(path)


def read_text(path: str) -> str:
    with open_file(path) as handle:
        return handle.read().decode("utf-8")


def read_lines(folder: str, pattern: str) -> List[str]:
    """The non-empty lines of every file under ``folder`` that matches ``pattern``, file after file in
    listing order (staged logs: one file per shard or chunk)."""
    return [line for path in list_files(folder, pattern) for line in read_text(path).splitlines() if line]


def write_atomically(path: str, data: Union[str, bytes]) -> None:
    """``path`` holds ``data`` or what it held before, never a part: on a local disk a temporary name,
    ``fsync`` and a rename; on an object store one upload (an object appears whole when it completes)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not is_local(path):
        with create(path) as handle:
            handle.write(payload)
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.tmp"
    try:
        with open(temporary, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


def move(sources: List[str], targets: List[str]) -> None:
    """Move files, each replacing its target: renames on a local disk; on an object store every copy, then
    every delete (a crash between the two leaves both, and moving again is harmless). One call for many
    files (outside a :func:`session`, Beam's S3 file system makes a client per call)."""
    if sources and is_local(sources[0]):
        for source, target in zip(sources, targets):
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            os.replace(source, target)
    elif sources and _s3(sources[0]) is not None:
        client = _s3(sources[0])
        client.copy(zip(sources, targets))
        client.delete(list(sources))
    elif sources:
        FileSystems.copy(list(sources), list(targets))
        FileSystems.delete(list(sources))


def remove(paths: List[str]) -> None:
    """Delete files; one already gone is no error (an object store deletes a missing key without one). Many
    objects go in one call."""
    remote = [path for path in paths if not is_local(path)]
    for path in paths:
        if is_local(path) and os.path.exists(path):
            os.remove(path)
    client = _s3(remote[0]) if remote else None
    if client is not None:
        client.delete(remote)
    elif remote:
        FileSystems.delete(remote)


def remove_tree(folder: str) -> None:
    """Delete a folder and everything in it (on an object store, every key under the prefix)."""
    if is_local(folder):
        shutil.rmtree(folder, ignore_errors=True)
    else:
        remove(list_files(folder, "**"))


def remove_empty_folder(folder: str) -> None:
    """Delete a local folder if it is empty (an object store has no folders to delete)."""
    if is_local(folder):
        try:
            os.rmdir(folder)
        except OSError:
            pass   # not empty, or gone already


def ensure_folder(folder: str) -> None:
    """Create a local folder (an object store needs none)."""
    if is_local(folder):
        os.makedirs(folder, exist_ok=True)


#: Beam's S3 flags, and the argument of pyarrow's ``S3FileSystem`` each one gives.
_S3_FLAGS = {"s3_endpoint_url": "endpoint_override", "s3_access_key_id": "access_key",
             "s3_secret_access_key": "secret_key", "s3_session_token": "session_token",
             "s3_region_name": "region"}


def arrow_filesystem(root: str, options: Optional[dict] = None):
    """pyarrow's file system for ``root`` and the path of ``root`` in it, or ``(None, root)`` for a local lake.

    S3 is configured by the run's flags (``--s3_endpoint_url``, ``--s3_access_key_id``...) where given, and
    otherwise as boto3 is: the ``AWS_*`` environment variables (``AWS_ENDPOINT_URL`` for an S3-compatible
    server), the credentials file. Other schemes (``gs://``, ``hdfs://``) use pyarrow's defaults.
    """
    if is_local(root):
        return None, root
    import pyarrow.fs as pafs

    scheme, _, rest = root.partition("://")
    given = {argument: (options or {}).get(flag) for flag, argument in _S3_FLAGS.items()}
    given = {argument: value for argument, value in given.items() if value}
    if scheme == "s3" and given:
        if "endpoint_override" in given and given["endpoint_override"].startswith("http://"):
            given["scheme"] = "http"
        return pafs.S3FileSystem(**given), rest.rstrip("/")
    filesystem, path = pafs.FileSystem.from_uri(root)
    return filesystem, path.rstrip("/")


def arrow_path(path: str) -> str:
    """A full path as pyarrow's file system for its scheme names it (no scheme)."""
    return path.partition("://")[2] if not is_local(path) else path
