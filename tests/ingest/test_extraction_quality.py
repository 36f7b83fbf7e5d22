"""HTML extraction quality on 72 real news pages, pinned as floors.

For each page, ``evaldata_english_news_subset.json`` lists snippets that must be in the
extracted text (``with``) and boilerplate that must not (``without``). The pages go
through the same reader and cleaner as the pipeline's ``.html`` inputs.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import pytest

from tests.conftest import EXTRACTION
from transforms.ingest.articles import build_article
from transforms.ingest.readers import read_input

# Measured 2026-11-21: 198/208 = 0.952 found, 20/219 = 0.091 leaked.
MIN_WITH_FOUND = 0.94
MAX_WITHOUT_LEAKED = 0.10


@pytest.fixture(scope="module")
def measured(rules):
    with open(os.path.join(EXTRACTION, "evaldata_english_news_subset.json"), encoding="utf-8") as handle:
        cases = json.load(handle)
    found = wanted = leaked = unwanted = 0
    for case in cases.values():
        path = os.path.join(EXTRACTION, case["file"])
        [parsed] = list(read_input(path, root=EXTRACTION, opener=lambda p: open(p, "rb")))
        text = build_article(parsed, rules=rules, run_id="q", ingested_at=datetime.now(timezone.utc),
                             min_words=1).text
        wanted += len(case["with"])
        found += sum(snippet in text for snippet in case["with"])
        unwanted += len(case["without"])
        leaked += sum(snippet in text for snippet in case["without"])
    return {"pages": len(cases), "with_found": found / wanted, "without_leaked": leaked / unwanted}


def test_all_pages_evaluated(measured):
    assert measured["pages"] == 72


def test_with_snippets_found_floor(measured):
    assert measured["with_found"] >= MIN_WITH_FOUND, measured


def test_without_snippets_leak_ceiling(measured):
    assert measured["without_leaked"] <= MAX_WITHOUT_LEAKED, measured
