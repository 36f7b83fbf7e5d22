"""Canonical entity names within an article."""
from __future__ import annotations

import pytest

from transforms.extract.entities import Mention, canonical_entities, surface_name


def _names(mentions):
    return [(e.name, e.label, e.mentions, e.first_char) for e in canonical_entities(mentions, article_id="a")]


@pytest.mark.parametrize("text, name", [
    ("Trump’s", "Trump"),
    ("the Kremlin", "Kremlin"),
    ("U.S.", "U.S."),
    ("“Zelenskyy", "Zelenskyy"),
    ("Vladimir\nPutin", "Vladimir Putin"),
])
def test_surface_name(text, name):
    assert surface_name(text) == name


def test_surname_joins_the_full_name():
    mentions = [Mention("Putin", "PERSON", 0), Mention("Vladimir Putin", "PERSON", 40),
                Mention("Putin", "PERSON", 90)]
    assert _names(mentions) == [("Vladimir Putin", "PERSON", 3, 0)]


def test_mislabelled_surname_joins_the_person():
    mentions = [Mention("Donald Trump", "PERSON", 10), Mention("Trump", "ORG", 50),
                Mention("Trump’s", "ORG", 70), Mention("Zelenskyy", "GPE", 80),
                Mention("Volodymyr Zelenskyy", "PERSON", 5)]
    assert _names(mentions) == [("Volodymyr Zelenskyy", "PERSON", 2, 5), ("Donald Trump", "PERSON", 3, 10)]


def test_ambiguous_surname_is_left_alone():
    mentions = [Mention("Joe Biden", "PERSON", 0), Mention("Hunter Biden", "PERSON", 20),
                Mention("Biden", "PERSON", 40)]
    assert [n for n, *_ in _names(mentions)] == ["Joe Biden", "Hunter Biden", "Biden"]


def test_places_are_not_turned_into_people():
    mentions = [Mention("Washington", "GPE", 0), Mention("Moscow", "GPE", 20)]
    assert _names(mentions) == [("Washington", "GPE", 1, 0), ("Moscow", "GPE", 1, 20)]


def test_majority_label_wins():
    mentions = [Mention("NATO", "ORG", 0), Mention("NATO", "ORG", 10), Mention("NATO", "GPE", 20)]
    assert _names(mentions) == [("NATO", "ORG", 3, 0)]
