"""``analyse``: what one parsed article yields, called directly (no Beam, no pipeline run).

Expectations come from reading each text: who is named, who did what to whom, who said what.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest

from schemas import ArticleRecord
from tests.conftest import SEEDS
from transforms.extract import ArticleOutputs, analyse

NOW = datetime(2025, 2, 14, tzinfo=timezone.utc)


def _article(text, *, version=1, published=None):
    return ArticleRecord(article_id="a1", url=None, source="test", title=None, authors=[],
                         published_at=published, language="en", text=text, word_count=len(text.split()),
                         content_sha256="sha-a1", ingested_at=NOW, run_id="t", version=version)


def _analyse(text, resources, **kwargs) -> ArticleOutputs:
    article = _article(text, **kwargs)
    return analyse(resources.nlp(article.text), article, resources)


def test_a_phone_call_between_two_leaders(resources):
    out = _analyse("Russian President Vladimir Putin spoke with Donald Trump on Wednesday.", resources)
    people = {e.name for e in out.entities if e.label == "PERSON"}
    assert people == {"Vladimir Putin", "Donald Trump"}
    assert [(e.actor1, e.actor2, e.cameo_root) for e in out.events] == [("Vladimir Putin", "Donald Trump", "04")]
    assert all(e.article_id == "a1" for e in out.entities + out.events)


def test_every_row_carries_the_article_version(resources):
    out = _analyse("Russian President Vladimir Putin spoke with Donald Trump on Wednesday.", resources, version=3)
    rows = out.entities + out.events + out.stances
    assert rows and {row.article_version for row in rows} == {3}


def test_a_sentence_with_no_actor_on_either_side_gives_no_event(resources):
    out = _analyse("The weather in the capital was cold and grey for most of the week.", resources)
    assert out.events == []


def test_a_quote_is_attributed_to_the_named_speaker(resources):
    text = ('"We will never accept these terms," Ukrainian President Volodymyr Zelenskyy said on Friday.')
    out = _analyse(text, resources)
    assert [q.speaker for q in out.quotes] == ["Volodymyr Zelenskyy"]
    assert out.quotes[0].is_direct and "never accept these terms" in out.quotes[0].content
    assert out.stances == []   # a quote with no stance cue is an attribution, not a stance


@pytest.mark.parametrize("text, published, code", [
    ("Donald Trump met Vladimir Putin in Helsinki.", None, "USA"),                  # no date: no role
    ("Donald Trump met Vladimir Putin in Helsinki.", datetime(2016, 6, 1, tzinfo=timezone.utc), "USAELI"),
    ("Donald Trump met Vladimir Putin in Helsinki.", datetime(2018, 7, 16, tzinfo=timezone.utc), "USAGOV"),
    ("President Donald Trump met Vladimir Putin in Helsinki.", None, "USAGOV"),     # the text gives the role
])
def test_date_bounded_roles_come_from_the_publication_date_or_the_text(resources, text, published, code):
    out = _analyse(text, resources, published=published)
    assert {e.actor1_code for e in out.events if e.actor1 == "Donald Trump"} == {code}


def test_a_text_longer_than_the_models_limit_is_parsed_in_pieces_with_its_own_offsets():
    from transforms.extract.model import ANALYSIS_COMPONENTS, DEFAULT_MODEL, load_model, parse, pieces

    with open(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), encoding="utf-8") as handle:
        text = (handle.read() + "\n\n") * 3
    cut = pieces(text, 1000)
    assert "".join(cut) == text and max(map(len, cut)) <= 1000
    nlp = load_model(DEFAULT_MODEL, components=ANALYSIS_COMPONENTS)
    nlp.max_length = 2000   # the real limit is a million characters; the rule is the same
    doc = parse(nlp, text)
    assert doc.text == text
    assert all(text[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert len([e for e in doc.ents if e.text == "Trump"]) >= 3   # found in every piece
