"""Expanding ``--input`` values into files, and checking the output, before a run starts.

Any problem here is a :class:`UsageError`: the command line names something that is
not there, and the user gets one line saying so.
"""
from __future__ import annotations

import glob
import os
import re
import uuid
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from apache_beam.io.filesystems import FileSystems

from transforms.fetch import FetchSettings
from transforms.fetch_state import feed_validators, known_urls
from transforms.readers import normalise_url

_GLOB_CHARS = re.compile(r"[*?\[]")
RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class UsageError(Exception):
    """A command-line mistake. The message is one line, for the user."""


def _glob_root(pattern: str) -> str:
    """The directory part of a glob before its first wildcard."""
    head = _GLOB_CHARS.split(pattern, maxsplit=1)[0]
    return head if head.endswith(("/", os.sep)) else os.path.dirname(head)


def expand_inputs(patterns: Sequence[str]) -> List[Tuple[str, str]]:
    """Files named by ``--input`` values, as sorted, unique ``(path, root)`` pairs.

    A directory means every file under it; a glob means what it matches (a matched
    directory is kept, and the reader rejects it); remote paths (``gs://``...) go
    through Beam's FileSystems.

    Raises:
        UsageError: an input does not exist or a glob matches nothing.
    """
    if not patterns:
        raise UsageError("no input: give --input PATH_OR_GLOB, --feed URL, --feeds FILE or --urls FILE")
    found = {}
    for pattern in patterns:
        if FileSystems.get_scheme(pattern) not in (None, "file"):
            matches = FileSystems.match([pattern])[0].metadata_list
            if not matches:
                raise UsageError(f"--input {pattern}: matches nothing")
            root = _glob_root(pattern) if _GLOB_CHARS.search(pattern) else pattern.rsplit("/", 1)[0]
            for meta in matches:
                found.setdefault(meta.path, root)
            continue
        if _GLOB_CHARS.search(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise UsageError(f"--input {pattern}: the glob matches nothing")
            root = _glob_root(pattern) or "."
            for path in matches:
                found.setdefault(os.path.normpath(path), os.path.normpath(root))
        elif os.path.isdir(pattern):
            files = [os.path.join(d, f) for d, _, names in os.walk(pattern) for f in names]
            if not files:
                raise UsageError(f"--input {pattern}: the directory has no files")
            for path in files:
                found.setdefault(os.path.normpath(path), os.path.normpath(pattern))
        elif os.path.exists(pattern):
            found.setdefault(os.path.normpath(pattern), os.path.dirname(os.path.normpath(pattern)) or ".")
        else:
            raise UsageError(f"--input {pattern}: no such file or directory")
    return sorted(found.items())


def check_output(output: str) -> None:
    """Create the output directory if needed and prove it is writable.

    Raises:
        UsageError: it cannot be created or written.
    """
    if not output:
        raise UsageError("no output: give --output DIR")
    if FileSystems.get_scheme(output) not in (None, "file"):
        return  # remote stores are checked by the write itself
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"--output {output}: exists and is not a directory")
    probe = os.path.join(output, f".write-probe-{uuid.uuid4().hex}")
    try:
        os.makedirs(output, exist_ok=True)
        with open(probe, "w", encoding="utf-8") as handle:
            handle.write("ok")
        os.remove(probe)
    except OSError as exc:
        raise UsageError(f"--output {output}: not writable ({exc.strerror or exc})") from exc


def check_run_id(run_id: str) -> str:
    """Run ids name files, so they are restricted to letters, digits, '.', '_' and '-'."""
    if not RUN_ID_PATTERN.match(run_id or ""):
        raise UsageError(f"--run-id {run_id!r}: use letters, digits, '.', '_' and '-' (at most 128)")
    return run_id


@dataclass
class WebInputs:
    """Feeds and URLs to fetch, with what earlier runs fetched."""
    feeds: List[str]
    urls: List[str]
    settings: FetchSettings
    validators: dict
    known: set


def _url_lines(path: str, flag: str) -> List[str]:
    """URLs of a ``--feeds``/``--urls`` file: one per line, ``#`` starts a comment."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = [line.split("#", 1)[0].strip() for line in handle]
    except OSError as exc:
        raise UsageError(f"{flag} {path}: {exc.strerror}") from exc
    return [line for line in lines if line]


def web_inputs(*, feeds: Optional[Iterable[str]], feeds_file: Optional[str], urls_file: Optional[str],
               output: str, refetch: bool, settings: FetchSettings) -> WebInputs:
    """The command line's feeds and URLs, checked and normalised, with the state of earlier runs.

    Raises:
        UsageError: a file that cannot be read, or a URL that is not http(s).
    """
    feeds = list(feeds or []) + (_url_lines(feeds_file, "--feeds") if feeds_file else [])
    urls = _url_lines(urls_file, "--urls") if urls_file else []
    for url in feeds + urls:
        if not url.lower().startswith(("http://", "https://")):
            raise UsageError(f"{url!r}: only http and https URLs can be fetched")
    return WebInputs(sorted(set(feeds)), sorted({normalise_url(u) or u for u in urls}), settings,
                     feed_validators(output) if feeds else {},
                     known_urls(output) if (feeds or urls) and not refetch else set())
