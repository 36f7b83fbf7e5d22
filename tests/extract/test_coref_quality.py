"""Who-is-who floors on real coreference gold: GUM's news, interviews and biographies (``../shared``).

The figures come from ``python -m tests.coref_eval --part dev`` and ``--part test`` (the pipeline over the
documents as ``.txt`` inputs, its ``mentions`` table scored with the CoNLL metrics); the rules were developed on
the dev part only, and the test part is measured, never read. The floors sit just under what was measured, so a
change that groups mentions worse fails here; the spaCy same-name baseline is pinned too, as the anchor.
"""
from __future__ import annotations

import os

import pytest

from tests.coref_eval import CORPUS, evaluate

pytestmark = pytest.mark.skipif(not os.path.isdir(CORPUS),
                                reason=f"the GUM corpus is not at {CORPUS} (../shared is absent)")

#: part -> (CoNLL F1, pronoun accuracy) floors
FLOORS = {"dev": (0.60, 0.60), "test": (0.59, 0.36)}


@pytest.fixture(scope="module")
def measured():
    return {part: evaluate(part) for part in FLOORS}


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_mentions_are_grouped_at_least_as_well_as_measured(measured, part):
    figures = measured[part]
    conll, pronouns = FLOORS[part]
    assert not figures["not_articles"], figures["not_articles"]
    assert figures["conll_f1"] >= conll and figures["pronoun_accuracy"] >= pronouns, figures


def test_the_model_beats_the_same_name_baseline_on_the_measured_part(measured):
    baseline = evaluate("test", baseline=True)
    assert measured["test"]["conll_f1"] >= baseline["conll_f1"] + 0.15, (measured["test"]["conll_f1"],
                                                                          baseline["conll_f1"])
