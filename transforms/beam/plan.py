"""How a run's work is cut, from the inputs known at launch (no Beam pipeline).

A run over many files is cut into chunks of at most ``--chunk-size`` files, each run as its own pipeline
into the run's staging (``pipelines.chunks``), and published once at the end. Beam's in-process runner
keeps every step's output in the process that launched the pipeline until the pipeline ends, so a chunk
bounds what that process and each worker hold, whatever the inbox's size.
"""
from __future__ import annotations

import bisect
from dataclasses import replace
from typing import List, NamedTuple, Sequence, Tuple

from transforms.beam.analyse import ARTICLES_PER_GROUP
from transforms.lake.shards import ARTICLES_PER_FILE, shard_count

#: A feed is counted as about this many pages.
ENTRIES_PER_FEED = 50
MIN_NLP_GROUPS = 4
#: Input files per chunk unless ``--chunk-size`` says otherwise (see docs/operations.md, "Large inboxes").
DEFAULT_CHUNK_SIZE = 2000
#: Where fetched pages (inputs named by their URL) sort among files.
_URL_PREFIX = "http"


class WorkPlan(NamedTuple):
    """NLP groups (the units of parallel work) and files per table."""
    nlp_groups: int
    file_shards: int


class Chunk(NamedTuple):
    """One pipeline's share of a run: its number (from 1), of how many, its files and its web inputs."""
    number: int
    of: int
    files: List[Tuple[str, str]]
    web: object   # WebInputs; the feeds and URLs go with the chunk where their inputs sort

    @property
    def name(self) -> str:
        """What the chunk's files are named by (``c0002``); empty for a run in one chunk."""
        return f"c{self.number:04d}" if self.of > 1 else ""


def plan_work(files: Sequence, web) -> WorkPlan:
    """The plan for ``files`` and ``web`` (``WebInputs``)."""
    expected = len(files) + len(web.urls) + ENTRIES_PER_FEED * len(web.feeds)
    return WorkPlan(nlp_groups=shard_count(expected, ARTICLES_PER_GROUP, minimum=MIN_NLP_GROUPS),
                    file_shards=shard_count(expected, ARTICLES_PER_FILE))


def cut_chunks(files: Sequence[Tuple[str, str]], web, size: int) -> List[Chunk]:
    """``files`` (sorted ``(path, root)`` pairs) in chunks of about ``size``, in order.

    A run keeps, of two inputs with the same content or article id, the one whose input name sorts first
    (``transforms.beam.dedupe``), and a chunk's articles meet only those of earlier chunks. So every input
    of a chunk must sort after every input of the chunks before it: a chunk never ends between a file and
    one whose path it begins (``a.jsonl`` holds inputs ``a.jsonl:1``..., which may sort after ``a.jsonl.1``),
    and the feeds and URLs (inputs named ``http...``) go with the files that sort beside them.
    """
    paths = [path for path, _root in files]
    cuts, open_prefixes, start = [0], [], 0
    for number, path in enumerate(paths):
        if number - start >= size and not any(path.startswith(prefix) for prefix in open_prefixes) \
                and not (path.startswith(_URL_PREFIX) and paths[number - 1].startswith(_URL_PREFIX)):
            cuts.append(number)
            start, open_prefixes = number, []
        while open_prefixes and not path.startswith(open_prefixes[-1]):
            open_prefixes.pop()
        open_prefixes.append(path)
    bounds = list(zip(cuts, cuts[1:] + [len(paths)]))
    at_web = bisect.bisect_left(paths, _URL_PREFIX)
    with_web = next((n for n, (low, high) in enumerate(bounds) if at_web <= high), len(bounds) - 1)
    nothing = replace(web, feeds=[], urls=[])
    return [Chunk(n + 1, len(bounds), list(files[low:high]), web if n == with_web else nothing)
            for n, (low, high) in enumerate(bounds)]
