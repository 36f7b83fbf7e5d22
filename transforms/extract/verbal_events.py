"""Verbal events from the stance reading: who praised, endorsed, criticised or accused whom (no Beam).

CAMEO codes speech between actors directly (051 praise or endorse, 111 criticise or denounce, 112 accuse...).
The ``stances`` rows already know who supports or opposes whom, and in what words; a stance whose target is an
entity of the who-is-who model states a verbal event between its holder and that entity, so the event is read
from the stance instead of a second time. The code is the cue verb's own in the CAMEO verb dictionary when its
root is one the stance's polarity states ("accused" 112; not "attacked" 190, a figure of speech here), else the
polarity's code, both from ``verbal_events.v1.tsv`` (data, with its sources). A sentence that already has an
event between the two actors (the verb coder's, usually more specific) gets no second one. A stance on something
of an entity's ("criticized Clinton's role", "her tenure is a vulnerability") is a stance on the entity here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from schemas import EventRecord, StanceRecord
from transforms.common.data_files import data_lines
from transforms.common.ids import stable_id
from transforms.extract.event_coder import EventCoder
from transforms.extract.evaluations import quality_adjective
from transforms.extract.event_dates import resolve_event_date
from transforms.extract.events import code_columns, evidence
from transforms.extract.modality import modality_of
from transforms.extract.who import Cast

DATA = "transforms.extract.data"
VERBAL_EVENTS_FILE = "verbal_events.v1.tsv"


@dataclass(frozen=True)
class PolarityCode:
    """What a stance of one polarity states: its default CAMEO code, and the roots a cue verb's own code may
    have to be kept."""
    code: str
    roots: FrozenSet[str]


def load_polarity_codes(lines: Optional[Sequence[str]] = None) -> Dict[str, PolarityCode]:
    """``{polarity: PolarityCode}`` from ``verbal_events.v1.tsv`` (``polarity<TAB>code<TAB>roots<TAB>source``)."""
    codes = {}
    for line in data_lines(DATA, VERBAL_EVENTS_FILE) if lines is None else lines:
        if line.strip() and not line.startswith("#"):
            polarity, code, roots = line.split("\t")[:3]
            codes[polarity] = PolarityCode(code, frozenset(roots.split(",")))
    return codes


def stance_events(doc, stances: Sequence[StanceRecord], events: Sequence[EventRecord], *, cast: Cast,
                  coder: EventCoder, polarity_codes: Dict[str, PolarityCode], article_id: str, content_sha256: str = "",
                  published: Optional[date] = None, country: Optional[str] = None,
                  predicates: Optional[Dict] = None, findings: FrozenSet[str] = frozenset(),
                  feelings: FrozenSet[str] = frozenset(), actor_names: Optional[Dict[str, str]] = None,
                  persons: FrozenSet[str] = frozenset()) -> List[EventRecord]:
    """The verbal events the ``stances`` rows state, besides ``events`` (the verb coder's rows of the same
    article): one per stance whose holder and target are entities of ``cast``, the holder not the target. An
    entity no dictionary codes ("the AFL-CIO") has the article's ``country``
    (:func:`transforms.extract.actors.document_country`), as a person found in the article has; without a code
    for both actors, no row (every event actor has a code). A stance whose cue is an attitude word
    (``predicates``, :func:`transforms.extract.attitudes.load_predicates`: "endorsed", "criticism of") states
    an act, unless it describes who someone is ("a super PAC supporting Rubio", "Newt Gingrich, a Trump ally", a
    noun of ``persons`` such as "ally" or "critic" wherever it stands);
    an evaluation of an actor in someone's words is criticism when negative ("Rubio is very weak"), and no
    event when positive (as often irony or a description as praise: "the best recruiter", "a friend"). A
    sentence with an event between the two already gets none, unless its quad class disagrees with the stance
    (:func:`superseded` then drops the coder's rows for the stance's: "campaigned for Clinton" is no demand). A verb
    of ``feelings`` ("love", "fear") says how the holder feels, and states no act. ``actor_names`` (entity key:
    the name its actor mentions have) names the holder as the other events name their actors: a stance keeps a
    role's own words ("the Biden administration"), an event the country's ("United States", USAGOV)."""
    predicates = predicates or {}
    actor_names = actor_names or {}
    entities = {entity.key: entity for entity in cast.entities}
    sentences = list(doc.sents)
    doc_text = doc.text
    taken: Dict[Tuple[int, str, str], List[EventRecord]] = {}
    for event in events:
        taken.setdefault((event.sentence_index, event.actor1_entity or event.actor1,
                          event.actor2_entity or event.actor2), []).append(event)
    rows: Dict[Tuple[int, str, str], EventRecord] = {}
    for stance in stances:
        sentence = sentences[stance.sentence_index]
        target = entities.get(stance.target_entity or "") or _owner(sentence, stance, cast)
        if (stance.polarity not in polarity_codes or target is None or stance.holder_entity is None
                or stance.holder_entity == target.key):
            continue
        key = (stance.sentence_index, stance.holder_entity, target.key)
        if key in rows or key in taken and _agrees(taken[key], stance.polarity):
            continue
        cue = _cue_token(sentence, stance)
        if cue is not None and cue.lemma_.lower() in feelings:
            continue   # "I love William to bits": a feeling, not an act of praise
        attitude = cue is not None and (cue.lemma_.lower(), cue.pos_) in predicates
        if attitude:
            if cue.dep_ == "acl" or cue.pos_ == "NOUN" and (cue.dep_ in ("appos", "attr")
                                                             or cue.lemma_.lower() in persons):
                continue   # a description of who someone is ("a super PAC supporting Rubio", "Gingrich, a Trump ally",
                # "George Bruno, a former chairman and longtime ally of Mr. Clinton")
        else:
            # an evaluation: a negative one of an actor is criticism ("Rubio is very, very weak on immigration",
            # he said); a positive one is as often irony or a description ("the best recruiter", "a friend")
            # so is misconduct said of an actor ("Rubio has failed the people of Florida," Bush said)
            cue = _cue_token(sentence, stance, last=True)
            if (cue is None or cue.pos_ not in ("ADJ", "NOUN", "VERB") or stance.polarity != "oppose"
                    or cue.pos_ == "ADJ" and not quality_adjective(cue)):
                continue   # "Rubio is angry at the press" says how he feels, not what the speaker holds of him
        if _measured(cue, findings):
            continue   # "Polls show voters trust Clinton", "favor Clinton by a 6-point margin": a finding, no act
        source_code, target_code = stance.holder_code or country, target.code or country
        if not (source_code and target_code):
            continue
        meant = polarity_codes[stance.polarity]
        # the cue verb's own code only for a speech act ("accused"): misconduct said of an actor is the doer's
        code = (_cue_code(cue, coder, meant.roots) if attitude else None) or meant.code
        modality = modality_of(cue)
        if modality == "reported" and not attitude:
            modality = "asserted"   # the criticism is the speaker's own words: saying them is the act
        trigger = stance.cue or None
        text, start = evidence(doc_text, sentence)
        # the holder as the actors name it, as every event names its actors ("United States" for "the Biden
        # administration", whose stance row keeps its own words)
        source = actor_names.get(stance.holder_entity, stance.holder)
        rows[key] = EventRecord(
            event_id=stable_id("event", article_id, content_sha256, str(stance.sentence_index), source,
                               target.name, code, trigger or ""),
            article_id=article_id, sentence_index=stance.sentence_index, sentence=text,
            char_start=start, char_end=start + len(text), actor1=source,
            actor1_code=source_code, actor2=target.name, actor2_code=target_code, **code_columns(coder, code),
            trigger=trigger, modality=modality,
            event_date=resolve_event_date(sentence, cue, published=published, future=modality == "intended"),
            confidence=round(max(0.05, stance.confidence - 0.05), 2), actor1_entity=stance.holder_entity,
            actor2_entity=target.key)
    return sorted(rows.values(), key=lambda r: (r.sentence_index, r.actor1, r.actor2 or "", r.cameo_code))


#: The CAMEO quad classes (``CodeBook.quad_class``) a stance of each polarity agrees with: support is
#: cooperation, verbal or material (1, 2); opposition is conflict (3, 4).
AGREEING_QUADS = {"support": frozenset({1, 2}), "oppose": frozenset({3, 4})}


def _agrees(events: Sequence[EventRecord], polarity: str) -> bool:
    """Whether one of the verb coder's ``events`` between a stance's holder and target agrees with the stance's
    polarity; if none does ("campaigned for Clinton" coded 100, a demand), the stance's reading replaces them."""
    quads = AGREEING_QUADS.get(polarity, frozenset({1, 2, 3, 4}))
    return any(e.quad_class in quads for e in events)


def superseded(events: Sequence[EventRecord], verbal: Sequence[EventRecord]) -> List[EventRecord]:
    """``events`` without those a verbal event of ``verbal`` replaces: the verb coder's rows between the same
    two actors in the same sentence (a stance reads the sentence as support or opposition, the coder's code
    says the other)."""
    replaced = {(e.sentence_index, e.actor1_entity, e.actor2_entity) for e in verbal if e.actor1_entity}
    return [e for e in events if (e.sentence_index, e.actor1_entity, e.actor2_entity) not in replaced]


def _owner(sentence, stance: StanceRecord, cast: Cast):
    """The entity whose thing the target is ("criticized Clinton's role", "her tenure is a vulnerability"): the
    possessor of the target's head word, when it is a mention of an entity."""
    if not stance.target:
        return None
    at = sentence.text.find(stance.target)
    span = sentence.doc.char_span(sentence.start_char + at, sentence.start_char + at + len(stance.target),
                                  alignment_mode="expand") if at >= 0 else None
    if span is None:
        return None
    owners = [c for c in span.root.children if c.dep_ == "poss"]
    return cast.of(owners[0]) if owners else None


#: Nouns of measuring opinion: with the documents that report findings (``findings``), what a poll shows is a
#: measurement of the public, not an act of its people ("the polls closed" is no subject of a finding verb).
MEASURES = frozenset({"poll", "survey", "margin", "point", "percent", "percentage"})


def _measured(cue, findings: FrozenSet[str]) -> bool:
    """The stance is a measurement: its clause is what a poll or a document finds ("Polls show voters trust
    Clinton", "a survey found that ..."), or its act goes by a margin ("favor Clinton by a 6-point margin")."""
    nouns = MEASURES | findings
    for token in [cue] + list(cue.ancestors):
        if token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in nouns
                                                  for c in token.children) and token is not cue:
            return True
    return any(c.dep_ == "prep" and c.lower_ == "by" and any(p.lemma_.lower() in MEASURES for p in c.subtree)
               for c in cue.children)


def _cue_token(sentence, stance: StanceRecord, *, last: bool = False):
    """The stance's cue word in its sentence (its first word, or its ``last``, within the evidence), or None."""
    if not stance.cue:
        return None
    words = stance.cue.replace("“", " ").replace("”", " ").replace('"', " ").split()
    if not words:
        return None
    word = (words[-1] if last else words[0]).lower()
    return next((t for t in sentence if t.lower_ == word and stance.char_start <= t.idx < stance.char_end),
                next((t for t in sentence if t.lower_ == word), None))


def _cue_code(cue, coder: EventCoder, roots: FrozenSet[str]) -> Optional[str]:
    """The cue verb's own CAMEO code when its root is one of ``roots`` ("accused": 112)."""
    if cue is None or cue.pos_ != "VERB":
        return None
    entry = coder.verb_entry(cue)
    if entry is None:
        return None
    block, own, _trigger = entry
    code = own or block.code
    if not code or not code.isdigit() or code == "010":
        return None
    return code if code[:2] in roots else None

