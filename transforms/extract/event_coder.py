"""The compiled coding dictionaries: CAMEO verbs and their patterns, the noun-event lexicon and
the code tables (no Beam). Built once per worker by :meth:`EventCoder.load`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from transforms.common.data_files import data_lines
from transforms.extract.dictionaries import (
    VerbBlock,
    VerbDictionary,
    VerbPattern,
    parse_code_table,
    parse_plover,
    parse_verbs,
)
from transforms.extract.phrasal import particles

DATA = "transforms.extract.data"
VERB_FILE = "dictionaries/CAMEO.2.0.txt"
VERB_SUPPLEMENT_FILE = "verbs.supplement.v1.txt"
NOUN_FILE = "noun_events.v1.tsv"
COMBINATIONS_FILE = "verb_combinations.v1.tsv"
SENSES_FILE = "event_senses.v1.tsv"
PLOVER_SUPPLEMENT_FILE = "plover.supplement.v1.txt"
GOLDSTEIN_FILE = "dictionaries/gdelt-CAMEO.goldsteinscale.txt"
NAMES_FILE = "dictionaries/gdelt-CAMEO.eventcodes.txt"
PLOVER_FILE = "dictionaries/CAMEO2PLOVER-2021.txt"


@dataclass(frozen=True)
class NounEvent:
    lemma: str
    code: str
    qualifiers: Tuple[str, ...]


def parse_noun_events(lines: Iterable[str]) -> Dict[str, List[NounEvent]]:
    table: Dict[str, List[NounEvent]] = {}
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        lemma, code = parts[0].strip().lower(), parts[1].strip()
        qualifiers = tuple(q.strip().lower() for q in (parts[2] if len(parts) > 2 else "").split(",") if q.strip())
        table.setdefault(lemma, []).append(NounEvent(lemma, code, qualifiers))
    return table


@dataclass(frozen=True)
class Governing:
    """A verb that codes together with the verb it governs ("agreed to return", "urged X to")."""
    lemma: str
    family: str
    target: str                      # "inner", "object", "clause" or "obligation"
    prepositions: FrozenSet[str]     # one of which the verb must govern; empty: none needed


@dataclass(frozen=True)
class Combinations:
    """``verb_combinations.v1.tsv``: governing verbs, and per family the combined codes."""
    verbs: Dict[str, Governing]
    codes: Dict[str, Dict[str, str]]
    undo: FrozenSet[str] = frozenset()   # verbs whose object event does not take place

    def code(self, family: str, inner: Optional[str]) -> Optional[str]:
        """The combined code for a governed verb coded ``inner`` (None: it has no code); None
        when the family does not combine with it (the governed event keeps its own code)."""
        table = self.codes.get(family, {})
        if inner is None:
            return table.get("-")
        for size in (4, 3, 2):
            if inner[:size] in table and len(inner) >= size:
                return table[inner[:size]]
        return None


def parse_combinations(lines: Iterable[str]) -> Combinations:
    verbs: Dict[str, Governing] = {}
    codes: Dict[str, Dict[str, str]] = {}
    undo: set = set()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if parts[0] == "verb" and len(parts) == 5 and parts[3] in ("inner", "object", "clause", "obligation"):
            needs = frozenset() if parts[4] == "-" else frozenset(parts[4].split(","))
            verbs[parts[1].lower()] = Governing(parts[1].lower(), parts[2], parts[3], needs)
        elif parts[0] == "code" and len(parts) == 4:
            codes.setdefault(parts[1], {})[parts[2]] = parts[3]
        elif parts[0] == "undo" and len(parts) == 2:
            undo.add(parts[1].lower())
        else:
            raise ValueError(f"{COMBINATIONS_FILE}:{number}: not a verb, code or undo row: {line!r}")
    unknown = {g.family for g in verbs.values()} - set(codes)
    if unknown:
        raise ValueError(f"{COMBINATIONS_FILE}: families without codes: {sorted(unknown)}")
    return Combinations(verbs, codes, frozenset(undo))


@dataclass(frozen=True)
class Senses:
    """``event_senses.v1.tsv``: the violent codes, and what makes a context violent."""
    codes: Tuple[str, ...] = ()
    roles: FrozenSet[str] = frozenset()
    words: FrozenSet[str] = frozenset()
    verbal: FrozenSet[str] = frozenset()
    phone: FrozenSet[str] = frozenset()
    alone: Tuple[str, ...] = ()         # codes an event may carry with no target
    visit: FrozenSet[str] = frozenset()  # verbs of arriving: "in <place>" is the place visited
    generic: FrozenSet[str] = frozenset()  # verbs whose bare default code is no event
    known: FrozenSet[str] = frozenset()   # the code book's codes; others are a user dictionary's own

    def is_violent(self, code: str) -> bool:
        return code in self.known and any(code.startswith(prefix) for prefix in self.codes)

    def needs_no_target(self, code: str) -> bool:
        return any(code.startswith(prefix) for prefix in self.alone)

    def armed(self, actor_code: Optional[str]) -> bool:
        roles = (actor_code or "")[3:] if len(actor_code or "") > 3 else (actor_code or "")
        return any(role in roles for role in self.roles)


def parse_senses(lines: Iterable[str], known: Iterable[str] = ()) -> Senses:
    table: Dict[str, List[str]] = {"code": [], "role": [], "word": [], "verbal": [], "phone": [], "alone": [], "visit": [], "generic": []}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or parts[0] not in table:
            raise ValueError(f"{SENSES_FILE}:{number}: not a {', '.join(table)} row: {line!r}")
        table[parts[0]].append(parts[1] if parts[0] in ("code", "role", "alone") else parts[1].lower())
    return Senses(tuple(table["code"]), frozenset(table["role"]), frozenset(table["word"]), frozenset(table["verbal"]),
                  frozenset(table["phone"]), tuple(table["alone"]), frozenset(table["visit"]), frozenset(table["generic"]),
                  frozenset(known))


Phrases = Tuple[Tuple[str, ...], ...]   # the phrases one pattern word stands for


@dataclass(frozen=True)
class CompiledPattern:
    """A verb pattern with its synsets expanded, and the words each side must contain: for
    every pattern word, the first words of its phrases, one of which must be there."""
    pattern: VerbPattern
    before: Tuple[Phrases, ...]
    after: Tuple[Phrases, ...]
    needs_before: Tuple[FrozenSet[str], ...]
    needs_after: Tuple[FrozenSet[str], ...]
    lone: Optional[str] = None   # the preposition of a pattern that is one preposition alone

    def may_match(self, before_words: set, after_words: set) -> bool:
        """False when a word the pattern needs is missing (cheap; True does not mean a match)."""
        return (all(not firsts.isdisjoint(after_words) for firsts in self.needs_after)
                and all(not firsts.isdisjoint(before_words) for firsts in self.needs_before))


def compile_patterns(block: VerbBlock, synsets: Dict[str, List[Tuple[str, ...]]]) -> List[CompiledPattern]:
    """``block``'s patterns, longest first (ties in dictionary order); those naming an empty or
    unknown synset are left out, as they can never match."""
    def phrases(word: str) -> Phrases:
        return tuple(synsets.get(word[1:].rstrip("_"), ())) if word.startswith("&") else ((word,),)

    def firsts(side: Tuple[Phrases, ...]) -> Tuple[FrozenSet[str], ...]:
        return tuple(sorted((frozenset(phrase[0] for phrase in options) for options in side), key=len))

    compiled = []
    for pattern in block.patterns:
        if pattern.size == 0:
            continue
        before, after = tuple(map(phrases, pattern.before)), tuple(map(phrases, pattern.after))
        if all(before) and all(after):
            compiled.append(CompiledPattern(pattern, before, after, firsts(before), firsts(after),
                                            _lone_preposition(before, after)))
    return sorted(compiled, key=lambda c: -c.pattern.size)


class PatternIndex:
    """A block's compiled patterns, found by word: each pattern is filed under the smallest set of first
    words it needs (after the verb if it needs any there, else before), so a clause is tried only against
    the patterns one of whose needed words it holds, in the block's order (longest first)."""

    def __init__(self, patterns: Sequence[CompiledPattern]):
        self.patterns = list(patterns)
        self.after: Dict[str, List[int]] = {}
        self.before: Dict[str, List[int]] = {}
        for position, compiled in enumerate(self.patterns):
            side, needs = (self.after, compiled.needs_after[0]) if compiled.needs_after else (
                self.before, compiled.needs_before[0])
            for word in needs:
                side.setdefault(word, []).append(position)

    def candidates(self, before_words: set, after_words: set) -> List[CompiledPattern]:
        """The patterns that may match, in the block's order: every pattern needs a word (an empty
        pattern is never compiled), and one not filed under a word of the clause cannot match."""
        positions = {p for word in after_words for p in self.after.get(word, ())}
        positions.update(p for word in before_words for p in self.before.get(word, ()))
        return [self.patterns[p] for p in sorted(positions)]


class CodeBook:
    """CAMEO code -> Goldstein value, name, PLOVER category and GDELT quad class."""

    def __init__(self, goldstein: Dict[str, str], names: Dict[str, str], plover: Dict[str, str]):
        self.goldstein = {code: float(value) for code, value in goldstein.items()}
        self.names = names
        self.plover = plover

    @classmethod
    def load(cls) -> "CodeBook":
        plover = parse_plover(data_lines(DATA, PLOVER_FILE))
        plover.update(parse_plover(data_lines(DATA, PLOVER_SUPPLEMENT_FILE)))
        return cls(parse_code_table(data_lines(DATA, GOLDSTEIN_FILE)), parse_code_table(data_lines(DATA, NAMES_FILE)),
                   plover)

    def lookup(self, table: Dict, code: str):
        for candidate in (code, code[:3], code[:2]):
            if candidate in table:
                return table[candidate]
        return None

    @staticmethod
    def quad_class(code: str) -> int:
        root = int(code[:2])
        return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


class EventCoder:
    """The verb dictionary, noun-event lexicon and code tables, compiled once per worker."""

    def __init__(self, verbs: VerbDictionary, nouns: Dict[str, List[NounEvent]], codebook: CodeBook,
                 supplement: Optional[VerbDictionary] = None, combinations: Optional[Combinations] = None,
                 senses: Optional[Senses] = None):
        self.combinations = combinations or Combinations({}, {})
        self.senses = senses or Senses()
        self.verbs = supplement.index() if supplement else {}
        for words, found in verbs.index().items():
            self.verbs.setdefault(words, found)   # a supplement block replaces the verb's block
        self.synsets = _expand_synsets({**verbs.synsets, **(supplement.synsets if supplement else {})})
        self.nouns = nouns
        self.codebook = codebook
        blocks = {id(block): block for block, _code in self.verbs.values()}
        self.patterns = {key: PatternIndex(compile_patterns(block, self.synsets)) for key, block in blocks.items()}

    @classmethod
    def load(cls, *, verb_file: Optional[str] = None) -> "EventCoder":
        """The packaged CAMEO verbs and supplement, or ``verb_file`` alone (a user's dictionary)."""
        if verb_file:
            with open(verb_file, encoding="utf-8", errors="replace") as handle:
                verbs = parse_verbs(handle.read().splitlines(), source=verb_file)
            supplement = None
        else:
            verbs = parse_verbs(data_lines(DATA, VERB_FILE), source=VERB_FILE)
            supplement = parse_verbs(data_lines(DATA, VERB_SUPPLEMENT_FILE), source=VERB_SUPPLEMENT_FILE)
        # The combinations are English grammar, not a dictionary's vocabulary: kept with a user's verbs too.
        codebook = CodeBook.load()
        return cls(verbs, parse_noun_events(data_lines(DATA, NOUN_FILE)), codebook, supplement,
                   parse_combinations(data_lines(DATA, COMBINATIONS_FILE)),
                   parse_senses(data_lines(DATA, SENSES_FILE), known=set(codebook.names) | set(codebook.plover)))

    def verb_entry(self, token) -> Optional[Tuple[VerbBlock, str, str]]:
        """(block, own code, trigger) for a verb token, trying "verb particle" first."""
        lemma = token.lemma_.upper()
        for child in particles(token):   # "broke down relations": BREAK_DOWN, however the model parsed "down"
            found = self.verbs.get((lemma, child.lower_.upper()))
            if found:
                return found[0], found[1], f"{token.text} {child.text}"
        found = self.verbs.get((lemma,))
        if found is None and token.tag_ in ("VBD", "VBN"):
            # the model's lemma is sometimes no word ("fined": "fin"): the regular past's stem
            form = token.lower_.upper()
            found = next((self.verbs[(stem,)] for stem in (form[:-1], form[:-2]) if form.endswith("ED")
                          and (stem,) in self.verbs), None)
        return (found[0], found[1], token.text) if found else None

    def pattern_code(self, block: VerbBlock, before: Sequence[Tuple[str, str]],
                     after: Sequence[Tuple[str, str]], own_prepositions: FrozenSet[str] = frozenset()
                     ) -> Optional[VerbPattern]:
        """The longest pattern of ``block`` whose words occur, in order, around the verb. A pattern that
        is one preposition alone ("* TO", "* WITH") needs that preposition on the verb itself
        (``own_prepositions``): "leads Sanders by close to 20 points" has no "to" of its own."""
        before_words = {part for token in before for part in token}
        after_words = {part for token in after for part in token}
        for compiled in self.patterns[id(block)].candidates(before_words, after_words):
            if compiled.lone is not None and compiled.lone not in own_prepositions:
                continue
            if (compiled.may_match(before_words, after_words)
                    and _in_order(compiled.after, after) and _in_order(compiled.before, before)):
                return compiled.pattern
        return None

    def noun_code(self, token) -> Optional[str]:
        rows = self.nouns.get(token.lemma_.lower())
        if not rows:
            return None
        words = {t.lemma_.lower() for t in token.subtree} | {t.lower_ for t in token.subtree}
        if token.head.i != token.i:
            words |= {t.lemma_.lower() for t in token.head.children}
        prepositions = {f"prep:{c.lower_}" for c in token.children if c.dep_ == "prep"}
        qualified = [row for row in rows if row.qualifiers and (words | prepositions) & set(row.qualifiers)]
        plain = [row for row in rows if not row.qualifiers]
        chosen = qualified[0] if qualified else (plain[0] if plain else None)
        return chosen.code if chosen else None


#: Words a verb pattern of one word alone must find as the verb's own preposition.
PREPOSITIONS = frozenset({"ABOUT", "AGAINST", "AT", "BETWEEN", "BY", "FOR", "FROM", "IN", "INTO", "OF", "ON",
                          "OVER", "TO", "TOWARD", "TOWARDS", "UNDER", "UPON", "WITH", "WITHOUT"})


def _lone_preposition(before: Tuple[Phrases, ...], after: Tuple[Phrases, ...]) -> Optional[str]:
    if before or len(after) != 1 or len(after[0]) != 1:
        return None
    phrase = after[0][0]
    return phrase[0] if len(phrase) == 1 and phrase[0] in PREPOSITIONS else None


def _expand_synsets(synsets: Dict[str, List[Tuple[str, ...]]]) -> Dict[str, List[Tuple[str, ...]]]:
    expanded = {}
    for name, members in synsets.items():
        out = []
        for words in members:
            if len(words) == 1 and words[0].startswith("&"):
                out += synsets.get(words[0][1:].rstrip("_"), [])
            else:
                out.append(words)
        expanded[name] = out
    return expanded


def _in_order(pattern: Sequence[Phrases], tokens: Sequence[Tuple[str, str]]) -> bool:
    """One phrase of each pattern word occurs in ``tokens`` after the previous word's."""
    position = 0
    for options in pattern:
        found = None
        for start in range(position, len(tokens)):
            for phrase in options:
                if start + len(phrase) <= len(tokens) and all(
                        part in tokens[start + k] for k, part in enumerate(phrase)):
                    found = start + len(phrase)
                    break
            if found is not None:
                break
        if found is None:
            return False
        position = found
    return True
