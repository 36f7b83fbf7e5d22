"""How a run's work is cut, from the inputs known at launch (no Beam pipeline)."""
from __future__ import annotations

from typing import NamedTuple, Sequence

from transforms.beam.analyse import ARTICLES_PER_GROUP
from transforms.lake.shards import ARTICLES_PER_FILE, shard_count

#: A feed is counted as about this many pages.
ENTRIES_PER_FEED = 50
MIN_NLP_GROUPS = 4


class WorkPlan(NamedTuple):
    """NLP groups (the units of parallel work) and files per table."""
    nlp_groups: int
    file_shards: int


def plan_work(files: Sequence, web) -> WorkPlan:
    """The plan for ``files`` and ``web`` (``WebInputs``)."""
    expected = len(files) + len(web.urls) + ENTRIES_PER_FEED * len(web.feeds)
    return WorkPlan(nlp_groups=shard_count(expected, ARTICLES_PER_GROUP, minimum=MIN_NLP_GROUPS),
                    file_shards=shard_count(expected, ARTICLES_PER_FILE))
