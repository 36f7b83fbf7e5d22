"""Sieve 4 of who-is-who: pronouns, in text order, each seeing the links before it (no Beam).

"he"/"she" a person of that gender, "it"/"its" an organisation or a place, "they"/"their" an organisation or a
group, "who" the noun its clause hangs on. The antecedent is the one fitting entity of the nearest sentence that
has one (its subject when there are several), never a pick between two equally good candidates, and never past a
subject of the pronoun's kind that is no entity ("The plan failed. It ..."); a pronoun in a clause before its main
clause may stand for that clause's subject ("After he won, Trump said"). "Both leaders": the two people named last.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, List, Optional, Set, Tuple

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


def pronoun_sieve(draft: Draft, people: FrozenSet[str] = frozenset()) -> None:
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
            entity = _cataphora(draft, token) or _antecedent(draft, token, people)
        if entity is not None:
            draft.add(entity, token.i, token.i + 1, PRONOUN)
            if lower in PRONOUN_GENDER and entity.gender is None:
                entity.gender = PRONOUN_GENDER[lower]
    _both(draft)


def _fits(pronoun, entity: Entity) -> bool:
    lower = pronoun.lower_
    if lower in PRONOUN_GENDER:
        return entity.type == PERSON and entity.confirmed and entity.gender in (None, PRONOUN_GENDER[lower])
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


def _antecedent(draft, pronoun, people: FrozenSet[str]) -> Optional[Entity]:
    """The one fitting entity of the nearest sentence that has one (its subject when there are several,
    or none if that does not decide), looking back from the pronoun's own sentence."""
    number = draft.sentence_of(pronoun.i)
    excluded = _excluded(draft, pronoun)
    for back in range(PRONOUN_SENTENCES):
        if number - back < 0:
            break
        sentence = draft.sentences[number - back]
        end = pronoun.i if back == 0 else sentence.end
        found: Dict[int, Tuple[Entity, bool, bool]] = {}   # id -> (entity, a subject, the main clause's)
        for i in range(sentence.start, end):
            entity = draft.at.get(i)
            if entity is None or id(entity) in excluded or not _fits(pronoun, entity):
                continue
            if draft.quoted_apart(draft.doc[i].idx, pronoun.idx):
                continue   # "“maybe Chuck didn't ask me,” he said": a name inside someone's words
            subject = _in_subject(draft.doc[i])
            held = found.get(id(entity))
            main = subject and _main_clause(draft.doc[i])
            found[id(entity)] = (entity, subject or (held is not None and held[1]),
                                 main or (held is not None and held[2]))
        if not found:
            if _rival_subject(pronoun, sentence, end, draft.at, people):
                return None   # "The plan failed. It ...": the nearest subject of its kind is no entity
            continue
        if len(found) == 1:
            entity, subject, _main = next(iter(found.values()))
            if not subject and _rival_subject(pronoun, sentence, end, draft.at, people):
                return None   # "A representative for Mr. Pinchuk said ... He added": the representative
            return entity
        if back == 0:   # "Trump criticized Biden's approach, arguing that he could": the clause's own subject
            governing = _governing_subject(draft, pronoun, found)
            if governing is not None:
                return governing
        subjects = [entity for entity, subject, _main in found.values() if subject]
        if len(subjects) > 1:   # "Trump called for the president to resign": the main clause's subject
            subjects = [entity for entity, _subject, main in found.values() if main]
        return subjects[0] if len(subjects) == 1 else None
    if pronoun.lower_ in PRONOUN_GENDER:   # further back, only when one person is named there at all
        first = draft.sentence_starts[max(0, number - WIDE_SENTENCES + 1)]
        people = {id(draft.at[i]): draft.at[i] for i in range(first, pronoun.i)
                  if i in draft.at and draft.at[i].type == PERSON}
        if len(people) == 1:
            person = next(iter(people.values()))
            return person if _fits(pronoun, person) else None
    return None


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
    if token.dep_ == "poss":   # "his team said"; not "X, President Obama's envoy, said"
        return token.head.dep_ in SUBJECTS
    for _ in range(3):
        if token.dep_ in SUBJECTS:
            return True
        if token.dep_ not in ("compound", "flat", "appos", "conj") or token.head.i == token.i:
            return False
        if token.dep_ in ("compound", "flat") and token.head.pos_ != "PROPN":
            return False   # "Chris Christie, a staunch Donald Trump ally": a name that qualifies a noun
        token = token.head
    return False


def _governing_subject(draft: Draft, pronoun, found: Dict[int, Tuple[Entity, bool, bool]]) -> Optional[Entity]:
    """The subject of the nearest clause above the pronoun's own that has one, when it is one of the ``found``
    candidates: "X said that he ...", "X, arguing that he ..." (the participle's subject is its clause's)."""
    token = pronoun.head if pronoun.dep_ in SUBJECTS else pronoun
    token = token.head
    while True:
        subjects = [c for c in token.children if c.dep_ in SUBJECTS and c.i != pronoun.i]
        if subjects:
            entity = draft.at.get(subjects[0].i)
            return entity if entity is not None and id(entity) in found else None
        if token.head.i == token.i:
            return None
        token = token.head


def _main_clause(token) -> bool:
    """The token's subject is the subject of its sentence's main verb (or of a verb joined to it)."""
    while token.dep_ not in SUBJECTS and token.head.i != token.i:
        token = token.head
    verb = token.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


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


def _rival_subject(pronoun, sentence, end: int, at: Dict[int, Entity], people: FrozenSet[str]) -> bool:
    """The sentence has, before ``end``, a subject that is no entity and could be what the pronoun stands for:
    a singular common noun for "it", a plural one for "they", a singular noun for people ("a representative",
    ``people``) for "he"/"she"."""
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
        if lower in PRONOUN_GENDER and token.tag_ == "NN" and token.lemma_.lower() in people:
            return True
    return False
