"""Who "I" and "you" are: the speaker of a quotation, the person an interview questions (no Beam)."""
from __future__ import annotations

import bisect
import re
from typing import List, Optional, Sequence, Tuple

from transforms.extract.tokens import tokens_with
from transforms.extract.who.cast import NAME, PERSON, PRONOUN, Cast, Draft, Entity, Mention

#: "I" and its forms: in a direct quotation, its speaker; in the answers of an interview, the person interviewed.
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
#: "We" and its forms: in a direct quotation of an organisation or a group, that organisation or group.
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
#: "You" and its forms: in the questions of an interview, the person interviewed.
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
#: Verbs whose object (or passive subject) is the person interviewed; verbs of conversation whose person is.
INTERVIEW_VERBS = frozenset({"interview", "question"})
CONVERSATION_VERBS = frozenset({"speak", "talk", "chat", "discuss", "converse"})
#: Questions, each answered on the next line, that make an article an interview.
MIN_QUESTIONS = 2
#: A headline that says the article is an interview: "Wikinews interviews ...", "An interview with ...",
#: "... talks to ...", "... tells Wikinews about ...", "Q&A: ...".
INTERVIEW_HEADLINE = re.compile(
    r"\binterview(?:s|ed)?\b|\bq\s*&\s*a\b|\b(?:talks|speaks|chats)\s+(?:to|with)\b|\btells\b"
    r"|\bin conversation with\b", re.IGNORECASE)


def interview_sieve(draft: Draft, *, headline: str = "") -> None:
    """A question-and-answer interview (at least :data:`MIN_QUESTIONS` lines that end in a question, each
    followed by a line that does not): "I", "me", "my" in the answers and "you", "your" in the questions,
    outside quotation marks, are the person the text says was interviewed before the first question, or else
    the one person of the article an interview headline names ("Wikinews interviews Aner Shalev")."""
    lines = _lines(draft.text)
    questions = [k for k, (a, b) in enumerate(lines) if draft.text[a:b].rstrip().endswith("?")]
    answered = [k for k in questions if k + 1 < len(lines) and k + 1 not in questions]
    if len(answered) < MIN_QUESTIONS:
        return
    found = _interviewed(draft, before=lines[questions[0]][0]) or _headlined(draft, headline, lines[questions[0]][0])
    if found is None:
        return   # whose words the answers are is not told
    person, told = found
    asked = set(questions)
    line_starts = [a for a, _b in lines]
    for token in tokens_with(draft.doc, lower=FIRST_PERSON | SECOND_PERSON):
        if token.i in draft.at or token.pos_ != "PRON" or draft.quotation_at(token.idx):
            continue
        line = bisect.bisect_right(line_starts, token.idx) - 1
        in_question = line in asked
        if (token.lower_ in FIRST_PERSON and not in_question and token.idx > told) or (
                token.lower_ in SECOND_PERSON and in_question):
            draft.add(person, token.i, token.i + 1, PRONOUN)


def _interviewed(draft, *, before: int) -> Optional[Tuple[Entity, int]]:
    """The person an interview verb before character ``before`` names: the object of "interviewed" (or its
    passive subject), the one who "spoke with", "talked to" or "discussed ... with" the interviewer (or the
    partner the interviewer spoke with); the first one the text gives, and the end of its sentence."""
    for verb in tokens_with(draft.doc, pos=("VERB",)):
        if verb.idx >= before:
            break
        lemma = verb.lemma_.lower()
        if lemma in INTERVIEW_VERBS:
            parties = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        elif lemma in CONVERSATION_VERBS:
            parties = [c for c in verb.children if c.dep_ == "nsubj"] + [
                p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "to")
                for p in c.children if p.dep_ == "pobj"]
        else:
            continue
        people = [draft.at[p.i] for p in parties if p.i in draft.at and draft.at[p.i].type == PERSON]
        if len(people) == 1:
            return people[0], verb.sent.end_char
    return None


#: Words in quotation marks in a headline (a byname, a title of a work): an opening mark after a space or the
#: start, a closing one before a space, punctuation or the end; an apostrophe inside a word is no mark.
QUOTED_IN_HEADLINE = re.compile(r"(?:(?<=\s)|^)['\"“‘][^'\"“”‘’]+['\"”’](?=[\s.,:;!?]|$)")


def _headlined(draft: Draft, headline: str, start: int) -> Optional[Tuple[Entity, int]]:
    """The one person of the article whose name (as the text writes it) an interview headline holds, and
    ``start`` (the first question: "I" before it is the writer's, not the interviewee's)."""
    if not INTERVIEW_HEADLINE.search(headline):
        return None
    unquoted = QUOTED_IN_HEADLINE.sub(" ", headline)   # "An Interview with the 'Mets Poet'": a byname, no one named
    people = {id(e): e for e in draft.entities for m in e.mentions if e.type == PERSON and m.kind == NAME
              and re.search(r"(?<!\w)" + re.escape(draft.doc[m.start:m.end].text) + r"(?!\w)", unquoted)}
    return (next(iter(people.values())), start) if len(people) == 1 else None


def _lines(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each non-empty line of ``text``."""
    out, start = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def add_quoted_speakers(cast: Cast, doc, quotes: Sequence) -> None:
    """"I", "me", "my" inside a direct quotation are mentions of its speaker's entity (the ``quotes`` rows, whose
    speakers were read with ``cast``), and "we", "us", "our" when the speaker is an organisation or a group ("The
    Home Office letter reads: 'we may extend ...'"); added to ``cast`` in place."""
    by_key = {entity.key: entity for entity in cast.entities}
    direct = [q for q in quotes if q.is_direct and q.speaker_entity in by_key]
    if not direct:
        return
    for token in tokens_with(doc, lower=FIRST_PERSON | FIRST_PLURAL):
        if token.i in cast.entity_at or token.pos_ != "PRON":
            continue
        quote = next((q for q in direct if q.char_start <= token.idx < q.char_end), None)
        if quote is not None and (token.lower_ in FIRST_PERSON) == (by_key[quote.speaker_entity].type == PERSON):
            entity = by_key[quote.speaker_entity]
            entity.mentions.append(Mention(token.i, token.i + 1, PRONOUN))
            entity.mentions.sort(key=lambda m: m.start)
            cast.entity_at[token.i] = entity
