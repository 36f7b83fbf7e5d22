"""Which actors a token stands for, given an article's actor mentions (no Beam).

Events and stances both ask it: a subject, an object or a quote's speaker becomes the actors of
its own mention, of its conjuncts, or, for a group noun, of its possessor or modifier.
"""
from __future__ import annotations

from typing import Dict, List, Sequence

from transforms.extract.actors import ActorMention

# Nouns that stand for their possessor or modifier: "Trump's team", "Trump administration officials".
GROUP_NOUNS = frozenset({"team", "administration", "government", "official", "officials", "camp",
                         "office", "delegation", "aide", "adviser", "advisor", "envoy", "spokesman",
                         "spokeswoman", "spokesperson", "ministry", "force", "troop", "military",
                         "negotiator", "representative", "leadership", "regime", "side", "cabinet", "campaign"})


# Heads that count or group what follows "of": "hundreds of Ukrainian soldiers", "a bunch of orcs".
QUANTITY_NOUNS = frozenset({"hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "score", "scores",
                            "million", "millions", "number", "group", "handful", "majority", "minority",
                            "bunch", "crowd", "band", "contingent", "unit", "some", "many", "most", "several",
                            "few", "all", "both", "each", "one", "two", "three"})


#: Tags of plural nouns: "the state's leaders, including ..." names members, "her bid, including ..." does not.
PLURAL_NOUNS = frozenset({"NNS", "NNPS"})


class ActorIndex:
    """The actor mentions of one article, looked up by token."""

    def __init__(self, mentions: Sequence[ActorMention]):
        self.by_token: Dict[int, List[ActorMention]] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                self.by_token.setdefault(i, []).append(mention)

    def _coordinated_before(self, token, found: List[ActorMention]) -> List[ActorMention]:
        """The actors named before an "and" inside the name's own phrase: the model sometimes parses "President
        Barack Obama and Vice President Joe Biden" as one name with everything before "Biden" its compounds."""
        own = [m for m in found if m.start <= token.i < m.end]
        if not own:
            return []
        start = min(m.start for m in own)
        doc = token.doc
        ands = [t.i for t in doc[token.left_edge.i:start] if t.dep_ == "cc" and t.lower_ in ("and", "&")]
        if not ands:
            return []
        return [m for m in self.by_token.get(ands[-1] - 1, [])   # a name right before it, not "the Biden
                if m.kind == "person" and m.end == ands[-1]]      # administration and Ukraine officials"

    def _included_in_object(self, subject) -> List[ActorMention]:
        """The people an "including" phrase names on the verb's object when the subject names none: "Most of
        Delaware's top Democratic brass had endorsed her bid, including Gov. Jack Markell, Sen. Tom Carper and
        Sen. Chris Coons" (a bid includes no senators; the model hangs the phrase on the nearest noun)."""
        people = [m for obj in subject.head.children if obj.dep_ == "dobj" and not self.by_token.get(obj.i)
                  and obj.tag_ not in PLURAL_NOUNS for m in self._included(obj, 0)]
        return [m for m in people if m.kind == "person"]

    def _included(self, token, depth: int, *, possessor: bool = False) -> List[ActorMention]:
        """The actors an "including" phrase on ``token`` names ("..., including Gov. Jack Markell and Sen. Tom
        Carper")."""
        return [m for child in token.children if child.dep_ == "prep" and child.lower_ == "including"
                for p in child.children if p.dep_ == "pobj" for m in self.of(p, depth + 1, possessor=possessor)]

    def of(self, token, depth: int = 0, *, possessor: bool = False) -> List[ActorMention]:
        """Actors a token stands for: its own mention, its conjuncts, the names in apposition to it, or for a
        group noun its possessor or modifier ("Trump's team", "Trump administration officials"); with
        ``possessor``, the possessor of any noun ("Trump's proposals")."""
        found = list(self.by_token.get(token.i, []))
        if not found and (token.lower_ in QUANTITY_NOUNS or token.lemma_.lower() in QUANTITY_NOUNS
                          or token.like_num):
            for child in token.children:   # "hundreds of soldiers": the soldiers
                if child.dep_ == "prep" and child.lower_ == "of":
                    found += [m for p in child.children if p.dep_ == "pobj"
                              for m in self.of(p, depth + 1, possessor=possessor)]
        if not found and depth < 2:
            group = possessor or token.lemma_.lower() in GROUP_NOUNS or token.lower_ in GROUP_NOUNS
            for child in token.children:
                if child.dep_ in ("poss", "compound", "amod", "nmod") and group:
                    found += self.of(child, depth + 1, possessor=possessor)
                elif child.dep_ in ("amod", "compound"):
                    # "A Russian ultra-nationalist tied to ...", parsed with the role as a modifier
                    found += [m for m in self.by_token.get(child.i, []) if m.kind in ("role", "person")]
            if any(m.kind == "role" for m in found):   # "Trump administration officials": the government
                found = [m for m in found if m.kind == "role"]
        if not found and depth < 2:   # "Trump's rivals, Sens. Ted Cruz and Marco Rubio": the names in apposition
            found += [m for child in token.children if child.dep_ == "appos"
                      for m in self.of(child, depth + 1, possessor=possessor)]
        if depth < 2 and all(m.kind in ("role", "group") for m in found) and (
                found or token.dep_ != "dobj" or token.tag_ in PLURAL_NOUNS):
            # (one object with no mention of its own, "endorsed her bid, including Gov. Markell", is a thing: the
            # people included are the subject's, :meth:`_included_in_object`)
            # "the state's Democratic leaders, including Gov. Jack Markell and Sen. Tom Carper": the members named
            members = self._included(token, depth, possessor=possessor)
            found = members or found
        for child in token.children:
            if child.dep_ == "conj":
                found += self.of(child, depth, possessor=possessor)
        found += self._coordinated_before(token, found)
        if depth == 0 and token.dep_ == "nsubj" and all(m.kind in ("role", "group") for m in found):
            found = self._included_in_object(token) or found
        unique, seen = [], set()
        for mention in found:
            if (mention.name, mention.code) not in seen:
                seen.add((mention.name, mention.code))
                unique.append(mention)
        return unique
