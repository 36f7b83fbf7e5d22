"""The entities of one article and their mentions; the draft the sieves fill in (no Beam)."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from transforms.common.ids import stable_id
from transforms.extract.actors import ActorMention
from transforms.extract.entities import surface_name
from transforms.extract.quotations import find_quotations

PERSON, ORGANISATION, GROUP, PLACE = "person", "organisation", "group", "place"
NAME, NOMINAL, PRONOUN = "name", "nominal", "pronoun"
SUBJECTS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class Mention:
    """Tokens ``[start, end)`` of the article's parse that name or refer to an entity."""
    start: int
    end: int
    kind: str   # name | nominal | pronoun


@dataclass
class Entity:
    """One person, organisation, group or place of the article, with every mention of it in text order."""
    type: str
    name: str
    code: Optional[str] = None
    level: Optional[str] = None
    gender: Optional[str] = None
    mentions: List[Mention] = field(default_factory=list)
    titles: set = field(default_factory=set)   # role nouns the text gives it ("senator")
    key: str = ""
    #: a person the text shows to be one (the model tags a name a person, a first name, an honorific, a title),
    #: which "he" and "she" may stand for; not a place or a company that a dictionary or the model took for one
    confirmed: bool = True

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


@dataclass(frozen=True)
class Cast:
    """The entities of one article and, for each token inside a mention, the entity it is a mention of."""
    entities: List[Entity]
    entity_at: Dict[int, Entity]
    #: "both leaders": the people a plural phrase stands for together (no entity of its own), by token
    together: Dict[int, List[Entity]] = field(default_factory=dict)

    def of(self, token) -> Optional[Entity]:
        """The entity a token is (part of) a mention of, or None."""
        return self.entity_at.get(token.i)

    def _of_entity(self, actor: ActorMention) -> ActorMention:
        """``actor`` with its entity's key, and a person with its entity's name (as the text writes it)."""
        entity = self.entity_at.get(actor.start)
        if entity is None:
            return actor
        if not (actor.is_person and entity.type == PERSON):
            return replace(actor, entity=entity.key)
        if actor.resolved_from == "role" and entity.name.lower() != actor.name.lower():
            return replace(actor, entity=entity.key, name=entity.name, code=entity.code)   # the apposition's person
        return replace(actor, entity=entity.key, name=entity.name)

    def actor_mentions(self, actors: Sequence[ActorMention], *, uncoded=None) -> List[ActorMention]:
        """``actors``, each with the key of its entity (a person with its name), and for every nominal or pronoun
        of an entity that is no actor mention yet, an actor mention with its entity's name and code (``resolved_from`` "coreference"),
        in token order: what events, quotes and stances look actors up in. An organisation no dictionary codes
        gets the code ``uncoded(name)`` gives (:func:`transforms.extract.actors.organisation_code`), its names
        included (``resolved_from`` "document")."""
        # a title the who-is-who gives another person, or no one ("Luis Osuna, the president of ..."), is not
        # the person the dictionaries' roles made of it
        out = [self._of_entity(a) for a in actors if not (a.is_person and a.resolved_from == "role" and (
            a.start not in self.entity_at or self.entity_at[a.start].type != PERSON))]
        taken = {i for a in actors for i in range(a.start, a.end)}
        kinds = {PERSON: "person", ORGANISATION: "org", PLACE: "place", GROUP: "group"}
        for entity in self.entities:
            code, named, how = entity.code, False, "coreference"
            if entity.type == ORGANISATION and not code and uncoded is not None:
                code = uncoded(entity.name)
                named, how = code is not None, "document"
            if entity.type != PERSON and not code:
                continue
            for mention in entity.mentions:
                if (named or mention.kind != NAME) and not any(i in taken for i in range(mention.start, mention.end)):
                    out.append(ActorMention(mention.start, mention.end, entity.name, code,
                                            kinds[entity.type], how, entity.key))
        for start, people in self.together.items():
            out += [ActorMention(start, start + 2, p.name, p.code, "group", "coreference", p.key) for p in people]
        return sorted(out, key=lambda m: (m.start, m.name))


class Draft:
    """One article's entities while the sieves group its mentions: every entity, and the entity each token of a
    mention belongs to (a token belongs to one mention at most)."""

    def __init__(self, doc, text: str):
        self.doc = doc
        self.text = text
        self.sentences = list(doc.sents)
        self.sentence_starts = [s.start for s in self.sentences]
        self.entities: List[Entity] = []
        self.at: Dict[int, Entity] = {}
        self.together: Dict[int, List[Entity]] = {}
        self.quotations = [(q.start, q.end) for q in find_quotations(text)]
        self._quotation_starts = [start for start, _end in self.quotations]

    def quotation_at(self, char: int) -> Optional[Tuple[int, int]]:
        """The quotation (``find_quotations``, marks included) that holds character ``char``, if any."""
        index = bisect.bisect_right(self._quotation_starts, char) - 1
        return self.quotations[index] if index >= 0 and char < self.quotations[index][1] else None

    def quoted_apart(self, char: int, other: int) -> bool:
        """Character ``char`` lies inside a quotation that does not hold character ``other`` (someone's words,
        seen from outside them)."""
        quotation = self.quotation_at(char)
        return quotation is not None and not quotation[0] <= other < quotation[1]

    def sentence_of(self, i: int) -> int:
        """The number of the sentence token ``i`` is in."""
        return bisect.bisect_right(self.sentence_starts, i) - 1

    def add(self, entity: Entity, start: int, end: int, kind: str) -> None:
        """Tokens ``[start, end)`` as a mention of ``entity``, unless one of them is in a mention already."""
        if any(i in self.at for i in range(start, end)):
            return
        entity.mentions.append(Mention(start, end, kind))
        for i in range(start, end):
            self.at[i] = entity

    def merge(self, keep: Entity, gone: Entity) -> None:
        """``gone``'s mentions are ``keep``'s; a person stays a person."""
        if keep is gone:
            return
        for mention in gone.mentions:
            keep.mentions.append(mention)
            for i in range(mention.start, mention.end):
                self.at[i] = keep
        keep.titles |= gone.titles
        keep.code = keep.code or gone.code
        keep.gender = keep.gender or gone.gender
        if keep.type != PERSON and gone.type == PERSON:
            keep.type, keep.name = PERSON, gone.name
        self.entities.remove(gone)

    def finish(self, *, article_key: str) -> Cast:
        """The :class:`Cast`: entities with a mention, by first mention, each keyed by ``article_key`` and the
        first character of its first mention, and named as the text writes its name ("John McCain" where a
        dictionary has "John Mccain")."""
        entities = []
        for entity in sorted((e for e in self.entities if e.mentions), key=lambda e: e.first):
            entity.mentions.sort(key=lambda m: m.start)
            written = {surface_name(self.doc[m.start:m.end].text) for m in entity.mentions if m.kind == NAME}
            entity.name = next((w for w in sorted(written) if w.lower() == entity.name.lower()), entity.name)
            entity.key = stable_id("entity", article_key, str(self.doc[entity.first].idx))
            entities.append(entity)
        return Cast(entities, dict(self.at), self.together)
