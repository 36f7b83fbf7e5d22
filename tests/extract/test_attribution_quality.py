"""Attribution floors on a fixed sample of real news annotated by hand (PolNeAR, ``../shared``).

The figures come from ``python -m tests.attribution_eval --sample`` (every 14th of the 840 articles);
the floors sit just under what was measured, so a change that attributes worse fails here.
"""
from __future__ import annotations

import os

import pytest

from tests.attribution_eval import CORPUS, evaluate

pytestmark = pytest.mark.skipif(not os.path.isdir(CORPUS),
                                reason=f"the attribution corpus is not at {CORPUS} (../shared is absent)")

FLOORS = {
    "all": {"content_recall": 0.44, "precision": 0.81, "speaker_accuracy": 0.94, "speaker_f1": 0.54},
    "direct": {"content_recall": 0.73, "precision": 0.88, "speaker_accuracy": 0.94, "speaker_f1": 0.76},
    "reported": {"content_recall": 0.34, "precision": 0.76, "speaker_accuracy": 0.94, "speaker_f1": 0.45},
}


@pytest.fixture(scope="module")
def figures():
    return evaluate(sample=True)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_attribution_floors(figures, kind):
    measured = figures[kind]
    below = {name: (measured[name], floor) for name, floor in FLOORS[kind].items() if measured[name] < floor}
    assert below == {}, f"{kind}: measured below the floor: {below}"


def test_no_pronoun_or_generic_word_is_a_speaker(extraction_resources):
    from datetime import datetime, timezone

    from schemas import ArticleRecord
    from tests.attribution_eval import articles
    from transforms.extract import analyse

    resources = extraction_resources
    speakers = set()
    for name, published in articles(True, 20):
        with open(os.path.join(CORPUS, "text", f"{name}.txt"), encoding="utf-8") as handle:
            text = handle.read()
        article = ArticleRecord(article_id=name, url=None, source="t", title=None, authors=[], published_at=published,
                                language="en", text=text, word_count=1, content_sha256=name,
                                ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc), run_id="t")
        speakers |= {q.speaker.lower() for q in analyse(resources.nlp(text), article, resources).quotes}
    assert speakers
    assert not speakers & {"he", "she", "it", "they", "who", "we", "i", "you", "book", "this", "that"}
