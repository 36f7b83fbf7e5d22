"""Who is who in one article: every mention of a person, organisation, group or place, grouped into entities (no Beam).

One pass, run once per article after the parse and the actor dictionaries (:func:`transforms.extract.actors.
resolve_actors`), read by every extractor (HOUSE_STYLE 10b). It works as the deterministic sieves of Lee et al.
(2013, "Deterministic coreference resolution based on entity-centric, precision-ranked rules"), most precise
first, each seeing what the ones before grouped:

1. **names**: the actors the dictionaries resolved (one actor, one entity: "Putin", "Vladimir Putin"), the model's
   named entities made canonical within the article (:func:`transforms.extract.entities.canonical_names`: a
   surname or a first name joins the one full name it ends or starts), acronyms ("the EPA" after "the
   Environmental Protection Agency"); a multi-word name the model calls an organisation or a place whose first
   word is a first name of the census lists ("Carly Fiorina") is a person;
2. **appositions**: "Jane Roe, the state's attorney general," and "the party's chairman, John Podesta": one entity;
3. **groups and nominals**: a plural noun for people that is no actor ("Republican senators") is a group of its
   own; "the senator" is the one person the article titled senator (a title before the name, or an
   apposition); "the agency", "the court", "the county" the last entity whose name holds that word;
4. **pronouns**, in text order, each seeing the links before it: "he"/"she" a person, "it"/"its" an organisation
   or a place, "they"/"their" an organisation or a group, "who" the noun its clause hangs on; the antecedent is
   the one compatible entity of the nearest sentence that has one (its subject when there are several), never a
   pick between two equally good candidates, and never past a subject of the pronoun's kind that is no entity
   ("The plan failed. It ..."); a pronoun in a clause before its main clause may stand for that clause's subject
   ("After he won, Trump said"). Gender comes from honorifics and the census first names
   (:mod:`transforms.extract.gender`); a person is never "it".

An :class:`Entity` has a type (person, organisation, group, place), a level for places (city, county, state,
country: :class:`Gazetteer`), a canonical name and the actor code its dictionary mentions give.
"""
from __future__ import annotations

from typing import Dict, Iterable, Optional, Sequence

from transforms.extract.actors import ActorMention
from transforms.extract.who.cast import (ENTITY_TYPES, GROUP, MENTION_TYPES, NAME, NOMINAL, ORGANISATION, PERSON,
                                         PLACE, PRONOUN, Cast, Draft, Entity, Mention)
from transforms.extract.who.dialogue import add_quoted_speakers, interview_sieve
from transforms.extract.who.names import apposition_sieve, name_sieve
from transforms.extract.who.nominals import group_sieve, nominal_sieve
from transforms.extract.who.places import Gazetteer
from transforms.extract.who.pronouns import pronoun_sieve

__all__ = ["Cast", "ENTITY_TYPES", "Entity", "GROUP", "Gazetteer", "MENTION_TYPES", "Mention", "NAME", "NOMINAL",
           "ORGANISATION", "PERSON", "PLACE", "PRONOUN", "add_quoted_speakers", "read_cast"]


def read_cast(doc, actors: Sequence[ActorMention], *, text: str, article_key: str = "",
              gazetteer: Optional[Gazetteer] = None, titles: Optional[Dict[str, str]] = None,
              role_nouns: Iterable[str] = (), people: Iterable[str] = (),
              countries: Optional[Dict[str, str]] = None, common_nouns: Iterable[str] = (),
              ents: Optional[Sequence] = None) -> Cast:
    """Who is who in one article.

    Args:
        doc: the article's parse (tagger, parser, NER, line-break sentences); ``text`` is its text.
        actors: the article's actors from :func:`transforms.extract.actors.resolve_actors`.
        article_key: what makes entity keys unique across articles (the article id and content hash).
        gazetteer: place levels (:meth:`Gazetteer.load`); without it, places have a level only from a code.
        titles: abbreviated titles and the role noun each stands for ("sen." -> "senator").
        role_nouns: lemmas of nouns that name a person by role, which a title before a name gives it.
        people: nouns for people, singular and plural ("senators", "protesters"): a group when no actor.
        countries: country code -> the country's name (``ActorLexicon.country_names``): an actor named so is the
            country, whatever its code.
        common_nouns: lower-case common nouns (WordNet's noun index): a name that ends in one ("Stanford
            University") is no person's, whatever its first word.
        ents: ``doc.ents`` when the caller has read them.

    Returns:
        the :class:`Cast`: entities ordered by first mention, each mention in text order.
    """
    draft = Draft(doc, text)
    name_sieve(draft, actors, list(doc.ents) if ents is None else ents, gazetteer=gazetteer,
               countries=countries or {}, common_nouns=frozenset(common_nouns))
    people = frozenset(people)
    apposition_sieve(draft, titles=titles or {}, role_nouns=frozenset(role_nouns), people=people | frozenset(role_nouns))
    group_sieve(draft, people)
    nominal_sieve(draft)
    pronoun_sieve(draft, people)
    interview_sieve(draft)   # after the pronouns: "He was interviewed by Wikinews"
    return draft.finish(article_key=article_key)
