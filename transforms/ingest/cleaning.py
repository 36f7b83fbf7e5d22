"""Cleaning of article text: Unicode, whitespace, boilerplate lines, repeated headlines.

The boilerplate patterns are data (``transforms/ingest/data/boilerplate.v1.json``), loaded and
validated by :func:`load_boilerplate_rules`. This module does not import Beam.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from transforms.common.data_files import load_versioned_json

DATA = "transforms.ingest.data"
DEFAULT_RULES_FILE = "boilerplate.v1.json"
ACTIONS = frozenset({"drop", "drop_with_next", "cut_rest", "author", "strip_prefix"})

# Every kind of horizontal space (NBSP, thin space, ideographic space...) becomes " ".
_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?…:;,\"”’)]$")
_QUOTE_START = re.compile(r"^[\"“‘'«]")
# Straightens quotes and dashes one character for one, so lengths are kept.
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class RulesError(ValueError):
    """A boilerplate rules file is malformed."""


@dataclass(frozen=True)
class BoilerplateRule:
    name: str
    pattern: re.Pattern
    action: str
    max_words: Optional[int] = None

    def matches(self, line: str) -> Optional[re.Match]:
        if self.max_words is not None and len(line.split()) > self.max_words:
            return None
        return self.pattern.search(line)


@dataclass(frozen=True)
class BoilerplateRules:
    version: str
    rules: Tuple[BoilerplateRule, ...]


@dataclass
class CleanedText:
    """The result of cleaning: the body, and what cleaning learned on the way."""
    text: str
    title: Optional[str] = None
    authors: List[str] = field(default_factory=list)
    removed: List[Tuple[str, str]] = field(default_factory=list)  # (rule name, line)


def load_boilerplate_rules(path: Optional[str] = None) -> BoilerplateRules:
    """Load and validate a boilerplate rules file.

    Args:
        path: a JSON rules file; the packaged default when None.

    Raises:
        RulesError: the file lacks a version, a rule has an unknown action, or a
            pattern does not compile.
    """
    data = load_versioned_json(path, (DATA, DEFAULT_RULES_FILE), "rules", what="boilerplate rules", error=RulesError)
    rules = []
    for index, item in enumerate(data["rules"]):
        name = item.get("name") or f"rule{index}"
        action = item.get("action")
        if action not in ACTIONS:
            raise RulesError(f"boilerplate rule {name!r}: unknown action {action!r}")
        flags = 0 if item.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile(item["pattern"], flags)
        except (KeyError, re.error) as exc:
            raise RulesError(f"boilerplate rule {name!r}: bad pattern: {exc}") from exc
        if action == "author" and "authors" not in pattern.groupindex:
            raise RulesError(f"boilerplate rule {name!r}: an author rule needs a group named 'authors'")
        max_words = item.get("max_words")
        if max_words is not None and (not isinstance(max_words, int) or max_words < 1):
            raise RulesError(f"boilerplate rule {name!r}: max_words must be a positive integer")
        rules.append(BoilerplateRule(name, pattern, action, max_words))
    return BoilerplateRules(str(data["version"]), tuple(rules))


def tidy_lines(text: str) -> List[str]:
    """NFC-normalise ``text`` and return its lines with spaces collapsed and ends stripped."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def fold_for_compare(text: str) -> str:
    """A comparison key for headings: case, quotes, dashes, punctuation and spacing ignored."""
    folded = text.translate(_FOLD).casefold()
    return re.sub(r"[\W_]+", "", folded)


def undouble(line: str) -> str:
    """Return ``s`` when ``line`` is ``s`` glued to a copy of itself (a scraping artefact)."""
    half, rest = divmod(len(line), 2)
    if not rest and half >= 10 and line[:half] == line[half:]:
        return line[:half]
    return line


def looks_like_heading(line: str, *, max_words: int = 40, max_chars: int = 300) -> bool:
    """A short line that does not end like a sentence and is not a quotation."""
    return (0 < len(line) <= max_chars and len(line.split()) <= max_words
            and not _SENTENCE_END.search(line) and not _QUOTE_START.search(line))


def _strip_title_prefix(line: str, title_key: str) -> str:
    """Remove a leading copy of the title (compared folded) from a longer paragraph."""
    folded = line.translate(_FOLD).casefold()
    title_folded_len = None
    # Walk the line until the folded alphanumerics seen equal the title key.
    seen = []
    for index, char in enumerate(folded):
        if re.match(r"\w", char) and char != "_":
            seen.append(char)
            if len(seen) == len(title_key):
                title_folded_len = index + 1
                break
    if title_folded_len is None or "".join(seen) != title_key:
        return line
    return line[title_folded_len:].lstrip(" /|:–—-")


def _apply_rules(lines: List[str], rules: BoilerplateRules, result: CleanedText) -> List[str]:
    kept: List[str] = []
    total = sum(1 for line in lines if line)
    nonempty_seen = 0
    skip_next = False
    for line in lines:
        if not line:
            continue
        nonempty_seen += 1
        if skip_next:
            skip_next = False
            result.removed.append(("prev_next_link", line))
            continue
        cut = False
        for rule in rules.rules:
            match = rule.matches(line)
            if not match:
                continue
            if rule.action == "strip_prefix":
                line = line[match.end():]
                result.removed.append((rule.name, match.group(0)))
                continue
            if rule.action == "cut_rest" and nonempty_seen * 2 <= total:
                continue  # a footer marker in the first half is more likely content
            result.removed.append((rule.name, line))
            if rule.action == "author":
                names = re.split(r"\s+and\s+", match.group("authors"))
                result.authors.extend(name.strip() for name in names if name.strip())
            elif rule.action == "drop_with_next":
                skip_next = True
            elif rule.action == "cut_rest":
                cut = True
            line = ""
            break
        if cut:
            break
        if line:
            kept.append(line)
    return kept


def clean_article_text(
    raw: str,
    *,
    rules: BoilerplateRules,
    title: Optional[str] = None,
    take_headline: bool = False,
) -> CleanedText:
    """Clean the body of one article.

    Args:
        raw: the text as read or extracted, one paragraph per line.
        rules: boilerplate rules from :func:`load_boilerplate_rules`.
        title: the known headline, if any; copies of it are removed from the body.
        take_headline: when no title is known, take the first line as the title if
            it looks like a headline (plain-text inputs).

    Returns:
        A :class:`CleanedText` with paragraphs joined by single newlines. Quotes and
        their typographic quotation marks are kept as they are.
    """
    result = CleanedText(text="", title=title)
    lines = [undouble(line) for line in tidy_lines(raw)]
    lines = _apply_rules(lines, rules, result)
    if result.title:
        result.title = undouble(tidy_lines(result.title)[0]) if tidy_lines(result.title) else None
    if not result.title and take_headline and len(lines) > 1 and looks_like_heading(lines[0]):
        result.title = lines.pop(0)

    title_key = fold_for_compare(result.title) if result.title else ""
    headings_seen = {title_key} if title_key else set()
    body: List[str] = []
    for line in lines:
        key = fold_for_compare(line)
        if not key:
            result.removed.append(("no_words", line))
            continue
        short = len(line.split()) <= 20 and not _QUOTE_START.search(line)
        if short and key in headings_seen:
            result.removed.append(("repeated_heading", line))
            continue
        if title_key and len(key) > len(title_key) and key.startswith(title_key):
            stripped = _strip_title_prefix(line, title_key)
            if stripped != line:
                result.removed.append(("title_prefix", line[: len(line) - len(stripped)]))
                line = stripped
                for rule in rules.rules:  # the rest may now start with a dateline
                    match = rule.matches(line) if rule.action == "strip_prefix" else None
                    if match:
                        line = line[match.end():]
        if short:
            headings_seen.add(key)
        body.append(line)
    result.text = "\n".join(body)
    return result


def count_words(text: str) -> int:
    return len(text.split())


def normalise_for_hash(text: str) -> str:
    """Content normalisation behind content ids: NFC, casefold, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def dedupe_authors(authors: Sequence[str]) -> List[str]:
    seen, out = set(), []
    for author in authors:
        key = author.casefold()
        if author and key not in seen:
            seen.add(key)
            out.append(author)
    return out
