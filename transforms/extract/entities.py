"""Named entities of one article, with names made canonical within the article (no Beam).

"Putin" becomes "Vladimir Putin" once the article names him in full, and a surname that
the model mislabels ("Trump" as ORG, "Zelenskyy" as GPE) joins its person. One row per
canonical name, with the label most of its mentions carry.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from schemas import EntityRecord, MentionRecord

DEFAULT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW"})
# Labels whose mentions may be a person's surname the model got wrong.
_ALIASABLE = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_LEADING_ARTICLE = re.compile(r"^(the|The|THE)\s+")
_POSSESSIVE = re.compile(r"\s*['’]s?$")
# Quotes, brackets, dashes, bullets and separators at the edges; a final "." stays ("U.S.").
_EDGE_PUNCT = re.compile(r"^[\"'“”‘’(\[{,;:–—•·*-]+\s*|\s*[\"'“”‘’)\]},;:–—•·*-]+$")


@dataclass(frozen=True)
class Mention:
    """One entity mention: its text, spaCy label and character offset in the article."""
    text: str
    label: str
    start: int


def mentions_from_doc(doc, *, labels: Iterable[str] = DEFAULT_LABELS, text: Optional[str] = None,
                      ents: Optional[Sequence] = None) -> List[Mention]:
    """The entity mentions of a spaCy ``Doc`` whose label is in ``labels``; ``text`` is the doc's text and
    ``ents`` its entities when the caller has them (``doc.text`` joins every token's text anew, ``doc.ents``
    makes a new span per entity)."""
    wanted = frozenset(labels)
    found, text = [], doc.text if text is None else text
    for ent in doc.ents if ents is None else ents:
        if ent.label_ in wanted:
            words = text[ent.start_char:ent.end_char]   # ent.text, without a Token per word
            if "\n" not in words:   # a mention across a line break joins a heading to the next paragraph
                found.append(Mention(words, ent.label_, ent.start_char))
    return found


def person_names_in(tokens) -> list:
    """The last token of each person's name among ``tokens`` (a span or a token sequence), in order: the token
    that stands for the whole name ("Hegseth" in "Pete Hegseth")."""
    return [t for t in tokens if t.ent_type_ == "PERSON"
            and (t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_iob_ != "I")]


def surface_name(text: str) -> str:
    """A mention as a name: one line, no leading article, no possessive, no stray punctuation."""
    name = " ".join(text.split())
    name = _LEADING_ARTICLE.sub("", name)
    name = _POSSESSIVE.sub("", name)
    return _EDGE_PUNCT.sub("", name)


def _full_names(mentions: Sequence[Tuple[str, Mention]]) -> Dict[str, Optional[str]]:
    """Map each proper suffix of a multi-word PERSON name to that name (None if ambiguous)."""
    aliases: Dict[str, Optional[str]] = {}
    for name, mention in mentions:
        tokens = name.split()
        if mention.label != "PERSON" or len(tokens) < 2:
            continue
        for cut in range(1, len(tokens)):
            suffix = " ".join(tokens[cut:])
            if aliases.get(suffix, name) != name:
                aliases[suffix] = None  # two different people share it: leave it alone
            else:
                aliases[suffix] = name
    # A shorter full name that is itself a suffix of a longer one ("Donald Trump" in
    # "President Donald Trump") points at the longest.
    return aliases


def _named(mentions: Sequence[Mention]) -> Tuple[List[Tuple[str, Mention]], Dict[str, Optional[str]]]:
    """(surface name, mention) of the mentions that are names, and the full name of each surname."""
    named = [(surface_name(m.text), m) for m in mentions]
    named = [(name, m) for name, m in named if name and any(ch.isalpha() for ch in name)]
    return named, _full_names(named)


def canonical_names(mentions: Sequence[Mention]) -> Dict[int, str]:
    """The canonical name of each mention, by the mention's first character (as in
    :func:`canonical_entities`); mentions that are no name are left out."""
    named, aliases = _named(mentions)
    return {m.start: (aliases.get(name) if m.label in _ALIASABLE else None) or name for name, m in named}


def canonical_entities(mentions: Sequence[Mention], *, article_id: str) -> List[EntityRecord]:
    """Group mentions under canonical names.

    Args:
        mentions: the article's mentions, in text order.
        article_id: the article they come from.

    Returns:
        One :class:`EntityRecord` per canonical name, ordered by first mention.
    """
    named, aliases = _named(mentions)
    labels: Dict[str, Counter] = {}
    first: Dict[str, int] = {}
    count: Counter = Counter()
    for name, mention in named:
        label = mention.label
        full = aliases.get(name) if mention.label in _ALIASABLE else None
        if full:
            name, label = full, "PERSON"
        labels.setdefault(name, Counter())[label] += 1
        first[name] = min(first.get(name, mention.start), mention.start)
        count[name] += 1
    rows = []
    for name in sorted(first, key=lambda key: (first[key], key)):
        label = labels[name].most_common(1)[0][0]
        rows.append(EntityRecord(article_id=article_id, name=name, label=label,
                                 mentions=count[name], first_char=first[name]))
    return rows


#: The spaCy label an entity's row carries when none of its names has one (a nominal or a dictionary's word only).
_TYPE_LABELS = {"person": "PERSON", "organisation": "ORG", "group": "NORP", "place": "GPE"}


def mention_records(cast, doc, *, text: str, article_id: str, sentence_starts: Sequence[int]) -> List[MentionRecord]:
    """One ``mentions`` row per mention of each entity of ``cast`` (:mod:`transforms.extract.who`), in
    text order; ``sentence_starts`` are the first characters of ``doc``'s sentences."""
    rows = []
    for entity in cast.entities:
        for mention in entity.mentions:
            start = doc[mention.start].idx
            last = doc[mention.end - 1]
            end = last.idx + len(last.text)
            rows.append(MentionRecord(
                article_id=article_id, entity_key=entity.key, char_start=start, char_end=end, text=text[start:end],
                mention_type=mention.kind, entity_type=entity.type, canonical_name=entity.name,
                actor_code=entity.code, sentence_index=max(0, bisect.bisect_right(sentence_starts, start) - 1)))
    return sorted(rows, key=lambda r: (r.char_start, r.char_end, r.entity_key))


def entity_records(cast, doc, mentions: Sequence[Mention], *, article_id: str) -> List[EntityRecord]:
    """The ``entities`` rows: one per entity of ``cast``, the roll-up of its mentions (its label the one most of
    its names carry), then one per canonical name of the other ``mentions`` (an event, a law, a nationality
    as an adjective), as :func:`canonical_entities` gives them."""
    label_at = {m.start: m.label for m in mentions}
    held = {doc[i].idx for i in cast.entity_at}   # the first character of every token in an entity's mention
    rows = []
    for entity in cast.entities:
        labels = Counter(label_at[doc[i].idx] for m in entity.mentions if m.kind == "name"
                         for i in range(m.start, m.end) if doc[i].idx in label_at)
        if entity.type == "person":
            labels = Counter({"PERSON": 1})   # "Russian President Vladimir Putin" starts with a nationality
        counts = Counter(m.kind for m in entity.mentions)
        rows.append(EntityRecord(
            article_id=article_id, name=entity.name,
            label=labels.most_common(1)[0][0] if labels else _TYPE_LABELS[entity.type],
            mentions=len(entity.mentions), first_char=doc[entity.mentions[0].start].idx, entity_key=entity.key,
            entity_type=entity.type, level=entity.level, actor_code=entity.code, names=counts["name"],
            nominals=counts["nominal"], pronouns=counts["pronoun"]))
    rows += canonical_entities([m for m in mentions if m.start not in held], article_id=article_id)
    return sorted(rows, key=lambda r: (r.first_char, r.name))
