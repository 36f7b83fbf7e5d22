"""Dates of plain-text articles: from the file name or a date line near the top, never guessed."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from transforms.ingest.readers import read_text_article
from transforms.ingest.text_dates import date_from_name, date_from_top


def _day(year, month, day):
    return datetime(year, month, day, tzinfo=timezone.utc)


@pytest.mark.parametrize("name, expected", [
    ("breitbart_2015-11-11_the-ninth-circle.txt", _day(2015, 11, 11)),
    ("inbox/20160912-debate-night.txt", _day(2016, 9, 12)),
    ("reuters_2016_08_31_le-pen.txt", _day(2016, 8, 31)),
    ("000_211df9df699acff2.txt", None),
    ("notes_2016-13-45.txt", None),
    ("article.txt", None),
])
def test_date_from_the_file_name(name, expected):
    assert date_from_name(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("Clinton Wins Nevada\nFebruary 20, 2016\nHillary Clinton won the caucuses.", _day(2016, 2, 20)),
    ("Headline\nPublished: 12 Sep 2016\nBody text.", _day(2016, 9, 12)),
    ("Headline\nBy Jane Doe\nUpdated Aug. 31, 2016\nBody.", _day(2016, 8, 31)),
    ("Headline\nMonday, Sept. 12\nBody.", None),                       # no year
    ("Trump said on Monday that 2016 would be his year.\nMore.", None),  # a sentence, not a date line
    ("Headline\nBody\nMore\nMore\nMore\nMore\nSeptember 12, 2016", None),  # too far down
])
def test_date_from_a_line_near_the_top(text, expected):
    found = date_from_top(text)
    assert (found.date() if found else None) == (expected.date() if expected else None)


def test_a_text_article_takes_its_date():
    article = read_text_article("Headline\nJune 3, 2016\nBody.", input_name="cnn_2016-06-02_x.txt",
                                source="inbox", url="cnn_2016-06-02_x.txt")
    assert article.published_at == _day(2016, 6, 2)   # the name wins over the line
