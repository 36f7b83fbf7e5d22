"""Stances: who supports or opposes what, with the quote or sentence that shows it (no Beam).

Every stance is read from the parse (``transforms.extract.attitudes``, ``evaluations``): attitude words with their holder
and target ("endorsed", "called for", "a critic of", "vowed to"), and what whoever says the words holds:
evaluations of a named thing ("the deal is a disaster") and obligations ("Ukraine must be involved"), with the
scope (negation, questions, conditions, refusals, denials, someone else's claim) that cancels them. The words of a
direct quote are its speaker's (the ``quotes`` rows): "I"/"we" in a quote are the speaker. A stance on an act
or a state of affairs (an intention, an obligation, an evaluation of a clause) counts only when it is about one of the
topics: "planned to visit Iowa" is no position. Topics come from ``topics.v2.json`` or ``--topics FILE``.
Holders resolve through the same actors as events, so ``holder_code`` agrees with ``actor1_code``; a holder
that is no actor ("critics", "a source close to the discussions") keeps its words and has no code.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from schemas import StanceRecord
from transforms.common.data_files import load_versioned_json
from transforms.common.ids import stable_id
from transforms.extract.actor_index import GROUP_NOUNS, QUANTITY_NOUNS, ActorIndex
from transforms.extract.actors import ActorMention
from transforms.extract.attitudes import (FIRST_PERSON, PLACEHOLDERS, claimant, dependents, find_attitudes,
                                         noun_phrase)
from transforms.extract.evaluations import LABEL_PREFIXES, attributions, conduct, evaluations, labels, obligations
from transforms.extract.speakers import MAX_SPEAKER_WORDS, SPEAKER_LABELS

DATA = "transforms.extract.data"
TOPICS_FILE = "topics.v2.json"
#: Kinds of stance whose target is an act or a state of affairs: it must be about one of the topics.
ACTS = frozenset({"act", "obligation", "clause_evaluation"})
_QUOTES = re.compile(r"“[^”]+”|\"[^\"\n]+\"")
#: A quotation inside a quote ("the late Henry Hyde had this great saying – ‘conservatives were ...’"): someone
#: else's words, which the speaker repeats.
_INNER_QUOTES = re.compile(r"‘[^‘’]*(?:’[A-Za-z][^‘’]*)*’(?![A-Za-z])")
_LEADING = re.compile(r"^(a|an|the|his|her|their|its|some|several)\s+", re.I)
_PARTICIPLE_TAIL = re.compile(r",\s+\w+ing\b.*$")


#: Named-entity types of no one who can hold a view ("The Volcker Rule sought to ban ...": a law).
NO_HOLDER_TYPES = frozenset({"LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "LANGUAGE", "FAC"})
#: Named-entity types of a time or an amount, which no one is for or against ("the Louvre has fought for [a year]").
AMOUNT_TYPES = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL"})


class StanceDataError(ValueError):
    """A topics file that cannot be used."""


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    patterns: Tuple[re.Pattern, ...]


def load_topics(path: Optional[str] = None) -> List[Topic]:
    """The packaged topics, or a user's ``--topics`` file (same JSON shape).

    Raises:
        StanceDataError: no version, a topic without id or patterns, or a bad pattern.
    """
    data = load_versioned_json(path, (DATA, TOPICS_FILE), "topics", what="topics", error=StanceDataError)
    topics = []
    for item in data["topics"]:
        if not item.get("id") or not item.get("patterns"):
            raise StanceDataError(f"topic {item!r} needs an 'id' and 'patterns'")
        try:
            patterns = tuple(re.compile(p, re.I) for p in item["patterns"])
        except re.error as exc:
            raise StanceDataError(f"topic {item['id']!r}: bad pattern: {exc}") from exc
        topics.append(Topic(item["id"], item.get("label", item["id"]), patterns))
    return topics


def topic_of(topics: Sequence[Topic], *texts: Optional[str]) -> Optional[str]:
    for text in texts:
        if not text:
            continue
        for topic in topics:
            if any(p.search(text) for p in topic.patterns):
                return topic.id
    return None


@dataclass
class Holder:
    name: str
    code: Optional[str]
    from_actor: bool
    entity: Optional[str] = None   # the who-is-who entity's key


def _trim(target: Optional[str]) -> Optional[str]:
    """A target's words without quotation marks, edge punctuation or a trailing participle clause."""
    if not target:
        return None
    target = _PARTICIPLE_TAIL.sub("", target).replace("“", "").replace("”", "").strip(" \"'’,.")
    return target[:200] or None


def _same_target(a: Optional[str], b: Optional[str]) -> bool:
    """Two targets of one sentence that name the same thing: they are equal, or one holds the other's words
    and those are more than a name ("advocate for stronger security guarantees" holds "stronger security
    guarantees"; "Melania Trump" is not "Trump")."""
    if not a or not b:
        return not a and not b
    a, b = a.lower(), b.lower()
    shorter, longer = sorted((a, b), key=len)
    return a == b or (shorter in longer and len(shorter.split()) >= 2)


def _sentence_index(sentence_starts: List[int], char: int) -> int:
    return max(0, bisect.bisect_right(sentence_starts, char) - 1)


def extract_stances(doc, mentions: Sequence[ActorMention], *, article_id: str, topics: Sequence[Topic],
                    predicates, tone=None, content_sha256: str = "", text: Optional[str] = None,
                    quotes: Sequence = (), people: frozenset = frozenset(), cast=None,
                    inert: frozenset = frozenset(), measures: frozenset = frozenset(),
                    persons: frozenset = frozenset(), adjectives: frozenset = frozenset()) -> List[StanceRecord]:
    """Every stance in one parsed article.

    Args:
        doc: the article parsed (tagger, parser, NER, line-break sentences); text is ``articles.text``.
        mentions: the article's actors from :func:`transforms.extract.actors.resolve_actors`.
        article_id: the article's id.
        topics: from :func:`load_topics`.
        predicates: attitude words (:func:`transforms.extract.attitudes.load_predicates`), read from the parse.
        tone: the lexicons (:class:`transforms.extract.tone.Tone`), for the polarity of evaluations (without
            it, only attitude words and obligations).
        text: ``doc.text`` when the caller has it (spaCy rebuilds it from the tokens on each call).
        quotes: the article's ``quotes`` rows: who says the words a stance lies in.
        people: nouns for people that may hold a stance when no actor is named ("critics", "aides").
        cast: the who-is-who (:func:`transforms.extract.who.read_cast`): the entity of a holder or target that
            is no actor (an organisation no dictionary knows), for ``holder_entity`` and ``target_entity``.
        inert: verbs of feeling and competing (:class:`transforms.extract.verb_classes.VerbClasses`), which
            state no misdeed of their subject (:func:`transforms.extract.evaluations.conduct`).
        measures: nouns of measures (:class:`transforms.extract.evaluations.NounSenses`), of which an evaluative
            word states a fact ("the death rate was higher").
        persons: nouns that can name people (the same table's): a plural one may hold a stance no actor holds
            ("progressives revile her", "hundreds of superdelegates").
        adjectives: WordNet's adjectives (:func:`transforms.extract.model.common_adjectives`): a "pro-" or "anti-"
            word among them ("anti-semitic") is no label.
    """
    index = ActorIndex(mentions)
    text = doc.text if text is None else text
    sentence_starts = [sentence.start_char for sentence in doc.sents]
    rows = {}
    for holder, start, end, polarity, cue, target, direct, target_entity in _parsed_stances(
            doc, index, text=text, predicates=predicates, tone=tone, quotes=quotes, people=people, topics=topics,
            cast=cast, inert=inert, measures=measures, persons=persons, adjectives=adjectives):
        if holder.name.lower() in PLACEHOLDERS or holder.name.lower() in FIRST_PERSON:
            continue   # "who", "which", "they": no one the row can name
        if any(k[0] == holder.name and k[1] == start and r.polarity == polarity and _same_target(r.target, target)
               for k, r in rows.items()):
            continue   # the same stance in the same words, found by two rules ("pushed for", "pushed to")
        evidence = text[start:end]
        confidence = (0.8 if direct else 0.75) - (0.0 if holder.from_actor else 0.1)
        rows[(holder.name, start, end, target)] = StanceRecord(
            stance_id=stable_id("stance", article_id, content_sha256, str(start), str(end), holder.name,
                                target or "", cue or ""),
            article_id=article_id, sentence_index=_sentence_index(sentence_starts, start), char_start=start,
            char_end=end, holder=holder.name, holder_code=holder.code, target=target,
            topic=topic_of(topics, target, evidence), polarity=polarity, evidence=evidence, is_direct_quote=direct,
            cue=cue, confidence=round(confidence, 2), holder_entity=holder.entity, target_entity=target_entity)
    return sorted(rows.values(), key=lambda r: (r.char_start, r.holder, r.target or ""))


# --- stances read from the parse (transforms.extract.attitudes) ------------------------------------------------

def _quote_at(quotes: Sequence, char: int):
    """The direct quote whose words hold character ``char``, if any."""
    return next((q for q in quotes if q.is_direct and q.char_start <= char < q.char_end), None)


def _holders_of_token(token, index: ActorIndex, quotes: Sequence, people: frozenset = frozenset(),
                      cast=None, persons: frozenset = frozenset()) -> List[Holder]:
    """Who a holder token names: "I"/"we" in a quote is its speaker; a name or pronoun its actors; a named
    entity or a noun for people ("Republican leaders", "critics", "aides to Mr. Sanders"; or a plural of
    ``persons``, "progressives") its words; anything else (an unresolved pronoun, "the platform", "the
    website", "the Republican front-runner" whom the who-is-who does not name) no one."""
    if token.lower_ in FIRST_PERSON:
        quote = _quote_at(quotes, token.idx)
        return [Holder(quote.speaker, quote.speaker_code, bool(quote.speaker_code), quote.speaker_entity)] if quote else []
    # "anti-Trump activists" are not Trump: a pro- or anti- modifier names the target, not the holder
    doc = token.doc
    labelled = any(doc[i].lower_.rstrip("-") in LABEL_PREFIXES and (doc[i].text.endswith("-") or doc[i + 1].text == "-")
                   for i in range(token.left_edge.i, token.i))
    # "Sanders supporters", "Clinton voters": people named by whom they back, not the person named; a group
    # noun ("Trump administration officials") is its possessor's or modifier's
    own = index.by_token.get(token.i, [])
    if not own and (token.lower_ in QUANTITY_NOUNS or token.lemma_.lower() in QUANTITY_NOUNS or token.like_num):
        members = [p for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "of"
                   for p in prep.children if p.dep_ == "pobj"]
        if members:   # "hundreds of the party's superdelegates": the superdelegates
            return _holders_of_token(members[0], index, quotes, people, cast, persons)
    if not own and token.ent_type_ in NO_HOLDER_TYPES | AMOUNT_TYPES:
        return []
    described = (not own and token.pos_ == "NOUN" and token.lemma_.lower() not in GROUP_NOUNS
                 and token.lower_ not in GROUP_NOUNS)
    if labelled:
        actors = []
    elif described and _names_people(token, people, persons):   # "seven progressives, including Pramila Jayapal"
        actors = [m for child in token.children if child.dep_ == "appos" or child.dep_ == "prep"
                  and child.lower_ == "including" for p in ([child] if child.dep_ == "appos" else child.children)
                  if p.dep_ in ("appos", "pobj") for m in index.of(p)]
    else:
        actors = index.of(token)
    if actors:
        return [Holder(_holder_name(m, token, cast), m.code, m.resolved_from == "dictionary" and bool(m.code),
                       m.entity) for m in actors]
    if token.pos_ == "PRON" or token.lower_ in PLACEHOLDERS:
        return []
    if token.ent_type_ not in SPEAKER_LABELS and not _names_people(token, people, persons):
        return []
    named = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN" and c.ent_type_ in SPEAKER_LABELS
                  and (token.pos_ == "NOUN" or any(d.dep_ == "det" and d.lower_ in ("the", "a", "an") for d in
                                                   token.children))), None)   # "the main super PAC, Priorities USA"
    words = _holder_words(named if named is not None else token)
    if words is None or any(c in words for c in '<>="'):
        return []   # no words, too many, or markup ('datetime="2016-06')
    if any(w.lower() in FIRST_PERSON for w in words.split()):
        return []   # "my editor at the time": the writer's, whom the row cannot name
    entity = cast.of(token) if cast is not None else None
    return [Holder(words, None, False, entity.key if entity is not None else None)]


def _owners(noun, index: ActorIndex) -> set:
    """The words naming who owns ``noun`` ("Byler's piece", "her film": the actors "her" stands for), lower-cased;
    none when a "his" or "her" stands for no one the article names (it may be the holder's own)."""
    words = set()
    for owner in (c for c in noun.children if c.dep_ == "poss"):
        named = {w.lower() for m in index.of(owner) for w in m.name.split()}
        if owner.pos_ == "PRON" and not named:
            return set()
        words |= named | {w.lower() for w in owner.text.split()}
    return words - {"'s", "’s", "his", "her"}


def _act_core(doc, span: Tuple[int, int]) -> str:
    """The words of an act that say what it is: its verb, particle and objects, without the clauses that
    qualify them ("gather any information on him [that could help the police]" is about no topic)."""
    verb = doc[span[0]:span[1]].root
    if verb.pos_ not in ("VERB", "AUX"):
        return doc[span[0]:span[1]].text
    words = []
    for act in [verb] + dependents(verb, "ccomp", "xcomp"):   # "have our teams [start negotiations]"
        objects = dependents(act, "dobj") or [p for prep in dependents(act, "prep")
                                              for p in dependents(prep, "pobj")][:1]
        words += [act.text] + [c.text for c in dependents(act, "prt")]
        for head in objects:   # the object with its phrases ("an agreement with the European Union"), not its clauses
            clauses = {t.i for c in head.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
            words += [t.text for t in head.subtree if t.i not in clauses]
    return " ".join(words)


#: Words of polls: "a new poll"; and of their figures, after a number: "a 6-point margin", "by 9 points".
POLL_WORDS = frozenset({"poll", "polls", "polling", "survey", "surveys"})
FIGURE_WORDS = frozenset({"margin", "point", "points", "percent", "percentage"})


def _polled(sentence) -> bool:
    """A sentence that reports a poll: a percentage, a word of polls (not "poll access"), or a number of points
    ("talking points" is no poll)."""
    doc = sentence.doc
    return any(t.ent_type_ == "PERCENT" or t.lower_ in POLL_WORDS and t.dep_ != "compound" or t.lower_ in FIGURE_WORDS
               and any(doc[i].like_num for i in range(max(sentence.start, t.i - 3), t.i)) for t in sentence)


def _holder_name(actor: ActorMention, token, cast=None) -> str:
    """The holder's name: the actor's, except for a role or a people whose actor is named by its country ("the
    New Jersey governor", "a Texas voter", "Americans" are not "United States"): their own words; and a state,
    province or city the dictionaries code by its country ("North Carolina" tried to get the court to act, not
    the United States): its own name in the who-is-who."""
    if actor.start == token.i and (actor.kind == "role" or actor.kind == "place" and token.ent_type_ == "NORP"):
        return _holder_words(token) or actor.name
    if actor.kind == "place" and cast is not None:
        entity = cast.of(token)
        if entity is not None and entity.level not in (None, "country"):
            return entity.name
    return actor.name


def _holder_words(token) -> Optional[str]:
    """The words of the noun phrase ``token`` heads, as a holder's name: without its leading article or
    possessive, quotation marks or participle ("the most labor unions [backing him]"); None when there are none
    or more than a speaker's name takes."""
    start, end = noun_phrase(token, clauses=False)
    marks = " “”\"‘’'"
    words = _LEADING.sub("", token.doc[start:end].text.strip(marks)).strip(marks)   # a “political army”
    return words if words and len(words.split()) <= MAX_SPEAKER_WORDS else None


def _names_people(token, people: frozenset, persons: frozenset = frozenset()) -> bool:
    """A noun for people: one of ``people``, or a plural of ``persons`` or of a compound whose last part of five
    letters or more is one ("progressives", "superdelegates"). A singular noun of ``persons`` is a description
    of one person ("the front-runner"), which only the who-is-who can name."""
    lemma = token.lemma_.lower()
    if lemma in people or token.lower_ in people:
        return True
    return token.tag_ == "NNS" and (lemma in persons or any(lemma[i:] in persons for i in range(3, len(lemma) - 4)))


def _target_entity(doc, span: Tuple[int, int], index: ActorIndex, cast=None) -> Optional[str]:
    """The who-is-who entity the target's head word is a mention of ("criticized him", "opposes the EPA")."""
    root = doc[span[0]:span[1]].root
    found = next((m.entity for m in index.by_token.get(root.i, []) if m.entity), None)
    entity = cast.of(root) if found is None and cast is not None else None
    return entity.key if entity is not None else found   # an organisation no dictionary knows ("opposes the AFL-CIO")


#: Determiners of no one thing in particular: "a candidate", "any agreement" is something only with more words.
_INDEFINITE = frozenset({"a", "an", "any", "some", "another"})


def _target_text(doc, span: Tuple[int, int], index: ActorIndex, speaker: Optional[str] = None) -> Optional[str]:
    """A target's words, standing alone: a pronoun or a one-word name as the person it is ("criticized him",
    "endorsed Sanders": Bernie Sanders), "my" in a quote as its
    speaker's ("I am so proud of my wife"), or None when it names nothing by itself (an amount or a time, "it",
    a bare indefinite noun: "a candidate").
    ``speaker`` is the speaker of the quote the target lies in. ("His" and "her" stay: the who-is-who does not
    yet resolve a possessive reliably enough to name it; "this budget" stays: a demonstrative with a noun names
    its kind, and "these developments" is not told from it by the parse.)"""
    start, end = span
    root = doc[start:end].root
    if root.ent_type_ in AMOUNT_TYPES:
        return None   # "fought for a year"
    if end - start == 1:
        token = doc[start]
        if token.lower_ in PLACEHOLDERS or token.lower_ in FIRST_PERSON:
            return None
        if token.pos_ == "PRON":   # "criticized him": the person, when the article says who
            actors = [m for m in index.of(token) if m.is_person or m.kind == "pronoun"]
            return actors[0].name if actors else None
        people = [m for m in index.by_token.get(token.i, []) if m.is_person]
        if len(people) == 1 and token.text in people[0].name.split():
            return people[0].name   # "anti-Hillary": Hillary Clinton, as the who-is-who names her
    if root.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in _INDEFINITE for c in root.children) and not any(
            c.dep_ in ("amod", "compound", "poss", "prep", "nummod", "acl", "relcl") for c in root.children):
        return None   # "endorsed a candidate", "backed a call": no one in particular
    if len(doc[start:end].text.strip()) < 3:
        return None   # "We support Anders Tegnell & co": a fragment names nothing
    mine = next((c for c in root.children if c.dep_ == "poss" and c.lower_ == "my" and start <= c.i < end), None)
    if mine is not None:
        if speaker is None:
            return None
        return _trim(f"{doc[start:mine.i].text_with_ws}{speaker}'s {doc[mine.i + 1:end].text}")
    return _trim(doc[start:end].text)


def _parsed_stances(doc, index: ActorIndex, *, text: str, predicates, tone, quotes: Sequence,
                    people: frozenset = frozenset(), topics: Sequence = (), cast=None, inert: frozenset = frozenset(),
                    measures: frozenset = frozenset(), persons: frozenset = frozenset(),
                    adjectives: frozenset = frozenset()):
    """``(holder, start, end, polarity, cue, target, direct)`` for each stance the parse shows (``text`` is
    ``doc.text``, which spaCy would rebuild on each call)."""
    quoted = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]   # the words inside quotation marks
    found = find_attitudes(doc, predicates) + obligations(doc) + labels(doc, adjectives)
    if tone is not None:
        found += attributions(doc, tone.rated, persons, measures)
        found += evaluations(doc, tone.valence, people, measures) + conduct(doc, tone.valence, people, inert=inert)
    for attitude in found:
        cue_token = doc[attitude.anchor]
        quote = _quote_at(quotes, cue_token.idx)
        speaker = claimant(cue_token)
        if attitude.holder is not None and (attitude.holder.pos_ == "NOUN" or attitude.holder.ent_type_ == "NORP") \
                and _polled(cue_token.sent):
            continue   # "white voters favor Clinton by a 6-point margin": a poll's figure, not a stance
        if attitude.holder is not None:
            holders = _holders_of_token(attitude.holder, index, quotes, people, cast, persons)
        elif quote is not None:   # "the deal is a disaster," she said
            holders = [Holder(quote.speaker, quote.speaker_code, bool(quote.speaker_code), quote.speaker_entity)]
        else:                     # she said the deal is a disaster
            holders = _holders_of_token(speaker, index, quotes, people, cast, persons) if speaker is not None else []
        if quote is not None and any(m.start() <= cue_token.idx < m.end() for m in
                                     _INNER_QUOTES.finditer(text, quote.char_start, quote.char_end)):
            continue   # words the speaker quotes from someone else
        if quote is not None:
            # inside a quote only the speaker's own stances count ("I oppose it", "the deal is a disaster"),
            # not one the speaker reports of someone else ("you say he's a racist")
            holders = [h for h in holders if h.name == quote.speaker]
            if speaker is not None and any(s <= speaker.head.idx < e for s, e in quoted) \
                    and speaker.lower_ not in FIRST_PERSON and (attitude.holder is None or speaker.i != attitude.holder.i):
                holders = []
        elif speaker is not None and attitude.holder is not None and speaker.i != attitude.holder.i:
            claimants = _holders_of_token(speaker, index, quotes, people, cast, persons)   # "he" is the who-is-who's
            claimed = {h.name for h in claimants}
            holders = [h for h in holders if h.name in claimed]   # "Trump said Clinton wants ...": no one's
        target = _target_text(doc, attitude.target, index, quote.speaker if quote is not None else None)
        target_entity = _target_entity(doc, attitude.target, index, cast)
        if not target or attitude.kind in ACTS and topic_of(
                topics, _act_core(doc, attitude.target) if attitude.kind == "act" else target) is None:
            continue   # "planned to visit", "you have to wait": an act is a stance only on a topic
        if quote is not None:
            start, end, direct = quote.char_start, quote.char_end, True
        else:
            sentence = cue_token.sent
            start, end, direct = sentence.start_char, sentence.end_char, False
        if attitude.kind == "attribution":   # "her blockbuster film" in her own words: no side taken
            owners = _owners(doc[attitude.target[0]:attitude.target[1]].root, index)
            holders = [h for h in holders if owners and not owners & set(h.name.lower().split())]
        for holder in holders:
            if holder.name.lower() != target.lower():
                yield holder, start, end, attitude.polarity, attitude.cue, target, direct, target_entity
