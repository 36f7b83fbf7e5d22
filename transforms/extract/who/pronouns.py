"""Sieve 4 of who-is-who: pronouns, in text order, each seeing the links before it (no Beam).

"he"/"she" a person of that gender, "it"/"its" an organisation or a place, "they"/"their" an organisation or a
group, "who" the noun its clause hangs on. The antecedent is the one fitting entity of the nearest sentence that
has one (its subject when there are several), never a pick between two equally good candidates, and never past a
subject of the pronoun's kind that is no entity ("The plan failed. It ..."); a pronoun in a clause before its main
clause may stand for that clause's subject ("After he won, Trump said"). "Both leaders": the two people named last.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

from transforms.extract.gender import PRONOUN_GENDER
from transforms.extract.tokens import tokens_with
from transforms.extract.who.cast import (GROUP, ORGANISATION, PERSON, PLACE, PRONOUN, SUBJECTS, Draft,
                                         Entity)

_SINGULAR_THING = frozenset({"it", "its", "itself"})
_PLURAL = frozenset({"they", "them", "their", "theirs", "themselves"})
_RELATIVE = frozenset({"who", "whom", "whose"})
_POSSESSIVE = frozenset({"his", "her", "hers", "its", "their", "theirs", "whose"})
_REFLEXIVE = frozenset({"himself", "herself", "itself", "themselves"})
PRONOUNS = frozenset(PRONOUN_GENDER) | _SINGULAR_THING | _PLURAL | _RELATIVE
#: Sentences, the pronoun's own first, in which its antecedent is looked for.
PRONOUN_SENTENCES = 4
#: Failing that, sentences before "he"/"she" in which exactly one person may be its antecedent.
WIDE_SENTENCES = 10
#: Mentions before a pronoun, and how many times the nearest candidate's, that make an entity the article's topic.
TOPIC_MENTIONS = 5
TOPIC_SHARE = 3


def pronoun_sieve(draft: Draft) -> None:
    """Every pronoun that stands for an entity, as a mention of it; then "both leaders"."""
    doc = draft.doc
    for token in tokens_with(doc, lower=PRONOUNS):
        if token.i in draft.at or token.pos_ not in ("PRON", "DET"):
            continue
        lower = token.lower_
        if lower in _RELATIVE:
            entity = _relative(draft, token)
        elif lower in _SINGULAR_THING and _expletive(token):
            continue
        else:
            entity = _cataphora(draft, token) or _antecedent(draft, token)
        if entity is not None:
            draft.add(entity, token.i, token.i + 1, PRONOUN)
            if lower in PRONOUN_GENDER and entity.gender is None:
                entity.gender = PRONOUN_GENDER[lower]
    _both(draft)


def _fits(pronoun, entity: Entity) -> bool:
    lower = pronoun.lower_
    if lower in PRONOUN_GENDER:
        return entity.type == PERSON and entity.gender in (None, PRONOUN_GENDER[lower])
    if lower in _SINGULAR_THING:
        return entity.type in (ORGANISATION, PLACE)
    return entity.type in (ORGANISATION, GROUP)   # they: a company, "Republicans", "U.S. officials"


def _relative(draft, token) -> Optional[Entity]:
    """"X, who said": the entity of the noun the relative clause hangs on."""
    clause = token.head
    if clause.dep_ != "relcl":
        return None
    entity = draft.at.get(clause.head.i)
    return entity if entity is not None and entity.type in (PERSON, ORGANISATION, GROUP) else None


def _cataphora(draft, pronoun) -> Optional[Entity]:
    """"When asked if he had spoken to Putin, Trump said": a pronoun in a clause before the main clause
    stands for the main clause's subject when that fits."""
    root = pronoun.sent.root
    if pronoun.i > root.i or pronoun.head == root or pronoun.lower_ in _RELATIVE:
        return None
    for subject in (c for c in root.children if c.dep_ in SUBJECTS and c.i > pronoun.i):
        entity = draft.at.get(subject.i)
        if entity is not None and _fits(pronoun, entity):
            return entity
    return None


def _antecedent(draft, pronoun) -> Optional[Entity]:
    """The one fitting entity of the nearest sentence that has one (its subject when there are several,
    or none if that does not decide), looking back from the pronoun's own sentence."""
    number = draft.sentence_of(pronoun.i)
    excluded = _excluded(draft, pronoun)
    for back in range(PRONOUN_SENTENCES):
        if number - back < 0:
            break
        sentence = draft.sentences[number - back]
        end = pronoun.i if back == 0 else sentence.end
        found: Dict[int, Tuple[Entity, bool]] = {}
        for i in range(sentence.start, end):
            entity = draft.at.get(i)
            if entity is None or id(entity) in excluded or not _fits(pronoun, entity):
                continue
            subject = _in_subject(draft.doc[i])
            held = found.get(id(entity))
            found[id(entity)] = (entity, subject or (held is not None and held[1]))
        if not found:
            if _rival_subject(pronoun, sentence, end, draft.at):
                return None   # "The plan failed. It ...": the nearest subject of its kind is no entity
            continue
        if len(found) == 1:
            return _salient(draft, pronoun, next(iter(found.values()))[0], excluded) if back else \
                next(iter(found.values()))[0]
        subjects = [entity for entity, subject in found.values() if subject]
        return subjects[0] if len(subjects) == 1 else None
    if pronoun.lower_ in PRONOUN_GENDER:   # further back, only when one person is named there at all
        first = draft.sentence_starts[max(0, number - WIDE_SENTENCES + 1)]
        people = {id(draft.at[i]): draft.at[i] for i in range(first, pronoun.i)
                  if i in draft.at and draft.at[i].type == PERSON}
        if len(people) == 1:
            person = next(iter(people.values()))
            return person if _fits(pronoun, person) else None
    return None


def _salient(draft: Draft, pronoun, nearest: Entity, excluded: Set[int]) -> Entity:
    """The entity the article is about, when it fits the pronoun and dwarfs the one fitting entity of an earlier
    sentence (at least :data:`TOPIC_MENTIONS` mentions before the pronoun, :data:`TOPIC_SHARE` times as many, one
    in the last :data:`WIDE_SENTENCES` sentences): a biography's "she" after a sentence about her mother."""
    before = {}
    for entity in draft.entities:
        if entity is nearest or id(entity) in excluded or not _fits(pronoun, entity):
            continue
        count = sum(m.start < pronoun.i for m in entity.mentions)
        if count >= TOPIC_MENTIONS:
            before[id(entity)] = (count, entity)
    if not before:
        return nearest
    count, topic = max(before.values(), key=lambda c: c[0])
    near = sum(m.start < pronoun.i for m in nearest.mentions)
    recent = draft.sentence_starts[max(0, draft.sentence_of(pronoun.i) - WIDE_SENTENCES + 1)]
    if count >= TOPIC_SHARE * near and any(recent <= m.start < pronoun.i for m in topic.mentions):
        return topic
    return nearest


def _both(draft) -> None:
    """"Both leaders": the two people named last, together."""
    doc = draft.doc
    draft.together = {}
    for token in tokens_with(doc, lower=("leaders",)):
        if token.i == 0 or doc[token.i - 1].lower_ != "both":
            continue
        people: List[Entity] = []
        for i in range(token.i - 2, -1, -1):
            entity = draft.at.get(i)
            if entity is not None and entity.type == PERSON and entity not in people:
                people.append(entity)
            if len(people) == 2:
                draft.together[token.i - 1] = list(reversed(people))
                break


def _expletive(token) -> bool:
    """"It is clear that ...", "it seems", "it rained": an "it" that stands for nothing."""
    if token.dep_ == "expl" or token.lower_ != "it":
        return token.dep_ == "expl"
    head = token.head
    if token.dep_ in SUBJECTS and any(c.dep_ in ("ccomp", "xcomp", "csubj") and c.i > head.i for c in head.children):
        return True
    return token.dep_ in SUBJECTS and any(c.dep_ == "acomp" and any(g.dep_ in ("xcomp", "ccomp") for g in c.children)
                                          for c in head.children)


def _in_subject(token) -> bool:
    """The token is (in) a clause's subject: "Andriy Yermak, a top adviser, will ...", "his" of "his team",
    "Putin" of "Trump and Putin met"."""
    for _ in range(3):
        if token.dep_ in SUBJECTS:
            return True
        if token.dep_ not in ("compound", "flat", "appos", "poss", "conj") or token.head.i == token.i:
            return False
        if token.dep_ in ("compound", "flat") and token.head.pos_ != "PROPN":
            return False   # "Chris Christie, a staunch Donald Trump ally": a name that qualifies a noun
        token = token.head
    return False


def _excluded(draft: Draft, pronoun) -> Set[int]:
    """The ids of the entities the pronoun cannot stand for: the subject of its own verb for a plain object
    pronoun ("Trump praised him"; a possessive or a reflexive may: "Trump shared his plan"), and the noun a
    possessive belongs to, with its apposition ("her mother Wajiha", "Her former professor, Koolhaas")."""
    lower = pronoun.lower_
    tokens = []
    if lower in _POSSESSIVE and pronoun.dep_ == "poss":
        owner = pronoun.head
        tokens = [owner] + [c for c in owner.children if c.dep_ in ("appos", "compound", "flat")]
        if owner.dep_ == "appos":
            tokens.append(owner.head)
    elif lower not in _REFLEXIVE and pronoun.dep_ not in SUBJECTS:
        verb = pronoun.head if pronoun.dep_ != "pobj" else pronoun.head.head
        tokens = [c for c in verb.children if c.dep_ in SUBJECTS]
    return {id(draft.at[t.i]) for t in tokens if t.i in draft.at}


def _rival_subject(pronoun, sentence, end: int, at: Dict[int, Entity]) -> bool:
    """The sentence has, before ``end``, a subject that is no entity and could be what the pronoun stands for:
    a singular common noun for "it", a plural one for "they", a person's noun for "he"/"she"."""
    lower = pronoun.lower_
    for token in sentence:
        if token.i >= end:
            break
        if token.dep_ not in SUBJECTS or token.i in at or token.pos_ != "NOUN":
            continue
        if lower in _SINGULAR_THING and token.tag_ == "NN":
            return True
        if lower in _PLURAL and token.tag_ == "NNS":
            return True
    return False
