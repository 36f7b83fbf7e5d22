"""PETRARCH's validation suite as a quality floor, with its own dictionaries loaded as user files."""
from __future__ import annotations

import pytest

from tests.extract.petrarch_suite import run_suite

# Measured 2026-11-21 over 284 sentences / 359 expected codings: recall 0.331, precision 0.810;
# 2026-11-27 (verb combinations, verbs that call their object off): recall 0.334, precision 0.839;
# later that day (sense checks, source-only events, clause-bound patterns): recall 0.337, precision 0.846;
# 0.834 once "downplay" (written from the suite's own sentence) left the verbs that call an event off.
MIN_RECALL = 0.39
MIN_PRECISION = 0.83


@pytest.fixture(scope="module")
def figures():
    return run_suite()


def test_suite_recall_floor(figures):
    assert figures["ALL"]["recall"] >= MIN_RECALL, figures["ALL"]


def test_suite_precision_floor(figures):
    assert figures["ALL"]["precision"] >= MIN_PRECISION, figures["ALL"]


def test_suite_covers_every_category(figures):
    assert {"DEMO", "ACTOR", "AGENT", "VERB", "COMPOUND", "SYNSET", "DATE", "MODIFY", "PATTERN"} <= set(figures)
    assert figures["ALL"]["sentences"] == 284


def test_user_dictionaries_are_used(figures):
    """Agent codes like ARNREL only exist in the suite's files: finding them proves they were loaded."""
    assert figures["AGENT"]["recall"] > 0.3
