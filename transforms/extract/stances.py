"""Stances: who supports or opposes what, with the quote or sentence that shows it (no Beam).

Three sources of evidence, in this order:

- **the parse** (``transforms.extract.attitudes``): attitude words with their holder and target, and
  evaluations of a named thing, with the scope (negation, questions, conditions, refusals, denials,
  someone else's claim) that cancels them; "I"/"we" in a quote are its speaker (the ``quotes`` rows);
- **direct quotes** (typographic or straight quotation marks, four words or more), attributed to
  the speaker of a speech verb on the same line, the line before or the line after, with a cue from
  ``stance_cues.v2.tsv``;
- **reported speech**: a sentence outside quotes with one of those cues ("insisted that", "off the table").

A later source adds a row only when the parse found no stance of the same holder, polarity and target in
the same words. Topics come from ``topics.v2.json`` or ``--topics FILE``. Holders resolve through the
same actors as events, so ``holder_code`` agrees with ``actor1_code``; a holder that is no actor
("critics", "a source close to the discussions") keeps its words and has no code.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from schemas import StanceRecord
from transforms.common.data_files import data_lines, load_versioned_json
from transforms.common.ids import stable_id
from transforms.extract.actor_index import GROUP_NOUNS, ActorIndex
from transforms.extract.actors import ActorMention
from transforms.extract.attitudes import (FIRST_PERSON, PLACEHOLDERS, claimant, evaluations, find_attitudes,
                                          noun_phrase)
from transforms.extract.speakers import MAX_SPEAKER_WORDS, SPEAKER_LABELS

DATA = "transforms.extract.data"
TOPICS_FILE = "topics.v2.json"
CUES_FILE = "stance_cues.v2.tsv"
SPEECH_VERBS = frozenset({"say", "tell", "write", "tweet", "add", "state", "remark", "note", "insist",
                          "stress", "warn", "declare", "explain", "respond", "post", "announce",
                          "emphasize", "argue", "caution", "acknowledge", "reply", "comment"})
MIN_QUOTE_WORDS = 4
SPEECH_NOUNS = frozenset({"remark", "statement", "comment", "post", "tweet", "word", "message", "interview"})
# Verbs that carry a stance themselves; a cue inside their complement belongs to their subject.
STANCE_VERBS = SPEECH_VERBS | frozenset({"insist", "warn", "dismiss", "push", "advocate", "call", "express",
                                         "view", "see", "emphasize", "stress", "reject", "oppose", "back",
                                         "support", "plan", "seek", "want", "signal", "agree"})
_QUOTES = re.compile(r"“[^”]+”|\"[^\"\n]+\"")
_LEADING = re.compile(r"^(a|an|the|his|her|their|its|some|several)\s+", re.I)
_PARTICIPLE_TAIL = re.compile(r",\s+\w+ing\b.*$")


class StanceDataError(ValueError):
    """A topics or cues file that cannot be used."""


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    patterns: Tuple[re.Pattern, ...]


@dataclass(frozen=True)
class StanceCue:
    name: str
    polarity: str
    pattern: re.Pattern


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


def load_cues() -> List[StanceCue]:
    cues = []
    for line in data_lines(DATA, CUES_FILE):
        if not line.strip() or line.startswith("#"):
            continue
        name, polarity, pattern = line.split("\t", 2)
        if polarity not in ("support", "oppose"):
            raise StanceDataError(f"stance cue {name!r}: polarity must be support or oppose")
        cues.append(StanceCue(name, polarity, re.compile(pattern, re.I)))
    return cues


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


def _holders(token, index: ActorIndex) -> List[Holder]:
    """Who a subject token names: its actors, else its own words ("a source close to the talks")."""
    if token.lemma_.lower() in SPEECH_NOUNS:   # "according to Trump's public remarks"
        owners = [c for c in token.children if c.dep_ == "poss"]
        if owners:
            return _holders(owners[0], index)
    actors = [m for m in index.of(token) if m.code]
    if actors:
        return [Holder(m.name, m.code, m.resolved_from == "dictionary") for m in actors]
    words = " ".join(t.text for t in token.subtree if not t.is_punct or t.text == "-")
    words = _LEADING.sub("", words.strip())
    return [Holder(words, None, False)] if words and len(words.split()) <= 8 else []


def _speaker_in(span, index: ActorIndex, *, exclude: Tuple[int, int] = (-1, -1),
                last_first: bool = False) -> List[Holder]:
    """The subject of a speech verb in ``span`` (outside the ``exclude`` character range)."""
    for token in (reversed(list(span)) if last_first else span):
        if exclude[0] <= token.idx < exclude[1]:
            continue
        if token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS:
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                        and not exclude[0] <= c.idx < exclude[1]]
            if subjects:
                return _holders(subjects[0], index)
            # No subject in the parse ("Podolyak, a senior advisor to Zelenskyy, tweeted:"): the
            # first person named in the sentence before the verb.
            people = [m for t in token.sent if t.i < token.i for m in index.by_token.get(t.i, [])
                      if m.is_person and m.code and not exclude[0] <= t.idx < exclude[1]]
            if people:
                return [Holder(people[0].name, people[0].code, people[0].resolved_from == "dictionary")]
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
            objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
            if objects:
                return _holders(objects[0], index)
    return []


def _lines(text: str) -> List[Tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _line_span(doc, start: int, end: int):
    return doc.char_span(start, end, alignment_mode="expand")


def attribute_quote(doc, start: int, end: int, index: ActorIndex, *, text: Optional[str] = None,
                    lines: Optional[List[Tuple[int, int]]] = None) -> List[Holder]:
    """The speaker of the quote at characters ``[start, end)``.

    ``text`` (``doc.text``) and ``lines`` (``_lines(text)``) are worked out once per article by the
    caller: spaCy joins every token again on each ``doc.text``.
    """
    text = text if text is not None else doc.text
    lines = lines if lines is not None else _lines(text)
    starts = [s for s, _ in lines]
    number = bisect.bisect_right(starts, start) - 1
    line_start, line_end = lines[number]
    last = bisect.bisect_right(starts, max(start, end - 1)) - 1
    same = _line_span(doc, line_start, lines[last][1])
    holders = _speaker_in(same, index, exclude=(start, end)) if same is not None else []
    if holders:
        return holders
    if number > 0:   # "Trump said," / "Podolyak tweeted:" then the quote on its own line
        before = text[lines[number - 1][0]:lines[number - 1][1]].rstrip()
        span = _line_span(doc, *lines[number - 1])
        if before.endswith((":", ",")) and span is not None:
            holders = _speaker_in(span, index, last_first=True)
            if holders:
                return holders
    if last + 1 < len(lines) and text[lines[last][0]:start].strip() == "":
        following = text[lines[last + 1][0]:lines[last + 1][1]]   # "a source close to X said"
        span = _line_span(doc, *lines[last + 1])
        if following[:1].islower() and span is not None:
            return _speaker_in(span, index)
    return []


def _stands_alone(text: str, start: int) -> bool:
    """A quote that is an utterance, not words embedded in a sentence ("called it “a tragedy”")."""
    before = text[:start].rstrip(" ")
    return not before or before[-1] in "\n,:.!?—–"


def _trim(target: Optional[str]) -> Optional[str]:
    if not target:
        return None
    target = _PARTICIPLE_TAIL.sub("", target).replace("“", "").replace("”", "").strip(" \"'’,.")
    return target[:200] or None


def _cue_matches(text: str, cues: Sequence[StanceCue]):
    """(cue, match, target) for each cue that matches ``text``, without overlaps."""
    taken: List[Tuple[int, int]] = []
    for cue in cues:
        for match in cue.pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            groups = match.groupdict()
            target = groups.get("target")
            if groups.get("cost"):
                target = f"{target} at the {groups['cost']}"
            yield cue, match, _trim(target)


def _holder_of_reported(doc, char: int, target_span: Tuple[int, int],
                        index: ActorIndex) -> Tuple[List[Holder], Optional[str]]:
    """Who holds the stance whose cue starts at ``char``, and a target that replaces the cue's
    when the sentence is passive ("Trump's threats were dismissed by the Kremlin")."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return [], None
    token = span[0]
    for _ in range(8):
        if token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in STANCE_VERBS | {"threat", "call"}:
            owners = [c for c in token.children if c.dep_ == "poss"]
            if owners:
                return _holders(owners[0], index), None   # "Trump's push for negotiations"
        if token.pos_ == "VERB" and token.lemma_.lower() in STANCE_VERBS:
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")
                        and not target_span[0] <= c.idx < target_span[1]]
            if subjects and subjects[0].dep_ == "nsubjpass":
                agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
                subtree = list(subjects[0].subtree)
                target = doc[subtree[0].i:subtree[-1].i + 1].text
                return (_holders(agents[0], index) if agents else []), _trim(target)
            if subjects:
                return _holders(subjects[0], index), None
            if token.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "acl"):
                return [], None
            # "Hegseth, ..., telling NATO counterparts that ...": the actor the participle hangs on
            for ancestor in token.ancestors:
                actors = [m for m in index.by_token.get(ancestor.i, []) if m.code]
                if actors and not target_span[0] <= ancestor.idx < target_span[1]:
                    return [Holder(m.name, m.code, m.resolved_from == "dictionary") for m in actors], None
        if token.head.i == token.i:
            break
        token = token.head
    return [], None


def _same_target(a: Optional[str], b: Optional[str]) -> bool:
    """Two targets of one sentence that name the same thing: one holds the other's words."""
    if not a or not b:
        return not a and not b
    a, b = a.lower(), b.lower()
    return a in b or b in a


def _sentence_index(sentence_starts: List[int], char: int) -> int:
    return max(0, bisect.bisect_right(sentence_starts, char) - 1)


def extract_stances(doc, mentions: Sequence[ActorMention], *, article_id: str,
                    topics: Sequence[Topic], cues: Sequence[StanceCue],
                    content_sha256: str = "", text: Optional[str] = None, predicates=None, tone=None,
                    quotes: Sequence = (), people: frozenset = frozenset()) -> List[StanceRecord]:
    """Every stance in one parsed article.

    Args:
        doc: the article parsed (tagger, parser, NER, line-break sentences); text is ``articles.text``.
        mentions: the article's actors from :func:`transforms.extract.actors.resolve_actors`.
        article_id: the article's id.
        topics: from :func:`load_topics`.
        cues: from :func:`load_cues`.
        text: ``doc.text`` when the caller has it (spaCy rebuilds it from the tokens on each call).
        predicates: attitude words (:func:`transforms.extract.attitudes.load_predicates`), read from the parse.
        tone: the lexicons (:class:`transforms.extract.tone.Tone`), for the polarity of evaluations.
        quotes: the article's ``quotes`` rows: who says the words a stance lies in.
        people: nouns for people that may hold a stance when no actor is named ("critics", "aides").
    """
    index = ActorIndex(mentions)
    text = doc.text if text is None else text
    lines = _lines(text)
    sentences = list(doc.sents)   # spaCy works the sentences out again on every ``doc.sents``
    sentence_starts = [sentence.start_char for sentence in sentences]
    rows = {}
    quote_spans = [(m.start(), m.end()) for m in _QUOTES.finditer(text)
                   if len(m.group(0).split()) >= MIN_QUOTE_WORDS and _stands_alone(text, m.start())]

    def add(holder: Holder, start: int, end: int, *, polarity: str, cue: Optional[str],
            target: Optional[str], direct: bool, confidence: float):
        if holder.name.lower() in PLACEHOLDERS or holder.name.lower() in FIRST_PERSON:
            return   # "who", "which", "they": no one the row can name
        evidence = text[start:end]
        topic = topic_of(topics, target, evidence)
        key = (holder.name, start, end, target)
        if any(k[0] == holder.name and k[1] == start and k[2] == end and r.polarity == polarity
               and _same_target(r.target, target) for k, r in rows.items()):
            return   # the same stance, found by the parse first
        rows[key] = StanceRecord(
            stance_id=stable_id("stance", article_id, content_sha256, str(start), str(end), holder.name,
                                target or "", cue or ""),
            article_id=article_id, sentence_index=_sentence_index(sentence_starts, start), char_start=start,
            char_end=end, holder=holder.name, holder_code=holder.code, target=target, topic=topic,
            polarity=polarity, evidence=evidence, is_direct_quote=direct, cue=cue,
            confidence=round(confidence - (0.0 if holder.from_actor else 0.1), 2))

    if predicates is not None:
        for holder, start, end, polarity, cue, target, direct in _parsed_stances(
                doc, index, text=text, predicates=predicates, tone=tone, quotes=quotes, people=people):
            add(holder, start, end, polarity=polarity, cue=cue, target=target, direct=direct,
                confidence=0.8 if direct else 0.75)

    for start, end in quote_spans:
        holders = attribute_quote(doc, start, end, index, text=text, lines=lines)
        inner = ": " + text[start + 1:end - 1]   # cues anchor a clause start on "that " or ": "
        found = list(_cue_matches(inner, cues))
        for holder in holders:   # a quote with no cue is an attribution only: the quotes table has it
            for cue, match, target in found:
                add(holder, start, end, polarity=cue.polarity, cue=match.group(0)[:60].strip(),
                    target=target, direct=True, confidence=0.8)

    for sentence in sentences:
        s_start, s_end = sentence.start_char, sentence.end_char
        body = text[s_start:s_end]
        for cue, match, target in _cue_matches(body, cues):
            m_start = s_start + match.start()
            if any(q_start <= m_start < q_end for q_start, q_end in quote_spans):
                continue   # inside a direct quote: handled above
            target_start = s_start + (match.start("target") if "target" in match.groupdict()
                                      and match.group("target") else match.start())
            target_span = (target_start, s_start + (match.end("target") if match.groupdict().get("target")
                                                    else match.end()))
            holders, passive_target = _holder_of_reported(doc, m_start, target_span, index)
            for holder in holders:
                add(holder, s_start, s_end, polarity=cue.polarity, cue=_cue_words(cue, match),
                    target=passive_target or target, direct=False, confidence=0.75)
    return sorted(rows.values(), key=lambda r: (r.char_start, r.holder, r.target or ""))


def _cue_words(cue: StanceCue, match) -> str:
    """The words of a match that are not its target: "warned against", "unrealistic"."""
    words = match.group(0)
    if match.groupdict().get("target"):
        words = (words[:match.start("target") - match.start()] + " … " +
                 words[match.end("target") - match.start():])
    words = re.sub(r"^\s*(that|:)\s+", "", words.strip(" …"))
    return " ".join(words.split())[:60] or cue.name


# --- stances read from the parse (transforms.extract.attitudes) ------------------------------------------------

def _quote_at(quotes: Sequence, char: int):
    """The direct quote whose words hold character ``char``, if any."""
    return next((q for q in quotes if q.is_direct and q.char_start <= char < q.char_end), None)


def _holders_of_token(token, index: ActorIndex, quotes: Sequence, people: frozenset = frozenset()) -> List[Holder]:
    """Who a holder token names: "I"/"we" in a quote is its speaker; a name or pronoun its actors; a named
    entity or a noun for people ("Republican leaders", "critics", "aides to Mr. Sanders") its words; anything
    else (an unresolved pronoun, "the platform", "the website") no one."""
    if token.lower_ in FIRST_PERSON:
        quote = _quote_at(quotes, token.idx)
        return [Holder(quote.speaker, quote.speaker_code, bool(quote.speaker_code))] if quote else []
    # "anti-Trump activists" are not Trump: a pro- or anti- modifier names the target, not the holder
    doc = token.doc
    labelled = any(doc[i].lower_ in ("anti", "pro", "anti-", "pro-") and (doc[i].text.endswith("-") or
                                                                        doc[i + 1].text == "-")
                   for i in range(token.left_edge.i, token.i))
    # "Sanders supporters", "Clinton voters": people named by whom they back, not the person named; a group
    # noun ("Trump administration officials") is its possessor's or modifier's
    own = index.by_token.get(token.i, [])
    described = (not own and token.pos_ == "NOUN" and token.lemma_.lower() not in GROUP_NOUNS
                 and token.lower_ not in GROUP_NOUNS)
    actors = [] if labelled or described and token.lemma_.lower() in people else index.of(token)
    if actors:
        return [Holder(m.name, m.code, m.resolved_from == "dictionary" and bool(m.code)) for m in actors]
    if token.pos_ == "PRON" or token.lower_ in PLACEHOLDERS:
        return []
    if token.ent_type_ not in SPEAKER_LABELS and token.lemma_.lower() not in people \
            and token.lower_ not in people:
        return []
    start, end = noun_phrase(token)
    words = _LEADING.sub("", token.doc[start:end].text.strip())
    return [Holder(words, None, False)] if words and len(words.split()) <= MAX_SPEAKER_WORDS else []


def _target_text(doc, span: Tuple[int, int], index: ActorIndex) -> Optional[str]:
    start, end = span
    if end - start == 1:
        token = doc[start]
        if token.lower_ in PLACEHOLDERS or token.lower_ in FIRST_PERSON:
            return None
        if token.pos_ == "PRON":   # "criticized him": the person, when the article says who
            actors = [m for m in index.of(token) if m.is_person or m.kind == "pronoun"]
            return actors[0].name if actors else None
    return _trim(doc[start:end].text)


def _parsed_stances(doc, index: ActorIndex, *, text: str, predicates, tone, quotes: Sequence,
                    people: frozenset = frozenset()):
    """``(holder, start, end, polarity, cue, target, direct)`` for each stance the parse shows (``text`` is
    ``doc.text``, which spaCy would rebuild on each call)."""
    quoted = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]   # the words inside quotation marks
    found = find_attitudes(doc, predicates) + (evaluations(doc, tone.valence) if tone is not None else [])
    for attitude in found:
        cue_token = doc[attitude.anchor]
        quote = _quote_at(quotes, cue_token.idx)
        speaker = claimant(cue_token)
        if attitude.holder is not None:
            holders = _holders_of_token(attitude.holder, index, quotes, people)
        elif quote is not None:   # "the deal is a disaster," she said
            holders = [Holder(quote.speaker, quote.speaker_code, bool(quote.speaker_code))]
        else:                     # she said the deal is a disaster
            holders = _holders_of_token(speaker, index, quotes, people) if speaker is not None else []
        if quote is not None:
            # inside a quote only the speaker's own stances count ("I oppose it", "the deal is a disaster"),
            # not one the speaker reports of someone else ("you say he's a racist")
            holders = [h for h in holders if h.name == quote.speaker]
            if speaker is not None and any(s <= speaker.head.idx < e for s, e in quoted) \
                    and speaker.lower_ not in FIRST_PERSON and (attitude.holder is None or speaker.i != attitude.holder.i):
                holders = []
        elif speaker is not None and attitude.holder is not None and speaker.i != attitude.holder.i:
            claimants = _holders_of_token(speaker, index, quotes, people)
            if not holders and attitude.holder.lower_ in ("he", "she") and len(claimants) == 1:
                holders = claimants   # "Cuban also said he supports ...": the one who says it
            claimed = {h.name for h in claimants}
            holders = [h for h in holders if h.name in claimed]   # "Trump said Clinton wants ...": no one's
        target = _target_text(doc, attitude.target, index)
        if not target:
            continue
        if quote is not None:
            start, end, direct = quote.char_start, quote.char_end, True
        else:
            sentence = cue_token.sent
            start, end, direct = sentence.start_char, sentence.end_char, False
        for holder in holders:
            if holder.name.lower() != target.lower():
                yield holder, start, end, attitude.polarity, attitude.cue, target, direct
