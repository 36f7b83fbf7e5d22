"""Quotes and reported speech: who said (or argued, believed, denied) what, from a parsed article (no Beam).

Two kinds of rows, one ``quotes`` table:

- **direct**: the words inside quotation marks in any convention (``“…”``, ``"…"``, ``''…''``,
  ````…''``, ``‘…’``, ``'…'`` where it is not an apostrophe, ``«…»``, ``„…“``), a quotation that runs
  over paragraphs, and a partial quote inside a sentence. The speaker is the subject of an attribution
  cue in the quote's sentence ("X said", "said X", "X, the party's chairman, said", "according to X",
  "X told reporters", "X wrote"), else in the sentence before it when that ends with a colon; a quote
  with no cue of its own continues the speaker of the quote before it in the same paragraph, or of
  the paragraph before when that one's quotation did not close.
- **reported**: a cue verb with a clausal complement ("X said (that) S", "X argued / warned / denied /
  believes that S", "X told Y (that) S", "S, X said"), "according to X, S", "X called for Y",
  "X accused Y of Z": the content is S (or Y, or "Y of Z").

Quotations are found by ``transforms.extract.quotations``; cues and speakers by
``transforms.extract.speakers`` (an unresolved pronoun gives no row: precision first).
"""
from __future__ import annotations

import bisect
from typing import List, NamedTuple, Optional, Sequence, Tuple

from schemas import QuoteRecord
from transforms.common.ids import stable_id
from transforms.extract.actors import ActorMention
from transforms.extract.who import Cast
from transforms.extract.quotations import Quotation, find_quotations
from transforms.extract.speakers import AttributionCues, Speaker, SpeakerFinder
from transforms.extract.tokens import tokens_with

#: A quotation inside a sentence ("called it “a disaster”") is a statement from this many words on.
MIN_PARTIAL_QUOTE_WORDS = 4
#: How much less sure a row is than its speaker: a quotation is what was said; reported speech is the
#: writer's paraphrase; an attitude or an intention ("endorsed X", "wants to run") is the writer's reading.
_CONFIDENCE_PENALTY = {"direct": 0.0, "speech": 0.05, "thought": 0.05, "attitude": 0.15, "intent": 0.15}
#: Words between two quotations of one speaker that the attribution may take ("“A,” she said, “B.”").
MAX_INTERRUPTION_WORDS = 15
_EDGE = " \t\n,;:"
#: Marks a reported clause keeps at its ends: a quotation inside it is part of it ("keeps “doing it.”").
_CLOSING = frozenset("”\"'’")
_OPENING = frozenset("“\"'‘")


def _span_chars(tokens) -> Tuple[int, int]:
    tokens = sorted(tokens, key=lambda t: t.i)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _trimmed(text: str, start: int, end: int) -> Tuple[int, int]:
    while start < end and (text[start] in _EDGE):
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


class _Row(NamedTuple):
    start: int
    end: int
    speaker: Speaker
    cue: Optional[str]
    direct: bool
    embedded: bool = False
    continues: bool = False   # goes on from the quotation before, in the paragraph before
    kind: str = "speech"      # the cue's kind: speech, thought, attitude, intent


def _inside(char: int, spans: Sequence[Quotation], starts: Sequence[int]) -> bool:
    """``char`` lies in one of ``spans`` (in text order, not overlapping; ``starts`` their starts)."""
    index = bisect.bisect_right(starts, char) - 1
    return index >= 0 and char < spans[index].end


def _mostly_quoted(text: str, start: int, end: int, spans: Sequence[Quotation]) -> bool:
    """More than half of ``start:end`` is in quotations that have a direct row of their own: ones that
    stand alone or are long enough to be statements (not "respects Sanders' “passion and commitment”")."""
    covered = sum(max(0, min(end, q.end) - max(start, q.start)) for q in spans
                  if q.end > start and q.start < end
                  and (_stands_alone(text, q.start) or len(text[q.start:q.end].split()) >= MIN_PARTIAL_QUOTE_WORDS))
    return covered / max(1, end - start) > 0.5


def _paragraph_of(text: str, char: int) -> Tuple[int, int]:
    start = text.rfind("\n", 0, char) + 1
    end = text.find("\n", char)
    return start, len(text) if end < 0 else end


def _direct_rows(finder: SpeakerFinder, quotations: Sequence[Quotation]) -> List[_Row]:
    doc, text = finder.doc, finder.text
    rows: List[_Row] = []
    previous: Optional[Tuple[Quotation, Speaker]] = None
    last_seen: Optional[Quotation] = None   # the last quotation that is a statement, with a row or not
    for quotation in quotations:
        span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
        if span is None or not any(t.is_alpha for t in span):
            continue
        embedded = not _stands_alone(text, quotation.start)
        if embedded and len(text[quotation.start:quotation.end].split()) < MIN_PARTIAL_QUOTE_WORDS:
            continue   # a name, a title or a scare-quoted word, not a statement
        found = _cue_for(finder, quotation, span, governing=embedded)
        continues = False
        if found is None and previous is not None and not embedded:
            prev_q, prev_speaker = previous
            same_paragraph = _paragraph_of(text, prev_q.start) == _paragraph_of(text, quotation.start)
            carried = (not prev_q.closed and _paragraph_of(text, quotation.start)[0] == quotation.start
                       and prev_q.end + 1 == quotation.start)
            if same_paragraph or carried or (last_seen is prev_q and _next_quote_paragraph(text, prev_q, quotation)):
                found = (prev_speaker, None)
                continues = not same_paragraph
        last_seen = quotation
        if found is None:
            continue
        speaker, cue = found
        rows.append(_Row(quotation.start, quotation.end, speaker, cue, True, embedded, continues))
        previous = (quotation, speaker)
    return rows


def _next_quote_paragraph(text: str, before: Quotation, quotation: Quotation) -> bool:
    """``quotation`` is a paragraph of its own, right after the paragraph whose last quotation is
    ``before``: in news, the same speaker going on ("“A,” said X.\n\n“B.”")."""
    start, end = _paragraph_of(text, quotation.start)
    if start != quotation.start or text[quotation.end:end].strip() not in ("", ".", ","):
        return False
    prev_start, prev_end = _paragraph_of(text, before.start)
    return prev_end < start and text[prev_end:start].strip() == ""


def _stands_alone(text: str, start: int) -> bool:
    """A quotation that is an utterance, not words inside a sentence ("called it “a tragedy”")."""
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip(" \t\u00a0")
    return not before or before[-1] in ",:.!?—–-(;" or before.endswith(("''", "”", '"'))


def _cue_for(finder: SpeakerFinder, quotation: Quotation, span, *,
             governing: bool = False) -> Optional[Tuple[Speaker, Optional[str]]]:
    """The speaker and cue of a quotation from its own sentences, or the sentence before ending in ':'.

    With ``governing`` (a quotation inside a sentence), only a cue whose clause holds the quotation.
    """
    sentences, within = {}, range(0)
    for token in span:   # a token's sentence is costly to build: once per sentence, not per token
        if token.i not in within:
            sentence = token.sent
            sentences.setdefault(sentence.start, sentence)
            within = range(sentence.start, sentence.end)
    start, end = _paragraph_of(finder.text, quotation.start)
    candidates = []
    for sentence in sentences.values():
        for token in sentence:
            if quotation.start <= token.idx < quotation.end or not start <= token.idx < end:
                continue
            subject = None
            if finder.introduces_quotation(token):
                subject = finder.subject_of(token)
                cue = token.text
            elif finder.according_to(token) is not None:
                subject, cue = finder.according_to(token), "according to"
            if subject is None or quotation.start <= subject.idx < quotation.end:
                continue
            governs = token.is_ancestor(span.root) if span.root is not token else False
            if governing and not governs:
                continue
            distance = min(abs(token.idx - quotation.start), abs(token.idx - quotation.end))
            candidates.append((not governs, distance, subject, cue))
    for _governs, _distance, subject, cue in sorted(candidates, key=lambda c: (c[0], c[1])):
        speaker = finder.speaker_of(subject)
        if speaker is not None:
            return speaker, cue
    if governing:
        return None
    text = finder.text
    if text[start:quotation.start].strip() == "" and text[quotation.end:end].strip() == "" and end < len(text):
        # A quotation alone on its line, the sentence going on below: "“…,”\na source close to X said."
        following = text.find("\n", end + 1)
        following = len(text) if following < 0 else following
        if text[end + 1:following][:1].islower():
            below = finder.doc.char_span(end + 1, following, alignment_mode="expand")
            first_sentence = next(iter(below.sents), None) if below is not None else None
            for token in first_sentence or ():
                if finder.introduces_quotation(token):
                    subject = finder.subject_of(token)
                    speaker = finder.speaker_of(subject) if subject is not None else None
                    if speaker is not None:
                        return speaker, token.text
                    break
    # "Trump said:" on the line before, or earlier in the paragraph
    before = finder.text[:quotation.start].rstrip()
    if before.endswith((":", ",")) and (before.endswith(":") or text[len(before):quotation.start].count("\n")):
        colon = finder.doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
        if colon is not None:
            for token in reversed(list(colon.sent)):
                if finder.introduces_quotation(token):
                    subject = finder.subject_of(token)
                    speaker = finder.speaker_of(subject) if subject is not None else None
                    if speaker is not None:
                        return speaker, token.text
    return None


def _merge_interrupted(text: str, rows: List[_Row]) -> List[_Row]:
    """One row for a quotation that its attribution interrupts ("“A,” she said, “B.”"), and for one that
    goes on in the paragraphs after it (unclosed, or a new paragraph that is only a quotation)."""
    merged: List[_Row] = []
    for row in rows:
        last = merged[-1] if merged else None
        if last is not None and last.speaker.name == row.speaker.name and (row.continues or (
                not (last.embedded or row.embedded)
                and _paragraph_of(text, last.start) == _paragraph_of(text, row.start)
                and len(text[last.end:row.start].split()) <= MAX_INTERRUPTION_WORDS
                and last.speaker.start >= last.end and last.speaker.end <= row.start)):
            merged[-1] = last._replace(end=row.end, cue=last.cue or row.cue)
            continue
        merged.append(row)
    return merged


#: Prepositions that attach a direct object's predicate to the verb ("described X as Y", "accused X of Z").
_PREDICATE_PREPOSITIONS = frozenset({"as", "of", "for"})


def _verb_content(finder: SpeakerFinder, token) -> Tuple[Optional[list], str]:
    """The tokens a cue verb introduces, by the complements its cue entry allows: its clause ("said
    that S"), a direct object with its predicate ("called X Y", "described X as Y", "accused X of Z"),
    its open clause ("vowed to fight", "urged Y to leave"), "called on Y to Z", "called for Y", "talked
    about Y", the
    sentence it interrupts ("S, X said"), or its direct object ("denied the allegations"); and the
    preposition that belongs to the cue ("for" in "called for"), or ""."""
    lemma = token.lemma_.lower()
    cues = finder.cues
    children = list(token.children)
    clauses = [c for c in children if c.dep_ == "ccomp"]
    objects = [c for c in children if c.dep_ == "dobj"]
    intents = [c for c in children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
    predicates = [c for c in children if c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in _PREDICATE_PREPOSITIONS
                                                               and any(p.dep_ == "pobj" for p in c.children))]
    if clauses and cues.takes(lemma, "clause"):
        return [t for t in clauses[0].subtree if not (t.dep_ == "mark" and t.head == clauses[0])], ""
    if objects and predicates and predicates[0].i > objects[0].i:
        return list(objects[0].subtree) + list(predicates[0].subtree), ""
    if len(objects) > 1 and cues.verbs.get(lemma) == "speech":   # "calling him “a feminist”", parsed as two objects
        return list(objects[0].subtree) + list(objects[1].subtree), ""
    if intents and cues.takes(lemma, "intent"):
        return (list(objects[0].subtree) if objects else []) + list(intents[0].subtree), ""
    if intents and cues.takes(lemma, "on"):
        ons = [c for c in children if c.dep_ == "prep" and c.lower_ in ("on", "upon")]
        if ons and ons[0].i < intents[0].i:
            return ([t for c in ons[0].children if c.dep_ == "pobj" for t in c.subtree] + list(intents[0].subtree),
                    ons[0].lower_)
    for particle in ("for", "about"):   # "called for a ban", "talked about the economy"
        if not cues.takes(lemma, particle):
            continue
        for word in (c for c in children if c.lower_ == particle and c.dep_ == "prep" and c.i > token.i):
            found = [t for c in word.children if c.dep_ in ("pobj", "pcomp") for t in c.subtree]
            if found:
                return found, particle
    if cues.takes(lemma, "for"):
        for clause in (c for c in children if c.dep_ == "advcl"):   # "called for Clinton to be prosecuted"
            marks = [m for m in clause.children if m.dep_ == "mark" and m.lower_ == "for"]
            if marks:
                return [t for t in clause.subtree if t.i != marks[0].i], "for"
    if token.dep_ == "parataxis" and cues.verbs.get(lemma) in ("speech", "thought"):   # "S, X said.", "S1, X said, S2"
        return [t for t in token.head.subtree if not (token.left_edge.i <= t.i <= token.right_edge.i)], ""
    if cues.takes(lemma, "object"):   # "X denied the allegations"
        objects = [c for c in objects if c.pos_ != "PRON"]
        if objects:
            return list(objects[0].subtree), ""
    return None, ""


#: Words a line needs after "Name:" to be a statement given to that name ("Kasich: ‘We are going to Cleveland.’").
MIN_HEADLINE_WORDS = 3


def _headline_rows(finder: SpeakerFinder) -> List[_Row]:
    """A line that opens with a name and a colon, the headline way of attributing: "Graham: Trump's
    rhetoric is destroying the party's chance." The content is the rest of the line."""
    text, rows = finder.text, []
    for ent in finder.ents:
        if ent.label_ not in ("PERSON", "ORG") or (ent.start_char and text[ent.start_char - 1] != "\n"):
            continue
        if text[ent.end_char:ent.end_char + 2] != ": ":
            continue
        end = text.find("\n", ent.end_char)
        start, end = _trimmed(text, ent.end_char + 2, len(text) if end < 0 else end)
        while end > start and text[end - 1] in ".!":
            end -= 1
        if len(text[start:end].split()) < MIN_HEADLINE_WORDS:
            continue
        speaker = finder.speaker_of(ent.root)
        if speaker is not None:
            rows.append(_Row(start, end, speaker, ":", False))
    return rows


def _relative_object(first, cue) -> bool:
    """``first`` is a relative pronoun that is the cue's own object ("that" in "the ban that X pushed for")."""
    return first.tag_ in ("WDT", "WP") and (first.head.i == cue.i or (first.head.dep_ == "prep"
                                                                      and first.head.head.i == cue.i))


def _reported_rows(finder: SpeakerFinder, quotations: Sequence[Quotation]) -> List[_Row]:
    doc, text = finder.doc, finder.text
    rows: List[_Row] = []
    starts = [q.start for q in quotations]
    # the tokens a row can hang on: a cue verb, a cue noun, "according (to)"
    for token in tokens_with(doc, pos=("VERB", "AUX", "NOUN"), lower=("according",)):
        if (not finder.cues.is_cue(token.lemma_.lower()) and token.lower_ != "according") \
                or _inside(token.idx, quotations, starts):
            continue   # no cue: nothing below can make a row of it
        content_tokens, subject, cue = None, None, None
        kind = finder.cue_kind(token)
        passive_agents = [p for c in token.children if c.dep_ == "agent" for p in c.children
                          if p.dep_ == "pobj"] if kind else []
        if kind and passive_agents:   # "the plan was criticized by X"
            patients = [c for c in token.children if c.dep_ == "nsubjpass"]
            if patients and patients[0].pos_ != "PRON":
                content_tokens, subject, cue = list(patients[0].subtree), passive_agents[0], token.text
        elif kind and any(c.dep_ == "neg" for c in token.children):
            continue   # "X did not say S", "X doesn't want to run": S is not X's
        elif kind and token.dep_ == "xcomp" and finder.cue_kind(token.head):
            continue   # "declined to confirm S", "plans to push for S": the outer cue's row holds it
        elif kind:
            content_tokens, particle = _verb_content(finder, token)
            subject, cue = finder.subject_of(token), f"{token.text} {particle}" if particle else token.text
        elif token.pos_ == "NOUN" and token.lemma_.lower() in finder.cues.nouns:
            # "X's claim that S", "the warning by X that S", "in X's view, S"
            owners = [c for c in token.children if c.dep_ == "poss"]
            owners += [p for c in token.children if c.dep_ == "prep" and c.lower_ == "by"
                       for p in c.children if p.dep_ == "pobj"]
            clauses = [c for c in token.children if c.dep_ in ("acl", "ccomp") and
                       any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
            if owners and clauses:
                content_tokens = [t for t in clauses[0].subtree if not (t.dep_ == "mark" and t.head == clauses[0])]
                subject, cue = owners[0], token.text
            elif (owners and token.head.lower_ == "in" and token.head.dep_ == "prep"
                  and finder.cues.nouns[token.lemma_.lower()] == "thought_noun"):
                head = token.head.head
                prep = set(t.i for t in token.head.subtree)
                content_tokens = [t for t in head.subtree if t.i not in prep]
                subject, cue = owners[0], f"in {token.text}"
        elif finder.according_to(token) is not None:
            head = token.head
            prep = set(t.i for t in token.subtree)
            content_tokens = [t for t in head.subtree if t.i not in prep]
            subject, cue = finder.according_to(token), "according to"
        if not content_tokens or subject is None or _relative_object(content_tokens[0], token):
            continue   # no content, no speaker, or a relative pronoun ("the ban that Cruz has pushed for")
        # A cue verb coordinated inside the content ("said that S and predicted that T") has its own row.
        nested = {t.i for c in content_tokens if c.dep_ == "conj" and finder.cue_kind(c) and c.i != token.i
                  for t in c.subtree}
        if any(t.i == subject.i for t in content_tokens):   # the speaker parsed inside the words: not said by them
            nested |= {t.i for t in subject.subtree}
        content_tokens = sorted((t for t in content_tokens if not t.is_space and t.i not in nested), key=lambda t: t.i)
        while content_tokens and content_tokens[-1].is_punct and not set(content_tokens[-1].text) & _CLOSING:
            content_tokens.pop()   # the sentence's full stop, after "…, according to X."
        while content_tokens and content_tokens[0].is_punct and not set(content_tokens[0].text) & _OPENING:
            content_tokens.pop(0)
        if not content_tokens or sum(t.is_alpha for t in content_tokens) < 2:
            continue
        start, end = _trimmed(text, *_span_chars(content_tokens))
        if end <= start or _mostly_quoted(text, start, end, quotations):
            continue   # a quotation: its direct row has it
        speaker = finder.speaker_of(subject)
        if speaker is None:
            continue
        rows.append(_Row(start, end, speaker, cue, False, kind=kind or "speech"))
    return rows


def extract_quotes(doc, mentions: Sequence[ActorMention], *, article_id: str, cues: AttributionCues, cast: Cast,
                   role_nouns: frozenset = frozenset(), content_sha256: str = "", text: Optional[str] = None,
                   ents: Optional[Sequence] = None) -> Tuple[List[QuoteRecord], int]:
    """Every direct quote and reported statement in one parsed article.

    Args:
        doc: the article parsed (tagger, parser, NER, line-break sentences); text is ``articles.text``.
        mentions: the article's actors (:meth:`transforms.extract.who.Cast.actor_mentions`), for codes.
        article_id: the article's id.
        cues: from :meth:`AttributionCues.load`.
        cast: the article's who-is-who (:func:`transforms.extract.who.read_cast`): who a title or a
            pronoun stands for.
        role_nouns: lemmas of nouns that name a person or group by role ("spokesman", "official").
        text: ``doc.text`` when the caller has it; ``ents`` ``doc.ents``.

    Returns:
        the rows, sorted by position, and how many pronoun speakers could not be resolved.
    """
    text = doc.text if text is None else text
    finder = SpeakerFinder(doc, mentions, cues, text, role_nouns, cast, ents)
    quotations = find_quotations(text)
    direct = _merge_interrupted(text, _direct_rows(finder, quotations))
    reported = _reported_rows(finder, quotations) + _headline_rows(finder)
    # A partial quotation inside reported content ("said it was “totally inappropriate”"): the reported row.
    direct = [d for d in direct if not any(r.start <= d.start and d.end <= r.end for r in reported)]
    rows = direct + reported
    records = {}
    for row in rows:
        speaker = row.speaker
        key = (row.start, row.end)
        if key in records and records[key].confidence >= speaker.confidence:
            continue
        sentence_index = max(0, bisect.bisect_right(finder.sentence_starts, row.start) - 1)
        records[key] = QuoteRecord(
            quote_id=stable_id("quote", article_id, content_sha256, str(row.start), str(row.end), speaker.name),
            article_id=article_id, sentence_index=sentence_index, char_start=row.start, char_end=row.end,
            content=text[row.start:row.end], speaker=speaker.name, speaker_code=speaker.code,
            speaker_char_start=speaker.start, speaker_char_end=speaker.end, cue=row.cue,
            is_direct=row.direct, confidence=round(speaker.confidence - _CONFIDENCE_PENALTY.get(
                "direct" if row.direct else row.kind, 0.05), 2), speaker_entity=speaker.entity)
    return sorted(records.values(), key=lambda r: (r.char_start, r.char_end)), finder.unresolved

