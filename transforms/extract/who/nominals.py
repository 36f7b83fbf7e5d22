"""Sieve 3 of who-is-who: groups and nominals (no Beam).

A plural noun for people that is no actor ("Republican senators") is a group of its own; "the senator" is the
one person the article titled senator (a title before the name, or an apposition); "the agency", "the court",
"the county" the entity named in the sentences just before whose name holds that word; "the country",
"the city" the one place of that level named just before.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Optional

from transforms.extract.tokens import tokens_with
from transforms.extract.who.cast import GROUP, NAME, NOMINAL, PERSON, PLACE, Draft, Entity

#: Sentences before "the agency" in which an entity whose name holds "agency" is looked for.
NOMINAL_SENTENCES = 10
#: Sentences before "the country" in which the one place of that level is looked for.
LEVEL_SENTENCES = 3
#: The nouns for the gazetteer's levels (:class:`transforms.extract.who.places.Gazetteer`): "the country" is
#: the one country just named, "the city" the one city.
LEVEL_NOUNS = {"country": "country", "nation": "country", "state": "state", "county": "county",
               "city": "city", "town": "city"}
_TITLE_DETERMINERS = frozenset({"the", "this", "that"})


def group_sieve(draft: Draft, people: FrozenSet[str]) -> None:
    """A plural noun for people that is no actor ("Republican senators", "the protesters"): a group of its
    own, one per wording, which "they" may stand for."""
    doc = draft.doc
    by_words: Dict[str, Entity] = {}
    for token in tokens_with(doc, pos=("NOUN",)):
        if token.tag_ != "NNS" or token.i in draft.at or token.lower_ not in people:
            continue
        left = [c for c in token.lefts if c.dep_ in ("amod", "compound", "nmod") and c.i not in draft.at]
        start = min([token.i] + [c.left_edge.i for c in left])
        if any(i in draft.at for i in range(start, token.i)):
            start = token.i
        words = " ".join(t.lower_ for t in doc[start:token.i + 1])
        if words not in by_words:
            by_words[words] = Entity(GROUP, doc[start:token.i + 1].text)
            draft.entities.append(by_words[words])
        determiners = [c for c in token.lefts if c.dep_ in ("det", "poss") and c.i == start - 1]
        draft.add(by_words[words], determiners[0].i if determiners else start, token.i + 1, NOMINAL)


def nominal_sieve(draft: Draft) -> None:
    """"The senator": the one person titled so before; "the agency": the one entity named in the sentences just
    before whose name holds the word."""
    doc = draft.doc
    for token in tokens_with(doc, pos=("NOUN",)):
        if token.i in draft.at or token.tag_ != "NN":
            continue
        determiners = [c for c in token.children if c.dep_ == "det"]
        if len(determiners) != 1 or determiners[0].lower_ not in _TITLE_DETERMINERS or any(
                c.dep_ in ("amod", "compound", "poss", "nummod") for c in token.children):
            continue   # "a senator", "the former senator", "the state's senator": another may be meant
        lemma = token.lemma_.lower()
        start = determiners[0].i
        titled = _one_titled(draft, lemma, token.i)
        if titled is not None:
            draft.add(titled, start, token.i + 1, NOMINAL)
            continue
        first = draft.sentence_starts[max(0, draft.sentence_of(token.i) - NOMINAL_SENTENCES + 1)]
        named = _last_named(draft, lemma, first, token.i)
        if named is None and lemma in LEVEL_NOUNS:
            near = draft.sentence_starts[max(0, draft.sentence_of(token.i) - LEVEL_SENTENCES + 1)]
            named = _one_at_level(draft, LEVEL_NOUNS[lemma], near, token.i)
        if named is not None:
            draft.add(named, start, token.i + 1, NOMINAL)


#: Dependents that say whose or which person a description is ("the man who ...", "his lawyer", "two men").
_RESTRICTING = frozenset({"relcl", "acl", "appos", "poss", "nummod"})


def epithet_sieve(draft: Draft, persons: FrozenSet[str]) -> None:
    """"The former secretary of state", "the billionaire front-runner", "the Republican candidate": a definite
    singular description whose head noun names a person (``persons``: WordNet's) stands for the one person the
    text gave that noun before (a title before the name, an apposition, a predicate: ``Entity.titles``), as "the
    senator" does (:func:`nominal_sieve`) with words before it; a capitalised word among them ("the Republican
    nominee") must be one the text described that person with. Not one that says whose or which it is ("the
    man who ...", "the Trump aide"), nor a predicate or an apposition (:func:`apposition_sieve` reads those),
    nor a noun an indefinite description introduced someone else by ("a candidate ... the candidate")."""
    doc = draft.doc
    introduced = set()   # nouns an indefinite description gave someone unnamed: "a man ... the man" is that man
    for token in tokens_with(doc, pos=("NOUN",)):
        if token.tag_ != "NN" or token.lemma_.lower() not in persons:
            continue
        lemma = token.lemma_.lower()
        determiners = [c for c in token.children if c.dep_ == "det"]
        if determiners and determiners[0].lower_ in ("a", "an", "another") and token.dep_ not in ("attr", "appos"):
            introduced.add(lemma)
            continue
        if (token.i in draft.at or lemma in introduced or len(determiners) != 1 or determiners[0].lower_ != "the"
                or token.dep_ in ("attr", "appos", "compound")
                or any(c.dep_ in _RESTRICTING for c in token.children)
                or any(i in draft.at for i in range(determiners[0].i, token.i))):
            continue   # "the Trump aide": someone's; "the man who": said which
        if any(c.dep_ == "prep" and c.lower_ not in ("of", "from") for c in token.children):
            continue   # "the man in the car"; "the secretary of state", "the senator from Texas" are titles
        titled = _one_titled(draft, lemma, token.i)
        proper = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound") and c.text[:1].isupper()}
        if titled is not None and proper <= _described_by(draft, titled):
            draft.add(titled, determiners[0].i, token.i + 1, NOMINAL)


def _one_titled(draft: Draft, lemma: str, before: int) -> Optional[Entity]:
    """The one person the text titled ``lemma`` ("senator") before token ``before``, or None (no one, or two)."""
    titled = {id(e): e for e in draft.entities if e.type == PERSON and lemma in e.titles and e.first < before}
    return next(iter(titled.values())) if len(titled) == 1 else None


def _described_by(draft: Draft, entity: Entity) -> FrozenSet[str]:
    """The lower-case words the text describes ``entity`` with so far: its nominal mentions ("the Democratic
    nominee") and the words just before its names ("Republican presidential candidate Donald Trump")."""
    doc = draft.doc
    words = set()
    for mention in entity.mentions:
        span = doc[mention.start:mention.end] if mention.kind == NOMINAL else doc[max(0, mention.start - 4):mention.start]
        words |= {t.lower_ for t in span}
    return frozenset(words)


def _last_named(draft, lemma: str, first: int, before: int) -> Optional[Entity]:
    """The entity with a name mention between tokens ``first`` and ``before`` whose name holds the word
    ``lemma`` ("the court": "the Supreme Court"), if exactly one."""
    found = {id(e): e for e in draft.entities if e.type != PERSON
             and lemma in (w.lower() for w in e.name.split())
             and any(first <= m.start < before and m.kind == NAME for m in e.mentions)}
    return next(iter(found.values())) if len(found) == 1 else None


def _one_at_level(draft, level: str, first: int, before: int) -> Optional[Entity]:
    """The one place of ``level`` with a name mention between tokens ``first`` and ``before``, if exactly one."""
    found = {id(e): e for e in draft.entities if e.type == PLACE and e.level == level
             and any(first <= m.start < before and m.kind == NAME for m in e.mentions)}
    return next(iter(found.values())) if len(found) == 1 else None


def nominal_start(noun) -> int:
    """The first token of a nominal mention: its left edge, past a possessive pronoun ("Her father": "her" is
    a mention of its own) and punctuation."""
    start = noun.left_edge.i
    doc = noun.doc
    while start < noun.i and (doc[start].dep_ == "poss" and doc[start].pos_ == "PRON" or doc[start].is_punct):
        start += 1
    return start
