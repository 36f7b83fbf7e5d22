"""Quotations in running text, in every convention, with apostrophes told apart (no Beam, no parse).

``“…”``, ``"…"``, ``''…''`` and ````…''`` (wire, NYT and Treebank style), ``‘…’``, ``'…'`` where it is not
an apostrophe ("it's", "the '90s", "rock 'n' roll" are not quotes), ``«…»`` and ``„…“``; a quotation
with no closing mark by the end of its paragraph runs on to the next one.
"""
from __future__ import annotations

import re
from typing import List, NamedTuple

#: (opening, closing) quotation marks, longest first.
QUOTE_MARKS = (("``", "''"), ("''", "''"), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ('"', '"'), ("'", "'"))
_MARK_START = re.compile("[" + re.escape("".join(sorted({m[0][0] for m in QUOTE_MARKS}))) + "]")
_OPENS_AFTER = set(" \t\n([{—–-/:;,") | {""}
_CLOSES_BEFORE = set(" \t\n)]}.,;:!?—–-…")


class Quotation(NamedTuple):
    """Characters ``[start, end)`` of a quotation with its marks; ``closed`` is False when it ran to
    the end of its paragraph."""
    start: int
    end: int
    closed: bool


def _opens(text: str, i: int, mark: str) -> bool:
    if not text.startswith(mark, i):
        return False
    before = text[i - 1] if i else ""
    after = text[i + len(mark)] if i + len(mark) < len(text) else ""
    if mark == "'":   # only before a letter at a word start ("it's", "the '90s" are not quotes)
        return before in _OPENS_AFTER and after.isalpha()
    if mark in ('"', "''"):   # straight marks: only at a word start (5'11" is not a quote)
        return before in _OPENS_AFTER and bool(after) and not after.isspace() and (after.isalnum() or after in "‘'\"“$…(")
    if mark == "‘" or mark == "’":
        return before in _OPENS_AFTER and bool(after) and not after.isspace()
    return bool(after) and not after.isspace()


def _closes(text: str, i: int, mark: str) -> bool:
    if not text.startswith(mark, i):
        return False
    before = text[i - 1] if i else ""
    after = text[i + len(mark)] if i + len(mark) < len(text) else ""
    if mark in ("'", "’"):   # not an apostrophe: "don't", "Trump's", "the '90s"
        return bool(before) and not before.isspace() and (after == "" or after in _CLOSES_BEFORE or after in "\"”")
    return bool(before) and not before.isspace()


def find_quotations(text: str) -> List[Quotation]:
    """Every quotation in ``text``, paragraph by paragraph, in text order."""
    found: List[Quotation] = []
    start = 0
    for line in text.split("\n"):
        i = 0
        while i < len(line):
            candidate = _MARK_START.search(line, i)   # jump to the next character that may open a quote
            if candidate is None:
                break
            i = candidate.start()
            mark = next((m for m in QUOTE_MARKS if _opens(line, i, m[0])), None)
            if mark is None:
                i += 1
                continue
            opening, closing = mark
            j = line.find(closing, i + len(opening))
            while j != -1 and not _closes(line, j, closing):
                j = line.find(closing, j + 1)
            j = len(line) if j == -1 else j
            if j < len(line) and (opening != "'" or sum(c.isalpha() for c in line[i:j]) > 1):
                found.append(Quotation(start + i, start + j + len(closing), True))
                i = j + len(closing)
            elif j < len(line):
                i += len(opening)   # "rock 'n' roll"
            elif opening in ("“", "``", "«", "„") or (opening == '"' and i == 0):
                found.append(Quotation(start + i, start + len(line), False))   # runs on to the next paragraph
                break
            else:
                i += len(opening)   # a stray straight mark or apostrophe
        start += len(line) + 1
    return found
