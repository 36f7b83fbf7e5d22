"""Parsers for the field's event-coding dictionaries, in their own formats (no Beam).

- PETRARCH/Phoenix actor files: a primary phrase, ``+synonym`` lines and tab-indented
  ``[CODE date-range]`` restrictions (``parse_actors``);
- PETRARCH agent files: ``PHRASE {plural} [~CODE]`` with ``!SUBST! = a, b`` sets
  (``parse_agents``);
- the CAMEO verb dictionary ``CAMEO.2.0.txt``: ``&SYNSET`` blocks, then ``--- NAME [code] ---``
  verb blocks with ``- * WORDS [code]`` patterns (``parse_verbs``);
- GDELT's event-code and Goldstein tables and the CAMEO-to-PLOVER table (``parse_code_table``,
  ``parse_plover``).

Phrases keep their words in upper case; ``_`` and spaces both join words.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Dict, Iterable, List, Optional, Tuple

LOG = logging.getLogger(__name__)
_XML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CODE_BLOCK = re.compile(r"\[([^\]]*)\]")


class DictionaryError(ValueError):
    """A dictionary file that cannot be read as its format says."""


def _strip_comment(line: str) -> str:
    for marker in ("#", ";"):
        index = line.find(marker)
        if index >= 0:
            line = line[:index]
    return line.rstrip()


def phrase_words(phrase: str) -> Tuple[str, ...]:
    """``VLADIMIR_V._PUTIN_`` -> ``('VLADIMIR', 'V.', 'PUTIN')``."""
    return tuple(word for word in re.split(r"[_\s]+", phrase.strip().upper()) if word)


def parse_dictionary_date(text: str) -> date:
    """YYYYMMDD, or YYMMDD with 30-99 in the 1900s and 00-29 in the 2000s."""
    text = text.strip()
    if len(text) == 8:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if len(text) == 6:
        year = int(text[:2])
        return date(year + (1900 if year >= 30 else 2000), int(text[2:4]), int(text[4:]))
    raise DictionaryError(f"bad dictionary date {text!r}")


@dataclass(frozen=True)
class DatedCode:
    code: str
    start: Optional[date] = None   # inclusive; None: open
    end: Optional[date] = None     # inclusive; None: open


def parse_restriction(text: str) -> DatedCode:
    """``USAGOV 450703-470121``, ``RUSGOV >080508``, ``AFGELI <19990101`` or ``RUSELI``."""
    parts = text.split()
    if not parts:
        raise DictionaryError("empty code restriction")
    code = parts[0]
    if len(parts) == 1:
        return DatedCode(code)
    span = "".join(parts[1:])  # "> 130701" and "19950601 - 19990815" occur in the files
    if span.isdigit():
        return DatedCode(code, start=parse_dictionary_date(span))
    if span.startswith(">"):
        return DatedCode(code, start=parse_dictionary_date(span[1:]))
    if span.startswith("<"):
        return DatedCode(code, end=parse_dictionary_date(span[1:]))
    if "-" in span:
        first, last = span.split("-", 1)
        return DatedCode(code, start=parse_dictionary_date(first), end=parse_dictionary_date(last))
    raise DictionaryError(f"bad code restriction {text!r}")


@dataclass
class ActorEntry:
    """One actor record: its canonical name, its phrases and its date-bounded codes."""
    name: str
    phrases: List[Tuple[str, ...]] = field(default_factory=list)
    default: Optional[str] = None
    dated: List[DatedCode] = field(default_factory=list)

    def code_on(self, day: Optional[date]) -> Optional[str]:
        """The code in force on ``day`` (the first restriction that holds), else the default.

        With no day, no date-bounded role applies: the code that holds without a date, else for a
        place its latest code, for a person or role holder only the country of their latest role
        ("USAGOV 2017-2021" gives "USA").
        """
        for restriction in self.dated:
            if restriction.start is None and restriction.end is None:
                continue
            if day is not None and (restriction.start is None or restriction.start <= day) and \
                    (restriction.end is None or day <= restriction.end):
                return restriction.code
        undated = [r.code for r in self.dated if r.start is None and r.end is None]
        if undated:
            return undated[-1]
        if self.default:
            return self.default
        if day is None and self.dated:
            latest = max(self.dated, key=lambda r: r.start or date.min).code
            if latest and any(len(r.code or "") > 3 for r in self.dated):
                return latest[:3]
            return latest
        return None


def _canonical_name(phrase: str) -> str:
    words = phrase_words(phrase)
    def shown(word: str) -> str:
        if word in {"U.S.", "NATO", "UN", "EU", "US", "UK", "USA"} or (len(word) <= 2 and not set(word) & set("AEIOU")):
            return word                      # JD, U.S.
        return word.lower() if word in {"OF", "THE", "AND", "FOR"} else word.title()
    return " ".join(shown(word) for word in words)


def parse_actors(lines: Iterable[str], *, source: str = "actors") -> List[ActorEntry]:
    """Parse a PETRARCH/Phoenix actor file.

    Raises:
        DictionaryError: a synonym or restriction before any record, or a bad date.
    """
    text = _XML_COMMENT.sub("", "".join(line if line.endswith("\n") else line + "\n" for line in lines))
    entries: List[ActorEntry] = []
    current: Optional[ActorEntry] = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip() or raw.lstrip().startswith(("#", ";")):
            continue
        indented = raw[:1] in ("\t", " ")
        line = _strip_comment(raw).strip()
        if not line:
            continue
        try:
            if indented and line.startswith("["):
                if current is None:
                    raise DictionaryError("a code restriction before any actor")
                for block in _CODE_BLOCK.findall(line):
                    try:
                        current.dated.append(parse_restriction(block))
                    except DictionaryError as exc:  # a typo in one restriction costs only it
                        LOG.debug("%s:%d: skipped restriction [%s]: %s", source, number, block, exc)
            elif line.startswith("+"):
                if current is None:
                    raise DictionaryError("a synonym before any actor")
                words = phrase_words(_CODE_BLOCK.sub("", line[1:]))
                if words:
                    current.phrases.append(words)
            else:
                phrase = _CODE_BLOCK.split(line, 1)[0] if "[" in line else line
                current = ActorEntry(name=_canonical_name(phrase), phrases=[phrase_words(phrase)])
                for block in _CODE_BLOCK.findall(line):
                    if len(block.split()) == 1:
                        current.default = current.default or block.strip()
                        continue
                    try:  # "[IGOEUREEC 950701-951231]" on the primary line itself
                        current.dated.append(parse_restriction(block))
                    except DictionaryError as exc:
                        LOG.debug("%s:%d: skipped restriction [%s]: %s", source, number, block, exc)
                entries.append(current)
        except DictionaryError as exc:
            raise DictionaryError(f"{source}:{number}: {exc}") from exc
    return [entry for entry in entries if entry.phrases and entry.phrases[0]]


def _plurals(word: str) -> List[str]:
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return [word[:-1] + "IES"]
    if word.endswith(("SS", "SH", "CH", "X")):
        return [word + "ES"]
    return [word + "S"]


def parse_agents(lines: Iterable[str], *, source: str = "agents") -> Dict[Tuple[str, ...], str]:
    """Parse a PETRARCH agent file into ``{phrase words: '~CODE' or 'CODE~'}``, plurals included."""
    text = _XML_COMMENT.sub("", "\n".join(line.rstrip("\n") for line in lines))
    substitutions: Dict[str, List[str]] = {}
    agents: Dict[Tuple[str, ...], str] = {}
    for number, raw in enumerate(text.split("\n"), start=1):
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if re.match(r"^!\w+!\s*=", line):
            name, values = line.split("=", 1)
            substitutions[name.strip()] = [v.strip().upper() for v in values.split(",") if v.strip()]
            continue
        match = re.match(r"^(?P<phrase>[^\[{]+?)\s*(\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]]*)\]", line)
        if not match:
            continue  # PETRARCH skips lines it cannot read; so do we
        code = match.group("code").strip()
        if "~" not in code:
            raise DictionaryError(f"{source}:{number}: agent code {code!r} has no '~'")
        phrases = [match.group("phrase").strip().upper()]
        for marker, values in substitutions.items():
            if any(marker in p for p in phrases):
                phrases = [p.replace(marker, value) for p in phrases for value in values]
        plural = match.group("plural")
        for phrase in phrases:
            words = phrase_words(phrase)
            if not words:
                continue
            agents.setdefault(words, code)
            if plural is None and "!" not in match.group("phrase"):
                for form in _plurals(words[-1]):
                    agents.setdefault(words[:-1] + (form,), code)
            elif plural:
                agents.setdefault(phrase_words(plural), code)
    return agents


@dataclass(frozen=True)
class VerbPattern:
    """``- WORDS * WORDS [code]``: words before and after the verb; synsets as ``&NAME``."""
    before: Tuple[str, ...]
    after: Tuple[str, ...]
    code: str

    @property
    def size(self) -> int:
        return len(self.before) + len(self.after)


@dataclass
class VerbBlock:
    name: str
    code: str                                   # '---' for no event
    verbs: Dict[str, str] = field(default_factory=dict)   # verb words -> own code or ''
    patterns: List[VerbPattern] = field(default_factory=list)


@dataclass
class VerbDictionary:
    synsets: Dict[str, List[Tuple[str, ...]]]
    blocks: List[VerbBlock]

    def index(self) -> Dict[Tuple[str, ...], Tuple[VerbBlock, str]]:
        """``{verb words: (block, the verb's own code)}``; a later block never replaces an earlier."""
        found: Dict[Tuple[str, ...], Tuple[VerbBlock, str]] = {}
        for block in self.blocks:
            for verb, own in block.verbs.items():
                found.setdefault(phrase_words(verb), (block, own))
        return found


def _pattern_words(text: str) -> Tuple[str, ...]:
    cleaned = re.sub(r"[(){}_]", " ", text)
    return tuple(word for word in cleaned.upper().split() if word not in {"$", "+", "%", "^"})


def parse_verbs(lines: Iterable[str], *, source: str = "verbs") -> VerbDictionary:
    """Parse a PETRARCH verb dictionary (synsets, verb blocks and their patterns)."""
    text = _XML_COMMENT.sub("", "\n".join(line.rstrip("\n") for line in lines))
    synsets: Dict[str, List[Tuple[str, ...]]] = {}
    blocks: List[VerbBlock] = []
    current_synset: Optional[str] = None
    block: Optional[VerbBlock] = None
    for raw in text.split("\n"):
        if raw.startswith("####### TRANSFORMATIONS") or raw.startswith("######## TRANSFORMATIONS"):
            break
        header = re.match(r"^-{3}\s+(\S+)\s+\[([^\]]*)\]\s+-{3}", raw)
        if header:
            code = header.group(2).strip().split(":")[0] or "---"
            block = VerbBlock(name=header.group(1), code=code)
            blocks.append(block)
            current_synset = None
            continue
        line = _strip_comment(raw).strip()
        if not line:
            continue
        if line.startswith("&"):
            current_synset = line.split()[0].rstrip("_")
            synsets[current_synset] = []
            block = None
            continue
        if line.startswith("+") and current_synset and block is None:
            words = phrase_words(line[1:])
            if words:
                synsets[current_synset].append(words)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            codes = _CODE_BLOCK.findall(line)
            body = _CODE_BLOCK.sub("", line[1:])
            marker = "**" if "**" in body else "*"
            if not codes or marker not in body:
                continue
            before, after = body.split(marker, 1)
            if not re.match(r"^(\d{2,4}|---)$", codes[0].strip().split(":")[0]):
                continue  # the validation file's placeholders ([def], [075A]) code nothing
            block.patterns.append(VerbPattern(_pattern_words(before), _pattern_words(after),
                                              codes[0].strip().split(":")[0]))
        else:   # a verb, or "+BREAK_DOWN {+BROKE_DOWN ...}": a verb with its particle
            codes = _CODE_BLOCK.findall(line)
            verb = re.sub(r"\{[^}]*\}", "", _CODE_BLOCK.sub("", line)).strip().lstrip("+")
            if verb and re.match(r"^[A-Z][A-Z_'\-]*$", verb):
                block.verbs[verb] = codes[0].strip().split(":")[0] if codes else ""
    return VerbDictionary(synsets={k.lstrip("&"): v for k, v in synsets.items()}, blocks=blocks)


def parse_code_table(lines: Iterable[str]) -> Dict[str, str]:
    """A two-column, tab-separated GDELT lookup with a header row."""
    table = {}
    for number, line in enumerate(lines):
        parts = line.rstrip("\n").split("\t")
        if number == 0 or len(parts) < 2 or not parts[0].strip():
            continue
        table[parts[0].strip()] = parts[1].strip()
    return table


def parse_plover(lines: Iterable[str]) -> Dict[str, str]:
    """``CAMEO2PLOVER``: ``0311: AGREE, , economic # ...`` -> ``{'0311': 'AGREE'}``."""
    table = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        match = re.match(r"^(\d{2,4}):\s*([A-Z_]+)", line)
        if match:
            table[match.group(1)] = match.group(2)
    return table
