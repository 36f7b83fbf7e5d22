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

Cue verbs are data (``attribution_cues.v1.tsv``, from Levin's verb classes). A speaker is a named
entity (its canonical name in the article), a noun phrase naming a person or group by role ("a
campaign spokesman", "Trump's aides"), or a pronoun ("he", "she") resolved to the last person who was
a speaker or subject in the sentences just before; when that is not certain, the row is not written
and counted as unresolved (precision first). Other pronouns and words ("it", "they", "who" without a
head, "book") are never speakers.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

from schemas import QuoteRecord
from transforms.common.data_files import data_lines
from transforms.common.ids import stable_id
from transforms.extract.actor_index import ActorIndex
from transforms.extract.actors import ActorMention
from transforms.extract.entities import canonical_names, mentions_from_doc

DATA = "transforms.extract.data"
CUES_FILE = "attribution_cues.v1.tsv"
SPEAKER_NOUNS_FILE = "speaker_nouns.supplement.v1.txt"
TITLES_FILE = "title_abbreviations.v1.tsv"
KINDS = frozenset({"speech", "thought", "speech_noun", "thought_noun"})
#: (opening, closing) quotation marks, longest first.
QUOTE_MARKS = (("``", "''"), ("''", "''"), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ('"', '"'), ("'", "'"))
#: A quotation inside a sentence ("called it “a disaster”") is a statement from this many words on.
MIN_PARTIAL_QUOTE_WORDS = 4
#: Words between two quotations of one speaker that the attribution may take ("“A,” she said, “B.”").
MAX_INTERRUPTION_WORDS = 15
#: The most words a speaker named by a noun phrase keeps ("a source close to the discussions").
MAX_SPEAKER_WORDS = 8
#: Sentences before a pronoun in which its antecedent is looked for.
ANTECEDENT_SENTENCES = 3
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
MALE, FEMALE = "male", "female"
_PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "she": FEMALE, "her": FEMALE}
_TITLE_GENDER = {"mr": MALE, "mr.": MALE, "mrs": FEMALE, "mrs.": FEMALE, "ms": FEMALE, "ms.": FEMALE,
                 "miss": FEMALE}
_OPENS_AFTER = set(" \t\n([{—–-/:;,") | {""}
_CLOSES_BEFORE = set(" \t\n)]}.,;:!?—–-…")
_EDGE = " \t\n,;:"


class AttributionDataError(ValueError):
    """The attribution cue file is malformed."""


def title_nouns() -> Dict[str, str]:
    """Abbreviated titles and the role noun each stands for ("sen." -> "senator")."""
    pairs = [line.split("\t") for line in data_lines(DATA, TITLES_FILE) if line.strip() and not line.startswith("#")]
    return {abbreviation.strip().lower(): noun.strip().lower() for abbreviation, noun in pairs}


def speaker_nouns(lexicon) -> frozenset:
    """Nouns that name a person by role: the single-word agents of the actor lexicon (multi-word
    agents end in words such as "position" or "exile") and the packaged supplement."""
    words = {phrase[0].lower() for phrase in lexicon.agents if len(phrase) == 1}
    words |= {line.strip().lower() for line in data_lines(DATA, SPEAKER_NOUNS_FILE)
              if line.strip() and not line.startswith("#")}
    return frozenset(words)


@dataclass(frozen=True)
class AttributionCues:
    """Cue verbs by lemma (``speech`` or ``thought``), the verbs whose direct object is what was
    said ("denied the allegations", not "maintained momentum"), and cue nouns (``claim``, ``view``)."""
    verbs: Dict[str, str]
    nouns: Dict[str, str]
    object_verbs: frozenset = frozenset()

    @classmethod
    def load(cls) -> "AttributionCues":
        """The packaged cues.

        Raises:
            AttributionDataError: a row without a lemma and a known kind, or no version line.
        """
        lines = data_lines(DATA, CUES_FILE)
        if not any(line.startswith("# version\t") for line in lines):
            raise AttributionDataError(f"{CUES_FILE}: no '# version' line")
        verbs, nouns, object_verbs = {}, {}, set()
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2 or fields[1] not in KINDS:
                raise AttributionDataError(f"{CUES_FILE}:{number}: needs a lemma and a kind in {sorted(KINDS)}")
            lemma = fields[0].strip().lower()
            (nouns if fields[1].endswith("_noun") else verbs)[lemma] = fields[1]
            if len(fields) > 3 and fields[3].strip() == "object":
                object_verbs.add(lemma)
        return cls(verbs, nouns, frozenset(object_verbs))


class Quotation(NamedTuple):
    """Characters ``[start, end)`` of a quotation with its marks; ``closed`` is False when it ran to
    the end of its paragraph."""
    start: int
    end: int
    closed: bool


def _opens(text: str, i: int, mark: str) -> bool:
    if not text.startswith(mark, i):
        return False
    before = text[i - 1] if i else ""
    after = text[i + len(mark)] if i + len(mark) < len(text) else ""
    if mark == "'":   # only before a letter at a word start ("it's", "the '90s" are not quotes)
        return before in _OPENS_AFTER and after.isalpha()
    if mark in ('"', "''"):   # straight marks: only at a word start (5'11" is not a quote)
        return before in _OPENS_AFTER and bool(after) and not after.isspace() and (after.isalnum() or after in "‘'\"“$…(")
    if mark == "‘" or mark == "’":
        return before in _OPENS_AFTER and bool(after) and not after.isspace()
    return bool(after) and not after.isspace()


def _closes(text: str, i: int, mark: str) -> bool:
    if not text.startswith(mark, i):
        return False
    before = text[i - 1] if i else ""
    after = text[i + len(mark)] if i + len(mark) < len(text) else ""
    if mark in ("'", "’"):   # not an apostrophe: "don't", "Trump's", "the '90s"
        return bool(before) and not before.isspace() and (after == "" or after in _CLOSES_BEFORE or after in "\"”")
    return bool(before) and not before.isspace()


def find_quotations(text: str) -> List[Quotation]:
    """Every quotation in ``text``, paragraph by paragraph, in text order."""
    found: List[Quotation] = []
    start = 0
    for line in text.split("\n"):
        i = 0
        while i < len(line):
            mark = next((m for m in QUOTE_MARKS if _opens(line, i, m[0])), None)
            if mark is None:
                i += 1
                continue
            opening, closing = mark
            j = i + len(opening)
            while j < len(line) and not _closes(line, j, closing):
                j += 1
            if j < len(line) and (opening != "'" or sum(c.isalpha() for c in line[i:j]) > 1):
                found.append(Quotation(start + i, start + j + len(closing), True))
                i = j + len(closing)
            elif j < len(line):
                i += len(opening)   # "rock 'n' roll"
            elif opening in ("“", "``", "«", "„") or (opening == '"' and i == 0):
                found.append(Quotation(start + i, start + len(line), False))   # runs on to the next paragraph
                break
            else:
                i += len(opening)   # a stray straight mark or apostrophe
        start += len(line) + 1
    return found


@dataclass
class Speaker:
    name: str
    code: Optional[str]
    start: int          # characters of the words that name or refer to the speaker
    end: int
    confidence: float
    is_person: bool


class QuoteFinder:
    """The speakers and quotes of one article; build one per article."""

    def __init__(self, doc, mentions: Sequence[ActorMention], cues: AttributionCues, text: str,
                 role_nouns: frozenset):
        self.doc = doc
        self.role_nouns = role_nouns
        self.text = text
        self.cues = cues
        self.index = ActorIndex(mentions)
        self.sentences = list(doc.sents)
        self.sentence_starts = [s.start_char for s in self.sentences]
        entity_mentions = mentions_from_doc(doc, labels=SPEAKER_LABELS)
        self.names = canonical_names(entity_mentions)
        self.entity_at = {ent.start_char: ent for ent in doc.ents if ent.label_ in SPEAKER_LABELS}
        self.gender: Dict[str, str] = {}
        self.titled = self._titled_people(title_nouns())
        self.unresolved = 0
        self.speakers: List[Tuple[int, Speaker]] = []   # (character, speaker) of every person speaker found

    # --- speakers -----------------------------------------------------------------------------
    def _entity_of(self, token):
        if token.ent_type_ not in SPEAKER_LABELS:
            return None
        for ent in token.sent.ents:
            if ent.start <= token.i < ent.end:
                return ent if ent.start_char in self.entity_at and "\n" not in ent.text else None
        return None

    def _code(self, token) -> Optional[str]:
        codes = [m.code for m in self.index.of(token) if m.code]
        return codes[0] if codes else None

    def speaker_of(self, token) -> Optional[Speaker]:
        """Who ``token`` (a subject, or the object of "according to") names, or None."""
        lower = token.lower_
        if lower in ("who", "that") and token.head.dep_ == "relcl":   # "X, who said ...": X, referred to by "who"
            head = self.speaker_of(token.head.head)
            if head is not None:
                head.start, head.end = token.idx, token.idx + len(token.text)
            return head
        if lower in _PRONOUN_GENDER and token.pos_ == "PRON":
            return self._antecedent(token)
        if token.pos_ == "PRON" or token.like_num:
            return None
        if token.lemma_.lower() in self.cues.nouns:   # "according to Trump's remarks": Trump
            owners = [c for c in token.children if c.dep_ == "poss"]
            return self.speaker_of(owners[0]) if owners else None
        ent = self._entity_of(token)
        if ent is not None:
            name = self.names.get(ent.start_char)
            if not name:
                return None
            person = ent.label_ == "PERSON"
            if person:
                self._note_gender(ent, name)
            return Speaker(name, self._code(token), ent.start_char, ent.end_char, 0.9, person)
        if token.pos_ == "PROPN":
            return self._unlabelled_name(token)
        if token.pos_ != "NOUN":
            return None
        return self._nominal(token)

    def _unlabelled_name(self, token) -> Optional[Speaker]:
        """A proper noun the model gave no entity label: the actor it is, else the person of the
        article whose name ends with it, else the name as written."""
        chain = sorted([token] + [c for c in token.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"],
                       key=lambda t: t.i)
        if chain[-1].i - chain[0].i + 1 != len(chain):
            chain = [token]
        start, end = chain[0].idx, chain[-1].idx + len(chain[-1].text)
        people = [m for m in self.index.of(token) if m.is_person and m.code]
        if people:
            return Speaker(people[0].name, people[0].code, start, end, 0.85, True)
        written = " ".join(t.text for t in chain)
        full = {name for name in self.names.values() if name.split()[-1] == written.split()[-1] and name != written}
        name = full.pop() if len(full) == 1 else written
        return Speaker(name, self._code(token), start, end, 0.8, True)

    def _nominal(self, token) -> Optional[Speaker]:
        """A noun phrase that names a person or group by role: "a campaign spokesman", "Trump's aides"."""
        for child in token.children:   # "the campaign chairman, John Podesta"
            if child.dep_ == "appos":
                ent = self._entity_of(child)
                if ent is not None and ent.label_ == "PERSON":
                    return self.speaker_of(child)
        left = [t for t in token.subtree if t.i <= token.i]
        left = left[next((k for k, t in enumerate(left) if t.dep_ not in ("det", "punct", "cc")), 0):]
        # short modifiers after the noun: "a source close to the discussions", "officials in Moscow"
        right = [t for c in token.rights if c.dep_ in ("amod", "prep") for t in c.subtree]
        phrase = left + (right if len(left) + len(right) <= MAX_SPEAKER_WORDS and right
                         and right[0].i == token.i + 1 else [])
        words = " ".join(t.text for t in phrase).replace(" 's", "'s").replace(" ’s", "’s")
        if token.lemma_.lower() not in self.role_nouns and not any(self._entity_of(t) for t in left):
            return None
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
        earlier = self._role_antecedent(token)
        if earlier is not None:   # "the senator", after "Sen. Mark Warner"
            return Speaker(earlier[0], earlier[1], start, end, 0.75, True)
        people = [m for m in self.index.of(token) if m.is_person and m.code]
        if len(people) == 1:   # "the former president", resolved by the actors to the one person it names
            return Speaker(people[0].name, people[0].code, start, end, 0.75, True)
        return Speaker(words, self._code(token), start, end, 0.7, False)

    def _titled_people(self, abbreviations: Dict[str, str]) -> List[Tuple[int, str, str, Optional[str]]]:
        """(character, role noun, name, code) of every person the text names after a title:
        "Sen. Mark Warner", "Governor Terry McAuliffe", "Secretary of State John Kerry" (the head noun)."""
        found = []
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or ent.start == 0:
                continue
            before = self.doc[ent.start - 1]
            noun = abbreviations.get(before.lower_) or (before.lemma_.lower() if before.lemma_.lower()
                                                         in self.role_nouns else None)
            name = self.names.get(ent.start_char)
            if noun and name:
                found.append((ent.start_char, noun, name, self._code(ent.root)))
        return found

    def _role_antecedent(self, token) -> Optional[Tuple[str, Optional[str]]]:
        """"The senator": the one person named earlier with that title, if there is exactly one."""
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) or token.tag_ != "NN":
            return None
        if any(c.dep_ in ("amod", "compound", "poss", "prep") for c in token.children):
            return None   # "the former senator", "the state's senator": another person may be meant
        people = {(name, code) for char, noun, name, code in self.titled
                  if char < token.idx and noun == token.lemma_.lower()}
        return people.pop() if len(people) == 1 else None

    def _note_gender(self, ent, name: str) -> None:
        before = self.doc[ent.start - 1].lower_ if ent.start else ""
        if before in _TITLE_GENDER:
            self.gender.setdefault(name, _TITLE_GENDER[before])

    def _antecedent(self, pronoun) -> Optional[Speaker]:
        """The last person who spoke or was a subject in the sentences just before ``pronoun``."""
        gender = _PRONOUN_GENDER[pronoun.lower_]
        number = bisect.bisect_right(self.sentence_starts, pronoun.idx) - 1
        first = self.sentences[max(0, number - ANTECEDENT_SENTENCES)].start_char
        candidates: List[Tuple[int, str, Optional[str]]] = []
        for char, speaker in self.speakers:
            if first <= char < pronoun.idx and speaker.is_person:
                candidates.append((char, speaker.name, speaker.code))
        for ent in self.doc.ents:
            if ent.label_ != "PERSON" or not first <= ent.start_char < pronoun.idx:
                continue
            if ent.root.dep_ in ("nsubj", "nsubjpass") or (ent.root.dep_ in ("compound", "appos")
                                                          and ent.root.head.dep_ in ("nsubj", "nsubjpass")):
                name = self.names.get(ent.start_char)
                if name:
                    self._note_gender(ent, name)
                    candidates.append((ent.start_char, name, self._code(ent.root)))
        for token in self.doc[self.sentences[max(0, number - ANTECEDENT_SENTENCES)].start:pronoun.i]:
            if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ == "PROPN":   # a person the NER missed
                people = [m for m in self.index.by_token.get(token.i, []) if m.is_person and m.code
                          and m.resolved_from == "dictionary"]
                if people:
                    candidates.append((token.idx, people[0].name, people[0].code))
        candidates = [c for c in sorted(candidates) if self.gender.get(c[1], gender) == gender]
        if not candidates:
            self.unresolved += 1
            return None
        _char, name, code = candidates[-1]
        self.gender.setdefault(name, gender)
        return Speaker(name, code, pronoun.idx, pronoun.idx + len(pronoun.text), 0.75, True)

    # --- cues -----------------------------------------------------------------------------------
    def cue_kind(self, token) -> Optional[str]:
        if token.pos_ not in ("VERB", "AUX"):
            return None
        return self.cues.verbs.get(token.lemma_.lower())

    def subject_of(self, verb):
        """The subject of a cue verb, inherited from the verb it is coordinated with ("X met Y and said")
        or that its participle hangs on ("X endorsed Cruz, saying ...")."""
        current = verb
        for _ in range(3):
            subjects = [c for c in current.children if c.dep_ == "nsubj"]
            if subjects:
                return subjects[0]
            if current.dep_ == "acl" and current.head.i < current.i and current.head.pos_ in ("PROPN", "NOUN"):
                return current.head   # "X, a senior adviser, tweeted:" parsed as a clause on X
            participle = current.dep_ == "advcl" and current.tag_ == "VBG"
            if (current.dep_ in ("conj", "xcomp") or participle) and current.head is not current:
                current = current.head
                continue
            return None
        return None

    @staticmethod
    def according_to(token):
        """The object of "according to" when ``token`` is "according"."""
        if token.lower_ != "according" or token.i + 1 >= len(token.doc) or token.nbor().lower_ != "to":
            return None
        objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
        return objects[0] if objects else None


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


def _inside(char: int, spans: Sequence[Quotation]) -> bool:
    return any(q.start <= char < q.end for q in spans)


def _quoted_share(start: int, end: int, spans: Sequence[Quotation]) -> float:
    covered = sum(max(0, min(end, q.end) - max(start, q.start)) for q in spans)
    return covered / max(1, end - start)


def _paragraph_of(text: str, char: int) -> Tuple[int, int]:
    start = text.rfind("\n", 0, char) + 1
    end = text.find("\n", char)
    return start, len(text) if end < 0 else end


def _direct_rows(finder: QuoteFinder, quotations: Sequence[Quotation]) -> List[_Row]:
    doc, text = finder.doc, finder.text
    rows: List[_Row] = []
    previous: Optional[Tuple[Quotation, Speaker]] = None
    for quotation in quotations:
        span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
        if span is None or not any(t.is_alpha for t in span):
            continue
        embedded = not _stands_alone(text, quotation.start)
        if embedded and len(text[quotation.start:quotation.end].split()) < MIN_PARTIAL_QUOTE_WORDS:
            continue   # a name, a title or a scare-quoted word, not a statement
        found = _cue_for(finder, quotation, span, governing=embedded)
        if found is None and previous is not None and not embedded:
            prev_q, prev_speaker = previous
            same_paragraph = _paragraph_of(text, prev_q.start) == _paragraph_of(text, quotation.start)
            carried = (not prev_q.closed and _paragraph_of(text, quotation.start)[0] == quotation.start
                       and prev_q.end + 1 == quotation.start)
            if same_paragraph or carried:
                found = (prev_speaker, None)
        if found is None:
            continue
        speaker, cue = found
        rows.append(_Row(quotation.start, quotation.end, speaker, cue, True, embedded))
        previous = (quotation, speaker)
        if speaker.is_person:
            finder.speakers.append((quotation.start, speaker))
    return rows


def _stands_alone(text: str, start: int) -> bool:
    """A quotation that is an utterance, not words inside a sentence ("called it “a tragedy”")."""
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip(" \t\u00a0")
    return not before or before[-1] in ",:.!?—–-(;" or before.endswith(("''", "”", '"'))


def _cue_for(finder: QuoteFinder, quotation: Quotation, span, *,
             governing: bool = False) -> Optional[Tuple[Speaker, Optional[str]]]:
    """The speaker and cue of a quotation from its own sentences, or the sentence before ending in ':'.

    With ``governing`` (a quotation inside a sentence), only a cue whose clause holds the quotation.
    """
    sentences = {t.sent.start: t.sent for t in span}
    start, end = _paragraph_of(finder.text, quotation.start)
    candidates = []
    for sentence in sentences.values():
        for token in sentence:
            if quotation.start <= token.idx < quotation.end or not start <= token.idx < end:
                continue
            subject = None
            if finder.cue_kind(token):
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
                if finder.cue_kind(token):
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
                if finder.cue_kind(token):
                    subject = finder.subject_of(token)
                    speaker = finder.speaker_of(subject) if subject is not None else None
                    if speaker is not None:
                        return speaker, token.text
    return None


def _merge_interrupted(text: str, rows: List[_Row]) -> List[_Row]:
    """One row for a quotation that its attribution interrupts: "“A,” she said, “B.”"."""
    merged: List[_Row] = []
    for row in rows:
        last = merged[-1] if merged else None
        if (last is not None and last.speaker.name == row.speaker.name and not (last.embedded or row.embedded)
                and _paragraph_of(text, last.start) == _paragraph_of(text, row.start)
                and len(text[last.end:row.start].split()) <= MAX_INTERRUPTION_WORDS
                and last.speaker.start >= last.end and last.speaker.end <= row.start):
            merged[-1] = last._replace(end=row.end, cue=last.cue or row.cue)
            continue
        merged.append(row)
    return merged


def _reported_rows(finder: QuoteFinder, quotations: Sequence[Quotation]) -> List[_Row]:
    doc, text = finder.doc, finder.text
    rows: List[_Row] = []
    for token in doc:
        if _inside(token.idx, quotations):
            continue
        content_tokens, subject, cue = None, None, None
        kind = finder.cue_kind(token)
        passive_agents = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
        if kind and passive_agents:   # "the plan was criticized by X"
            patients = [c for c in token.children if c.dep_ == "nsubjpass"]
            if patients and patients[0].pos_ != "PRON":
                content_tokens, subject, cue = list(patients[0].subtree), passive_agents[0], token.text
        elif kind:
            clauses = [c for c in token.children if c.dep_ == "ccomp"]
            intents = [c for c in token.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")]
            fors = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "for"]
            if clauses:
                content_tokens = [t for t in clauses[0].subtree if not (t.dep_ == "mark" and t.head == clauses[0])]
            elif token.lemma_.lower() in ("accuse", "charge", "blame", "criticize", "criticise", "praise"):
                objects = [c for c in token.children if c.dep_ == "dobj"]
                reasons = [c for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
                if objects and reasons:
                    content_tokens = list(objects[0].subtree) + list(reasons[0].subtree)
            elif intents:   # "X vowed to fight", "X urged Y to leave"
                objects = [c for c in token.children if c.dep_ == "dobj"]
                content_tokens = (list(objects[0].subtree) if objects else []) + list(intents[0].subtree)
            elif token.dep_ == "parataxis":   # "S, X said." and "S1, X said, S2"
                content_tokens = [t for t in token.head.subtree if not (token.left_edge.i <= t.i <= token.right_edge.i)]
            elif token.lemma_.lower() in finder.cues.object_verbs:   # "X denied the allegations"
                objects = [c for c in token.children if c.dep_ == "dobj" and c.pos_ != "PRON"]
                if objects:
                    content_tokens = list(objects[0].subtree)
            subject, cue = finder.subject_of(token), token.text
        elif token.lemma_.lower() == "call" and token.pos_ == "VERB":
            fors = [c for c in token.children if c.dep_ == "prep" and c.lower_ == "for"]
            objects = [c for f in fors for c in f.children if c.dep_ == "pobj"]
            if objects:
                content_tokens, subject, cue = list(objects[0].subtree), finder.subject_of(token), "called for"
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
        if not content_tokens or subject is None:
            continue
        # A cue verb coordinated inside the content ("said that S and predicted that T") has its own row.
        nested = {t.i for c in content_tokens if c.dep_ == "conj" and finder.cue_kind(c) and c.i != token.i
                  for t in c.subtree}
        content_tokens = sorted((t for t in content_tokens if not t.is_space and t.i not in nested), key=lambda t: t.i)
        while content_tokens and content_tokens[-1].is_punct and content_tokens[-1].text not in "”\"'’":
            content_tokens.pop()   # the sentence's full stop, after "…, according to X."
        while content_tokens and content_tokens[0].is_punct and content_tokens[0].text not in "“\"'‘":
            content_tokens.pop(0)
        if not content_tokens or sum(t.is_alpha for t in content_tokens) < 2:
            continue
        start, end = _trimmed(text, *_span_chars(content_tokens))
        if end <= start or _quoted_share(start, end, quotations) > 0.5:
            continue   # a quotation: its direct row has it
        speaker = finder.speaker_of(subject)
        if speaker is None:
            continue
        rows.append(_Row(start, end, speaker, cue, False))
        if speaker.is_person:
            finder.speakers.append((token.idx, speaker))
    return rows


def extract_quotes(doc, mentions: Sequence[ActorMention], *, article_id: str, cues: AttributionCues,
                   role_nouns: frozenset = frozenset(), content_sha256: str = "",
                   text: Optional[str] = None) -> Tuple[List[QuoteRecord], int]:
    """Every direct quote and reported statement in one parsed article.

    Args:
        doc: the article parsed (tagger, parser, NER, line-break sentences); text is ``articles.text``.
        mentions: the article's actors (:func:`transforms.extract.actors.resolve_actors`), for codes.
        article_id: the article's id.
        cues: from :meth:`AttributionCues.load`.
        role_nouns: lemmas of nouns that name a person or group by role ("spokesman", "official").
        text: ``doc.text`` when the caller has it.

    Returns:
        the rows, sorted by position, and how many pronoun speakers could not be resolved.
    """
    text = doc.text if text is None else text
    finder = QuoteFinder(doc, mentions, cues, text, role_nouns)
    quotations = find_quotations(text)
    direct = _merge_interrupted(text, _direct_rows(finder, quotations))
    reported = _reported_rows(finder, quotations)
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
            is_direct=row.direct, confidence=round(speaker.confidence - (0.0 if row.direct else 0.05), 2))
    return sorted(records.values(), key=lambda r: (r.char_start, r.char_end)), finder.unresolved

