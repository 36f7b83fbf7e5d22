"""Steps with several outputs, routed so that every Beam runner keeps them apart; batching.

A DoFn with more than one output yields ``(kind, record)`` pairs from one output, and
:class:`SplitOutputs` gives each kind its own PCollection. This is the dead-letter pattern
without ``TaggedOutput``: Beam 2.77's DaskRunner hands every tagged output of a ParDo to
every consumer (and drops what ``finish_bundle`` emits, so nothing here batches there).
On the DirectRunner the split fuses into the producing step.
"""
from __future__ import annotations

import heapq
from itertools import islice
from typing import Any, Callable, Dict, Iterable, Iterator, List, Tuple

import apache_beam as beam

from transforms.lake.shards import shard_of


def routed(kind: str, record: Any) -> Tuple[str, Any]:
    """``record`` bound for the output called ``kind``."""
    return kind, record


def _of_kind(pair: Tuple[str, Any], kind: str, kinds: Tuple[str, ...]) -> Iterator[Any]:
    if pair[0] == kind:
        yield pair[1]
    elif pair[0] not in kinds:   # a kind nobody reads would vanish: fail instead
        raise ValueError(f"output kind {pair[0]!r} is not one of {kinds}")


class SplitOutputs(beam.PTransform):
    """``(kind, record)`` pairs -> ``{kind: PCollection of records}`` for the kinds named.

    A pair of any other kind fails the step, so no record is dropped unread.
    """

    def __init__(self, *kinds: str):
        super().__init__()
        self.kinds = kinds

    def expand(self, pairs):
        return {kind: pairs | f"Only_{kind}" >> beam.FlatMap(_of_kind, kind, self.kinds) for kind in self.kinds}


def _keyed_by_shard(element: Any, key: Callable[[Any], str], shards: int) -> Tuple[int, Any]:
    return shard_of(key(element), shards), element


class GroupByShard(beam.PTransform):
    """Elements -> ``(shard, [elements])``, the shard a stable hash of ``key(element)`` in
    ``range(shards)``: the portable way to batch (see the module docstring)."""

    def __init__(self, key: Callable[[Any], str], shards: int):
        super().__init__()
        self.key = key
        self.shards = shards

    def expand(self, elements):
        return (elements
                | "KeyByShard" >> beam.Map(_keyed_by_shard, self.key, self.shards)
                | "GroupByShard" >> beam.GroupByKey())


def balanced_groups(sizes: Iterable[Tuple[str, int]], groups: int) -> Dict[str, int]:
    """Key -> group in ``range(groups)``, for ``(key, size)`` pairs: the largest first, each to the group with
    the least so far (ties to the group with fewer keys, then the lowest), so that the groups' total sizes
    come out about equal whatever the sizes are, and keys of no size spread by count. The same pairs in any
    order give the same groups."""
    load = [(0, 0, group) for group in range(groups)]
    out: Dict[str, int] = {}
    for key, size in sorted(set(sizes), key=lambda pair: (-pair[1], pair[0])):
        if key in out:
            continue
        total, keys, group = heapq.heappop(load)
        out[key] = group
        heapq.heappush(load, (total + size, keys + 1, group))
    return out


def _keyed_by_plan(element: Any, key: Callable[[Any], str], plan: Dict[str, int], shards: int) -> Tuple[int, Any]:
    name = key(element)
    return (plan[name] if name in plan else shard_of(name, shards)), element


def _key_and_size(element: Any, key: Callable[[Any], str], size: Callable[[Any], int]) -> Tuple[str, int]:
    return key(element), size(element)


class GroupBySize(beam.PTransform):
    """Elements -> ``(group, [elements])`` over ``range(groups)``, the groups of about equal total
    ``size(element)`` (:func:`balanced_groups` over every element's key and size, a side input): workers
    that take the same number of groups take about the same work. An element whose key the plan lacks
    (none should) goes to the group of :class:`GroupByShard`."""

    def __init__(self, key: Callable[[Any], str], size: Callable[[Any], int], groups: int):
        super().__init__()
        self.key = key
        self.size = size
        self.groups = groups

    def expand(self, elements):
        plan = (elements
                | "Sizes" >> beam.Map(_key_and_size, self.key, self.size)
                | "AllSizes" >> beam.combiners.ToList()
                | "Plan" >> beam.Map(balanced_groups, self.groups))
        return (elements
                | "KeyByPlan" >> beam.Map(_keyed_by_plan, self.key, beam.pvalue.AsSingleton(plan), self.groups)
                | "GroupBySize" >> beam.GroupByKey())


def batches(items: Iterable, size: int) -> Iterator[List]:
    """``items`` (a grouped value, say) in lists of at most ``size``, read lazily."""
    iterator = iter(items)
    while True:
        batch = list(islice(iterator, size))
        if not batch:
            return
        yield batch
