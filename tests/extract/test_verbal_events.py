"""Verbal events read from the stance reading (transforms/extract/verbal_events.py): a stance whose target is an
entity of the who-is-who is an event between its holder and that entity, coded from the cue verb's CAMEO entry
or the polarity's code (verbal_events.v1.tsv). Sentences from the development part of the events gold
(tests/data/events, PolNeAR articles)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import analysed_text
from transforms.extract.verbal_events import load_polarity_codes

NOW = datetime(2016, 6, 10, tzinfo=timezone.utc)


def _outputs(text, resources):
    return analysed_text(text, resources, published=NOW, article_id="v1")


def test_the_polarity_codes_are_cameos_praise_and_criticism():
    codes = load_polarity_codes()
    assert {polarity: (c.code, sorted(c.roots)) for polarity, c in codes.items()} == {
        "support": ("051", ["05"]), "oppose": ("111", ["11", "12"])}


def test_a_verbal_attack_is_criticism_not_force(resources):
    # breitbart 2016-03-20 (attribution corpus): "attacked" is CAMEO's 190 (use of force); a stance says it is
    # words. The voters and lawmakers no dictionary codes have the article's country, as its people have.
    outputs = _outputs("As the “Never Trump” movement continues to battle against the Republican electorate who "
                       "has voted for Donald Trump, Sen. Lindsey Graham has come out in support of Cruz.\n\nPerhaps more than anyone, Sen. Graham has attacked "
                       "GOP voters, lawmakers, and thinkers for opposing mass migration policies.", resources)
    assert {e.actor2_code for e in outputs.events} == {"USA"}
    assert sorted((e.actor1, e.cameo_code, e.actor2) for e in outputs.events) == [
        ("Lindsey Graham", "111", "lawmakers"), ("Lindsey Graham", "111", "voters")]


def test_an_endorsement_of_an_entity_is_an_event_even_by_an_organisation_no_dictionary_knows(resources):
    # politico 2016-06-10 (headline): the AFL-CIO is in no actor dictionary; the who-is-who knows it
    outputs = _outputs("AFL-CIO to endorse Clinton.\n\nThe AFL-CIO political committee's recommendation Friday "
                       "that the federation endorse Hillary Clinton should end most — but not all — division within "
                       "the labor movement about this year's presidential contest.", resources)
    stance = next(s for s in outputs.stances if s.polarity == "support" and s.sentence_index == 0)
    assert stance.holder_entity is not None and stance.target_entity is not None
    headline = [e for e in outputs.events if e.sentence_index == 0]
    assert [(e.actor1, e.cameo_code, e.actor2, e.actor1_code) for e in headline] == [
        ("AFL-CIO", "051", "Hillary Clinton", "USA")]   # the article's country, as its people have
    event = headline[0]
    assert (event.actor1_entity, event.actor2_entity) == (stance.holder_entity, stance.target_entity)


def test_a_stance_on_a_thing_is_no_event(resources):
    # huff-post 2015-12-12: the accord is no actor (a coder names the negotiators; the text does not)
    outputs = _outputs("Democratic presidential candidate Sen. Bernie Sanders (I-Vt.) on Saturday criticized the "
                       "global climate change accord adopted after two weeks of negotiations.", resources)
    assert [s.polarity for s in outputs.stances] == ["oppose"]
    assert outputs.events == []


def test_the_verb_coders_event_is_not_doubled(resources):
    # politico 2016-02-09: "blasted" is a CAMEO verb; the stance on Sanders adds no second row
    outputs = _outputs("Donald Trump won the primary. He immediately blasted Bernie Sanders, who had given his own "
                       "victory speech just before him.", resources)
    assert [(e.actor1, e.cameo_root, e.actor2) for e in outputs.events] == [("Donald Trump", "11", "Bernie Sanders")]


def test_an_evaluation_in_a_quotation_is_no_act(resources):
    # the shape of a wrong row on the attribution corpus: a sarcastic evaluation read as praise. An evaluation
    # is what the speaker thinks; it gives a stance row, and no event (no attitude word states an act)
    outputs = _outputs("Hillary Clinton debated Donald Trump.\n\n“Donald Trump is ISIS’s best recruiter,” Hillary "
                       "Clinton said.", resources)
    assert [(s.holder, s.target) for s in outputs.stances] == [("Hillary Clinton", "Donald Trump")]
    assert [e.cameo_code for e in outputs.events if e.sentence_index == 1] == []


@pytest.mark.parametrize("text", [
    # attribution corpus: descriptions of who someone is, read as stances, are no acts
    "A super PAC supporting Marco Rubio’s campaign for the GOP nomination, Conservative Solutions PAC, led the way, "
    "dropping $2.5 million on such ads.",
    "Former House speaker Newt Gingrich, a Donald Trump ally, said in an interview that the mogul should ignore the "
    "critics.",
])
def test_a_description_is_no_act(resources, text):
    outputs = _outputs(text, resources)
    assert not [e for e in outputs.events if e.cameo_root == "05"]


def test_a_negative_evaluation_of_an_actor_in_someones_words_is_criticism(resources):
    # west-journal 2015-11-18 (events gold, development part)
    outputs = _outputs("Donald Trump spoke about Sen. Marco Rubio on Tuesday.\n\n“Rubio is not going to be the one…it’s not "
                       "going to be Rubio,” he said, “Rubio is very, very weak on immigration — a member of the Gang "
                       "of Eight.”", resources)
    assert [(e.actor1, e.cameo_code, e.actor2, e.modality) for e in outputs.events if e.sentence_index == 1] == [
        ("Donald Trump", "111", "Marco Rubio", "asserted")]   # saying the words is the act


@pytest.mark.parametrize("text", [
    "Donald Trump and Marco Rubio spoke.\n\n“Rubio is angry at the press,” Trump said.",    # how he feels
    "Donald Trump and Marco Rubio spoke.\n\n“Rubio is very worried,” Trump said.",
])
def test_a_feeling_is_no_criticism(resources, text):
    assert not [e for e in _outputs(text, resources).events if e.sentence_index == 1]


@pytest.mark.parametrize("text", [
    # attribution corpus: what a poll finds of the public is a measurement, not an act of its people
    "Hillary Clinton spoke.\n\nPolls show voters trust Clinton more than any of the Republican candidates.",
    "Hillary Clinton spoke.\n\nThere’s also little difference between white voters, who favor Clinton by a 6-point "
    "margin, and Hispanics.",
])
def test_a_finding_of_a_poll_is_no_act(resources, text):
    assert not [e for e in _outputs(text, resources).events if e.sentence_index == 1]


def test_a_stance_replaces_a_coded_event_of_the_other_quad_class(resources):
    # a development article of the stance gold (huff-post, September 2016): CAMEO's verb dictionary codes
    # "campaign for" as a demand (100); campaigning for a candidate is support, which the stance reads
    outputs = _outputs("President Barack Obama and Vice President Joe Biden will campaign for Hillary Clinton and "
                       "Tim Kaine in September at separate events in Pennsylvania and Ohio.", resources)
    pairs = {(e.actor1, e.actor2): e.cameo_code for e in outputs.events}
    assert pairs[("Barack Obama", "Hillary Clinton")] == "051"
    assert not [code for code in pairs.values() if code.startswith("10")]


def test_a_noun_for_someone_on_a_side_describes_them_and_states_no_act(resources):
    # nyt 2016-02 (attribution corpus, judged by hand): "a longtime ally of Mr. Clinton" is who he is
    outputs = _outputs("“I think it's all brought a calmness into his life,” said George Bruno, a former Democratic "
                       "Party chairman in New Hampshire and longtime ally of Bill Clinton.", resources)
    assert not [e for e in outputs.events if e.cameo_code.startswith("05")]
