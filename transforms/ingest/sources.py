"""What a run reads, from the command line: ``--input`` values expanded into files, and the
feeds and URLs to fetch (no Beam pipeline; Beam's FileSystems for remote inputs).

Any problem here is a :class:`UsageError`: the command line names something that is
not there, and the user gets one line saying so.
"""
from __future__ import annotations

import os
import pathlib
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from apache_beam.io.filesystems import FileSystems

from transforms.common.errors import UsageError, no_file_system
from transforms.ingest.fetch import FetchSettings
from transforms.ingest.readers import normalise_url, without_credentials

_GLOB_CHARS = re.compile(r"[*?\[]")


def _glob_root(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    head = _GLOB_CHARS.split(pattern, maxsplit=1)[0]
    return head if head.endswith(("/", os.sep)) else os.path.dirname(head)


def _local_glob(pattern: str) -> List[str]:
    """What a local glob matches, ``**`` included, without following links to directories (a link to
    ".." would make the walk endless, or read every file again under each link)."""
    root = _glob_root(pattern) or "."
    relative = pattern[len(root):].lstrip("/" + os.sep) if pattern.startswith(root) else pattern
    if not relative:
        return []
    return sorted(str(path) for path in pathlib.Path(root).glob(relative))


def _match_remote(pattern: str):
    """What a remote path or glob matches, through Beam's FileSystems (set up with the run's options)."""
    scheme = FileSystems.get_scheme(pattern)
    try:
        return FileSystems.match([pattern])[0].metadata_list
    except ValueError as exc:   # no file system registered for the scheme: its client is not installed
        raise no_file_system("--input", pattern, scheme) from exc
    except OSError as exc:   # Beam's BeamIOError, with the cause of each path
        causes = list((getattr(exc, "exception_details", None) or {}).values())
        cause = causes[0] if causes else exc
        raise UsageError(f"--input {pattern}: cannot be listed ({type(cause).__name__}: {cause})") from exc


def expand_inputs(patterns: Sequence[str], options=None, *, allow_empty: bool = False) -> List[Tuple[str, str]]:
    """Files named by ``--input`` values, as sorted, unique ``(path, root)`` pairs.

    A directory means every file under it; a glob means what it matches (a matched
    directory is kept, and the reader rejects it); remote paths (``gs://``...) go
    through Beam's FileSystems.

    ``options`` (the run's pipeline options) carry what a remote file system needs: an S3 endpoint and
    credentials (``--s3_endpoint_url``...), a GCP project. ``allow_empty``: a glob that matches nothing and a
    folder with no files are no mistake (an inbox a watcher reads between deliveries).

    Raises:
        UsageError: an input does not exist, a glob matches nothing, or a remote one cannot be listed.
    """
    if not patterns:
        raise UsageError("no input: give --input PATH_OR_GLOB, --feed URL, --feeds FILE or --urls FILE")
    if options is not None:
        FileSystems.set_options(options)
    found = {}
    for pattern in patterns:
        if FileSystems.get_scheme(pattern) not in (None, "file"):
            matches = _match_remote(pattern)
            if not matches and not allow_empty:
                raise UsageError(f"--input {pattern}: matches nothing")
            root = _glob_root(pattern) if _GLOB_CHARS.search(pattern) else pattern.rsplit("/", 1)[0]
            for meta in matches:
                found.setdefault(meta.path, root)
            continue
        if _GLOB_CHARS.search(pattern) and not os.path.exists(pattern):   # "file[1].txt" that exists is a name
            matches = _local_glob(pattern)
            if not matches and not allow_empty:
                raise UsageError(f"--input {pattern}: the glob matches nothing")
            root = _glob_root(pattern) or "."
            for path in matches:
                found.setdefault(os.path.normpath(path), os.path.normpath(root))
        elif os.path.isdir(pattern):
            files = [os.path.join(d, f) for d, _, names in os.walk(pattern) for f in names]   # links not followed
            if not files and not allow_empty:
                raise UsageError(f"--input {pattern}: the directory has no files")
            for path in files:
                found.setdefault(os.path.normpath(path), os.path.normpath(pattern))
        elif os.path.exists(pattern):
            found.setdefault(os.path.normpath(pattern), os.path.dirname(os.path.normpath(pattern)) or ".")
        else:
            raise UsageError(f"--input {pattern}: no such file or directory")
    return sorted(found.items())


def remote_stamps(patterns: Sequence[str]) -> Dict[str, Tuple[int, int]]:
    """``{path: (size, modification time in ns)}`` of the object-store files the remote ``--input`` values
    match (one listing each; local ones are stat'ed where they are read), for the incremental state to tell
    a file already published from a new or changed one. Call after :func:`expand_inputs`, which set the
    file systems' options."""
    stamps = {}
    for pattern in patterns or ():
        if FileSystems.get_scheme(pattern) in (None, "file"):
            continue
        for meta in _match_remote(pattern):
            updated = getattr(meta, "last_updated_in_seconds", None)
            stamps[meta.path] = (int(meta.size_in_bytes), int(updated * 1e9) if updated is not None else -1)
    return stamps


@dataclass
class WebInputs:
    """Feeds and URLs to fetch, with what earlier runs fetched (``validators``: feed URL ->
    (ETag, Last-Modified); ``known``: URLs fetched before), filled in from the lake's state."""
    feeds: List[str]
    urls: List[str]
    settings: FetchSettings
    validators: Dict[str, Tuple[Optional[str], Optional[str]]] = field(default_factory=dict)
    known: Set[str] = field(default_factory=set)


def _url_lines(path: str, flag: str) -> List[str]:
    """URLs of a ``--feeds``/``--urls`` file: one per line, ``#`` starts a comment."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.split("#", 1)[0].strip() for line in handle]
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror}") from exc
    return [line for line in lines if line]


def web_inputs(*, feeds: Optional[Iterable[str]], feeds_file: Optional[str], urls_file: Optional[str],
               settings: FetchSettings) -> WebInputs:
    """The command line's feeds and URLs, checked and normalised.

    Raises:
        UsageError: a file that cannot be read, or a feed URL that is not http(s).
    """
    feeds = list(feeds or []) + (_url_lines(feeds_file, "--feeds") if feeds_file else [])
    urls = _url_lines(urls_file, "--urls") if urls_file else []
    for url in feeds:
        if not normalise_url(url):
            raise UsageError(f"{without_credentials(url)!r}: only http and https URLs with a host can be read as feeds")
    # Each line of --urls is a record: one that is no http(s) URL becomes a reject (bad_url) and one
    # listed twice a duplicate, both in the run's tables, not a refusal of the whole run.
    return WebInputs(sorted({normalise_url(u) for u in feeds}), sorted(normalise_url(u) or without_credentials(u)
                                                                      for u in urls), settings)
