"""Sieve 1 of who-is-who: names (no Beam).

Names: the actors the dictionaries resolved (one actor, one entity), the model's named entities made canonical
within the article, people named after an honorific, a one-word name that is the first name or the surname of
exactly one person named in full, acronyms.
"""
from __future__ import annotations

from typing import Dict, Optional, Sequence, Set, Tuple

from spacy.tokens import Span

from transforms.extract.actors import (HONORIFICS, ActorMention, acronym, dateline_tokens, determined_name,
                                      in_headline)
from transforms.extract.entities import surface_name
from transforms.extract.gender import HONORIFIC_GENDER, first_names, gender_of_name
from transforms.extract.tokens import tokens_with
from transforms.extract.who.cast import GROUP, NAME, NOMINAL, ORGANISATION, PERSON, PLACE, Draft, Entity

#: The model's labels that name an entity, and the type each gives.
LABEL_TYPES = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": PLACE, "LOC": PLACE, "FAC": PLACE, "NORP": GROUP}
_ACTOR_TYPES = {"person": PERSON, "org": ORGANISATION, "place": PLACE, "role": GROUP, "group": GROUP}
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "on", "in", "&"})


def name_sieve(draft: Draft, actors: Sequence[ActorMention], ents: Sequence, *, gazetteer,
               countries: Dict[str, str], common_nouns) -> None:
    """Names: an entity per actor and per canonical name (see the module's docstring)."""
    by_key: Dict[Tuple[str, str], Entity] = {}

    def entity_for(kind: str, name: str, code: Optional[str], key: Optional[Tuple[str, str]] = None) -> Entity:
        key = key or (kind if kind == PERSON else "other", name.lower())
        if key not in by_key:
            by_key[key] = Entity(kind, name, code)
            draft.entities.append(by_key[key])
        entity = by_key[key]
        entity.code = entity.code or code
        return entity

    doc = draft.doc
    known = first_names()

    def add_actor(actor: ActorMention) -> None:
        if actor.is_person and actor.resolved_from == "role" and _someone_elses_title(
                doc[actor.start:actor.end].root, actor.end):
            return   # "Luis Osuna, the president of the lawyers association": not the president the article named
        words = surface_name(draft.text[doc[actor.start].idx:doc[actor.end - 1].idx + len(doc[actor.end - 1])])
        if actor.kind == "place" and doc[actor.end - 1].pos_ == "ADJ":
            return   # "Russian" before a noun: no mention of Russia
        kind = _ACTOR_TYPES[actor.kind]
        if kind == ORGANISATION and _reads_as_person(actor.name, known):
            kind = PERSON   # a dictionary's person the model tagged an organisation here ("Trump" as ORG)
        if kind == PERSON and actor.code and countries.get(actor.code[:3]) == actor.name:
            kind = PLACE   # a country's name the dictionaries code by its government ("Ukraine": UKRGOV)
        name, key, level = actor.name, None, None
        if actor.kind == "role":   # "U.S. officials": a group of its own, one per code
            name, key = f"{actor.name} {words.lower()}", ("role", actor.code or words.lower())
            place = _place_before(draft, actor.start)
            if place is not None:   # "Nevada officials": the state's, coded with its country
                name, key, level = f"{place.name} {words.lower()}", ("role", place.name, actor.code or ""), place.level
        if kind == PLACE and gazetteer is not None:
            level = gazetteer.level_of(words, actor.code)
            if level not in (None, "country"):
                name = words   # "Nevada", "Moscow": a place of its own, coded with its country
            else:
                level = gazetteer.level_of(name, actor.code)
        entity = entity_for(kind, name, actor.code, key)
        entity.level = entity.level or level
        named = doc[actor.end - 1].pos_ == "PROPN" or doc[actor.end - 1].ent_type_
        draft.add(entity, actor.start, actor.end, NAME if named else NOMINAL)

    usable = [a for a in actors if a.resolved_from != "coreference" and a.kind in _ACTOR_TYPES]
    for actor in usable:
        if actor.kind != "role":
            add_actor(actor)
    headlines: Dict[int, bool] = {}   # sentence start -> in Title Case
    filed = dateline_tokens(doc)   # "WASHINGTON (AP) —": where and by whom a story was filed is no one in it
    for ent in ents:
        if ent.label_ not in LABEL_TYPES or "\n" in ent.text or ent.start in filed:
            continue
        if in_headline(ent, headlines):
            continue   # a headline in Title Case: the model calls "Complex Negotiations" a name
        if ent.root.dep_ == "amod" or (ent.label_ == "NORP" and (ent.root.pos_ == "ADJ" or ent.root.dep_ == "compound")):
            continue   # "Russian troops", "Republican candidates": a modifier, no mention of a group
        if ent.label_ == "PERSON":
            ent = _name_words(ent)   # "Kate made [Meghan cry]": a verb is no word of her name
            if ent is None:
                continue
        name, kind = surface_name(ent.text), LABEL_TYPES[ent.label_]
        if not any(ch.isalpha() for ch in name):
            continue
        if kind == PERSON and determined_name(ent):
            continue   # "the Agriculture Bill", "its U.S. Winter Outlook": a thing's name the model took for a person's
        if kind != PERSON and _reads_as_person(name, known, common_nouns) and all(w[:1].isupper() for w in name.split()) \
                and not draft.text[ent.start_char:ent.end_char].lower().startswith("the "):
            kind = PERSON   # "Carly Fiorina" tagged as an organisation; "Stanford University" stays one
        person = next((e for e in draft.entities if e.type == PERSON and e.name == name), None)
        if person is not None:
            kind = PERSON   # a surname the model tagged as a place
        entity = entity_for(kind, name, None)
        if kind == PLACE and gazetteer is not None and entity.level is None:
            entity.level = gazetteer.level_of(name, entity.code)
        draft.add(entity, ent.start, ent.end, NAME)
    for actor in usable:   # after the places the model names: "Nevada officials"
        if actor.kind == "role":
            add_actor(actor)
    honoured = _honorific_names(draft)
    _first_names(draft)
    _surnames(draft)
    _acronyms(draft)
    if gazetteer is not None:
        _places_taken_for_people(draft, gazetteer, honoured)
    for entity in draft.entities:
        if entity.type == PERSON:
            _gender_of(draft, entity)
            entity.confirmed = _shown_a_person(draft, entity, gazetteer, id(entity) in honoured)


def _name_words(ent):
    """A person's name without the lower-case words the model ran into it at its end ("Meghan cry", "Biden
    said"), or None when nothing is left."""
    end = ent.end
    while end > ent.start and ent.doc[end - 1].text[:1].islower() and ent.doc[end - 1].pos_ != "PROPN":
        end -= 1
    return None if end == ent.start else ent if end == ent.end else Span(ent.doc, ent.start, end, label=ent.label_)


def _reads_as_person(name: str, known, common_nouns=frozenset()) -> bool:
    """Two or three words, the first a census first name and the last no common noun: "Carly Fiorina"."""
    words = name.split()
    return len(words) in (2, 3) and words[0].lower() in known and words[-1].lower() not in common_nouns


def _someone_elses_title(noun, end: int) -> bool:
    """A title that names another body's holder ("the president of the lawyers association") or stands beside
    another name ("Luis Osuna, the president"): no reference to the person the article titled so. An "of"
    inside the title's own words (ending at token ``end``: "secretary of state") is the title's."""
    return noun.dep_ == "appos" or any(c.dep_ == "appos" for c in noun.children) or any(
        c.dep_ == "prep" and c.lower_ in ("of", "at", "for") and c.i >= end for c in noun.children)


def _shown_a_person(draft: Draft, entity: Entity, gazetteer, honoured: bool) -> bool:
    """The text shows the entity is a person: a first name or an honorific gives a gender, an honorific
    introduces it, or the model tags one of its names a person, most of them when the gazetteer knows the name
    as a place ("Las Vegas", "Azerbaijan", which one tag or a dictionary made people)."""
    if entity.gender or honoured:
        return True
    names = [m for m in entity.mentions if m.kind == NAME]
    tagged = sum(any(draft.doc[i].ent_type_ == "PERSON" for i in range(m.start, m.end)) for m in names)
    place = gazetteer is not None and gazetteer.level_of(entity.name, None) is not None
    return tagged > 0 and (not place or 2 * tagged >= len(names))


def _place_before(draft: Draft, start: int) -> Optional[Entity]:
    """The place named right before token ``start`` ("Nevada" in "Nevada officials", "Nevada's governor")
    when it is below a country (a state, a county, a city)."""
    doc = draft.doc
    before = start - 1
    if before >= 0 and doc[before].lower_ in ("'s", "’s"):
        before -= 1
    place = draft.at.get(before) if before >= 0 else None
    return place if place is not None and place.type == PLACE and place.level not in (None, "country") else None


def _places_taken_for_people(draft: Draft, gazetteer, honoured: Set[int]) -> None:
    """A one-word person that is a place's name, named only where places are ("born in Kinneret, Tiberias": the
    object of a locative preposition, or listed beside a place), that no dictionary codes, no honorific
    introduces and no full name ends with, is the place."""
    doc = draft.doc
    for entity in draft.entities:
        if entity.type != PERSON or len(entity.name.split()) != 1 or entity.code or id(entity) in honoured:
            continue
        level = gazetteer.level_of(entity.name, None)
        if level is not None and all(_locative(doc[m.end - 1], draft) for m in entity.mentions):
            entity.type, entity.level, entity.gender = PLACE, level, None


def _locative(token, draft: Draft) -> bool:
    """The token names a place by where it stands: the object of "in", "at", "near", "from", or a conjunct or
    apposition of a place."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in ("in", "at", "near", "from", "outside"):
        return True
    other = draft.at.get(head.i)
    return token.dep_ in ("appos", "conj", "npadvmod") and (other is not None and other.type == PLACE
                                                            or head.dep_ == "pobj" and head.head.lower_ == "in")


def _honorific_names(draft) -> Set[int]:
    """"Dame Zaha Hadid", "Mr. Bos": proper nouns right after an honorific that no entity holds are a
    person, of the honorific's gender. Returns the ids of the entities made so."""
    made = set()
    doc = draft.doc
    for token in tokens_with(doc, lower=tuple(HONORIFICS) + tuple(h + "." for h in HONORIFICS)):
        end = token.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and end not in draft.at and "\n" not in doc[end].text:
            end += 1
        if end == token.i + 1 or token.i in draft.at:
            continue
        name = " ".join(t.text for t in doc[token.i + 1:end] if not (t.is_upper and len(t) > 1 and t.i > token.i + 1))
        entity = next((e for e in draft.entities if e.type == PERSON and e.name == name), None)
        if entity is None:
            entity = Entity(PERSON, name, gender=HONORIFIC_GENDER.get(token.lower_.rstrip(".")))
            draft.entities.append(entity)
        made.add(id(entity))
        draft.add(entity, token.i + 1, end, NAME)
    return made


def _surnames(draft) -> None:
    """A one-word name ("Hadid", "Paris" after "Valeska Paris") joins the one person of the article whose
    full name ends with it (post-nominal letters such as "DBE" aside), unless a dictionary codes it."""
    people = [e for e in draft.entities if e.type == PERSON and len(e.name.split()) >= 2]
    last = {id(e): [w for w in e.name.split() if not acronym(w)][-1:] for e in people}
    for alone in [e for e in draft.entities if len(e.name.split()) == 1 and not (e.type != PERSON and e.code)]:
        full = [e for e in people if e is not alone and [w.lower() for w in last[id(e)]] == [alone.name.lower()]]
        if len(full) == 1:
            draft.merge(full[0], alone)


def _first_names(draft) -> None:
    """A one-word person ("Hillary") joins the one person of the article whose full name starts with it."""
    people = [e for e in draft.entities if e.type == PERSON]
    for alone in [e for e in people if len(e.name.split()) == 1]:
        full = [e for e in people if e is not alone and len(e.name.split()) >= 2
                and e.name.split()[0].lower() == alone.name.lower()]
        if len(full) == 1:
            draft.merge(full[0], alone)


def _acronyms(draft) -> None:
    """"EPA" joins "Environmental Protection Agency" when its letters are the name's initials."""
    for short in [e for e in draft.entities if e.type != PERSON and e.name.isupper() and 2 <= len(e.name) <= 6]:
        letters = short.name.replace(".", "")
        longer = [e for e in draft.entities if e is not short and e.type != PERSON and "".join(
            w[0] for w in e.name.split() if w.lower() not in _ACRONYM_SKIP).upper() == letters]
        if len(longer) == 1:
            draft.merge(longer[0], short)


def _gender_of(draft, entity: Entity) -> None:
    for mention in entity.mentions:
        before = draft.doc[mention.start - 1].lower_ if mention.start else ""
        if before in HONORIFIC_GENDER:
            entity.gender = HONORIFIC_GENDER[before]
            return
    entity.gender = gender_of_name(entity.name)
