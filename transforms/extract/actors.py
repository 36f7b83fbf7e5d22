"""Actor resolution: people, places, organisations and roles in a parsed article -> CAMEO codes.

The actor and agent dictionaries are compiled once per worker into spaCy ``PhraseMatcher``s
(:class:`ActorLexicon`). :func:`resolve_actors` then finds, for one article:

- dictionary actors ("Putin", "the Kremlin", "Moscow", "Russian"), coded for the article's date;
- roles ("Russian President", "U.S. officials", "European leaders"): country + agent code;
- a title before a person ("President-elect Donald Trump", "former U.S. President Donald Trump")
  that makes the person an elite (``ELI``) for the whole article;
- "the Russian president" -> the Russian person titled president earlier in the article.

Who a pronoun or "both leaders" stands for is not read here but in the article's who-is-who
(:mod:`transforms.extract.who`), which every table reads.

No Beam here; the Beam shell is ``transforms.beam.analyse``.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, replace
from datetime import date
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

from transforms.common.data_files import data_lines
from transforms.extract.dictionaries import ActorEntry, DictionaryError, parse_actors, parse_agents
from transforms.extract.tokens import tokens_with

DATA = "transforms.extract.data"
DEFAULT_ACTOR_FILES = ("dictionaries/Phoenix.Countries.actors.txt",
                       "dictionaries/Phoenix.International.actors.txt",
                       "actors.supplement.v1.txt")
DEFAULT_AGENT_FILES = ("dictionaries/Phoenix.agents.txt", "agents.supplement.v1.txt")
COUNTRY_NAMES_FILE = "country_names.v1.tsv"
ORGANISATION_TYPES_FILE = "organisation_types.v1.tsv"
ELITE_MODIFIERS = frozenset({"former", "ex", "outgoing", "elect"})
GOVERNMENT_NOUNS = frozenset({"administration", "administrations", "official", "officials", "government"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "madam"})


@dataclass(frozen=True)
class ActorMention:
    """One resolved actor in a doc: tokens ``[start, end)``, canonical name and CAMEO code."""
    start: int
    end: int
    name: str
    code: Optional[str]
    kind: str          # person | place | org | role | pronoun | group
    resolved_from: str = "dictionary"   # dictionary | role | coreference
    entity: Optional[str] = None        # the who-is-who entity's key (``transforms.extract.who``)

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


def _two_columns(lines: Iterable[str], source: str) -> Dict[str, str]:
    """``{first column: second column}`` of a tab-separated table (``#`` comments and blank lines skipped).

    Raises:
        DictionaryError: a row with fewer than two columns, or an empty one.
    """
    table = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise DictionaryError(f"{source}:{number}: not a two-column row: {line!r}")
        table[parts[0]] = parts[1]
    return table


def _read_file(path: str) -> List[str]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read().splitlines()


class ActorLexicon:
    """Actor and agent phrases compiled into PhraseMatchers over one spaCy vocabulary.

    Build it once per worker (``DoFn.setup``): the packaged Phoenix files and supplement,
    then any user files, which add entries and override phrases already known.
    """

    def __init__(self, nlp, entries: Sequence[ActorEntry], agents: Dict[Tuple[str, ...], str],
                 country_names: Optional[Dict[str, str]] = None, organisation_types: Optional[Dict[str, str]] = None):
        from spacy.matcher import PhraseMatcher

        self.organisation_types = dict(organisation_types or {})
        self.entries = list(entries)
        self.agents = dict(agents)
        self.country_names = dict(country_names or {})
        self.actor_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.agent_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.owner: Dict[Tuple[str, ...], int] = {}
        for index, entry in enumerate(self.entries):
            for words in entry.phrases:
                self.owner[words] = index  # later files override earlier ones
        for words, index in list(self.owner.items()):
            for plural in _demonym_plurals(words, self.entries[index]):
                self.owner.setdefault(plural, index)   # "Albanians", "Israelis": the country's people
        phrases = list(self.owner)
        for words, doc in zip(phrases, nlp.tokenizer.pipe(" ".join(w) for w in phrases)):
            self.actor_matcher.add(f"A{self.owner[words]}", [doc])
        from spacy.tokens import Doc

        agent_phrases = list(self.agents)
        for words, doc in zip(agent_phrases, nlp.tokenizer.pipe(" ".join(w) for w in agent_phrases)):
            patterns = [doc]
            if len(doc) != len(words):   # "SEN." splits as a phrase but is one token in "Sen. Warner"
                patterns.append(Doc(nlp.vocab, words=list(words)))
            self.agent_matcher.add("G" + self.agents[words], patterns)
        self.strings = nlp.vocab.strings

    @classmethod
    def load(cls, nlp, *, actor_files: Iterable[str] = (), agent_files: Iterable[str] = (),
             packaged: bool = True) -> "ActorLexicon":
        """The packaged dictionaries (unless ``packaged`` is False), then the user's files."""
        entries: List[ActorEntry] = []
        agents: Dict[Tuple[str, ...], str] = {}
        names = {}
        types = {}
        if packaged:
            types = _two_columns(data_lines(DATA, ORGANISATION_TYPES_FILE), ORGANISATION_TYPES_FILE)
            for name in DEFAULT_ACTOR_FILES:
                entries += parse_actors(data_lines(DATA, name), source=name)
            for name in DEFAULT_AGENT_FILES:
                agents.update(parse_agents(data_lines(DATA, name), source=name))
            names = _two_columns(data_lines(DATA, COUNTRY_NAMES_FILE), COUNTRY_NAMES_FILE)
        for path in actor_files:
            entries += parse_actors(_read_file(path), source=os.path.basename(path))
        for path in agent_files:
            agents.update(parse_agents(_read_file(path), source=os.path.basename(path)))
        return cls(nlp, entries, agents, names, types)

    def display_name(self, entry: ActorEntry, code: Optional[str]) -> str:
        if code and len(code) == 3 and code in self.country_names:
            return self.country_names[code]
        return entry.name


def _demonym_plurals(words: Tuple[str, ...], entry: ActorEntry) -> List[Tuple[str, ...]]:
    """The plural of a country's one-word demonym ("ALBANIAN" -> "ALBANIANS", "ISRAELI" ->
    "ISRAELIS"): the dictionaries list the adjective, and news names a people by the plural noun."""
    code = entry.code_on(None)
    if len(words) != 1 or not code or len(code) != 3 or not words[0].isalpha():
        return []
    word = words[0]
    return [(word + "S",)] if word.endswith(("AN", "I")) and len(word) > 3 else []


def _spans(matcher, doc, strings) -> List[Tuple[int, int, str]]:
    """Longest non-overlapping matches as sorted (start, end, key); later entries win ties."""
    found = [(start, end, strings[key]) for key, start, end in matcher(doc)]
    found.sort(key=lambda m: (-(m[1] - m[0]), m[0], -int(m[2][1:]) if m[2][1:].isdigit() else 0))
    chosen: List[Tuple[int, int, str]] = []
    for start, end, key in found:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, key))
    return sorted(chosen)


def _past_honorifics(doc, i: int) -> int:
    """The first token at or after ``i`` that is not an honorific ("Sir", "Dr.")."""
    while i < len(doc) and doc[i].lower_.rstrip(".") in HONORIFICS:
        i += 1
    return i


def _titled_person(doc, ents: Sequence, start: int, end: int, agent: str,
                   mentions: List[ActorMention]) -> Optional[ActorMention]:
    """A person named right after a title, whom no dictionary knows: coded with the title's role and
    the country named just before the title ("French Foreign Minister X": FRAGOV), else the role alone."""
    end = _past_honorifics(doc, end)   # "British diplomat Sir Peter Westmacott"
    ent = next((e for e in ents if e.start == end and e.label_ == "PERSON" and "\n" not in e.text), None)
    if ent is None or any(m.start < ent.end and ent.start < m.end for m in mentions):
        return None
    country = next((m for m in reversed(mentions) if m.kind == "place" and m.code and start - 2 <= m.end <= start), None)
    code = _agent_code(country.code, agent) if country else agent.replace("~", "") or None
    name = " ".join(ent.text.split())
    return ActorMention(ent.start, ent.end, name, code, "person", "role")


#: The CAMEO types of roles that act as institutions with no country named: government, military, judiciary,
#: police, legislature, opposition (protesters, activists), intelligence, rebels. Civilians, people, refugees,
#: workers, business people, journalists, students, doctors standing alone ("49 people", "employees") are
#: too many to be one actor, and are no actor without a country named.
INSTITUTION_TYPES = frozenset({"GOV", "MIL", "JUD", "COP", "LEG", "OPP", "SPY", "REB"})
#: Named-entity types whose words are a name's: never a role standing alone, never a verb of the text.
NAME_ENTITY_TYPES = frozenset({"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "GPE", "LOC", "NORP"})
_INDEFINITE = frozenset({"a", "an", "another", "some", "several", "many", "two", "three"})


def _stands_for_institution(doc, start: int, end: int, plural: bool, actor_tokens: Set[int], agent_type: str,
                            place_tokens: Set[int] = frozenset()) -> bool:
    """A role no country or name qualifies that stands for its holders in general, not for one person the
    who-is-who may know: plural ("protesters", "lawmakers"), indefinite ("a federal judge"), a proper name
    ("Congress", "the Senate") or a bare noun ("Police said"); not "the president", "the judge", and not a
    role whose phrase names an actor ("White House security officials": the actor's), other than a place it is in
    ("legislators in Iowa", kept when the place is of the article's country: :func:`_with_document_country`)."""
    head = doc[end - 1]
    for child in head.children:
        if child.dep_ in ("compound", "amod", "nmod", "poss") or child.dep_ == "prep" and child.lower_ in (
                "in", "of", "from", "at"):
            if any(t.i in actor_tokens and not (child.dep_ == "prep" and t.i in place_tokens) for t in child.subtree):
                return False   # "legislators in Iowa" stay the article's country's (unless it is another's)
    if head.dep_ in ("compound", "poss", "amod", "nmod") or head.i + 1 < len(doc) and doc[head.i + 1].ent_type_ == "PERSON":
        return False   # "police officials", "deputy national security adviser", "Judge Smith": a word of another
        # role or name
    if any(doc[i].ent_type_ in NAME_ENTITY_TYPES for i in range(start, end)):
        return False   # "Gayle King", "the Manchester Union-Leader", "the Supreme Court": a name (the
        # who-is-who's, coded by its own words when an organisation)
    determiners = [c for c in head.children if c.dep_ in ("det", "nummod", "amod") and c.i < start
                   and c.lower_ in _INDEFINITE | {"the"}]
    if plural or any(d.lower_ in _INDEFINITE for d in determiners):
        return True
    # a singular role without an article stands for an institution ("Congress", "Police said"), but a
    # government title alone is a person's name or title ("King asked Scott", "President said")
    return agent_type != "GOV" and not any(c.dep_ in ("det", "poss") for c in head.children)


def _role_name(doc, ents: Sequence, start: int, end: int) -> str:
    """The name of a role standing alone: the organisation's name that holds it ("the Supreme Court"), else
    its words in the singular ("protester", "police")."""
    ent = next((e for e in ents if e.start <= start and end <= e.end and e.label_ == "ORG"), None)
    if ent is not None:
        return " ".join(t.text for t in ent if t.pos_ != "DET")
    return " ".join(t.lemma_.lower() if t.i == end - 1 else t.lower_ for t in doc[start:end])


def _holds_roles(entry, day: Optional[date]) -> bool:
    """The entry is a person or a role holder, not a place: its code on ``day`` (or any dated code)
    is longer than a country's."""
    code = entry.code_on(day)
    return code is None or len(code) > 3 or any(len(r.code or "") > 3 for r in entry.dated)


def _agent_code(country: Optional[str], agent: str) -> Optional[str]:
    role = agent.replace("~", "")
    if not country:
        return None
    return country[:3] + role if agent.startswith("~") else role + country[:3]


def resolve_actors(doc, lexicon: ActorLexicon, *, day: Optional[date]) -> List[ActorMention]:
    """Every actor mention in ``doc`` (a whole article), in token order: names and roles (who a pronoun stands
    for is read by the who-is-who, :mod:`transforms.extract.who`).

    Args:
        doc: a parsed spaCy ``Doc`` (tagger, parser and NER run).
        lexicon: the compiled dictionaries.
        day: the article's date, which picks date-bounded codes; with None, a person gets their
            country, and a role only from a title the text gives ("President Donald Trump").
    """
    ents = doc.ents   # a new Span per entity on every access: read once
    person_tokens = {i for ent in ents if ent.label_ == "PERSON" for i in range(ent.start, ent.end)}
    # a pronoun is never an actor's name, whatever its letters ("us" is not the U.S.)
    actors = [(s, e, k) for s, e, k in _spans(lexicon.actor_matcher, doc, lexicon.strings)
              if not (e - s == 1 and doc[s].pos_ == "PRON")]
    agents = _spans(lexicon.agent_matcher, doc, lexicon.strings)
    actor_at = {start: (end, key) for start, end, key in actors}
    mentions: List[ActorMention] = []
    person_override: Dict[str, str] = {}
    titles: Dict[Tuple[str, str], str] = {}     # (country, title word) -> person name
    former_titles: Dict[Tuple[str, str], str] = {}
    dictionary_titles: Dict[str, Set[str]] = {}   # title words -> the people whose dictionary phrases give them
    former_offices: List[Tuple[int, int]] = []
    used_agents = set()
    open_world: Dict[str, Optional[str]] = {}   # people the dictionaries lack, coded from their title

    # An entry is a person in this article if the NER tags any of its mentions PERSON.
    person_entries = {key for start, end, key in actors
                      if any(i in person_tokens for i in range(start, end))
                      and _holds_roles(lexicon.entries[int(key[1:])], day)}
    # "Munich" in "the Munich Security Conference" is a place in a name, not an actor.
    # But an ORG that ends right before a role noun is a nationality the model mislabelled ("Radical
    # French farmers"): its place stays an actor, so the role keeps its country.
    agent_starts = {start for start, _end, _key in agents}
    # Nor is a coordination of actors the model took for one name ("Gondor and Osgiliath" as a
    # WORK_OF_ART): every word outside the actors a conjunction, a comma or an article.
    actor_tokens = {i for s, e, _k in actors for i in range(s, e)}
    containers = [(ent.start, ent.end) for ent in ents if ent.label_ in ("ORG", "FAC", "EVENT", "WORK_OF_ART", "LAW")
                  and not (ent.label_ == "ORG" and ent.end in agent_starts)
                  and not (any(t.pos_ == "CCONJ" for t in ent) and all(
                      t.i in actor_tokens or t.pos_ in ("CCONJ", "PUNCT", "DET") for t in ent))]
    actors = [(s, e, k) for s, e, k in actors
              if not any(cs <= s and e <= ce and (ce - cs) > (e - s) for cs, ce in containers)
              or lexicon.entries[int(k[1:])].code_on(day) is None or _holds_roles(lexicon.entries[int(k[1:])], day)]
    # A country's name inside a person's name is the person's: "Rep. Jim Jordan", "Rep. Jordan".
    people = [(ent.start, ent.end) for ent in ents if ent.label_ == "PERSON"]
    titled = {e for s, e, _k in agents}
    actors = [(s, e, k) for s, e, k in actors
              if _holds_roles(lexicon.entries[int(k[1:])], day)
              or not any(ps <= s and e <= pe and ((pe - ps) > (e - s) or ps in titled) for ps, pe in people)]
    # "Michelle Obama", "Melania Trump": a known person's surname inside a longer name is somebody
    # else, unless the words before it are a title ("President Obama", "Mr. Trump").
    title_tokens = {i for s, e, _k in agents for i in range(s, e)}
    actors = [(s, e, k) for s, e, k in actors
              if k not in person_entries or not any(
                  ps < s and e == pe and any(i not in title_tokens and not doc[i].text.endswith(".")
                                             and doc[i].lower_ not in HONORIFICS for i in range(ps, s))
                  for ps, pe in people)]
    actor_at = {start: (end, key) for start, end, key in actors}
    nearest_first = sorted(agents, key=lambda a: -a[1])   # titles, the one ending last first
    for start, end, key in actors:
        entry = lexicon.entries[int(key[1:])]
        code = entry.code_on(day)
        is_person = key in person_entries
        # A place: a country code, and no role among the entry's dated codes, or the model calls the
        # words a place or a nationality ("Serbian", whose entry was "YUGSRB" before 1992).
        place = code and len(code) == 3 and (not any(len(r.code or "") > 3 for r in entry.dated) or any(
            doc[i].ent_type_ in ("GPE", "NORP", "LOC") for i in range(start, end)))
        kind = "person" if is_person else ("place" if place else "org")
        name = entry.name if is_person else lexicon.display_name(entry, code)
        if is_person:
            # A title just before the name: "President-elect Donald Trump", "former President".
            window = doc[max(0, start - 4):start]
            words = {t.lower_ for t in window}
            # A title just before the name, or at its start when the dictionary phrase includes it
            # ("PRESIDENT_DONALD_TRUMP_").
            # (the nearest; a preposition between is another phrase: "appointed to the Supreme Court by
            # President Bill Clinton" makes him no court)
            title = next(((s, e, k) for s, e, k in nearest_first if (
                start - 2 <= e <= start and not any(t.pos_ in ("VERB", "AUX", "SCONJ", "ADP") for t in doc[e:start]))
                or (start <= s < end - 1)), None)
            if title:
                used_agents.add(title[0])
                country = next((lexicon.entries[int(actor_at[s][1][1:])].code_on(day)
                                for s in range(max(0, title[0] - 3), title[0]) if s in actor_at), None)
                country = country or (code[:3] if code else None)
                if country and code:
                    key_title = (country[:3], _title_words(doc, title[0], title[1]))
                    if words & ELITE_MODIFIERS:
                        former_titles[key_title] = name   # kept apart from the sitting office-holder
                    else:
                        titles[key_title] = name
                if title[2][1:].endswith("ELI") and code:
                    person_override.setdefault(name, code[:3] + "ELI")
                elif day is None and code and not words & ELITE_MODIFIERS:
                    # No date picks a role: the title the text gives does ("President Donald Trump").
                    person_override.setdefault(name, _agent_code(code[:3], title[2][1:]))
            if words & ELITE_MODIFIERS and code and not words & {"current"}:
                person_override.setdefault(name, code[:3] + "ELI")
            elif words & {"current", "sitting", "incumbent"} and code and title:
                person_override.setdefault(name, code[:3] + "GOV")   # "Current U.S. President Joe Biden"
            code = person_override.get(name, code)
            if code and not code.endswith("GOV"):   # who no longer holds an office may be "the former" one
                for title in _dictionary_titles(entry):
                    dictionary_titles.setdefault(title, set()).add(name)
        elif code and len(code) == 3:
            # A named individual coded by country only, after a title: "Prime Minister Romendacil".
            title = next(((s, e, k) for s, e, k in agents if e == start), None)
            if title:
                used_agents.add(title[0])
                code = _agent_code(code, title[2][1:])
                kind = "person"
        if kind == "org" and _after_elite_modifier(doc, start):
            former_offices.append((start, end))   # "the former secretary of state's bid": who held the office,
            continue                              # not its holder today (linked below when one person did)
        for one in (code.split("/") if code and "/" in code else [code]):   # "FRO/BIL/SAM": a compound actor
            mentions.append(ActorMention(start, end, name if one == code else f"{name} ({one})", one, kind))

    for start, end in former_offices:
        held = dictionary_titles.get(_title_words(doc, start, end), set())
        if len(held) == 1:
            person = next(iter(held))
            earlier = next(m for m in mentions if m.name == person)
            mentions.append(ActorMention(start, end, person, earlier.code, "person", "role"))

    # Roles on their own: "Russian President" without a name, "U.S. officials", "the president".
    for start, end, key in agents:
        if start in used_agents or any(m.start <= start < m.end for m in mentions):
            continue
        after = _past_honorifics(doc, end)   # "British diplomat Sir Peter Westmacott": the title of the name after "Sir"
        if after in actor_at or (after < len(doc) and doc[after].ent_type_ == "PERSON"):
            named = _titled_person(doc, ents, start, end, key[1:], mentions)   # "Sen. Mark Warner", no dictionary entry
            if named is not None:
                mentions.append(named)
                open_world.setdefault(named.name, named.code)
            continue  # the title of a name that follows
        if doc[end - 1].dep_ == "amod" and doc[end - 1].head.pos_ in ("NOUN", "PROPN"):
            continue   # "military defense", "presidential race": an adjective, not a role standing for someone
        leader = next((m for m in reversed(mentions) if m.is_person and m.end == start and m.code), None)
        if leader and doc[end - 1].lower_ in GOVERNMENT_NOUNS:
            # "Trump administration officials": that country's government, not the person.
            country = leader.code[:3]
            mentions.append(ActorMention(start, end, lexicon.country_names.get(country, country),
                                         country + "GOV", "role", "role"))
            continue
        # Only a country right before the role: "U.S. officials", "Russia's president".
        country_mention = next((m for m in reversed(mentions) if m.kind == "place" and (
            m.end == start or (m.end == start - 1 and doc[m.end].lower_ in {"'s", "’s", "the"}))), None)
        country = country_mention.code if country_mention else None
        if not country and end < len(doc) and doc[end].lower_ == "of":
            # "The ambassadors of Arnor, Osgiliath and Gondor": a role for each country.
            following = [m for m in mentions if m.kind == "place" and m.start > end and
                         all(t.lower_ in (",", "and") or any(o.start <= t.i < o.end for o in mentions)
                             for t in doc[end + 1:m.start])]
            for place in following:
                mentions.append(ActorMention(start, end, place.name, _agent_code(place.code, key[1:]), "role", "role"))
            if following:
                continue
        title_word = _title_words(doc, start, end)
        person = titles.get((country[:3], title_word)) if country else None
        plural = doc[end - 1].tag_ in ("NNS", "NNPS")   # "voters", "officials": never one person
        agent_type = key[1:].lstrip("~")[:3]
        specific = not indefinite(doc[end - 1], before=start) or _elite(doc, start, end)   # not "a president"
        if not person and not country and not plural and specific:
            # "The former president": the one person the article has given that title (and, for
            # "former", whose title made them an elite).
            titled = {name for (_c, word), name in titles.items() if word == title_word}
            titled |= {name for (_c, word), name in former_titles.items() if word == title_word}
            if _elite(doc, start, end):
                titled = {name for name in titled if person_override.get(name, "").endswith("ELI")}
                # "the former secretary of state": the one person here whose dictionary entry names them so
                # ("SECRETARY_OF_STATE_HILLARY_CLINTON") and who holds no government office now
                titled = titled or set(dictionary_titles.get(title_word, ()))
            person = titled.pop() if len(titled) == 1 else None
        if person and not plural:
            earlier = next(m for m in mentions if m.name == person)
            mentions.append(ActorMention(start, end, person, earlier.code, "person", "role"))
        elif not country and not person and agent_type in INSTITUTION_TYPES and _stands_for_institution(
                doc, start, end, plural, {i for m in mentions for i in range(m.start, m.end)},
                agent_type, {i for m in mentions if m.kind == "place" for i in range(m.start, m.end)}):
            # "Police arrested three protesters", "a federal judge ruled", "Congress passed": a role of the
            # article's own country (given below, when the article has one: USACOP), as GDELT codes them
            mentions.append(ActorMention(start, end, _role_name(doc, ents, start, end), key[1:].replace("~", ""),
                                         "role", "document"))
        elif country:
            code = _agent_code(country, key[1:])
            mentions.append(ActorMention(start, end, country_mention.name, code, "role", "role"))
            # "U.S. and European leaders": the role belongs to each country in the list.
            before = country_mention.start
            if before >= 2 and doc[before - 1].lower_ in ("and", ","):
                other = next((m for m in mentions if m.kind == "place" and m.end == before - 1), None)
                if other and other.code:
                    mentions.append(ActorMention(start, end, other.name, _agent_code(other.code, key[1:]),
                                                 "role", "role"))
    # Later mentions of a person coded from a title: "Sen. Mark Warner ... Warner said".
    if open_world:
        covered = {i for m in mentions for i in range(m.start, m.end)}
        for ent in ents:
            if ent.label_ != "PERSON" or any(i in covered for i in range(ent.start, ent.end)):
                continue
            name = next((n for n in open_world if n == ent.text or n.split()[-1] == ent.text.split()[-1]), None)
            if name is not None:
                mentions.append(ActorMention(ent.start, ent.end, name, open_world[name], "person", "role"))
    mentions += _unlisted_people(doc, ents, mentions)
    surnamed = _surnames(doc, ents, mentions)
    taken = {m.start for m in surnamed}   # "Cuban" after "Mark Cuban" is the man, not Cuba
    mentions = [m for m in mentions if not (m.kind == "place" and m.start in taken)] + surnamed
    mentions.sort(key=lambda m: m.start)
    # A country adjective right before a role it made is part of that role, not an actor of its own.
    role_starts = {m.start for m in mentions if m.kind == "role" and m.resolved_from == "role"}
    mentions = [m for m in mentions if not (m.kind == "place" and any(
        m.end <= s <= m.end + 2 for s in role_starts))]
    mentions = [replace(m, code=person_override.get(m.name, m.code)) if m.is_person else m for m in mentions]
    placed = dateline_tokens(doc)
    mentions = [m for m in mentions if m.start not in placed]
    return _with_document_country(mentions, lexicon.country_names, doc)


DASHES = frozenset({"—", "–", "-", "--", "―"})


def dateline_tokens(doc) -> FrozenSet[int]:
    """The tokens of datelines: a place in capitals opening a sentence, with its state or country and the
    agency in brackets, before a dash ("MOSCOW (Reuters) —", "KYIV, Ukraine (AP) —"); a place written in
    capitals and small letters only with the agency ("New York (AFP) –"). Where a story was filed is not who
    acts in it."""
    found: Set[int] = set()
    for sentence in doc.sents:
        first = sentence[0]
        capitals = first.is_alpha and first.is_upper and len(first) > 1
        if not (capitals or first.is_alpha and first.is_title and first.ent_type_ in ("GPE", "LOC")):
            continue
        depth, agency = 0, False
        for token in sentence[:12]:
            if token.text in DASHES and depth == 0 and token.i > first.i and token.doc[token.i - 1].whitespace_:
                # a dash set apart, not a hyphen inside a name ("AFL-CIO to endorse Clinton")
                if capitals or agency:
                    found.update(range(first.i, token.i + 1))
                break
            if depth == 1 and token.is_alpha and token.is_upper and len(token) > 1 and token.nbor(-1).text == "(" \
                    and token.nbor(1).text == ")":
                agency = True   # "(AFP)", "(AP)"; not "(D-NY)"
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif depth == 0 and not (token.is_upper or token.is_punct or token.is_space
                                     or (token.pos_ == "PROPN" and (token.i > first.i or not capitals))):
                break   # a word in lower case: the sentence has begun, no dateline
    return frozenset(found)


#: Determiners no person's name takes ("the Agriculture Bill", "its Winter Outlook"; not "the late John McCain").
_THING_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "this", "that", "these", "those"})


def determined_name(ent) -> bool:
    """A name with a determiner of its own right before it ("the Agriculture Bill"), or a possessive one before a
    place's or a group's name before it ("its U.S. Winter Outlook", not "the United States Hamdullah Mohib"): a
    thing's, no person's, which an adjective at most stands between ("the late John McCain")."""
    for child in ent.root.children:
        if child.dep_ in ("det", "poss") and child.i < ent.start and child.lower_ in _THING_DETERMINERS:
            between = ent.doc[child.i + 1:ent.start]
            return not between or child.dep_ == "poss" and all(t.ent_type_ in ("GPE", "NORP", "ORG") for t in between)
    return False


def _unlisted_people(doc, ents: Sequence, mentions: List[ActorMention]) -> List[ActorMention]:
    """People the dictionaries do not list and no title codes: named in full ("Carly Fiorina") and
    then by surname ("Fiorina"), with no code yet (the article's country may give one; see
    :func:`_with_document_country`). A single word never introduces a person: a place or a brand the
    model calls a person would otherwise become one."""
    covered = {i for m in mentions for i in range(m.start, m.end)}
    full: Dict[str, str] = {}   # surname -> full name
    found = []
    headlines: Dict[int, bool] = {}   # sentence start -> in Title Case
    for ent in ents:
        if ent.label_ != "PERSON" or "\n" in ent.text or any(i in covered for i in range(ent.start, ent.end)):
            continue
        if in_headline(ent, headlines):
            continue   # a headline in Title Case: the model calls "Bellwether County" a person
        if determined_name(ent):
            continue   # "its Agriculture Bill": a thing's name
        words = [t for t in ent if t.is_alpha or t.text in ("'", "’", "-", ".")]
        if len(ent) >= 2 and all(t.pos_ == "PROPN" for t in ent):
            name = ent.text
            full.setdefault(ent[-1].text, name)
        elif len(ent) == 1 and ent[0].text in full and not acronym(ent[0].text):
            name = full[ent[0].text]
        else:
            continue
        if words:
            found.append(ActorMention(ent.start, ent.end, name, None, "person", "document"))
    return found


def organisation_code(name: str, country: Optional[str], types: Dict[str, str]) -> Optional[str]:
    """The code of an organisation the dictionaries lack ("the Justice Department", "the Clinton Foundation"):
    the article's ``country`` with the CAMEO type a word of its name gives (``organisation_types.v1.tsv``:
    "Department" GOV, "Court" JUD, "Times" MED; the last such word, the name's head, first). None without a
    country or a type: the model's organisations without one are as often a report, a bill or a place ("the
    Winter Outlook", "Death Row") as an actor."""
    words = [w.strip(".,'’").lower() for w in name.split()]
    kind = next((types[w] for w in reversed(words) if w in types), None)
    return country + kind if country and kind else None


def _surnames(doc, ents: Sequence, mentions: List[ActorMention]) -> List[ActorMention]:
    """A surname alone ("Clinton", which the dictionaries do not list by itself) after the article has
    named exactly one person of that surname in full ("Hillary Clinton"): that person. After "Bill
    Clinton" and "Hillary Clinton" both, "Clinton" stays nobody. The model sometimes tags a surname
    an organisation ("Sanders") or a nationality ("Cuban", after "Mark Cuban"): a one-word ORG or NORP
    counts too, and so does a place the dictionary made of the word (the caller drops that place)."""
    covered = {i for m in mentions if m.kind != "place" for i in range(m.start, m.end)}
    people = [m for m in mentions if m.is_person and len(m.name.split()) >= 2]
    found = []
    # and a surname the model left untagged ("Simmons, an Obama supporter, said"): a name standing alone
    untagged = [doc[t.i:t.i + 1] for t in tokens_with(doc, pos=("PROPN",)) if not t.ent_type_
                and (t.i == 0 or doc[t.i - 1].pos_ != "PROPN") and (t.i + 1 >= len(doc) or doc[t.i + 1].pos_ != "PROPN")]
    surname_of = {m.name: m.name.split()[-1] for m in people}
    for ent in sorted(list(ents) + untagged, key=lambda span: span.start):
        if (ent.label_ not in ("PERSON", "ORG", "NORP", "GPE") and ent.label_) or len(ent) != 1 \
                or ent.start in covered:
            continue
        word = ent.text
        if not word.isalpha() or acronym(word):
            continue   # "SVP" after "Junge SVP" (the party's youth wing): an organisation's letters, no surname
        named = {m.name: m for m in people if m.end <= ent.start and surname_of[m.name] == word}
        if len(named) == 1:
            person = next(iter(named.values()))
            found.append(ActorMention(ent.start, ent.end, person.name, person.code, "person", person.resolved_from))
    return found


def _dictionary_titles(entry) -> Set[str]:
    """The titles a person's dictionary phrases put before the name ("SECRETARY_OF_STATE_HILLARY_CLINTON",
    "SECRETARY_CLINTON_": "secretary of state", "secretary"), in lower case; none that holds the first name
    ("HILLARY_RODHAM_CLINTON")."""
    names = [w.upper() for w in entry.name.replace("_", " ").split()]
    if len(names) < 2:
        return set()
    found = set()
    for phrase in entry.phrases:
        words = [w.upper() for w in phrase]
        if len(words) < 2 or words[-1] != names[-1]:
            continue
        before = words[:-1]
        if before and before[-1] == names[0]:
            before = before[:-1]
        if before and names[0] not in before and all(w.isalpha() for w in before):
            found.add(" ".join(w.lower() for w in before))
    return found


def _after_elite_modifier(doc, start: int) -> bool:
    """The words at ``start`` follow "former", "ex-", "outgoing" or "elect": an office someone held or will hold."""
    return start > 0 and doc[start - 1].lower_.rstrip("-") in ELITE_MODIFIERS


def acronym(word: str) -> bool:
    """A word in capitals ("SVP", "NAACP"): letters of a name, not a person's surname."""
    return len(word) > 1 and word.isupper()


#: Determiners of someone not yet known, or of anyone: "a president must be ready" is no particular president.
INDEFINITE_DETERMINERS = _INDEFINITE | {"any", "every", "each", "no"}


def indefinite(noun, before: Optional[int] = None) -> bool:
    """``noun`` has an indefinite determiner (one before token ``before``, when given): "a president", "any
    senator", "a sitting Supreme Court justice"."""
    return any(c.dep_ == "det" and c.lower_ in INDEFINITE_DETERMINERS and (before is None or c.i < before)
               for c in noun.children)


def _elite(doc, start: int, end: int) -> bool:
    """The role is a former or outgoing one ("a former president engaging in freelance diplomacy"): the article's
    one former holder of it, even after "a"."""
    return any(t.lower_ in ELITE_MODIFIERS for t in doc[start:end]) or _after_elite_modifier(doc, start)


def in_headline(span, seen: Dict[int, bool]) -> bool:
    """The span's sentence is a headline in Title Case (:func:`title_case`), told once per sentence: ``seen``
    keeps each sentence's answer by its first token."""
    sentence = span.sent
    if sentence.start not in seen:
        seen[sentence.start] = title_case(sentence)
    return seen[sentence.start]


def title_case(sentence) -> bool:
    """Most words capitalised, as in a headline ("Bellwether County Says Trump Should Win")."""
    words = [t for t in sentence if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _title_words(doc, start: int, end: int) -> str:
    """A title's words without "former", "the" or a country: "vice president" stays apart from
    "president" (the vice president is not "the president")."""
    return " ".join(t.lower_ for t in doc[start:end] if t.lower_ not in ELITE_MODIFIERS
                    and t.pos_ != "DET" and t.ent_type_ not in ("GPE", "NORP"))


#: Share of an article's country-coded mentions one country must hold to be the article's country.
DOCUMENT_COUNTRY_SHARE = 0.6


def document_country(mentions: Sequence[ActorMention], countries: Dict[str, str]) -> Optional[str]:
    """The article's country: the one that holds :data:`DOCUMENT_COUNTRY_SHARE` of its country-coded
    mentions, if any."""
    counts: Dict[str, int] = {}
    for mention in mentions:
        if mention.code and mention.code[:3] in countries:
            counts[mention.code[:3]] = counts.get(mention.code[:3], 0) + 1
    if not counts:
        return None
    country, count = max(counts.items(), key=lambda item: (item[1], item[0]))
    return country if count >= DOCUMENT_COUNTRY_SHARE * sum(counts.values()) else None


def _with_document_country(mentions: List[ActorMention], countries: Dict[str, str], doc) -> List[ActorMention]:
    """A person coded by a title alone ("House Speaker Paul Ryan": ``LEG``) gets the country of the
    article when one country holds most of its country-coded mentions (``USALEG`` in a story about
    Washington); with no such country the code stays as the title gives it. So does a role standing alone
    ("police"), unless another country is named in its sentence or the two before it ("French President François
    Hollande has joined a list of world leaders who ...": not the article's country's leaders); then it is none."""
    country = document_country(mentions, countries)
    alone = [m for m in mentions if m.kind == "role" and m.resolved_from == "document"]
    if country is None:
        return [m for m in mentions if not (m.kind == "role" and m.resolved_from == "document")]
    starts = [sentence.start for sentence in doc.sents]
    foreign = [m.start for m in mentions if m.code and m.code[:3] in countries and m.code[:3] != country]
    near = set()
    for role in alone:
        at = bisect.bisect_right(starts, role.start) - 1
        first, last = starts[max(0, at - 2)], starts[at + 1] if at + 1 < len(starts) else len(doc)
        if any(first <= start < last for start in foreign):
            near.add(id(role))
    return [replace(m, code=country + m.code) if m.kind in ("person", "role") and m.code and len(m.code) == 3
            and m.code[:3] not in countries and m.code.isalpha()
            else replace(m, code=country) if m.kind == "person" and m.code is None and m.resolved_from == "document"
            else m for m in mentions if id(m) not in near]
