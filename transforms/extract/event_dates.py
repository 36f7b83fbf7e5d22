"""When an event happened, from the date words near its trigger (no Beam).

Explicit dates ("Dec. 26, 2024", "February 12, 2025") resolve on their own. Relative ones
("on Wednesday", "yesterday", "last week") resolve against the article's date and are left
null without it. Month- or year-only expressions are too coarse for a day and stay null.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Optional

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HAS_DAY = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _weekday(name: str, *, published: date, future: bool) -> date:
    target = WEEKDAYS.index(name)
    delta = (target - published.weekday()) % 7
    if future:
        return published + timedelta(days=delta)
    return published - timedelta(days=(published.weekday() - target) % 7)


def resolve_date_text(text: str, *, published: Optional[date], future: bool = False) -> Optional[date]:
    """One date expression -> a day, or None when it cannot be pinned to one."""
    lower = text.lower().strip()
    for name in WEEKDAYS:
        if re.search(rf"\b{name}\b", lower):
            return _weekday(name, published=published, future=future) if published else None
    if published:
        if lower in ("today", "this week"):
            return published
        if lower == "yesterday":
            return published - timedelta(days=1)
        if lower == "tomorrow":
            return published + timedelta(days=1)
        if lower == "last week":
            return published - timedelta(days=7)
    if not (_HAS_DAY.search(lower) and _HAS_YEAR.search(lower)):
        return None  # "February 2022", "2014", "recently": no day
    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    if published:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def resolve_event_date(sentence, trigger, *, published: Optional[date], future: bool = False) -> Optional[date]:
    """The date of the DATE entity (or weekday) attached to the trigger's clause, if any."""
    candidates = [ent for ent in sentence.ents if ent.label_ == "DATE"]
    if not candidates:
        return None
    clause = {t.i for t in trigger.subtree} | {trigger.head.i}
    head = trigger.head if trigger.pos_ not in ("VERB", "AUX") else trigger
    clause |= {t.i for t in head.subtree if t.dep_ in ("prep", "npadvmod", "pobj", "tmod", "advmod", "nummod")}
    attached = [ent for ent in candidates if ent.root.i in clause or ent.root.head.i in clause]
    for ent in attached or []:
        day = resolve_date_text(ent.text, published=published, future=future)
        if day:
            return day
    return None
