"""Institutions, misconduct and pages of leisure (issue "events a careful coder records").

- a role standing alone ("police", "a federal judge", "prosecutors") is an actor of the article's country, and an
  organisation no dictionary lists is one when a word of its name gives its CAMEO type ("the State
  Department": GOV); neither is made of a name's words ("Gayle King") nor takes over a role whose phrase names
  its country ("White House security officials");
- an evaluative noun sent at someone is praise or criticism ("hurled insults at"), and so is misconduct said of
  an actor in someone's words ("Rubio has failed the people of Florida," Bush said);
- a page mostly about a game, a concert, a film or a recipe, with no government in it, reports no event.

Sentences from the attribution corpus outside the golds (real 2016 US political news), or plain sentences of
the same pattern with other actors; none is a seed's wording.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tests.conftest import analysed_text
from transforms.extract.actors import organisation_code
from transforms.extract.analyse import read_actors
from transforms.extract.domains import DomainWords, political
from transforms.extract.events import code_events
from transforms.extract.verb_classes import VerbClasses

DAY = date(2016, 6, 1)
NOW = datetime(2016, 6, 1, tzinfo=timezone.utc)


def _events(text, resources):
    doc = resources.nlp(text)
    actors = read_actors(doc, resources, text=doc.text, day=DAY)[1]
    return [(e.actor1, e.actor1_code, e.cameo_code, e.actor2, e.actor2_code)
            for e in code_events(doc, actors, coder=resources.coder, article_id="t", published=DAY,
                                 valence=resources.tone.valence, sending=resources.verb_classes.sending)]


def test_an_organisation_is_coded_by_the_type_its_name_gives():
    types = {"department": "GOV", "court": "JUD", "times": "MED"}
    assert organisation_code("Justice Department", "USA", types) == "USAGOV"
    assert organisation_code("Supreme Court", "USA", types) == "USAJUD"
    assert organisation_code("The New York Times", "USA", types) == "USAMED"
    assert organisation_code("Winter Outlook", "USA", types) is None   # a report, not an actor
    assert organisation_code("Justice Department", None, types) is None   # no country: no code


INSTITUTIONS = [
    # washington post 2016-01-31: an organisation no dictionary lists, typed by its name
    ("Hillary Clinton campaigned in Iowa. Clinton, who held three campaign events across Iowa on Friday, has "
     "encouraged the State Department to release her email as quickly as possible.", ("Hillary Clinton", "State Department", "0253"),
     "an appeal to the State Department (USAGOV) to release"),
    # washington post 2016-02-21: a judge of the article's country
    ("Pete Santilli hosted a radio show in Ohio. Despite Santilli's continued insistence that he was at the "
     "wildlife refuge as a journalist and activist, a judge kept him in jail after hearing clips of Santilli's "
     "own radio show.", ("judge", "Pete Santilli", "173"), "a judge keeping someone in jail detains him (173)"),
    ("Police arrested three protesters outside the White House on Tuesday.", ("Police", "protesters", "175"),
     "police arresting protesters: two roles of the article's country"),
    ("President Obama spoke in Washington on Friday. The Treasury Department sanctioned five Russian officials.",
     ("Treasury Department", "Russia", "163"), "a sanction (163) by a department no dictionary lists"),
]


@pytest.mark.parametrize("text, expected, why", INSTITUTIONS, ids=[c[-1][:40] for c in INSTITUTIONS])
def test_institutions_act_on_each_other(resources, text, expected, why):
    found = {(source, target, code) for source, _sc, code, target, _tc in _events(text, resources)}
    assert expected in found, why


def test_institutions_have_codes_at_their_level(resources):
    codes = {(source, source_code, target, target_code) for source, source_code, _c, target, target_code
             in _events(INSTITUTIONS[2][0], resources) + _events(INSTITUTIONS[3][0], resources)}
    assert ("Police", "USACOP", "protesters", "USAOPP") in codes
    assert ("Treasury Department", "USAGOV", "Russia", "RUSGOV") in codes


@pytest.mark.parametrize("text", [
    "King asked Scott about the primary in South Carolina, where Joe Biden leads.",   # Gayle King: a name
    "White House security officials are about to restore full diplomatic ties with Gondor.",
])
def test_no_role_is_made_of_a_name_or_of_a_role_that_names_its_actor(resources, text):
    doc = resources.nlp(text)
    actors = read_actors(doc, resources, text=doc.text, day=DAY)[1]
    assert not [a for a in actors if a.kind == "role" and a.resolved_from == "document"]


def test_a_default_code_is_no_act_of_an_institution_known_only_by_its_type(resources):
    # politico 2016-04-03: "need" defaults to a demand (100) in the verb dictionary; unbound delegates are asked nothing
    assert _events("Donald Trump may need unbound delegates like those in North Dakota to lift him above the "
                   "1,237 delegate threshold.", resources) == []


@pytest.mark.parametrize("text, expected", [
    ("Ted Cruz hurled insults at Donald Trump on Monday.", ("Ted Cruz", "111", "Donald Trump")),
    ("Hillary Clinton heaped praise on Joe Biden at the rally.", ("Hillary Clinton", "051", "Joe Biden")),
])
def test_an_evaluation_sent_at_someone_is_praise_or_criticism(resources, text, expected):
    assert expected in {(source, code, target) for source, _sc, code, target, _tc in _events(text, resources)}


def test_directing_something_neutral_at_someone_is_no_evaluation(resources):
    assert not [e for e in _events("The Pentagon directed new funds at Ukraine.", resources) if e[2] in ("051", "111")]


def test_misconduct_said_of_an_actor_is_criticism_by_the_speaker(resources):
    outputs = analysed_text('"Marco Rubio has failed the people of Florida," Jeb Bush told reporters in Miami.',
                            resources, published=NOW)
    assert ("Jeb Bush", "111", "Marco Rubio") in {(e.actor1, e.cameo_code, e.actor2) for e in outputs.events}
    assert ("Jeb Bush", "oppose", "Marco Rubio") in {(s.holder, s.polarity, s.target) for s in outputs.stances}


@pytest.mark.parametrize("text", [
    '"Marco Rubio fears Donald Trump," Jeb Bush told reporters in Miami.',      # a feeling, not a misdeed
    '"Marco Rubio defeated Donald Trump in Minnesota," Jeb Bush told reporters.',   # a contest
    '"Marco Rubio failed the test," Jeb Bush told reporters in Miami.',          # done to no one
])
def test_feelings_contests_and_acts_on_things_are_no_misconduct(resources, text):
    outputs = analysed_text(text, resources, published=NOW)
    assert not [e for e in outputs.events if e.actor1 == "Jeb Bush" and e.cameo_code == "111"]


def test_a_lowered_degree_is_no_stance(resources):
    outputs = analysed_text("Some of those same activists are less confident in Hillary Clinton.", resources,
                            published=NOW)
    assert outputs.stances == []


GAME = ("The Bajans will oppose Antigua and Barbuda on June 2 in the first leg. The midfielder scored twice in "
        "the second half, the goalkeeper saved a penalty, and the striker hit the crossbar before the "
        "halftime whistle. The coach praised his defenders after the match, and the team's captain said the "
        "midfield had played its best football of the season. The referee booked two players in extra time.")


def test_a_game_reports_no_event_between_places_and_no_position(resources):
    assert DomainWords.load().leisure_domain(resources.nlp(GAME)) == "sport"
    outputs = analysed_text(GAME, resources, published=NOW)
    assert outputs.events == [] and outputs.stances == []


def test_a_game_with_a_government_in_it_keeps_its_events(resources):
    text = GAME + " The Prime Minister of Barbados criticized Antigua and Barbuda after the match."
    outputs = analysed_text(text, resources, published=NOW)
    assert political(e.actor1_code for e in outputs.events)


def test_political_news_is_no_leisure(resources):
    text = INSTITUTIONS[0][0] + " " + INSTITUTIONS[3][0]
    assert DomainWords.load().leisure_domain(resources.nlp(text)) is None


@pytest.mark.parametrize("text, modality", [
    ("The columnist predicted that Donald Trump would meet Vladimir Putin in July.", "hypothetical"),
    ("Donald Trump denied that he had met Vladimir Putin.", "negated"),
    ("Donald Trump met Vladimir Putin in Helsinki.", "asserted"),
])
def test_a_forecast_and_a_denial_are_no_assertion(resources, text, modality):
    outputs = analysed_text(text, resources, published=NOW)
    assert {(e.actor1, e.actor2, e.modality) for e in outputs.events} == {("Donald Trump", "Vladimir Putin", modality)}


@pytest.mark.parametrize("text", [
    "The planned meeting between Donald Trump and Vladimir Putin was cancelled.",
    "Donald Trump and Vladimir Putin postponed their meeting.",
])
def test_a_cancelled_event_is_no_event(resources, text):
    assert analysed_text(text, resources, published=NOW).events == []


def test_a_title_before_a_verb_is_not_the_next_names(resources):
    # "The columnist predicted that Donald Trump ...": the columnist's role is not Trump's (USAMED)
    outputs = analysed_text("The columnist predicted that Donald Trump would meet Vladimir Putin in July.", resources,
                            published=NOW)
    assert {e.actor1_code for e in outputs.events} == {"USAELI"}


def test_support_for_a_person_is_an_endorsement(resources):
    # usa-today 2016-03-16: CAMEO's SUPPORT block defaults to 050; support for an actor is 051
    outputs = analysed_text("Melissa Roloson lives in Ohio. Roloson supports Democrat Hillary Clinton in the "
                            "presidential race.", resources, published=NOW)
    assert {(e.actor1, e.cameo_code, e.actor2) for e in outputs.events} == {("Melissa Roloson", "051", "Hillary Clinton")}


def test_the_members_a_group_includes_are_its_actors(resources):
    # washington post 2016-06-09
    outputs = analysed_text("Sen. Bernie Sanders spoke in California on Monday. But others, including Sen. Jeff Merkley "
                            "and Rep. Raul Grijalva, are gently urging Sanders to accept the results.", resources,
                            published=NOW)
    sources = {e.actor1 for e in outputs.events if e.actor2 == "Bernie Sanders" and e.cameo_root == "10"}
    assert {"Jeff Merkley", "Raul Grijalva"} <= sources


@pytest.mark.parametrize("text", [
    '"I still love New Hampshire," Hillary Clinton told her supporters.',   # usa-today 2016-02-10: a feeling
    '"I love William to bits," Prince Harry said of his brother.',
])
def test_a_feeling_is_no_praise(resources, text):
    assert not [e for e in analysed_text(text, resources, published=NOW).events if e.cameo_code == "051"]


@pytest.mark.parametrize("text", [
    "Ruth Marcus asked Robby Mook if a Clinton administration would continue the policy.",   # west-journal 2016-07-27
    "Chuck Todd asked Mike Pence whether that would take place before the November election.",
])
def test_a_question_is_no_appeal(resources, text):
    assert not [e for e in analysed_text(text, resources, published=NOW).events if e.cameo_root == "02"]


@pytest.mark.parametrize("text", [
    "Hillary Clinton had struck an agreement with the Obama White House in 2009.",   # nyt 2016-08-22
])
def test_a_violent_verb_not_aimed_at_someone_is_no_verbal_attack(resources, text):
    assert not [e for e in analysed_text(text, resources, published=NOW).events if e.cameo_code == "111"]


def test_the_verb_classes_are_validated_when_loaded():
    classes = VerbClasses.load()
    assert {"fear", "love"} <= classes.feeling and "defeat" in classes.competing and "hurl" in classes.sending
    with pytest.raises(ValueError, match="verb_classes.v1.tsv:1"):
        VerbClasses.load(["mood\tfear"])


def test_a_name_given_is_no_phone_call(resources):
    # nyt 2016-05-26: "he called his opponent ''Senator Cruz''"
    outputs = analysed_text("Donald Trump spoke in Indiana. There was no reference to ''Lyin' Ted''; he called his "
                            "opponent ''Senator Cruz'' instead.", resources, published=NOW)
    assert not [e for e in outputs.events if e.cameo_code.startswith("041")]


def test_the_domain_words_are_validated_when_loaded():
    assert DomainWords.load(["inning\tsport"]).words == {"inning": "sport"}
    with pytest.raises(ValueError, match="domain_words.v1.tsv:1"):
        DomainWords.load(["inning\tgardening"])


def test_a_two_column_table_row_that_is_not_one_is_refused():
    from transforms.extract.actors import _two_columns
    from transforms.extract.dictionaries import DictionaryError
    assert _two_columns(["# comment", "court\tJUD"], "t.tsv") == {"court": "JUD"}
    with pytest.raises(DictionaryError, match="t.tsv:1"):
        _two_columns(["court"], "t.tsv")
