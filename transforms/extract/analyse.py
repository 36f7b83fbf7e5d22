"""What one article yields: its entities, events, quotes and stances from one parse (no Beam).

:func:`analyse` is the whole extraction for an article: the Beam step
(``transforms.beam.analyse``) only batches articles through ``nlp.pipe`` and routes what this
returns, and tests call it directly on a parsed article.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Sequence, Tuple

from schemas import EntityRecord, EventRecord, MentionRecord, QuoteRecord, StanceRecord
from transforms.extract.actors import ActorLexicon, ActorMention, document_country, organisation_code, resolve_actors
from transforms.extract.who import GROUP, Cast, Gazetteer, add_quoted_speakers, read_cast
from transforms.extract.domains import DomainWords, political
from transforms.extract.entities import entity_records, mention_records, mentions_from_doc
from transforms.extract.event_coder import EventCoder
from transforms.extract.evaluations import NounSenses
from transforms.extract.events import code_events
from transforms.extract.model import ANALYSIS_COMPONENTS, common_adjectives, common_nouns, load_model
from transforms.extract.quotes import extract_quotes
from transforms.extract.sentences import title_abbreviations
from transforms.extract.speakers import AttributionCues, document_nouns, people_nouns, speaker_nouns
from transforms.extract.attitudes import Predicate, load_predicates
from transforms.extract.stances import Topic, extract_stances, load_topics
from transforms.extract.tone import Tone
from transforms.extract.verb_classes import VerbClasses
from transforms.extract.verbal_events import PolarityCode, load_polarity_codes, stance_events, superseded


@dataclass
class Resources:
    """What the extraction reads besides the article: the model and the compiled dictionaries.

    Heavy (about a second and a few hundred MiB to build): load once per worker.
    """
    nlp: object
    lexicon: ActorLexicon
    coder: EventCoder
    topics: List[Topic]
    attribution: AttributionCues
    role_nouns: FrozenSet[str]
    titles: Dict[str, str]
    predicates: Dict[Tuple[str, str], List[Predicate]]
    tone: Tone
    people: FrozenSet[str]
    gazetteer: Gazetteer
    common_nouns: FrozenSet[str]
    verbal_codes: Dict[str, PolarityCode]
    findings: FrozenSet[str]
    domains: DomainWords
    verb_classes: VerbClasses
    noun_senses: NounSenses
    adjectives: FrozenSet[str] = frozenset()

    @classmethod
    def load(cls, *, model: str, actor_files: Sequence[str] = (), agent_files: Sequence[str] = (),
             verb_file: Optional[str] = None, topics_file: Optional[str] = None) -> "Resources":
        """The model with ``ANALYSIS_COMPONENTS``, the packaged dictionaries and the user's files.

        Raises:
            ModelError, DictionaryError, StanceDataError: a model or data file that cannot be used.
        """
        nlp = load_model(model, components=ANALYSIS_COMPONENTS)
        lexicon = ActorLexicon.load(nlp, actor_files=actor_files, agent_files=agent_files)
        return cls(nlp=nlp, lexicon=lexicon, coder=EventCoder.load(verb_file=verb_file),
                   topics=load_topics(topics_file), attribution=AttributionCues.load(),
                   role_nouns=speaker_nouns(lexicon), titles=title_abbreviations(), predicates=load_predicates(),
                   tone=Tone(), people=people_nouns(lexicon), gazetteer=Gazetteer.load(),
                   common_nouns=common_nouns(nlp), verbal_codes=load_polarity_codes(),
                   findings=document_nouns(), domains=DomainWords.load(), verb_classes=VerbClasses.load(),
                   noun_senses=NounSenses.load(), adjectives=common_adjectives(nlp))


class ArticleOutputs(NamedTuple):
    """The rows one article yields, each stamped with the article's version."""
    entities: List[EntityRecord]
    mentions: List[MentionRecord]
    events: List[EventRecord]
    quotes: List[QuoteRecord]
    stances: List[StanceRecord]
    #: pronouns that would have been a speaker, left without a row because no antecedent was certain
    unresolved_speakers: int = 0


def article_day(article) -> Optional[date]:
    """The date that picks date-bounded actor codes: the publication date, never the run's (None
    when it is not known: then no date-bounded role applies)."""
    return article.published_at.date() if article.published_at else None


def link_quotes(stances: Sequence[StanceRecord], quotes: Sequence[QuoteRecord]) -> List[StanceRecord]:
    """Each stance with the ``quote_id`` of the attribution it comes from: a quote of the same
    speaker whose content lies in the stance's evidence (or holds it)."""
    linked = []
    for stance in stances:
        match = next((q for q in quotes if q.speaker == stance.holder and q.char_start < stance.char_end
                      and stance.char_start < q.char_end), None)
        linked.append(stance._replace(quote_id=match.quote_id) if match else stance)
    return linked


def read_actors(doc, resources: Resources, *, text: str, day: Optional[date], key: str = "",
                ents: Optional[Sequence] = None, headline: str = "") -> Tuple[Cast, List[ActorMention]]:
    """Who is who in one parsed article, and its actors for events, quotes and stances: the dictionaries' names
    and roles (:func:`resolve_actors`), then every mention grouped into entities (:func:`read_cast`), each
    pronoun or title that stands for an entity an actor too (:meth:`Cast.actor_mentions`)."""
    found = resolve_actors(doc, resources.lexicon, day=day)
    # roles of the article's country standing alone ("police", "a federal judge") are no one the who-is-who groups
    named = [m for m in found if not (m.kind == "role" and m.resolved_from == "document")]
    cast = read_cast(doc, named, text=text, article_key=key, gazetteer=resources.gazetteer, titles=resources.titles,
                     role_nouns=resources.role_nouns, people=resources.people,
                     countries=resources.lexicon.country_names, common_nouns=resources.common_nouns, ents=ents,
                     headline=headline, persons=resources.noun_senses.persons)
    country = document_country(named, resources.lexicon.country_names)
    actors = cast.actor_mentions(named, uncoded=lambda name: organisation_code(
        name, country, resources.lexicon.organisation_types))
    taken = {i for a in actors for i in range(a.start, a.end)}
    roles = [_as_group(m, cast) for m in found if m.kind == "role" and m.resolved_from == "document"
             and m.code and m.code[:3] in resources.lexicon.country_names   # an article with no country: no one
             and not any(i in taken for i in range(m.start, m.end))]
    return cast, sorted(actors + roles, key=lambda m: (m.start, m.name))


def _as_group(role: ActorMention, cast: Cast) -> ActorMention:
    """A role standing alone with the name and key of the group the who-is-who made of its words ("More black
    Democratic state lawmakers"), if any."""
    entity = cast.entity_at.get(role.end - 1)
    return replace(role, name=entity.name, entity=entity.key) if entity is not None and entity.type == GROUP else role


def analyse(doc, article, resources: Resources) -> ArticleOutputs:
    """Entities, events and stances of ``article`` (an ``ArticleRecord``) from ``doc``, its parse.

    Raises:
        Exception: whatever a rule raises on this article; the caller turns it into a reject.
    """
    ents = list(doc.ents)   # a new Span per entity on every access: read once
    key = f"{article.article_id}:{article.content_sha256}"
    cast, actors = read_actors(doc, resources, text=article.text, day=article_day(article), key=key, ents=ents,
                               headline=article.title or "")
    events = code_events(doc, actors, coder=resources.coder, article_id=article.article_id,
                         published=article.published_at.date() if article.published_at else None,
                         content_sha256=article.content_sha256, text=article.text, valence=resources.tone.valence,
                         sending=resources.verb_classes.sending)
    quotes, unresolved = extract_quotes(doc, actors, article_id=article.article_id, cues=resources.attribution,
                                        cast=cast, role_nouns=resources.role_nouns,
                                        content_sha256=article.content_sha256, text=article.text, ents=ents)
    add_quoted_speakers(cast, doc, quotes)
    stances = extract_stances(doc, actors, article_id=article.article_id, topics=resources.topics,
                              content_sha256=article.content_sha256, text=article.text,
                              predicates=resources.predicates, tone=resources.tone, quotes=quotes,
                              people=resources.people, cast=cast,
                              inert=resources.verb_classes.feeling | resources.verb_classes.competing,
                              measures=resources.noun_senses.measures, persons=resources.noun_senses.persons,
                              adjectives=resources.adjectives)
    tones: Dict[str, float] = {}   # one score per passage: a quote and the stances it holds share theirs

    def tone_of(words: str) -> float:
        if words not in tones:
            tones[words] = resources.tone.of_text(words)
        return tones[words]
    stances = [stance._replace(tone=tone_of(stance.evidence)) for stance in link_quotes(stances, quotes)]
    verbal = stance_events(doc, stances, events, cast=cast, coder=resources.coder,
                           polarity_codes=resources.verbal_codes, article_id=article.article_id,
                           content_sha256=article.content_sha256, published=article_day(article),
                           country=document_country(actors, resources.lexicon.country_names),
                           predicates=resources.predicates, findings=resources.findings,
                           feelings=resources.verb_classes.feeling,
                           actor_names={m.entity: m.name for m in actors if m.entity},
                           persons=resources.noun_senses.persons)
    events = superseded(events, verbal) + verbal
    if (events or stances) and resources.domains.leisure_domain(doc) and not political(a.code for a in actors):
        # a game, a concert, a film or a recipe, with no government in it: no event between actors, and no
        # position on public affairs ("the Bajans will oppose Antigua and Barbuda" is a football match)
        events, stances = [], []
    quotes = [quote._replace(tone=tone_of(quote.content)) for quote in quotes]
    sentence_starts = [sentence.start_char for sentence in doc.sents]
    mentions = mention_records(cast, doc, text=article.text, article_id=article.article_id,
                               sentence_starts=sentence_starts)
    entities = entity_records(cast, doc, mentions_from_doc(doc, text=article.text, ents=ents),
                              article_id=article.article_id)
    version = {"article_version": article.version}
    return ArticleOutputs(entities=[entity._replace(**version) for entity in entities],
                          mentions=[mention._replace(**version) for mention in mentions],
                          events=[event._replace(**version) for event in events],
                          quotes=[quote._replace(**version) for quote in quotes],
                          stances=[stance._replace(**version) for stance in stances],
                          unresolved_speakers=unresolved)
