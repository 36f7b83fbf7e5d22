"""The publication date of a plain-text article: from its file name, else a date line near its top (no Beam).

Plain text carries no metadata, so a ``.txt`` article has a date only when its name or its first
lines give one: ``outlet_2016-09-12_slug.txt``, ``20160912-slug.txt``, or a short line such as
"September 12, 2016", "Published: 12 Sep 2016 10:04" or "Updated Sept. 12, 2016". A line that is
a sentence, or a date without a year, gives none (precision first: a wrong date gives wrong roles).
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from typing import Optional

import dateparser

#: Lines from the top in which a date line is looked for.
TOP_LINES = 6
#: A date line is short: at most this many words.
MAX_DATE_LINE_WORDS = 9
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_LABEL = re.compile(r"^\s*(published|updated|posted|last updated|date|dated|first published)\b[\s:|,-]*", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True, "TIMEZONE": "UTC",
             "RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY"}


def date_from_name(path: str) -> Optional[datetime]:
    """A date written in the file's name (``YYYY-MM-DD``, ``YYYY_MM_DD`` or ``YYYYMMDD``)."""
    match = _NAME_DATE.search(os.path.basename(path))
    if not match:
        return None
    try:
        return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=timezone.utc)
    except ValueError:
        return None


def date_from_top(text: str) -> Optional[datetime]:
    """A line near the top that is a date and nothing more (with a year)."""
    for line in text.splitlines()[:TOP_LINES]:
        line = _LABEL.sub("", line.strip()).strip(" |·•-—")
        if not line or len(line.split()) > MAX_DATE_LINE_WORDS or not _YEAR.search(line):
            continue
        parsed = dateparser.parse(line, languages=["en"], settings=_SETTINGS)
        if parsed is not None:
            return parsed.astimezone(timezone.utc)
    return None


def text_publication_date(path: str, text: str) -> Optional[datetime]:
    """The date of a plain-text article: its file name's, else its top's, else None."""
    return date_from_name(path) or date_from_top(text)
