"""Who is who in one article: every mention of a person, organisation, group or place, grouped into entities (no Beam).

One pass, run once per article after the parse and the actor dictionaries (:func:`transforms.extract.actors.
resolve_actors`), read by every extractor (HOUSE_STYLE 10b). It works as the deterministic sieves of Lee et al.
(2013, "Deterministic coreference resolution based on entity-centric, precision-ranked rules"), most precise
first, each seeing what the ones before grouped:

1. **names** (:mod:`.names`): the actors the dictionaries resolved (one actor, one entity: "Putin", "Vladimir
   Putin"), the model's named entities, people an honorific introduces ("Dame Zaha Hadid"); a one-word name joins
   the one person whose full name it starts or ends ("Hillary", "Clinton"), an acronym the name whose initials it
   spells ("the EPA"); a two- or three-word name the model calls an organisation is a person when its first word
   is a census first name and its last no common noun ("Carly Fiorina", not "Stanford University"); a one-word
   "person" standing where places stand is the place ("born in Kinneret, Tiberias");
2. **appositions** (:mod:`.appositions`): "Jane Roe, the state's attorney general," and "the party's chairman, John
   Podesta" are one entity; so are a predicate nominative ("X was an American linguist") and "X, known as Y";
3. **groups and nominals** (:mod:`.nominals`): a plural noun for people that is no actor ("Republican senators")
   is a group of its own; "the senator" is the one person the article titled senator; "the agency" the one
   entity named just before whose name holds the word;
4. **pronouns** (:mod:`.pronouns`), in text order, each seeing the links before it: "he"/"she" a person the text
   shows to be one, "it"/"its" an organisation or a place, "they"/"their" an organisation or a group, "who" the
   noun its clause hangs on; the antecedent is the one fitting entity of the nearest sentence that has one (the
   subject, or the main clause's subject, when there are several), never a pick between two equally good
   candidates, never a name inside someone else's quotation, never past a subject of the pronoun's kind that is
   no entity ("The plan failed. It ..."); a pronoun in a clause before its main clause may stand for that
   clause's subject ("After he won, Trump said"). Gender comes from honorifics and the census first names
   (:mod:`transforms.extract.gender`); a person is never "it";
5. **"I" and "you"** (:mod:`.dialogue`): in the answers and questions of an interview, the person an interview
   verb names ("Wikinews interviewed Tina McKenzie"); in a direct quotation, its speaker (after the quotes are
   read: :func:`add_quoted_speakers`).

An :class:`Entity` has a type (person, organisation, group, place), a level for places (city, county, state,
country: :class:`Gazetteer`), a canonical name and the actor code its dictionary mentions give.
"""
from __future__ import annotations

from typing import Dict, Iterable, Optional, Sequence

from transforms.extract.actors import ActorMention
from transforms.extract.who.cast import (GROUP, NAME, NOMINAL, ORGANISATION, PERSON, PLACE, PRONOUN, Cast, Draft,
                                         Entity, Mention)
from transforms.extract.who.dialogue import add_quoted_speakers, interview_sieve
from transforms.extract.who.appositions import apposition_sieve
from transforms.extract.who.names import name_sieve
from transforms.extract.who.nominals import epithet_sieve, group_sieve, nominal_sieve
from transforms.extract.who.places import Gazetteer
from transforms.extract.who.pronouns import pronoun_sieve

__all__ = ["Cast", "Entity", "GROUP", "Gazetteer", "Mention", "NAME", "NOMINAL",
           "ORGANISATION", "PERSON", "PLACE", "PRONOUN", "add_quoted_speakers", "read_cast"]


def read_cast(doc, actors: Sequence[ActorMention], *, text: str, article_key: str = "",
              gazetteer: Optional[Gazetteer] = None, titles: Optional[Dict[str, str]] = None,
              role_nouns: Iterable[str] = (), people: Iterable[str] = (),
              countries: Optional[Dict[str, str]] = None, common_nouns: Iterable[str] = (),
              ents: Optional[Sequence] = None, headline: str = "", persons: Iterable[str] = ()) -> Cast:
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
        headline: the article's title (not part of ``text``): an interview's may name the person interviewed.
        persons: nouns whose common sense is a person (WordNet's: ``NounSenses.persons``): one right before a
            name titles the person ("billionaire Donald Trump"), and "the billionaire" is then that person.

    Returns:
        the :class:`Cast`: entities ordered by first mention, each mention in text order.
    """
    draft = Draft(doc, text)
    name_sieve(draft, actors, list(doc.ents) if ents is None else ents, gazetteer=gazetteer,
               countries=countries or {}, common_nouns=frozenset(common_nouns))
    people = frozenset(people)
    persons = frozenset(persons)
    apposition_sieve(draft, titles=titles or {}, role_nouns=frozenset(role_nouns), people=people | frozenset(role_nouns),
                     persons=persons)
    group_sieve(draft, people)
    nominal_sieve(draft)
    epithet_sieve(draft, persons)
    pronoun_sieve(draft, people)
    interview_sieve(draft, headline=headline)   # after the pronouns: "He was interviewed by Wikinews"
    return draft.finish(article_key=article_key)
