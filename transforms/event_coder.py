"""The compiled coding dictionaries: CAMEO verbs and their patterns, the noun-event lexicon and
the code tables (no Beam). Built once per worker by :meth:`EventCoder.load`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from transforms.data_files import data_lines
from transforms.dictionaries import (VerbBlock, VerbDictionary, VerbPattern, parse_code_table,
                                     parse_plover, parse_verbs)

VERB_FILE = "dictionaries/CAMEO.2.0.txt"
VERB_SUPPLEMENT_FILE = "verbs.supplement.v1.txt"
NOUN_FILE = "noun_events.v1.tsv"
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


class CodeBook:
    """CAMEO code -> Goldstein value, name, PLOVER category and GDELT quad class."""

    def __init__(self, goldstein: Dict[str, str], names: Dict[str, str], plover: Dict[str, str]):
        self.goldstein = {code: float(value) for code, value in goldstein.items()}
        self.names = names
        self.plover = plover

    @classmethod
    def load(cls) -> "CodeBook":
        return cls(parse_code_table(data_lines(GOLDSTEIN_FILE)), parse_code_table(data_lines(NAMES_FILE)),
                   parse_plover(data_lines(PLOVER_FILE)))

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
                 supplement: Optional[VerbDictionary] = None):
        self.verbs = supplement.index() if supplement else {}
        for words, found in verbs.index().items():
            self.verbs.setdefault(words, found)   # a supplement block replaces the verb's block
        self.synsets = _expand_synsets({**verbs.synsets, **(supplement.synsets if supplement else {})})
        self.nouns = nouns
        self.codebook = codebook

    @classmethod
    def load(cls, *, verb_file: Optional[str] = None) -> "EventCoder":
        """The packaged CAMEO verbs and supplement, or ``verb_file`` alone (a user's dictionary)."""
        if verb_file:
            with open(verb_file, encoding="utf-8", errors="replace") as handle:
                verbs = parse_verbs(handle.read().splitlines(), source=verb_file)
            supplement = None
        else:
            verbs = parse_verbs(data_lines(VERB_FILE), source=VERB_FILE)
            supplement = parse_verbs(data_lines(VERB_SUPPLEMENT_FILE), source=VERB_SUPPLEMENT_FILE)
        return cls(verbs, parse_noun_events(data_lines(NOUN_FILE)), CodeBook.load(), supplement)

    def verb_entry(self, token) -> Optional[Tuple[VerbBlock, str, str]]:
        """(block, own code, trigger) for a verb token, trying "verb particle" first."""
        lemma = token.lemma_.upper()
        for child in token.children:
            if child.dep_ == "prt":
                found = self.verbs.get((lemma, child.lower_.upper()))
                if found:
                    return found[0], found[1], f"{token.text} {child.text}"
        found = self.verbs.get((lemma,))
        return (found[0], found[1], token.text) if found else None

    def pattern_code(self, block: VerbBlock, before: Sequence[Tuple[str, str]],
                     after: Sequence[Tuple[str, str]]) -> Optional[VerbPattern]:
        """The longest pattern of ``block`` whose words occur, in order, around the verb."""
        best = None
        for pattern in block.patterns:
            if pattern.size == 0 or (best is not None and pattern.size <= best.size):
                continue
            if _in_order(pattern.after, after, self.synsets) and _in_order(pattern.before, before, self.synsets):
                best = pattern
        return best

    def noun_code(self, token) -> Optional[str]:
        rows = self.nouns.get(token.lemma_.lower())
        if not rows:
            return None
        words = {t.lemma_.lower() for t in token.subtree} | {t.lower_ for t in token.subtree}
        if token.head is not token:
            words |= {t.lemma_.lower() for t in token.head.children}
        qualified = [row for row in rows if row.qualifiers and words & set(row.qualifiers)]
        plain = [row for row in rows if not row.qualifiers]
        chosen = qualified[0] if qualified else (plain[0] if plain else None)
        return chosen.code if chosen else None


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


def _in_order(pattern: Sequence[str], tokens: Sequence[Tuple[str, str]], synsets) -> bool:
    """Each pattern word (or synset phrase) occurs in ``tokens`` after the previous one."""
    position = 0
    for word in pattern:
        options = synsets.get(word[1:].rstrip("_"), []) if word.startswith("&") else [(word,)]
        if word.startswith("&") and not options:
            return False
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
