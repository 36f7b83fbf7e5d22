"""Stance floors on real political articles whose stances were listed by careful reading (PolNeAR, ``../shared``):
the development part (30 articles) and the measured-only part (20 others).

The figures come from ``python -m tests.stance_eval`` (the golden set and how it was made:
``tests/data/stances/README.md``); the floors sit just under what was measured, so a change that finds
stances worse fails here. Before the stances were read from the parse: precision 0.40, recall 0.016.
"""
from __future__ import annotations

import os

import pytest

from tests.stance_eval import CORPUS, evaluate

pytestmark = pytest.mark.skipif(not os.path.isdir(CORPUS),
                                reason=f"the attribution corpus is not at {CORPUS} (../shared is absent)")

#: development part, with the who-is-who (issue 36): precision 0.757 -> 0.782, recall 0.217 -> 0.236, wrong holders
#: 7 -> 5; issue 41: 0.802, 0.267 (topic agreement 0.62 -> 0.61: the new rows are labels and holders the topics
#: file has no word for). Measured-only part (20 other articles, issue 41): when it was made precision 0.735,
#: recall 0.119, wrong holders 5; after the rules of issue 41, 0.800, 0.119, 3. Sessions 22-23 (who-is-who titles,
#: parse repairs): development 0.815, 0.291, 4 wrong holders; measured-only 0.804, 0.122, 3.
FLOORS = {"dev": {"precision": 0.80, "recall": 0.28, "topic_agreement": 0.59},
          "measure": {"precision": 0.79, "recall": 0.12}}
MOST_WRONG_HOLDERS = {"dev": 5, "measure": 4}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def figures(request, extraction_resources):
    return evaluate(extraction_resources, part=request.param)


def test_stance_floors(figures):
    floors = FLOORS[figures["part"]]
    below = {name: (figures[name], floor) for name, floor in floors.items() if figures[name] < floor}
    assert below == {}, f"{figures['part']}: measured below the floor: {below}"
    assert figures["sentences_not_found"] == 0


def test_few_rows_name_the_wrong_holder(figures):
    assert figures["wrong_holder"] <= MOST_WRONG_HOLDERS[figures["part"]]
