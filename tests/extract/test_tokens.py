"""Tokens picked by label (``transforms.extract.tokens``) are the tokens a walk over the parse would pick,
and the sentences event coding skips (``events._actorless_sentences``) are exactly those with no actor in
reach. The text is plain news prose written for this test, none of it a seed's wording."""
from __future__ import annotations

from datetime import date

import pytest

from transforms.extract.actor_index import ActorIndex
from transforms.extract.actors import resolve_actors
from transforms.extract.events import _actorless_sentences
from transforms.extract.tokens import tokens_by_sentence, tokens_with

TEXT = ("According to two officials, the finance minister must resign before the budget vote.\n"
        "Germany criticized the decision, and both leaders said they were disappointed in the outcome.\n"
        "The weather in the valley stayed mild for most of the week.\n"
        "Senator Maria Lopez called the plan a disaster; she is proud of her own proposal.\n"
        "Rain is expected on Sunday.")

LABELS = [
    {"pos": ("VERB", "AUX")},
    {"dep": ("acomp", "attr", "oprd", "pobj", "xcomp")},
    {"pos": ("VERB", "AUX", "NOUN"), "lower": ("according",)},
    {"lower": ("he", "she", "him", "her", "his", "leaders")},
    {"pos": ("PROPN",)},
]


@pytest.fixture(scope="module")
def doc(extraction_resources):
    return extraction_resources.nlp(TEXT)


@pytest.mark.parametrize("labels", LABELS, ids=lambda labels: "+".join(f"{k}" for k in labels))
def test_tokens_with_picks_what_a_walk_picks(doc, labels):
    walked = [token.i for token in doc if token.pos_ in labels.get("pos", ()) or token.dep_ in labels.get("dep", ())
              or token.lower_ in labels.get("lower", ())]
    assert walked, "the text must hold such tokens for the comparison to mean anything"
    assert [token.i for token in tokens_with(doc, **labels)] == walked


@pytest.mark.parametrize("labels", LABELS, ids=lambda labels: "+".join(f"{k}" for k in labels))
def test_tokens_by_sentence_picks_what_a_walk_of_each_sentence_picks(doc, labels):
    sentences = list(doc.sents)
    walked = [[token.i for token in sentence if token.pos_ in labels.get("pos", ())
               or token.dep_ in labels.get("dep", ()) or token.lower_ in labels.get("lower", ())]
              for sentence in sentences]
    assert sum(1 for found in walked if found) >= 2, "the tokens must fall in more than one sentence"
    assert [[token.i for token in found] for found in tokens_by_sentence(doc, sentences, **labels)] == walked


def test_tokens_with_nothing_asked_picks_nothing(doc):
    assert tokens_with(doc) == []


def test_event_coding_skips_exactly_the_sentences_without_an_actor(doc, extraction_resources):
    mentions = resolve_actors(doc, extraction_resources.lexicon, day=date(2024, 5, 2))
    skipped = _actorless_sentences(doc, ActorIndex(mentions))
    for number, sentence in enumerate(doc.sents):
        has_actor = any(mention.start < sentence.end and mention.end > sentence.start for mention in mentions)
        assert (number in skipped) == (not has_actor), sentence.text
    assert {2, 4} <= skipped and 1 not in skipped   # the weather and the rain; Germany
