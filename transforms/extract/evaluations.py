"""What whoever says the words holds: evaluations and obligations, read from the parse (no Beam).

- an evaluation of a named thing ("the deal is a disaster", "called the plan unrealistic", "described it as
  wrong"), or of a clause ("returning to the old borders is unrealistic"), with its polarity from the sentiment
  lexicons (``transforms.extract.tone``); a feeling about a thing ("I'm disappointed in the RNC") is its
  subject's;
- an obligation ("Ukraine must be involved" supports it, "peace cannot come at the cost of justice" opposes it);
- a label: what "pro-" or "anti-" says of the noun it modifies ("a pro-Cruz super PAC" supports Cruz,
  "anti-abortion groups" oppose abortion).

The holder is None (whoever says the words: the caller knows the quotes and claims), except for a feeling and
a verb of naming. The scope rules are the attitude words' (:func:`transforms.extract.attitudes.cancelled`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional

from transforms.common.data_files import classified_rows, data_lines
from transforms.extract.attitudes import (CLAIM_VERBS, FIRST_PERSON, NAMING, NAMING_VERBS, NEGATIONS, PLACEHOLDERS,
                                          RELATIVES, Attitude, act_span, cancelled, dependents, holder_of, is_copula,
                                          nameable, noun_phrase)
from transforms.extract.tokens import tokens_with
from transforms.extract.tone import OWNERS_PREFERENCE


def evaluations(doc, valence, people: frozenset = frozenset(), measures: frozenset = frozenset()) -> List[Attitude]:
    """Evaluations: "X is a disaster", "called X a disaster", "described X as wrong", and feelings about a
    thing, "we are proud of X", "I am disappointed in X" (the subject's, toward X). The polarity is the sign
    of ``valence(token)`` (None for a word with no clear polarity). A person is evaluated by a noun ("he
    is a racist", "a great leader"), and a named person or one a verb of naming names by an adjective of what
    they are (:func:`quality_adjective`: "Rubio is very, very weak on immigration"); other adjectives of a person
    ("voters are angry", "he is grateful") say how they feel. The holder is the subject of a feeling and of a
    verb of naming; for an evaluation it is None: whoever says the words (the caller knows the quotes).

    A description is no evaluation (:func:`describes`): a comparison ("the death rate was higher", "worse
    than"), an ability or likelihood ("utilities were able to handle the demand"), or any word said of a
    measure (``measures``, :class:`NounSenses`: WordNet's nouns of quantities, times, relations and phenomena, "the results will be
    devastating"); nor is a sad feeling for someone ("scared for his employees"), which is sympathy."""
    found = []
    for token in tokens_with(doc, dep=("acomp", "attr", "oprd", "pobj", "xcomp")):
        head = token.head
        subject, feeling = None, None
        clause = None
        if token.dep_ in ("acomp", "attr") and is_copula(head):
            subjects = dependents(head, "nsubj")
            subject = subjects[0] if subjects else None
            clauses = [c for c in dependents(head, "csubj") if c.tag_ == "VBG"]
            if subject is None and clauses:   # "returning to the old borders is unrealistic"
                clause = subject = clauses[0]
            about = [p for prep in dependents(token, "prep") if prep.lower_ in ("of", "in", "with", "about", "by", "for")
                     for p in dependents(prep, "pobj")]
            if token.pos_ == "ADJ" and about and subject is not None and _sentient(subject):
                feeling = about[0]   # "we are proud of her", not "the probe is free of influence"
        elif token.dep_ in ("oprd", "xcomp", "attr") and head.lemma_ in NAMING_VERBS:
            objects = dependents(head, "dobj")
            subject = objects[0] if objects else None
        elif token.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_ in NAMING_VERBS:
            objects = dependents(head.head, "dobj")
            subject = objects[0] if objects else None
            head = head.head
        elif token.dep_ == "pobj" and head.lower_ == "like" and token.pos_ == "NOUN" and (
                is_copula(head.head) or head.head.lemma_ in BEHAVING_VERBS):
            subjects = [s for s in dependents(head.head, "nsubj")   # "he acts like a defeated man"
                        if s.pos_ == "PROPN" or s.lower_ in ("he", "she")]   # not "that sounds like a wise approach"
            subject = subjects[0] if subjects else None
            head = head.head
        if subject is None or describes(token, measures) or _measure(subject, measures) \
                or feeling is not None and _measure(feeling, measures):
            continue
        score = valence(token)
        if score is None or cancelled(token, own_negation=False) or cancelled(head, own_negation=False):
            continue
        polarity = "support" if score > 0 else "oppose"
        if _negated(token, head):   # "Donald Trump is not a racist": a defence; "the plan is not good": criticism
            polarity = "oppose" if polarity == "support" else "support"
        if feeling is not None and polarity == "oppose" and feeling.head.lower_ == "for":
            continue   # "scared for his employees", "sad for the family": sympathy, not opposition
        if clause is not None:
            found.append(Attitude(None, act_span(clause), polarity, _evaluation_words(token), token.i,
                                  "clause_evaluation"))
            continue
        if feeling is not None:
            if nameable(feeling):
                found.append(Attitude(subject, noun_phrase(feeling), polarity, _evaluation_words(token), token.i))
            continue
        if subject.lower_ in PLACEHOLDERS or subject.lower_ in FIRST_PERSON or not nameable(subject):
            continue
        person = (subject.ent_type_ in ("PERSON", "NORP") or subject.lower_ in ("he", "she", "him", "her")
                  or subject.lemma_.lower() in people)   # "voters are famous for deciding late": how they are
        if (person or subject.pos_ == "PROPN") and token.pos_ not in ("NOUN", "PROPN") and not (
                quality_adjective(token) and (subject.pos_ == "PROPN" or head.lemma_ in NAMING_VERBS)):
            continue   # "voters are angry", "he is upset": how people feel; "Rubio is weak": what he is
        holder = None
        if head.lemma_ in NAMING_VERBS:   # "called the plan a disaster": the caller
            holder = holder_of(head, NAMING)
            if holder is None:
                continue
        found.append(Attitude(holder, noun_phrase(subject), polarity, _evaluation_words(token), token.i, "evaluation"))
    return found


DATA = "transforms.extract.data"
NOUN_SENSES_FILE = "noun_senses.v1.tsv"
MEASURE_FILES = frozenset({"noun.quantity", "noun.relation", "noun.shape", "noun.time", "noun.phenomenon"})
PERSON_FILE = "noun.person"


@dataclass(frozen=True)
class NounSenses:
    """Nouns by what WordNet says they name (``noun_senses.v1.tsv``, written by ``make_noun_senses.py``):
    ``measures`` (a quantity, a time, a relation, a shape or a phenomenon first: "rate", "results") and
    ``persons`` (a person in some sense: "voter", "progressive")."""
    measures: FrozenSet[str] = frozenset()
    persons: FrozenSet[str] = frozenset()

    @classmethod
    def load(cls, lines: Optional[Iterable[str]] = None) -> "NounSenses":
        """The packaged table (or ``lines`` in its format).

        Raises:
            ValueError: a row that is not ``word<TAB>class`` with a known class.
        """
        measures, persons = set(), set()
        rows = data_lines(DATA, NOUN_SENSES_FILE) if lines is None else lines
        for word, kind in classified_rows(rows, NOUN_SENSES_FILE, MEASURE_FILES | {PERSON_FILE}):
            (persons if kind == PERSON_FILE else measures).add(word)
        return cls(frozenset(measures), frozenset(persons))


#: Adverbs that make an adjective a comparison: "more benevolent than", "less costly".
_COMPARING = frozenset({"more", "less"})


def describes(word, measures: frozenset = frozenset()) -> bool:
    """An evaluative-looking word that describes: a comparative ("higher", "worse", "more benevolent than"), or an
    adjective with an infinitive ("unable to accommodate", "likely to pass"): an ability or a likelihood."""
    if word.tag_ in ("JJR", "RBR") or any(c.dep_ == "advmod" and c.lower_ in _COMPARING for c in word.children):
        return True
    return word.pos_ == "ADJ" and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children)
                                      for c in word.children)


def _measure(noun, measures: frozenset) -> bool:
    """A common noun naming a measure (a quantity, a time, a relation, a phenomenon: "rate", "results")."""
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in measures


def _negated(word, head) -> bool:
    """The evaluation's own negation: of its word or of the copula or naming verb it hangs on."""
    return any(c.dep_ == "neg" or c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det")
               for t in {word, head} for c in t.children)


#: Named-entity types of someone who can feel, or be done wrong: a person, people, an organisation, a place.
SENTIENT_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


#: Verbs of behaving whose "like" phrase says what their subject is: "he acts like a defeated man".
BEHAVING_VERBS = frozenset({"act", "behave", "talk"})


def conduct(doc, valence, people: frozenset = frozenset(), *, inert: frozenset = frozenset()) -> List[Attitude]:
    """Misconduct said of someone: a named person or organisation (or a pronoun the caller resolves) doing a
    negative act to someone, "Rubio has failed the people of Florida", "he betrayed us", "she lied to the
    voters". Whoever says the words (the holder is None: the caller knows the quotes and claims) opposes the
    doer. The act is a verb the sentiment lexicons rate negative (``valence``), in the active voice, not
    cancelled (:func:`cancelled`), and not a verb of feeling or competing (``inert``, from
    :class:`transforms.extract.verb_classes.VerbClasses`: "Rubio fears Trump", "Cruz defeated Trump"); its
    object, or the object of its "to", "on" or "against", is a person, people, an organisation or a place."""
    found = []
    for verb in tokens_with(doc, pos=("VERB",)):
        if verb.lemma_.lower() in inert or verb.dep_ in ("amod", "acl", "relcl", "xcomp"):
            continue
        if any(c.dep_ in ("nsubjpass", "auxpass", "csubj") for c in verb.children):
            continue
        subjects = dependents(verb, "nsubj")
        if not subjects:
            continue
        subject = subjects[0]
        named = subject.pos_ == "PROPN" and subject.ent_type_ in SENTIENT_TYPES or subject.lower_ in (
            "he", "she", "they")
        if not named or not _done_to_someone(verb, people):
            continue
        score = valence(verb)
        if score is None or score > 0 or cancelled(verb):
            continue
        found.append(Attitude(None, noun_phrase(subject), "oppose", verb.text, verb.i, "conduct"))
    return found


def _done_to_someone(verb, people: frozenset) -> bool:
    objects = dependents(verb, "dobj") + [p for prep in dependents(verb, "prep") if prep.lower_ in ("to", "on", "against")
                                           for p in dependents(prep, "pobj")]
    return any(o.ent_type_ in SENTIENT_TYPES or o.pos_ == "PRON" and o.lower_ not in ("it", "this", "that", "what")
               or o.lemma_.lower() in people for o in objects)


def quality_adjective(adjective) -> bool:
    """An adjective that says what a person is ("Rubio is very weak on immigration", "he is dishonest"), not how
    they feel: no participle ("worried", "disappointed"), and no complement saying at whom or about what the
    feeling is ("angry at", "happy to", "sad that")."""
    if adjective.tag_ in ("VBN", "VBG") or adjective.lower_.endswith("ed"):
        return False
    return not any(c.dep_ in ("xcomp", "ccomp") or c.dep_ == "prep" and c.lower_ in ("at", "with", "about", "for", "by")
                   for c in adjective.children)


def _sentient(token) -> bool:
    """Someone who can feel: a personal pronoun, or a name of a person, group, place or people."""
    return token.pos_ == "PRON" or token.ent_type_ in SENTIENT_TYPES


def _evaluation_words(token) -> str:
    left = min([token.i] + [c.i for c in token.children if c.dep_ in ("amod", "advmod", "det") and c.i < token.i])
    return token.doc[left:token.i + 1].text


#: Modals of obligation: "Ukraine must be involved", "the party should reiterate its support".
OBLIGATION_MODALS = frozenset({"must", "should", "ought", "shall"})
#: "can" with a negation forbids: "peace cannot come at the cost of justice".
_CAN = frozenset({"can", "ca"})
_MODALS = OBLIGATION_MODALS | _CAN
#: Verbs of obligation with an infinitive, in the present: "the Europeans have to own this conflict".
OBLIGATION_VERBS = frozenset({"have", "need"})
#: Acts no one takes a position on: "you have to understand", "I must say", "we need to talk".
_NO_POSITION = CLAIM_VERBS | frozenset({"understand", "remember", "realize", "recognize", "admit", "ask", "wonder",
                                        "talk", "wait", "see", "look", "go", "get", "be", "do", "make", "keep", "have",
                                        "consider", "figure", "decide", "learn", "find", "listen"})


def obligations(doc) -> List[Attitude]:
    """"X must / should / has to Y": whoever says it supports X doing Y; "X must not / cannot Y" opposes it.
    The target is the clause from its subject on; the holder is None (whoever says the words)."""
    found = []
    for verb in tokens_with(doc, pos=("VERB", "AUX")):
        if verb.lemma_ in _NO_POSITION:
            continue
        if verb.dep_ in ("relcl", "acl"):
            continue   # "no reason why the FBI should not share it": a clause about a noun
        modals = [c for c in dependents(verb, "aux") if c.lower_ in _MODALS]
        negated = any(c.dep_ == "neg" for c in verb.children)
        if modals:
            subjects = dependents(verb, "nsubj", "nsubjpass", "csubj")
            if modals[0].lower_ in _CAN and (not negated or any(s.pos_ == "PRON" for s in subjects)):
                continue   # "can" alone is an ability; so is "we can't win", "you can't blame them"
            if any(c.lower_ in ("have", "'ve", "’ve") for c in dependents(verb, "aux")):
                continue   # "should have been captured": a reproach or a guess about the past
            cue_words = modals[0].text + (" not" if negated else "")
            polarity = "oppose" if negated else "support"
            if not subjects or cancelled(verb, own_negation=False):
                continue
        elif (verb.dep_ == "xcomp" and verb.head.lemma_ in OBLIGATION_VERBS and verb.head.tag_ in ("VBP", "VBZ")
              and any(c.lower_ == "to" for c in dependents(verb, "aux"))):
            subjects = dependents(verb.head, "nsubj")
            cue_words, polarity = f"{verb.head.text} to", "support"
            if not subjects or cancelled(verb):
                continue
        else:
            continue
        subject = subjects[0]
        if subject.lower_ in RELATIVES:
            continue
        start, end = act_span(verb)
        if subject.lower_ not in FIRST_PERSON | {"you"}:   # "we must begin to offset ...": the act is the target
            start = min(subject.left_edge.i, start)
        found.append(Attitude(None, (start, end), polarity, cue_words, verb.i, "obligation"))
    return found


#: The prefixes of a label and the side they take: "pro-Cruz", "anti-abortion".
LABEL_PREFIXES = {"pro": "support", "anti": "oppose"}


#: Prefixes that mean what "anti-" means in a word of its own: "anti-terrorist" police are WordNet's
#: "counterterrorist", a job, not a side.
_SAME_AS_ANTI = ("anti", "counter")


def _own_word(prefix: str, word: str, adjectives: frozenset) -> bool:
    """"pro-choice", "anti-semitic" (``adjectives`` has them, hyphen or none) or "anti-terrorist" (WordNet's
    "counterterrorist"): an adjective of its own."""
    if f"{prefix}-{word}" in adjectives or f"{prefix}{word}" in adjectives:
        return True
    return prefix == "anti" and any(f"{same}{word}" in adjectives for same in _SAME_AS_ANTI)


def labels(doc, adjectives: frozenset = frozenset()) -> List[Attitude]:
    """Positions stated as labels: "pro-" or "anti-" and a word, modifying a noun, give the noun (or the name it
    is in apposition to: "Keep the Promise PAC, a pro-Cruz super PAC") a stance toward the word: a name ("pro-
    Cruz"), or a common word when it is about a topic ("anti-abortion"; the caller checks: kind "act"). A label
    that is an adjective of its own (``adjectives``: WordNet's, "anti-semitic", "pro-choice", "anti-terrorist" as
    "counterterrorist") is none."""
    found = []
    for token in doc[:-2]:
        if token.lower_ not in LABEL_PREFIXES or token.nbor(1).text not in ("-", "‑") or token.whitespace_:
            continue
        word = token.nbor(2)
        if not word.is_alpha or word.i + 1 >= len(doc) or _own_word(token.lower_, word.lower_, adjectives):
            continue   # "anti-Semitic images", "pro-choice": a word of its own, no side toward "Semitic" or "choice"
        end = word.i + 1   # a name of several words: "pro-Islamic State accounts"
        while word.ent_iob_ != "O" and end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].pos_ == "PROPN":
            end += 1
        last = doc[end - 1]
        head = next((t.head for t in (last, word, token) if t.dep_ in ("amod", "compound", "nmod")
                     and t.head.i >= end and t.head.pos_ in ("NOUN", "PROPN")), None)
        if head is None:
            continue
        holder = head.head if head.dep_ == "appos" and head.head.pos_ == "PROPN" else head
        named = word.pos_ == "PROPN" or word.ent_type_ != "" or word.text[:1].isupper()
        found.append(Attitude(holder, (word.i, end), LABEL_PREFIXES[token.lower_],
                              doc[token.i:end].text, token.i, "label" if named else "act"))
    return found


def attributions(doc, valence, persons: frozenset = frozenset(), measures: frozenset = frozenset()) -> List[Attitude]:
    """An evaluative adjective on someone's thing: "Donald Trump's ignorant view of Islam", "his disastrous
    policies". Whoever says the words (the holder is None: the caller knows the quotes and claims) takes the
    adjective's side on the thing, its owner named. Not of a person ("his dear friend"), a measure ("Clinton's
    strong showing" is a result, "higher taxes" a comparison) or an unnamed owner ("its best years"), and not by a
    participle ("her economically depressed state"), a superlative or the owner's own preference ("his favorite").
    ``valence`` is a word's rating by people (VADER's, :meth:`transforms.extract.tone.Tone.rated`): an
    adjective beside a noun is an evaluation only when clearly one ("his own family" is not)."""
    found = []
    for noun in tokens_with(doc, pos=("NOUN",)):
        owners = [c for c in noun.children if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.lower_ in ("his", "her"))]
        if not owners or noun.lemma_.lower() in persons or _measure(noun, measures):
            continue
        for adjective in noun.children:
            if adjective.dep_ != "amod" or adjective.i > noun.i or describes(adjective) or not quality_adjective(
                    adjective) or adjective.tag_ == "JJS" or adjective.lower_ in OWNERS_PREFERENCE:
                continue   # "improving relations", "his greatest strength", "his favorite toy": not the speaker's
            score = valence(adjective)
            if score is None or cancelled(noun):
                continue
            found.append(Attitude(None, noun_phrase(noun), "support" if score > 0 else "oppose",
                                  _evaluation_words(adjective), adjective.i, "attribution"))
            break
    return found
