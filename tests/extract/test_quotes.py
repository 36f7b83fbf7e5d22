"""Quotes and reported speech, one convention or layout per case (``transforms.extract.quotes``).

Each case is a sentence in the shape real news writes it; the expectation (speaker, content, direct or
reported) is what a reader takes from it.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import analysed_text
from transforms.extract.quotations import find_quotations

NOW = datetime(2016, 3, 1, tzinfo=timezone.utc)


def _quotes(text, resources):
    return analysed_text(text, resources, published=NOW, article_id="q1")


def test_we_in_an_organisations_quotation_is_the_organisation(resources):
    # attribution corpus (west-journal 2016-08-29), the company named where the article says "the company"
    text = ("“We are sorry to hear about the dissolution of the Weiners’ marriage, and we wish them all the best,” "
            "Business Insider said in a statement.")
    outputs = _quotes(text, resources)
    assert [q.speaker for q in outputs.quotes] == ["Business Insider"]
    we = [m for m in outputs.mentions if m.text in ("We", "we")]
    assert [(m.canonical_name, m.mention_type) for m in we] == [("Business Insider", "pronoun")] * 2


def test_we_in_a_persons_quotation_is_not_the_person(resources):
    outputs = _quotes("\"We will win,\" Senator Mark Warner said on Tuesday.", resources)
    assert [q.speaker for q in outputs.quotes] == ["Mark Warner"]
    assert not [m for m in outputs.mentions if m.text == "We"]   # his party? his state? not told


@pytest.mark.parametrize("text, quoted", [
    ("“We will win,” she said.", ["“We will win,”"]),
    ('"We will win," she said.', ['"We will win,"']),
    ("''We will win,'' she said.", ["''We will win,''"]),
    ("``We will win,'' she said.", ["``We will win,''"]),
    ("‘We will win,’ she said.", ["‘We will win,’"]),
    ("'We will win,' she said.", ["'We will win,'"]),
    ("«We will win», she said.", ["«We will win»"]),
    ("„We will win“, she said.", ["„We will win“"]),
    ("He called it 'a disaster' on Monday.", ["'a disaster'"]),
])
def test_every_quotation_convention_is_found(text, quoted):
    assert [text[q.start:q.end] for q in find_quotations(text)] == quoted


@pytest.mark.parametrize("text", [
    "It's the candidate's plan, and the voters' choice.",
    "The '90s were different, and rock 'n' roll was king.",
    "He is 5'11\" tall.",
])
def test_apostrophes_are_not_quotations(text):
    assert find_quotations(text) == []


def test_a_quotation_running_over_paragraphs_stays_open():
    text = "“The first part goes on.\n“And the second part ends here.”"
    quotations = find_quotations(text)
    assert [(text[q.start:q.end], q.closed) for q in quotations] == [
        ("“The first part goes on.", False), ("“And the second part ends here.”", True)]


@pytest.mark.parametrize("text, speaker, content", [
    # speaker after the quote, named with a title
    ("“We will carry this state in November,” Sen. Mark Warner said on Tuesday.", "Mark Warner",
     "We will carry this state in November"),
    # inverted: said X
    ("“The budget is balanced,” said Gov. Terry McAuliffe.", "Terry McAuliffe", "The budget is balanced"),
    # wire style marks
    ("''The voters are angry,'' said Hogan Gidley, a spokesman for the campaign.", "Hogan Gidley",
     "The voters are angry"),
    # speaker before, with an apposition
    ("John Kasich, the governor of Ohio, told reporters: “I am not going to endorse anyone today.”",
     "John Kasich", "I am not going to endorse anyone today"),
    # according to
    ("“The numbers are simply not there,” according to Nancy Pelosi.", "Nancy Pelosi",
     "The numbers are simply not there"),
    # wrote / tweeted
    ("Donald Trump wrote on Twitter: “The polls are rigged against me.”", "Donald Trump",
     "The polls are rigged against me"),
])
def test_direct_quote_speaker_layouts(resources, text, speaker, content):
    quotes = [q for q in _quotes(text, resources).quotes if q.is_direct]
    assert [q.speaker for q in quotes] == [speaker]
    assert content in quotes[0].content


def test_an_interrupted_quotation_is_one_row(resources):
    text = "“We are not going anywhere,” Bernie Sanders said, “and we will fight to the convention.”"
    quotes = _quotes(text, resources).quotes
    assert len(quotes) == 1 and quotes[0].speaker == "Bernie Sanders" and quotes[0].is_direct
    assert "fight to the convention" in quotes[0].content


def test_a_pronoun_speaker_goes_to_the_person_just_named(resources):
    text = ("Ted Cruz spoke to supporters in Des Moines on Monday. “This election is about trust,” he said. "
            "“And I intend to earn it.”")
    quotes = _quotes(text, resources).quotes
    assert [q.speaker for q in quotes] == ["Ted Cruz"]
    assert "earn it" in quotes[0].content or len(quotes) == 1
    assert text[quotes[0].speaker_char_start:quotes[0].speaker_char_end] == "he"


def test_a_pronoun_with_no_person_before_it_gives_no_row(resources):
    outputs = _quotes("“The plant will close by the end of the year,” he said.", resources)
    assert outputs.quotes == [] and outputs.unresolved_speakers == 1


def test_she_never_goes_to_a_man_the_text_calls_mr(resources):
    text = ("Mr. Jeb Bush arrived late. Hillary Clinton spoke first. Mr. Bush sat down. "
            "“It was a good night,” she said.")
    quotes = _quotes(text, resources).quotes
    assert [q.speaker for q in quotes] in ([], ["Hillary Clinton"])


@pytest.mark.parametrize("text, speaker, cue, content", [
    ("Hillary Clinton said that the economy was improving.", "Hillary Clinton", "said", "the economy was improving"),
    ("The plan will fail, Jeb Bush said.", "Jeb Bush", "said", "The plan will fail"),
    ("According to a campaign spokesman, the rally drew five thousand people.", "campaign spokesman",
     "according to", "the rally drew five thousand people"),
    ("Bernie Sanders called for a higher minimum wage.", "Bernie Sanders", "called for", "a higher minimum wage"),
    ("Marco Rubio argued the bill would hurt small businesses.", "Marco Rubio", "argued",
     "the bill would hurt small businesses"),
    ("Carly Fiorina endorsed Ted Cruz on Wednesday, saying conservatives must unite.", "Carly Fiorina", "saying",
     "conservatives must unite"),
])
def test_reported_speech(resources, text, speaker, cue, content):
    quotes = [q for q in _quotes(text, resources).quotes if not q.is_direct and q.cue == cue]
    assert [q.speaker for q in quotes] == [speaker]
    assert content in quotes[0].content


@pytest.mark.parametrize("text", [
    "It said the report was wrong.",
    "They said the plan would work.",
    "The book says the war was avoidable.",
    "Russia is maintaining its momentum on the battlefield.",
])
def test_no_pronoun_generic_word_or_other_sense_is_a_speaker(resources, text):
    assert _quotes(text, resources).quotes == []


def test_quote_rows_point_into_the_text(resources):
    text = "Ted Cruz spoke in Iowa. “This election is about trust,” he said. Donald Trump said he would win."
    for quote in _quotes(text, resources).quotes:
        assert text[quote.char_start:quote.char_end] == quote.content
        assert quote.quote_id and quote.article_id == "q1"


def test_a_role_phrase_goes_to_the_one_person_given_that_title(resources):
    quotes = _quotes("Gov. Terry McAuliffe toured the plant on Monday. “We are open for business,” the governor said.",
                     resources).quotes
    assert [(q.speaker, q.speaker_code) for q in quotes] == [("Terry McAuliffe", "GOV")]


def test_a_role_phrase_shared_by_two_people_stays_a_role(resources):
    quotes = _quotes("Sen. Mark Warner and Sen. Tim Kaine toured the plant. The senator said the jobs would stay.",
                     resources).quotes
    assert [q.speaker for q in quotes] == ["senator"]


@pytest.mark.parametrize("text, speaker, cue, content", [
    # attitudes: the object is what the holder supports, opposes or judges
    ("Paul Ryan endorsed Donald Trump on Thursday after weeks of talks.", "Paul Ryan", "endorsed", "Donald Trump"),
    ("Sen. Susan Collins opposed the nomination of the new judge.", "Susan Collins", "opposed",
     "the nomination of the new judge"),
    # a direct object with its predicate: "called X Y", "described X as Y", "dismissed X as Y"
    ("Mitt Romney called the remarks “disqualifying.”", "Mitt Romney", "called", "the remarks “disqualifying"),
    ("Mitt Romney called the tax plan a disaster for working families.", "Mitt Romney", "called",
     "the tax plan a disaster for working families"),
    ("Donald Trump dismissed Gov. Scott Walker as an ineffective leader.", "Donald Trump", "dismissed",
     "Scott Walker as an ineffective leader"),
    # intentions: the open clause
    ("Rand Paul refused to join the earlier debate.", "Rand Paul", "refused", "to join the earlier debate"),
    ("Marco Rubio wants to emerge as the chief alternative to Donald Trump.", "Marco Rubio", "wants",
     "to emerge as the chief alternative"),
    # "called on Y to Z", "called for Y to Z"
    ("Bernie Sanders called on the United States to press China harder.", "Bernie Sanders", "called on",
     "the United States to press China harder"),
    ("Republican leaders have called for Clinton to be prosecuted.", "Republican leaders", "called for",
     "Clinton to be prosecuted"),
])
def test_attitudes_and_intentions_are_attributions(resources, text, speaker, cue, content):
    quotes = [q for q in _quotes(text, resources).quotes if not q.is_direct]
    assert [(q.speaker, q.cue) for q in quotes] == [(speaker, cue)]
    assert content in quotes[0].content


@pytest.mark.parametrize("text", [
    "Hillary Clinton did not say that the economy was failing.",
    "Marco Rubio does not want to be involved in the race anymore.",
    "Bernie Sanders never endorsed the plan.",
])
def test_a_negated_cue_attributes_nothing(resources, text):
    assert _quotes(text, resources).quotes == []


def test_they_goes_to_the_group_that_was_the_subject_just_before(resources):
    text = ("Republican senators met the nominee on Tuesday. They said the hearings would start in June.")
    quotes = _quotes(text, resources).quotes
    assert [(q.speaker, q.content) for q in quotes] == [("Republican senators", "the hearings would start in June")]
    assert text[quotes[0].speaker_char_start:quotes[0].speaker_char_end] == "They"


def test_they_after_something_that_cannot_speak_gives_no_row(resources):
    outputs = _quotes("The polls closed at eight. They said the count would take a week.", resources)
    assert outputs.quotes == [] and outputs.unresolved_speakers == 1


def test_reported_speech_with_a_short_quoted_phrase_is_kept(resources):
    text = "Hillary Clinton says she respects Bernie Sanders’ “passion and commitment” to his voters."
    quotes = _quotes(text, resources).quotes
    assert [(q.speaker, q.is_direct) for q in quotes][:1] == [("Hillary Clinton", False)]
    assert "passion and commitment" in quotes[0].content


def test_a_quotation_paragraph_after_a_quote_continues_its_speaker(resources):
    text = ("“There is just a passion for him,” said Robert Antonacci of the New York delegation.\n\n"
            "“Who cares? It was her speech, and she gave it well.”\n\n"
            "The roll call went on into the night.")
    quotes = _quotes(text, resources).quotes
    assert [q.speaker for q in quotes] == ["Robert Antonacci"]
    assert "passion" in quotes[0].content and "gave it well" in quotes[0].content


def test_a_headline_name_and_colon_attributes_the_line(resources):
    text = "Graham: Trump's Rhetoric Is Destroying the Party's Chance to Win.\n\nLindsey Graham spoke on Sunday."
    quotes = _quotes(text, resources).quotes
    assert [(q.cue, q.content) for q in quotes][:1] == [(":", "Trump's Rhetoric Is Destroying the Party's Chance to Win")]


def test_a_document_can_be_a_source(resources):
    quotes = _quotes("According to a Pentagon readout, the two ministers discussed the nuclear test.", resources).quotes
    assert [(q.speaker, q.cue) for q in quotes] == [("Pentagon readout", "according to")]
    assert quotes[0].content == "the two ministers discussed the nuclear test"


def test_a_cue_verb_an_urged_person_is_to_use_is_theirs(resources):
    quotes = _quotes("Donald Trump urged Jeff Sessions to tell reporters that the judge was biased.", resources).quotes
    assert [(q.speaker, q.cue) for q in quotes if q.cue == "tell"] in ([], [("Jeff Sessions", "tell")])


def test_the_speaker_is_the_subject_nearest_the_cue_not_a_dateline(resources):
    # breitbart 2016-05-15 (attribution corpus): the parser may take a dateline for a second subject of the cue
    text = ("WASHINGTON (AP) — Months after he savaged her on Twitter and elsewhere, Donald Trump tells Fox News "
            "anchor Megyn Kelly that people who are bullied “gotta get over it” and fight back.")
    quotes = analysed_text(text, resources, published=NOW, article_id="q1").quotes
    assert [q.speaker for q in quotes] == ["Donald Trump"]
