"""Event coding: sentence-level, CAMEO-coded dyads from a parsed article (no Beam).

For each sentence, each verb found in the CAMEO verb dictionary gives an event when its
subject and its object resolve to actors; the code is that of the longest dictionary pattern
whose words follow the verb, else the verb's own or its block's code. Nouns that report an
event by themselves ("a phone call between Trump and Putin", "talks with Kyiv", "the release
of Marc Fogel") are coded from ``noun_events.v1.tsv``. Compound actors give one event per
actor ("Vance and Rubio will meet Zelenskiy": two events), as CAMEO does; a compound subject
with no object ("Moscow and Kyiv agreed to begin negotiations") gives one event per ordered
pair. An event needs a source and a target: precision first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

import numpy as np
from spacy.attrs import HEAD

from schemas import EventRecord
from transforms.common.ids import stable_id
from transforms.extract.actor_index import ActorIndex
from transforms.extract.actors import NAME_ENTITY_TYPES, ActorMention, indefinite
from transforms.extract.event_coder import CodeBook, EventCoder
from transforms.extract.event_dates import resolve_event_date
from transforms.extract.modality import ASKING, modality_of
from transforms.extract.phrasal import particle_of
from transforms.extract.quotations import QUOTE_MARKS
from transforms.extract.tokens import tokens_by_sentence

# Verbs that carry no event of their own when their object is an event noun ("hold talks").
LIGHT_VERBS = frozenset({"HOLD", "HAVE", "BEGIN", "START", "LAUNCH", "CONDUCT", "MAKE", "OPEN",
                         "RESUME", "CONTINUE", "PLAN", "SCHEDULE", "ARRANGE", "SEEK", "USE",
                         "EXPRESS", "ENTER", "HAVE", "JOIN", "ANNOUNCE", "DESCRIBE", "ISSUE", "OFFER",
                         "VOICE", "LEVEL", "DELIVER"})
TARGET_PREPOSITIONS = frozenset({"with", "to", "between", "against", "on", "from", "for", "toward",
                                 "towards", "at", "into"})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
NOUN_TARGET_PREPOSITIONS = frozenset({"with", "to", "between", "of"})
NOUN_SOURCE_PREPOSITIONS = frozenset({"from", "by"})
#: Verbs of getting (VerbNet get-13.5.1, obtain-13.5.2): their subject is acted on by the event noun they
#: take ("drew a rebuke from Putin"), not its source.
RECEIVING_VERBS = frozenset({"receive", "draw", "face", "get", "earn", "win", "attract", "garner", "gain",
                             "obtain", "secure"})
# Roots whose target may be the possessor of the object: "dismissed Trump's proposals" (12),
# "praised X's efforts" (05), "criticized X's approach" (11), "demanded X's withdrawal" (10).
POSSESSOR_TARGET_ROOTS = frozenset({"05", "10", "11", "12"})
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})
SKIPPED_CODES = frozenset({"010"})   # "said", "told": a statement with no content code
VISIT_CODE = "042"   # make a visit
OBLIGATION_MODALS = frozenset({"must", "should", "ought"})
UNCONVENTIONAL_VIOLENCE = "180"   # CAMEO 18 assault: violence by people, not by armed forces
_FAQ = re.compile(r"^\s*(Q\d*|FAQ)\s*[:.]")


#: The model's labels of names of someone or somewhere, whose words are no pattern's.
ACTOR_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})


def _forms(token) -> Tuple[str, str]:
    return token.text.upper(), token.lemma_.upper()


#: The roots a participle clause with its main clause's subject is coded with: what one says of another in
#: passing ("..., praising X", "..., accusing X of", "..., calling for", "..., rejecting"), not acts whose sense the
#: verb alone does not give ("..., inviting ridicule", "..., holding rallies", "..., joining the allies").
PARTICIPLE_ROOTS = frozenset({"02", "05", "10", "11", "12", "13"})


def _participle_clause(verb) -> bool:
    """A participle clause with no subject of its own ("Trump spoke, thanking Priebus")."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "auxpass", "mark") for c in verb.children)


def _subject_of(verb, index: ActorIndex) -> Tuple[List[ActorMention], List[ActorMention]]:
    """(sources, passive subjects) of a verb, inheriting from the governing verb for xcomp/conj and for a
    participle clause."""
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            raised = current is not verb   # "Vance is expected to meet": Vance meets
            active = [a for s in subjects if s.dep_ != "nsubjpass" or raised for a in index.of(s)]
            passive = [a for s in subjects if s.dep_ == "nsubjpass" and not raised for a in index.of(s)]
            if passive:
                agents = [a for c in current.children if c.dep_ == "agent"
                          for p in c.children if p.dep_ == "pobj" for a in index.of(p)]
                return agents, passive
            return active, []
        # "went on to attack", "flew to Riyadh to meet": the subject of an intransitive verb does the
        # purpose too; after an object ("praised the efforts ... to find") it may be the object's.
        infinitive = current.dep_ == "advcl" and current.tag_ == "VB" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in current.children) and not any(
            c.dep_ in ("dobj", "obj") for c in current.head.children)
        # "Trump acted the part of the front-runner, thanking Priebus": a participle clause with no subject
        # of its own is done by its main clause's subject (not a passive one, "after being warned by")
        inherits = current.dep_ in ("xcomp", "conj") or infinitive or _participle_clause(current)
        if inherits and current.head.i != current.i:
            current = current.head
            if current.dep_ == "acomp" and current.head.i != current.i:   # "is about to", "is ready to"
                current = current.head
            continue
        break
    return [], []


def _objects_of(token, index: ActorIndex, *, possessor: bool = False,
                prepositions=TARGET_PREPOSITIONS) -> List[ActorMention]:
    found = []
    for child in token.children:
        if child.dep_ in ("dobj", "dative", "obj", "iobj"):
            found += index.of(child, possessor=possessor)
        elif child.dep_ == "prep" and child.lower_ in prepositions:
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    found += index.of(grandchild, possessor=possessor)
        elif child.dep_ in ("advcl", "ccomp") and any(c.dep_ == "mark" and c.lower_ == "for"
                                                      for c in child.children):
            # "called for the president to resign": the subject of a "for ... to" clause is who is asked
            found += [a for c in child.children if c.dep_ == "nsubj" for a in index.of(c)]
    return found


def _purpose_objects(verb, index: ActorIndex) -> List[ActorMention]:
    """Targets in a purpose clause: "use pressure to bring Putin to the table"."""
    return [a for child in verb.children if child.dep_ in ("advcl", "xcomp")
            for a in _objects_of(child, index)]


#: Dependents that open another clause: a pattern's words must lie in the verb's own ("has not shared
#: plans, fuelling concerns": "concerns" is not what was shared).
OTHER_CLAUSES = frozenset({"advcl", "conj", "parataxis", "relcl", "ccomp"})


def _clause_tokens(verb, skipped: FrozenSet[int] = frozenset()) -> List:
    """The tokens of ``verb``'s own clause, in ``verb.subtree`` order: its subtree without the clauses that
    hang on it, without an attribution ("according to a poll of ...": who says so is not what was done),
    and without the subtrees of the tokens in ``skipped``. A dropped token's subtree is never walked."""
    out: List = []

    def visit(token) -> None:
        for child in token.lefts:
            if kept(child):
                visit(child)
        out.append(token)
        for child in token.rights:
            if kept(child):
                visit(child)

    def kept(token) -> bool:
        return not (token.i in skipped or token.dep_ in OTHER_CLAUSES
                    or (token.lower_ == "according" and token.head.i == verb.i))

    visit(verb)
    return out


def _own_clause(trigger) -> List:
    """The tokens of the trigger's own clause: its subtree without the clauses that hang on it (a
    shooting in another clause of the sentence does not make "clashed with Zuckerberg" violent)."""
    return _clause_tokens(trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head)


#: Named-entity types of a phrase of time or of an amount.
_MEASURE_TYPES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"})


def _time_or_amount(preposition) -> bool:
    """A phrase of time or of an amount ("for the first time", "for years", "on Monday", "43 percent to 41
    percent"): no preposition a pattern asks for ("attacked X for" a reason is CAMEO's "* (FOR)"; "hit the campaign
    trail ... for the first time" is none, and "leads Clinton 43 percent to 41 percent" gives nothing to anyone)."""
    return any(o.ent_type_ in _MEASURE_TYPES or o.lemma_.lower() == "time" for o in preposition.children
               if o.dep_ == "pobj")


def _for_marks(verb) -> List:
    """The "for" that opens a "for ... to" clause of ``verb`` ("called for the president to resign")."""
    return [m for c in verb.children if c.dep_ in ("advcl", "ccomp") for m in c.children
            if m.dep_ == "mark" and m.lower_ == "for" and m.i > verb.i]


def _clause_words(verb, sources_tokens) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]]]:
    """The forms of the words before and after ``verb`` in its own clause, its subjects left out."""
    subtree = _clause_tokens(verb, frozenset(t.i for t in sources_tokens))
    # "called for the president to resign": the "for" that opens the verb's "for ... to" clause is the verb's
    # own preposition for its patterns ("CALL * (FOR)")
    # a word of a name of someone or somewhere is no pattern's word: "arrested the Caribbean Territory's Premier"
    # took no territory (a holiday's name is: "celebrated Eid")
    # nor is a noun that describes the person named after it: "interviewed Boston Marathon bomber Tamerlan
    # Tsarnaev" asked for no weapon
    subtree = sorted([t for t in subtree if not (t.pos_ == "PROPN" and t.ent_type_ in ACTOR_NAME_TYPES
                                                 or _describes_name(t))] + _for_marks(verb), key=lambda t: t.i)
    before = [_forms(t) for t in subtree if t.i < verb.i]
    after = [_forms(t) for t in subtree if t.i > verb.i]
    return before, after


def _describes_name(token) -> bool:
    """A common noun in compound before a person's name: "bomber" in "Boston Marathon bomber Tamerlan Tsarnaev"."""
    return token.dep_ == "compound" and token.pos_ == "NOUN" and token.head.ent_type_ == "PERSON" \
        and token.head.pos_ == "PROPN" and token.head.i > token.i


@dataclass
class _Candidate:
    trigger_token: object
    trigger: str
    code: str
    specific: bool
    sources: List[ActorMention]
    targets: List[ActorMention]
    reciprocal: bool = True   # a compound subject with no target may pair up ("A and B met")
    absorbed: frozenset = frozenset()   # tokens this candidate codes besides its trigger (no event of their own)
    defaulted: bool = False   # the code is a verb block's unspecified default (below)


_DEEP_TARGET_PREPOSITIONS = frozenset({"with", "between", "to", "toward", "towards"})
# Inside the object of a governed verb: "sanctions on Iraq", "an embargo against Cuba" too.
_NESTED_TARGET_PREPOSITIONS = _DEEP_TARGET_PREPOSITIONS | {"on", "against"}


def _deep_targets(noun, index: "ActorIndex", depth: int = 3,
                  prepositions=_DEEP_TARGET_PREPOSITIONS) -> List[ActorMention]:
    """Actors under "with"/"between"/"to" phrases inside an object noun phrase."""
    found: List[ActorMention] = []
    for child in noun.children:
        if any(c.pos_ == "VERB" for c in child.children if c.dep_ in ("pobj", "pcomp")):
            continue   # "a commitment to destroying ISIL": ISIL is what "destroying" acts on
        if child.dep_ == "prep" and child.lower_ in prepositions:
            found += _mentions_in(child, index)
        elif child.dep_ in ("prep", "pobj", "compound", "amod") and depth > 1:
            found += _deep_targets(child, index, depth - 1, prepositions)
    return found


#: Every mark that opens or closes a quotation (:data:`transforms.extract.quotations.QUOTE_MARKS`).
QUOTE_CHARACTERS = frozenset(mark for pair in QUOTE_MARKS for mark in pair)
_AIMED_AT = frozenset({"at", "against", "on", "upon", "toward", "towards"})
#: The codes an evaluation sent at an actor states: CAMEO 051 praise or endorse, 111 criticize or denounce.
AIMED_CODES = {"support": "051", "oppose": "111"}


def _aimed_evaluation(verb, index: ActorIndex, valence) -> Optional[_Candidate]:
    """"Hurled insults at Clinton", "the vitriol he has directed at Latinos", "heaped praise on the governor":
    an evaluative noun (its polarity ``valence``'s, from the sentiment lexicons) sent at an actor by the
    verb's subject; None for anything else."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return None
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    noun = objects[0] if objects else (verb.head if verb.dep_ == "relcl" and verb.head.pos_ == "NOUN" else None)
    score = valence(noun) if noun is not None else None
    if score is None:
        return None
    phrases = [c for c in list(verb.children) + list(noun.children) if c.dep_ == "prep" and c.lower_ in _AIMED_AT]
    targets = [a for p in phrases for o in p.children if o.dep_ == "pobj" for a in index.of(o)]
    sources = _subject_of(verb, index)[0]
    if not targets or not sources:
        return None
    code = AIMED_CODES["support" if score > 0 else "oppose"]
    return _Candidate(verb, f"{verb.text} {noun.text}" if noun.i > verb.i else f"{noun.text} {verb.text}", code, True,
                      sources, targets, reciprocal=False, absorbed=frozenset({noun.i}))


def _verb_candidates(verbs: Sequence, coder: EventCoder, index: ActorIndex, valence=None,
                     sending: FrozenSet[str] = frozenset()) -> List[_Candidate]:
    """The candidates of one sentence's verbs (its VERB tokens, in order); ``valence`` (a word's polarity, or
    None) reads evaluations sent at someone by a verb of ``sending``."""
    out = []
    for token in verbs:
        if token.dep_ == "amod":
            continue   # a participle used as an adjective names no act: "271 pledged delegates", "elected officials"
        if token.ent_type_ in NAME_ENTITY_TYPES:
            continue   # a word of a name ("the Mars Reconnaissance Orbiter", "Fight for 15") is no verb of the text
        if valence is not None and token.lemma_.lower() in sending:
            aimed = _aimed_evaluation(token, index, valence)
            if aimed is not None:
                out.append(aimed)
                continue
        entry = coder.verb_entry(token)
        sources, passive = _subject_of(token, index)
        objects = [c for c in token.children if c.dep_ in ("dobj", "obj")]
        event_object = next((o for o in objects if coder.noun_code(o)), None)
        if event_object is not None and token.lemma_.lower() in coder.combinations.undo:
            event_object = None   # "cancelled a planned visit": no visit
        if event_object is not None and (entry is None or token.lemma_.upper() in LIGHT_VERBS):
            owners = {a.name for c in event_object.children if c.dep_ in ("poss", "amod") for a in index.of(c)}
            if token.lemma_.lower() in RECEIVING_VERBS or (owners and not owners & {a.name for a in sources}) or (
                    _source_phrases(event_object, token)):
                # "secured the endorsement of Arpaio", "sought Trump's endorsement", "rebuts American
                # criticism", "have one endorsement from those groups": the subject does not do what the
                # noun says; the noun's own reading decides
                continue
            code = coder.noun_code(event_object)
            possessor = code[:2] in POSSESSOR_TARGET_ROOTS
            targets = (passive or _objects_of(token, index, possessor=possessor)
                       or _objects_of(event_object, index, possessor=possessor,
                                      prepositions=NOUN_TARGET_PREPOSITIONS | {"for"})
                       or _purpose_objects(token, index))
            if not sources:
                continue  # "The statement followed a call between A and B": the noun has its own actors
            out.append(_Candidate(token, f"{token.text} {event_object.text}", code, True, sources, targets))
            continue
        if token.lemma_.lower() in coder.senses.visit and not passive:
            # "the envoy landed in Nairobi", "arrived in Kyiv": a visit to the place (042)
            places = [a for c in token.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "to")
                      for p in c.children if p.dep_ == "pobj" for a in index.of(p) if a.kind == "place"]
            if places and not objects:
                out.append(_Candidate(token, token.text, VISIT_CODE, True, sources, places, reciprocal=False))
                continue
        if entry is None:
            continue
        block, own, trigger = entry
        subject_tokens = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        before, after = _clause_words(token, subject_tokens)
        own_prepositions = frozenset(c.text.upper() for c in list(token.children) + _for_marks(token)
                                     if c.dep_ in ("prep", "agent", "dative", "mark") and not _time_or_amount(c))
        pattern = coder.pattern_code(block, before, after, own_prepositions)
        particle = particle_of(token)
        if pattern is None and particle and particle not in trigger.lower().split()[1:]:
            continue   # "backed off his attacks", "settled on Sanders": another verb than the dictionary's
        code = pattern.code if pattern else (own or block.code)
        if not code or code == "---":
            continue
        if _participle_clause(token) and code[:2] not in PARTICIPLE_ROOTS:
            continue   # "..., inviting ridicule", "..., holding rallies": the clause's sense is not the verb's own
        possessor = code[:2] in POSSESSOR_TARGET_ROOTS
        if passive:
            targets = [a for s in subject_tokens if s.dep_ == "nsubjpass" for a in index.of(s)] or (
                [a for s in subject_tokens if s.dep_ == "nsubjpass" for a in index.of(s, possessor=True)]
                if possessor else [])
        else:
            # the actors named in the object first ("thanked his parents, ..., his campaign manager, Corey
            # Lewandowski": Lewandowski), its possessor only when it names none ("dismissed Trump's proposals")
            targets = _objects_of(token, index) or (_objects_of(token, index, possessor=True) if possessor else [])
            if not targets:   # "restore ties with Gondor", "welcomed a resumption of ties between A and B"
                targets = [a for o in objects if not coder.noun_code(o) for a in _deep_targets(o, index)]
            if not targets and possessor:   # "condemned an attack by Osgiliath soldiers": who attacked
                targets = [a for o in objects for p in o.children if p.dep_ == "prep" and p.lower_ == "by"
                           for pobj in p.children if pobj.dep_ == "pobj" for a in index.of(pobj)]
        # coded only by a block's unspecified default ("benefit" in AID, 060): neither a pattern, nor the
        # verb's own code, nor the verb the block is named after, and a code of no more specific kind
        defaulted = (pattern is None and not own and block.name.split("_")[0] != token.lemma_.upper()
                     and code.endswith("0"))
        candidate = _Candidate(token, trigger, code, pattern is not None, sources, targets, defaulted=defaulted)
        # "A and B met"; "both leaders pledged to visit each other's countries"
        # but not "A and B have pledged to act": each pledged something, not to the other
        # nor "A and B both spoke to the audience" or "both A and B promised": each acted, to someone else; a verb
        # of CAMEO's meeting blocks is done together ("both Trump and Ryan are meeting up")
        addressed = any(c.dep_ == "prep" and c.lower_ in ("to", "with") and any(
            p.dep_ == "pobj" and not index.of(p) for p in c.children) for c in token.children)
        each_alone = not block.name.startswith("MEET") and any(
            c.lower_ == "both" and c.dep_ in ("advmod", "preconj", "det", "appos") for c in token.subtree
            if c.i <= token.i)
        candidate.reciprocal = (not objects and not addressed and not each_alone and not any(
            c.dep_ in ("xcomp", "ccomp") for c in token.children)) or any(
            t.lower_ == "each" and t.nbor().lower_ == "other" for t in token.subtree if t.i + 1 < len(t.doc))
        out.append(candidate)
    out = _combined(verbs, out, coder, index)
    # "plans to begin negotiations": the inner event carries it, with its modality.
    coded = {c.trigger_token.i for c in out}
    return [c for c in out if not any(child.dep_ == "xcomp" and child.i in coded
                                      for child in c.trigger_token.children)]


def _clause_subjects(clause, index: ActorIndex) -> List[ActorMention]:
    return [a for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for a in index.of(c)]


def _combined(verbs: Sequence, out: List[_Candidate], coder: EventCoder, index: ActorIndex) -> List[_Candidate]:
    """A verb that governs another is coded with it (``verb_combinations.v1.tsv``): "agreed to
    return the ships" an intent to yield (035), "refused to receive the envoy" a rejection (125),
    "threatened to expel" a threat (136), "urged Bree to help" an appeal to Bree (020). The two
    verbs' own candidates give way to the combined one, whose trigger is the governing verb."""
    by_token = {c.trigger_token.i: c for c in out}
    combined, replaced = [], set()
    for token in verbs:
        rule = coder.combinations.verbs.get(token.lemma_.lower())
        if rule is None or any(c.dep_ == "nsubjpass" for c in token.children):
            continue   # "was asked to leave": who asked is not said here
        if rule.prepositions and not any(c.dep_ == "prep" and c.lower_ in rule.prepositions for c in token.children):
            continue
        if rule.target == "obligation":   # "insisted that Turkey must reopen the crossing"
            inner = next((c for c in token.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and any(
                a.dep_ == "aux" and a.lower_ in OBLIGATION_MODALS for a in c.children)
                and not any(a.dep_ == "neg" for a in c.children)), None)   # "should not": no demand to act
        else:
            inner = next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if inner is None and rule.target in ("object", "clause"):
            # "urged Bree to help" is often parsed with "Bree to help" as a clause of its own;
            # "demanded that Turkey reopen the crossing" is one.
            inner = next((c for c in token.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")
                          and (rule.target == "clause" or not any(m.dep_ == "mark" for m in c.children))), None)
        if inner is None:
            continue
        if inner.dep_ == "ccomp" and any(c.tag_ in ("WRB", "WP", "WDT") or (c.dep_ == "mark" and c.lower_ in (
                "whether", "if")) for c in inner.children):
            if rule.family == "appeal":
                replaced.add(token.i)   # "asked Trump how he would handle it": a question, not an appeal
            continue
        inner_candidate = by_token.get(inner.i)
        absorbed = {token.i, inner.i}
        if inner_candidate is None:   # "declined to attend the talks with Seoul": the object noun is the event
            noun = next((o for o in inner.children if o.dep_ in ("dobj", "obj") and coder.noun_code(o)), None)
            if noun is not None:
                inner_candidate = _Candidate(noun, noun.text, coder.noun_code(noun), True, [],
                                             _objects_of(inner, index) or _objects_of(
                                                 noun, index, prepositions=NOUN_TARGET_PREPOSITIONS - {"of"}))
                absorbed.add(noun.i)
        code = coder.combinations.code(rule.family, inner_candidate.code if inner_candidate else None)
        if code is None:
            continue   # "agreed to attack": the attack keeps its code, intended
        sources = _subject_of(token, index)[0]
        absorbed |= {o.i for o in inner.children if o.dep_ in ("dobj", "obj") and coder.noun_code(o)}
        if rule.target == "inner":
            # "refused to attend the talks with Seoul", "threatened to impose sanctions on Iraq"
            targets = ((inner_candidate.targets if inner_candidate else []) or _objects_of(inner, index)
                       or [a for o in inner.children if o.dep_ in ("dobj", "obj")
                           for a in _deep_targets(o, index, prepositions=_NESTED_TARGET_PREPOSITIONS)])
        elif rule.target == "obligation":   # "a president must be ready": anyone's duty, a demand on no one
            targets = [] if any(indefinite(s) for s in inner.children if s.dep_ in SUBJECT_DEPS) \
                else _clause_subjects(inner, index)
        else:
            targets = (_objects_of(token, index, prepositions=frozenset({"on", "upon", "to"}))
                       or (_clause_subjects(inner, index) if inner.dep_ == "ccomp" else []))
            if not targets and inner_candidate is not None and rule.target == "clause":
                targets = inner_candidate.targets
        replaced |= absorbed
        # "Moscow and Kyiv agreed to begin negotiations": an intent to meet, each with the other.
        reciprocal = rule.target == "inner" and inner_candidate is not None and inner_candidate.reciprocal
        combined.append(_Candidate(token, f"{token.text} {inner.text}", code, True, sources, targets,
                                   reciprocal=reciprocal, absorbed=frozenset(absorbed)))
    if not combined and not replaced:
        return out
    return [c for c in out if c.trigger_token.i not in replaced] + combined


def _noun_candidates(nouns: Sequence, coder: EventCoder, index: ActorIndex, taken: set) -> List[_Candidate]:
    """The candidates of one sentence's nouns (its NOUN and PROPN tokens, in order)."""
    out = []
    for token in nouns:
        if token.i in taken:
            continue
        code = coder.noun_code(token)
        if not code or (token.dep_ in ("dobj", "obj", "nsubjpass") and token.head.lemma_.lower() in coder.combinations.undo):
            continue   # "postponed the talks", "the meeting was cancelled": no talks, no meeting
        if any(c.dep_ in ("amod", "relcl", "acl") and c.lemma_.lower() in coder.combinations.undo for c in token.children):
            continue   # "the cancelled visit", "a meeting that was called off"
        sources: List[ActorMention] = []
        targets: List[ActorMention] = []
        possessor = code[:2] in POSSESSOR_TARGET_ROOTS
        for child in token.children:
            if child.dep_ == "poss":
                sources += index.of(child)
            elif child.dep_ == "prep" and child.lower_ in NOUN_SOURCE_PREPOSITIONS:
                sources += _phrase_actors(child, index)   # "criticism from Republicans", "an endorsement by"
            elif child.dep_ == "prep" and child.lower_ == "between":
                pair = _mentions_in(child, index)   # "between Trump and Russian President Putin"
                sources, targets = pair[:1], pair[1:]
            elif child.dep_ == "prep" and (child.lower_ in NOUN_TARGET_PREPOSITIONS
                                           or possessor and child.lower_ in TARGET_PREPOSITIONS):
                targets += [a for p in child.children if p.dep_ == "pobj"
                            for a in index.of(p, possessor=possessor)]
        if token.dep_ in ("dobj", "obj") and token.head.lemma_.lower() in RECEIVING_VERBS:
            # "Obama drew a rebuke from Putin", "won the endorsement of the union": the subject is acted on,
            # and who acts is in a "from", "by" or "of" phrase
            sources += [a for phrase in _source_phrases(token.head, token, also=("of",))
                        for a in _phrase_actors(phrase, index)]
            targets = _subject_of(token.head, index)[0] if sources else []
        elif not sources and token.dep_ in ("dobj", "pobj") and (
                not possessor or token.head.lemma_.upper() in LIGHT_VERBS) and not _source_phrases(token):
            # (a speech act's noun is its object's only after a light verb: "issued an apology", not "sought
            # the endorsement of", "needs the praise of"; and never when a "from" phrase names another: "have
            # one endorsement from those groups")
            # The clause the noun is an object in: "Following calls with X, Trump announced ..."
            head = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "prep" else token.head
            if head.pos_ in ("VERB", "AUX"):
                sources = _subject_of(head, index)[0]
                if not sources and head.tag_ == "VBG" and head.dep_ in ("advcl", "prep", "pcomp") \
                        and head.head.pos_ in ("VERB", "AUX"):
                    sources = _subject_of(head.head, index)[0]
        out.append(_Candidate(token, token.text, code, True, sources, targets))
    return out


def _source_phrases(*tokens, also: Sequence[str] = ()) -> List:
    """The "from"/"by" phrases (and ``also`` prepositions) on ``tokens``: who does what an event noun says
    ("criticism from Republicans", "drew a rebuke from Putin")."""
    return [c for token in tokens for c in token.children
            if c.dep_ == "prep" and (c.lower_ in NOUN_SOURCE_PREPOSITIONS or c.lower_ in also)]


def _phrase_actors(preposition, index: ActorIndex) -> List[ActorMention]:
    """The actors of a preposition's object."""
    return [a for p in preposition.children if p.dep_ == "pobj" for a in index.of(p)]


def _mentions_in(token, index: ActorIndex) -> List[ActorMention]:
    """Distinct actors in a token's subtree, in text order."""
    found, seen = [], set()
    for t in token.subtree:
        for mention in index.by_token.get(t.i, []):
            if mention.name not in seen:
                seen.add(mention.name)
                found.append(mention)
    return found


def _pairs(candidate: _Candidate, coder: EventCoder) -> List[Tuple[ActorMention, Optional[ActorMention]]]:
    if candidate.code in SKIPPED_CODES:
        return []
    sources = [s for s in candidate.sources if s.code]
    targets = [t for t in candidate.targets if t.code and not _is_media(t.code)]
    if not targets and len(sources) >= 2 and candidate.reciprocal and candidate.code[:2] in RECIPROCAL_ROOTS:
        # "Moscow and Kyiv agreed to negotiate", "Trump and Ryan pledged to work together": each with the other.
        return [(a, b) for a in sources for b in sources if a.name != b.name and _distinct(a, b)]
    if not candidate.targets and coder.senses.needs_no_target(candidate.code) and _stands_alone(candidate):
        # "the militia laid down its arms": no target to name. A protest or a mobilisation is a group's;
        # one person "demonstrating" is most often showing something ("as he has demonstrated").
        return [(s, None) for s in sources if s.kind != "person" or candidate.specific]
    return [(s, t) for s in sources for t in targets if s.name != t.name and _distinct(s, t)]


def _stands_alone(candidate: _Candidate) -> bool:
    """A verb that reports its event with no clause: "demonstrated in Cairo", "held rallies" (its object
    the event noun), "blocked the motorway in protest" (a dictionary pattern names the object), not
    "demonstrated that he has the guts" or "garnered 30% of the votes" (the verb's bare default)."""
    trigger = candidate.trigger_token
    if trigger.pos_ != "VERB":
        return True
    if any(c.dep_ in ("ccomp", "xcomp") for c in trigger.children):
        return False
    return candidate.specific or not any(c.dep_ in ("dobj", "obj") and c.text not in candidate.trigger.split()[1:]
                                         for c in trigger.children)


def _is_media(code: str) -> bool:
    """A newspaper or broadcaster ("spoke to CNN"): reporting is not an event with it."""
    return "MED" in (code[3:] if len(code) > 3 else code)


def _distinct(source: ActorMention, target: ActorMention) -> bool:
    """Two actors, not one under two names: different codes, or the same code for two people or
    organisations ("Fiorina endorses Cruz", both USA...; "the governor endorsed the senator's rival").
    A place shares its code with the government it stands for ("Moscow", "Russia"): never both sides."""
    if "place" in (source.kind, target.kind) and source.code[:3] == target.code[:3]:
        return False   # "Rubio traveled to New Hampshire", "Moscow" and Russia's leaders: one country
    if source.code != target.code:
        return True
    return source.kind not in ("place", "role", "group") and target.kind not in ("place", "role", "group")


def _sensible_code(candidate: _Candidate, source: ActorMention, target: Optional[ActorMention], sentence,
                   coder: EventCoder, index: ActorIndex) -> Optional[str]:
    """The code a sense check leaves (event_senses.v1.tsv), or None for no event.

    A violent code needs a violent context (an armed actor, a place attacked, a word of violence in the
    verb's own clause);
    without one, a verb that is also a verbal attack is a criticism (111), any other no event. A
    phone call (041) from a verb needs a person or group called, and no "call X Y" complement."""
    code, senses, trigger = candidate.code, coder.senses, candidate.trigger_token
    if candidate.defaulted and any(a is not None and a.resolved_from == "document" and a.kind in ("role", "org")
                                   for a in (source, target)):
        return None   # a role or an organisation known only by its type ("police", "the Justice Department") acts
        # only through a code of the verb's own: a block's unspecified default ("benefit", "expand") is too often
        # another sense
    if not candidate.specific and trigger.lemma_.lower() in senses.generic:
        return None   # "went through this against Obama": a generic verb's default is no event
    if target is not None and trigger.lemma_.lower() in senses.visit and any(
            c.dep_ == "prep" and c.lower_ == "from" and c.left_edge.i <= target.start <= c.right_edge.i
            for c in trigger.children):
        return None   # "travelled from London to meet Zoe": where a journey starts is no one met or visited
    if target is None and source.kind == "person" and code.startswith("14"):
        return None   # "Sanders held a rally in Mason City": one person's rally is a campaign stop; a protest
        # with no one it is aimed at is a group's
    if trigger.pos_ == "VERB" and trigger.lemma_.lower() in ASKING and not candidate.specific and not any(
            c.dep_ == "xcomp" or c.dep_ == "prep" and c.lower_ == "for" for c in trigger.children):
        return None   # "Winfrey asked Harry whether ...", "King asked Scott": a question, not a request (02)
    violent = senses.is_violent(code)
    topic = _topic_tokens(trigger) if violent else set()
    if violent and not (senses.armed(source.code) or senses.armed(target and target.code)
                        or (target is not None and target.kind == "place") or any(
            t.lemma_.lower() in senses.words for t in _own_clause(trigger) if t.i not in topic)):
        # a verbal attack is aimed at someone: "attacked Clinton", "fired back at Trump"; not "struck an agreement
        # with", "battling with Rubio for second place"
        aimed = any(c.dep_ in ("dobj", "obj") and index.of(c) or c.dep_ == "prep" and c.lower_ in ("at", "on") and any(
            index.of(p) for p in c.children if p.dep_ == "pobj") for c in trigger.children)
        return "111" if trigger.lemma_.lower() in senses.verbal and aimed else None
    if (code.startswith("19") and target is not None and source.kind == target.kind == "person"
            and not (senses.armed(source.code) or senses.armed(target.code))):
        return UNCONVENTIONAL_VIOLENCE   # one person killing another is an assault (18), not armed forces fighting (19)
    if code == "050" and target is not None and target.kind == "person":
        return "051"   # support for a person is an endorsement: CAMEO 051 "express support for ... actor"
    if trigger.pos_ == "VERB" and trigger.lemma_.lower() in senses.phone and any(
            c.dep_ in ("oprd", "attr") for c in trigger.children):
        return None   # "she called the treaty a disgrace", "called a rough week for Trump": a naming, no call
    if code.startswith("041") and trigger.pos_ == "VERB" and trigger.lemma_.lower() in senses.phone:
        if any(c.dep_ in ("dobj", "obj") and not index.of(c) for c in trigger.children):
            return None   # "called the squabble unusual"
        objects = [c for c in trigger.children if c.dep_ in ("dobj", "obj")]
        after = objects[0].right_edge.i + 1 if objects else trigger.i + 1
        if any(t.text in QUOTE_CHARACTERS for t in trigger.doc[after:after + 3]):
            return None   # "he called his opponent 'Senator Cruz'": a name given, not a phone call
    return code


#: Prepositions whose phrase says what an act is about: "hit Sanders on guns" is about guns, not done with them.
TOPIC_PREPOSITIONS = frozenset({"on", "over", "about"})


def _topic_tokens(trigger) -> Set[int]:
    """The tokens of the trigger's "on", "over" or "about" phrases: the topic of a verbal attack, whose words of
    violence ("guns", "the war") make no violent context."""
    return {t.i for c in trigger.children if c.dep_ == "prep" and c.lower_ in TOPIC_PREPOSITIONS for t in c.subtree}


def _confidence(candidate: _Candidate, source: ActorMention, target: Optional[ActorMention], modality: str) -> float:
    score = 0.55 + (0.15 if candidate.specific else 0.0)
    score += 0.1 if source.resolved_from == "dictionary" else -0.1
    if target is not None:
        score += 0.1 if target.resolved_from == "dictionary" else -0.1
    score += 0.05 if modality == "asserted" else 0.0
    return round(max(0.05, min(0.95, score)), 2)


def _actorless_sentences(doc, index: ActorIndex) -> Set[int]:
    """The sentences (by number) in which no actor can be found: no mention inside, and no dependency arc
    to or from another sentence (the parser keeps to the line-break sentences, so none should have one).
    Every actor a candidate gets is looked up from its trigger along the arcs (``ActorIndex``)."""
    starts = np.array([sentence.start for sentence in doc.sents], dtype=np.int64)
    positions = np.arange(len(doc), dtype=np.int64)
    sentence_of = np.searchsorted(starts, positions, side="right") - 1
    heads = positions + doc.to_array(HEAD).astype(np.int64)   # HEAD: the offset to the head
    crossing = sentence_of != sentence_of[heads]
    reached = set(sentence_of[crossing].tolist()) | set(sentence_of[heads[crossing]].tolist())
    reached |= {int(sentence_of[i]) for i in index.by_token if i < len(doc)}
    return set(range(len(starts))) - reached


def evidence(doc_text: str, sentence) -> Tuple[str, int]:
    """A sentence's words without the white space around them (``sentence.text`` without a Token per word), and
    where they start in ``doc_text``: an ``events`` row's ``sentence`` and ``char_start``."""
    words = doc_text[sentence.start_char:sentence.end_char]
    return words.strip(), sentence.start_char + len(words) - len(words.lstrip())


def code_columns(coder: EventCoder, code: str) -> dict:
    """The columns a CAMEO code gives an ``events`` row: the code, its root, PLOVER category, quad class and
    Goldstein value."""
    return {"cameo_code": code, "cameo_root": code[:2],
            "plover_category": coder.codebook.lookup(coder.codebook.plover, code),
            "quad_class": CodeBook.quad_class(code), "goldstein": coder.codebook.lookup(coder.codebook.goldstein, code)}


def code_events(doc, mentions: Sequence[ActorMention], *, coder: EventCoder, article_id: str,
                published: Optional[date], content_sha256: str = "", text: Optional[str] = None,
                valence=None, sending: FrozenSet[str] = frozenset()) -> List[EventRecord]:
    """Every coded event of one parsed article.

    Args:
        doc: the article, parsed (tagger, parser, NER); its text is ``articles.text``.
        mentions: the article's actors from :func:`transforms.actors.resolve_actors`.
        coder: the compiled dictionaries.
        article_id: the article's id.
        published: the article's date, for "on Wednesday" and "last week"; None leaves such
            dates unresolved.
        content_sha256: the article's content hash; part of ``event_id``, so that a changed
            version of an article gives new ids and the same content the same ids.
        text: the article's text (``doc``'s) when the caller has it; ``doc.text`` joins every token's anew.
        valence: a word's polarity from the sentiment lexicons (:meth:`transforms.extract.tone.Tone.valence`),
            for evaluations sent at someone ("hurled insults at") by a verb of ``sending``
            (:class:`transforms.extract.verb_classes.VerbClasses`); None reads none.

    Returns:
        :class:`schemas.EventRecord` rows, one per (sentence, source, target, code).
    """
    index = ActorIndex(mentions)
    rows: Dict[Tuple, EventRecord] = {}
    actorless = _actorless_sentences(doc, index)
    sentences = list(doc.sents)
    doc_text = doc.text if text is None else text
    verbs_of = tokens_by_sentence(doc, sentences, pos=("VERB",))
    nouns_of = tokens_by_sentence(doc, sentences, pos=("NOUN", "PROPN"))
    for sentence_index, sentence in enumerate(sentences):
        if sentence_index in actorless:
            continue   # every row needs an actor on one side at least
        text, text_start = evidence(doc_text, sentence)
        if not text or text.endswith("?") or _FAQ.match(text):
            continue  # questions are not events
        verbs = _verb_candidates(verbs_of[sentence_index], coder, index, valence, sending)
        taken = {c.trigger_token.i for c in verbs} | {o.i for c in verbs for o in c.trigger_token.children
                                                       if o.dep_ in ("dobj", "obj") and coder.noun_code(o)
                                                       and o.text in c.trigger} | {i for c in verbs for i in c.absorbed}
        for candidate in verbs + _noun_candidates(nouns_of[sentence_index], coder, index, taken):
            pairs = _pairs(candidate, coder)
            if not pairs:
                continue   # no actor on one side: no event, so no modality or date to work out
            modality = modality_of(candidate.trigger_token)
            event_date = resolve_event_date(sentence, candidate.trigger_token, published=published,
                                            future=modality == "intended")
            for source, target in pairs:
                code = _sensible_code(candidate, source, target, sentence, coder, index)
                if code is None:
                    continue
                target_name, target_code = (target.name, target.code) if target is not None else (None, None)
                key = (sentence_index, source.name, target_name or "", code)
                record = EventRecord(
                    event_id=stable_id("event", article_id, content_sha256, str(sentence_index), source.name,
                                       target_name or "", code, candidate.trigger),
                    article_id=article_id, sentence_index=sentence_index, sentence=text,
                    char_start=text_start, char_end=text_start + len(text),
                    actor1=source.name, actor1_code=source.code, actor2=target_name,
                    actor2_code=target_code, **code_columns(coder, code), trigger=candidate.trigger,
                    modality=modality, event_date=event_date,
                    confidence=_confidence(candidate, source, target, modality), actor1_entity=source.entity,
                    actor2_entity=target.entity if target is not None else None)
                if key not in rows or rows[key].confidence < record.confidence:
                    rows[key] = record
    return sorted(rows.values(), key=lambda r: (r.sentence_index, r.actor1, r.actor2 or "", r.cameo_code))
