"""Sieve 2 of who-is-who: appositions, predicate nominatives and titles (no Beam).

"Jane Roe, the state's attorney general," and "the party's chairman, John Podesta" are one entity; so are a
predicate nominative ("X was an American linguist") and "X, known as Y"; an unlabelled proper name that "is a"
noun for people is a person; a title right before a person's name ("Senator X", "Sen. X") is noted for
"the senator" (:mod:`.nominals`).
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional

from transforms.extract.actors import HONORIFICS
from transforms.extract.gender import gender_of_name
from transforms.extract.tokens import tokens_with
from transforms.extract.who.cast import NAME, NOMINAL, ORGANISATION, PERSON, Draft, Entity
from transforms.extract.who.nominals import nominal_start

#: Agentive endings of English nouns for people ("mathematician", "writer", "activist", "professor").
AGENT_SUFFIXES = ("ian", "ist", "er", "or", "ant", "ent")


def _names_people(lemma: str, people) -> bool:
    """A noun for people: one of ``people``, or a word of six letters or more with an agentive ending."""
    return lemma in people or (len(lemma) >= 6 and lemma.endswith(AGENT_SUFFIXES))


def _unlabelled_person(draft: Draft, subject) -> Optional[Entity]:
    """A proper name the model left unlabelled, the subject of "is a <noun for people>": a person, joined to the
    one person whose full name ends with it when it is one word."""
    doc = draft.doc
    if subject.pos_ != "PROPN" or subject.ent_type_:
        return None
    start = min([subject.i] + [c.i for c in subject.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"])
    if any(i in draft.at or not doc[i].text[:1].isupper() for i in range(start, subject.i + 1)):
        return None
    name = doc[start:subject.i + 1].text
    entity = next((e for e in draft.entities if e.type == PERSON and (e.name == name or (
        start == subject.i and e.name.split()[-1] == name))), None)
    if entity is None:
        entity = Entity(PERSON, name, gender=gender_of_name(name))
        draft.entities.append(entity)
    draft.add(entity, start, subject.i + 1, NAME)
    return entity


def _predicate(draft: Draft, verb, people) -> None:
    """"X was a mathematician": the predicate noun (``attr`` of a copula, not negated) is a mention of the subject's
    entity; "X, commonly known as Y" and "X, called Y": the name Y is X's."""
    if verb.lemma_ == "be":
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        attributes = [c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
        if len(subjects) != 1 or len(attributes) != 1 or any(c.dep_ == "neg" for c in verb.children):
            return
        entity = draft.at.get(subjects[0].i)
        noun = attributes[0]
        if entity is None and _names_people(noun.lemma_.lower(), people):
            entity = _unlabelled_person(draft, subjects[0])   # "Aner Shalev is an Israeli mathematician"
        if entity is None or entity.type not in (PERSON, ORGANISATION) or noun.i in draft.at:
            return
        if noun.tag_ != "NN" or any(c.dep_ == "poss" for c in noun.children):
            return   # "they were leaders", "he was her father": not the subject under another name
        draft.add(entity, nominal_start(noun), noun.i + 1, NOMINAL)
        if entity.type == PERSON:
            entity.titles.add(noun.lemma_.lower())
    elif verb.dep_ in ("acl", "advcl") and verb.tag_ == "VBN":
        entity = draft.at.get(verb.head.i)
        names = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children
                 if p.dep_ == "pobj"] + [c for c in verb.children if c.dep_ in ("oprd", "attr")]
        for name in names:
            other = draft.at.get(name.i)
            if entity is not None and other is not None and other.type == entity.type and other is not entity \
                    and not (other.code and entity.code and other.code != entity.code):
                draft.merge(entity, other)


def _title_before(doc, start: int, titles: Dict[str, str], nouns) -> Optional[str]:
    """The title right before a name at token ``start``: an abbreviation ("Sen."), a role or person noun
    ("Senator", "billionaire", "businessman"), or the head of "X of Y" ("Secretary of State Hillary Clinton",
    "Director of National Intelligence James Clapper"); None when there is none."""
    before = doc[start - 1]
    if before.lower_ in titles:
        return titles[before.lower_]
    if before.lemma_.lower() in nouns and before.pos_ in ("NOUN", "PROPN"):
        return before.lemma_.lower()
    i = start - 1
    while i > start - 4 and i > 0 and doc[i].text[:1].isupper() and doc[i].pos_ == "PROPN":
        i -= 1   # back over the "of" phrase's name: "of [National Intelligence]"
    if i < start - 1 and doc[i].lower_ == "of" and i > 0 and doc[i - 1].lemma_.lower() in nouns:
        return doc[i - 1].lemma_.lower()
    return None


def apposition_sieve(draft: Draft, *, titles: Dict[str, str], role_nouns, people,
                     persons: FrozenSet[str] = frozenset()) -> None:
    """"X, the state's attorney general," / "the chairman, X": the nominal joins the name; so does a predicate
    nominative ("X was an American linguist") and a name the entity is "known as"; a title right before a
    person's name ("Senator X", "Sen. X", "billionaire X" with ``persons``, WordNet's person nouns, "Secretary of
    State X") is noted for "the senator" (:func:`transforms.extract.who.nominals.epithet_sieve`)."""
    doc = draft.doc
    title_nouns = role_nouns | persons
    for token in tokens_with(doc, dep=("appos",)):
        head, entity = token.head, draft.at.get(token.head.i)
        own = draft.at.get(token.i)
        if entity is not None and own is None and token.pos_ == "NOUN":
            draft.add(entity, nominal_start(token), token.i + 1, NOMINAL)
            if entity.type == PERSON:
                entity.titles.add(token.lemma_.lower())
        elif own is not None and entity is None and head.pos_ == "NOUN":
            draft.add(own, nominal_start(head), head.i + 1, NOMINAL)
            if own.type == PERSON:
                own.titles.add(head.lemma_.lower())
    for verb in tokens_with(doc, lower=("is", "was", "are", "were", "known", "called", "nicknamed")):
        _predicate(draft, verb, people)
    for entity in draft.entities:
        if entity.type != PERSON:
            continue
        for mention in entity.mentions:
            start = mention.start
            while start > 0 and doc[start - 1].lower_.rstrip(".") in HONORIFICS:
                start -= 1
            if start > 0:
                noun = _title_before(doc, start, titles, title_nouns)
                if noun:
                    entity.titles.add(noun)
            if mention.kind == NAME and mention.end - mention.start > 2 and doc[mention.start].pos_ in ("NOUN", "PROPN") \
                    and doc[mention.start].lemma_.lower() in role_nouns:
                entity.titles.add(doc[mention.start].lemma_.lower())   # a dictionary's "Secretary of State Hillary Clinton"
