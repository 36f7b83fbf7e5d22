"""The entities of one article and their mentions; the draft the sieves fill in (no Beam)."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence

from transforms.common.ids import stable_id
from transforms.extract.actors import ActorMention

PERSON, ORGANISATION, GROUP, PLACE = "person", "organisation", "group", "place"
NAME, NOMINAL, PRONOUN = "name", "nominal", "pronoun"
ENTITY_TYPES = (PERSON, ORGANISATION, GROUP, PLACE)
MENTION_TYPES = (NAME, NOMINAL, PRONOUN)
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

    def actor_mentions(self, actors: Sequence[ActorMention]) -> List[ActorMention]:
        """``actors``, each with the key of its entity, and for every nominal or pronoun of an entity that is no
        actor mention yet, an actor mention with its entity's name and code (``resolved_from`` "coreference"),
        in token order: what events, quotes and stances look actors up in."""
        out = [replace(a, entity=self.entity_at[a.start].key) if a.start in self.entity_at else a for a in actors]
        taken = {i for a in actors for i in range(a.start, a.end)}
        kinds = {PERSON: "person", ORGANISATION: "org", PLACE: "place", GROUP: "group"}
        for entity in self.entities:
            if entity.type != PERSON and not entity.code:
                continue
            for mention in entity.mentions:
                if mention.kind != NAME and not any(i in taken for i in range(mention.start, mention.end)):
                    out.append(ActorMention(mention.start, mention.end, entity.name, entity.code,
                                            kinds[entity.type], "coreference", entity.key))
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
        first character of its first mention."""
        entities = []
        for entity in sorted((e for e in self.entities if e.mentions), key=lambda e: e.first):
            entity.mentions.sort(key=lambda m: m.start)
            entity.key = stable_id("entity", article_key, str(self.doc[entity.first].idx))
            entities.append(entity)
        return Cast(entities, dict(self.at), self.together)
