"""Who said it: attribution cues, and the speaker a subject token names (no Beam).

Cue verbs and nouns are data (``attribution_cues.v2.tsv``, from Levin's verb classes and FrameNet frames), each
verb with the complements that carry its content. A speaker is a
named entity (its canonical name in the article), a proper noun the model left unlabelled, a noun
phrase that names a person or group by role ("a campaign spokesman", "the senator"), or "he" / "she" / "they":
who a title or a pronoun stands for is the article's who-is-who (:mod:`transforms.extract.who`), read
once for every table. Other pronouns and words ("it", "we", "who" without a head, "book") are never speakers;
an unresolved pronoun is counted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Sequence

from transforms.common.data_files import data_lines
from transforms.extract.actor_index import GROUP_NOUNS, ActorIndex
from transforms.extract.actors import ActorMention
from transforms.extract.entities import canonical_names, mentions_from_doc, person_names_in
from transforms.extract.who import Cast
from transforms.extract.gender import PRONOUN_GENDER

DATA = "transforms.extract.data"
CUES_FILE = "attribution_cues.v2.tsv"
SPEAKER_NOUNS_FILE = "speaker_nouns.supplement.v1.txt"
DOCUMENT_NOUNS_FILE = "document_nouns.v1.txt"
GROUP_NOUNS_FILE = "group_nouns.supplement.v1.txt"
KINDS = frozenset({"speech", "thought", "attitude", "intent", "speech_noun", "thought_noun"})
#: What may carry a cue verb's content (the fourth column of the cue file).
CONTENT_FRAMES = frozenset({"clause", "object", "intent", "for", "about", "on", "-"})
#: The most words a speaker named by a noun phrase keeps ("a source close to the discussions").
MAX_SPEAKER_WORDS = 8
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PRONOUN_GENDER = {word: PRONOUN_GENDER[word] for word in ("he", "him", "his", "she", "her")}
_PLURAL_PRONOUNS = frozenset({"they"})
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


class AttributionDataError(ValueError):
    """The attribution cue file is malformed."""


def _words(name: str) -> set:
    return {line.strip().lower() for line in data_lines(DATA, name) if line.strip() and not line.startswith("#")}


def _role_nouns(lexicon) -> set:
    """The single-word agents of the actor lexicon (multi-word agents end in words such as "position" or
    "exile") and the packaged supplement of role nouns."""
    return {phrase[0].lower() for phrase in lexicon.agents if len(phrase) == 1} | _words(SPEAKER_NOUNS_FILE)


def speaker_nouns(lexicon) -> frozenset:
    """Nouns that name a source: the role nouns, and the nouns of documents that report what someone found
    ("a Pentagon readout", "the poll")."""
    return frozenset(_role_nouns(lexicon) | _words(DOCUMENT_NOUNS_FILE))


def document_nouns() -> frozenset:
    """The nouns of documents that report what someone found (``document_nouns.v1.txt``: "report", "survey")."""
    return frozenset(_words(DOCUMENT_NOUNS_FILE))


def people_nouns(lexicon) -> frozenset:
    """Nouns that name people, and their plurals ("critics", "aides", "Republicans", "organizations"): the
    role nouns, the group nouns of the actor index and the collective nouns of ``GROUP_NOUNS_FILE``; no
    documents."""
    words = _role_nouns(lexicon) | GROUP_NOUNS | _words(GROUP_NOUNS_FILE)
    return frozenset(words | {word + "s" for word in words})


@dataclass(frozen=True)
class AttributionCues:
    """Cue verbs by lemma (``speech``, ``thought``, ``attitude`` or ``intent``), what carries each verb's
    content (``frames``: "clause", "object", "intent", "for", "about", "on"), and cue nouns (``claim``, ``view``)."""
    verbs: Dict[str, str]
    nouns: Dict[str, str]
    frames: Dict[str, frozenset] = field(default_factory=dict)

    def is_cue(self, lemma: str) -> bool:
        """Whether ``lemma`` is a cue verb or a cue noun."""
        return lemma in self.verbs or lemma in self.nouns

    def takes(self, lemma: str, frame: str) -> bool:
        """Whether ``frame`` can carry the content of the cue verb ``lemma``."""
        return frame in self.frames.get(lemma, ())

    @classmethod
    def load(cls) -> "AttributionCues":
        """The packaged cues.

        Raises:
            AttributionDataError: a row without a lemma and a known kind, a verb without known content
                frames, or no version line.
        """
        lines = data_lines(DATA, CUES_FILE)
        if not any(line.startswith("# version\t") for line in lines):
            raise AttributionDataError(f"{CUES_FILE}: no '# version' line")
        verbs, nouns, frames = {}, {}, {}
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2 or fields[1] not in KINDS:
                raise AttributionDataError(f"{CUES_FILE}:{number}: needs a lemma and a kind in {sorted(KINDS)}")
            lemma = fields[0].strip().lower()
            if fields[1].endswith("_noun"):
                nouns[lemma] = fields[1]
                continue
            verbs[lemma] = fields[1]
            found = frozenset(f.strip() for f in fields[3].split(",")) if len(fields) > 3 else frozenset()
            if not found or not found <= CONTENT_FRAMES:
                raise AttributionDataError(f"{CUES_FILE}:{number}: content frames must be some of "
                                           f"{sorted(CONTENT_FRAMES)}")
            frames[lemma] = found - {"-"}
        return cls(verbs, nouns, frames)


@dataclass
class Speaker:
    name: str
    code: Optional[str]
    start: int          # characters of the words that name or refer to the speaker
    end: int
    confidence: float
    is_person: bool
    plural: bool = False   # a group named in the plural ("Republicans", "the senators"), for "they"
    entity: Optional[str] = None   # the who-is-who entity's key



class SpeakerFinder:
    """The cues and speakers of one article; build one per article."""

    def __init__(self, doc, mentions: Sequence[ActorMention], cues: AttributionCues, text: str,
                 role_nouns: frozenset, cast: Cast, ents: Optional[Sequence] = None):
        self.doc = doc
        self.role_nouns = role_nouns
        self.text = text
        self.cues = cues
        self.cast = cast
        self.index = ActorIndex(mentions)
        self.sentences = list(doc.sents)
        self.sentence_starts = [s.start_char for s in self.sentences]
        self.ents = list(doc.ents) if ents is None else list(ents)   # doc.ents builds new spans on every access
        entity_mentions = mentions_from_doc(doc, labels=SPEAKER_LABELS, text=text, ents=self.ents)
        self.names = canonical_names(entity_mentions)
        self.entity_at = {ent.start_char: ent for ent in self.ents if ent.label_ in SPEAKER_LABELS}
        self.entity_of_token = {i: ent for ent in self.ents if ent.label_ in SPEAKER_LABELS
                                for i in range(ent.start, ent.end)}
        self.unresolved = 0

    # --- speakers -----------------------------------------------------------------------------
    def _entity_of(self, token):
        if token.ent_type_ not in SPEAKER_LABELS:
            return None
        ent = self.entity_of_token.get(token.i)
        return ent if ent is not None and "\n" not in ent.text else None

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
        if (lower in _PRONOUN_GENDER or lower in _PLURAL_PRONOUNS) and token.pos_ == "PRON":
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
            actors = [m for m in self.index.of(token) if m.is_person and m.resolved_from == "dictionary"]
            if len(actors) == 1:   # the dictionary's name, as in events ("Zelenskyy" tagged as a place)
                name, person = actors[0].name, True
            return Speaker(name, self._code(token), ent.start_char, ent.end_char, 0.9, person,
                           not person and ent.root.tag_ in _PLURAL_TAGS, self._entity_key(token))
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
            return Speaker(people[0].name, people[0].code, start, end, 0.85, True, entity=people[0].entity)
        written = " ".join(t.text for t in chain)
        full = {name for name in self.names.values() if name.split()[-1] == written.split()[-1] and name != written}
        name = full.pop() if len(full) == 1 else written
        return Speaker(name, self._code(token), start, end, 0.8, True, entity=self._entity_key(token))

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
        entity = self.cast.of(token)
        if entity is not None and entity.type == "person":   # "the senator", after "Sen. Mark Warner"
            return Speaker(entity.name, entity.code, start, end, 0.75, True, entity=entity.key)
        people = [m for m in self.index.of(token) if m.is_person and m.code]
        if len(people) == 1:   # "the former president", resolved by the actors to the one person it names
            return Speaker(people[0].name, people[0].code, start, end, 0.75, True, entity=people[0].entity)
        return Speaker(words, self._code(token), start, end, 0.7, False, token.tag_ in _PLURAL_TAGS,
                       entity.key if entity is not None else None)

    def _entity_key(self, token) -> Optional[str]:
        entity = self.cast.of(token)
        return entity.key if entity is not None else None

    def _antecedent(self, pronoun) -> Optional[Speaker]:
        """Who "he", "she" or "they" stands for in the article's who-is-who (:mod:`transforms.extract.who`):
        a person for "he" and "she", an organisation or a group for "they"; else nobody, counted."""
        entity = self.cast.of(pronoun)
        person = pronoun.lower_ in _PRONOUN_GENDER
        if entity is None or (entity.type == "person") != person:
            self.unresolved += 1
            return None
        code = entity.code
        return Speaker(entity.name, code, pronoun.idx, pronoun.idx + len(pronoun.text), 0.75 if person else 0.7,
                       person, not person, entity.key)

    # --- cues -----------------------------------------------------------------------------------
    def cue_kind(self, token) -> Optional[str]:
        if token.pos_ not in ("VERB", "AUX"):
            return None
        return self.cues.verbs.get(token.lemma_.lower())

    def introduces_quotation(self, token) -> bool:
        """``token`` is a cue verb that can introduce a quotation ("said", "wrote", "argued"), not one
        whose content is only an object or a clause of intent ("spoke to Y to discuss “…”")."""
        return bool(self.cue_kind(token)) and self.cues.takes(token.lemma_.lower(), "clause")

    def subject_of(self, verb):
        """The subject of a cue verb, inherited from the verb it is coordinated with ("X met Y and said"),
        that its participle hangs on ("X endorsed Cruz, saying ..."), or that it completes ("X vowed to
        say"; but "X urged Y to say": Y)."""
        current = verb
        for _ in range(3):
            subjects = [c for c in current.children if c.dep_ == "nsubj"]
            if subjects:   # the nearest: "MOSCOW (Reuters) — Russia accused", parsed with two subjects
                return min(subjects, key=lambda c: abs(current.i - c.i))
            if current.dep_ == "acl" and current.head.i < current.i and current.head.pos_ in ("PROPN", "NOUN"):
                return current.head   # "X, a senior adviser, tweeted:" parsed as a clause on X
            participle = current.dep_ == "advcl" and current.tag_ == "VBG"
            if current.dep_ == "xcomp":   # "X urged Y to say": Y says it, not X
                objects = [c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i]
                if objects:
                    return objects[0]
            if (current.dep_ in ("conj", "xcomp") or participle) and current.head.i != current.i:
                current = current.head
                continue
            return self._named_after_quotation(current) if current.dep_ == "ROOT" else None
        return None

    @staticmethod
    def _named_after_quotation(verb):
        """"“Yes, I support Ted Cruz,” Brent Bozell III, founder of the Media Research Center, tells ...",
        parsed with the name on the quotation: the person named between the closing quotation mark and a
        verb that has no subject."""
        doc = verb.doc
        closing = [t for t in doc[verb.sent.start:verb.i] if t.text in ("”", "\"", "''") and t.i > verb.sent.start]
        if not closing:
            return None
        names = person_names_in(doc[closing[-1].i + 1:verb.i])
        return names[0] if names else None

    @staticmethod
    def according_to(token):
        """The object of "according to" when ``token`` is "according"."""
        if token.lower_ != "according" or token.i + 1 >= len(token.doc) or token.nbor().lower_ != "to":
            return None
        objects = [c for c in token.nbor().children if c.dep_ == "pobj"]
        return objects[0] if objects else None
