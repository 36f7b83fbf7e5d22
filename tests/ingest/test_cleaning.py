"""Cleaning: rules over small lines, and the five seeds read by hand.

The junk lines and titles below were written by reading each seed file; every other line
of the raw seed is a real paragraph or heading and must survive cleaning.
"""
from __future__ import annotations

import json
import os

import pytest

from tests.conftest import SEEDS
from transforms.ingest.cleaning import RulesError, clean_article_text, load_boilerplate_rules, tidy_lines, undouble

SEED_000 = "000_211df9df699acff2.txt"
SEED_001 = "001_b53ec3b1e4f4297f.txt"
SEED_002 = "002_67bedc424d3f0f2d.txt"
SEED_003 = "003_d86872217a1edc23.txt"
SEED_004 = "004_0bfdf86a480be31e.txt"

TITLES = {
    SEED_000: "Trump Pushes for Immediate Ceasefire and Peace Talks With Biden, Ukraine Officials, as "
              "Ukraine War Nears Third Anniversary, but Critics Question Feasibility Amid Russian Gains "
              "and Complex Negotiations",
    SEED_001: None,  # starts straight with a paragraph
    SEED_002: "Trump Admin Pushes for Ukraine Peace Talks Amid Putin Call Reports",
    SEED_003: "After Putin Call, Trump Says Russia and Ukraine to Start 'Immediate' Talks on Ceasefire",
    SEED_004: "Trump Leads the Charge for Peace: Negotiations Launch to End Ukraine War",
}

# Whole lines that are boilerplate, as they stand in the raw files.
JUNK_LINES = {
    SEED_000: ["Join our Channel..."],
    SEED_001: [],
    SEED_002: [
        "Top StoryUS",
        "FILE – Russian President Vladimir Putin speaks on the phone with a girl from the Moscow "
        "region, as part of a Christmas charity campaign in St. Petersburg, Russia, Dec. 26, 2024. "
        "(Alexander Kazakov, Sputnik, Kremlin Pool Photo via AP, File)",
        "More on US News",
        "Previous Article",
        "Trump Reaffirms Plan for U.S. to Control Gaza as Ceasefire Hangs in Balance",
        "Next Article",
        "Jon Batiste’s Super Bowl Anthem Blends Music, Art, and Tribute",
        "How useful was this article?",
        "Click on a star to rate it!",
        "Average rating 0 / 5. Vote count: 0",
        "No votes so far! Be the first to rate this article.",
        "Latest News",
        "Menu",
    ],
    SEED_003: [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ],
    SEED_004: [
        "Home » Trump Leads the Charge for Peace: Negotiations Launch to End Ukraine War",
        "by Richard A Reagan",
        "You may also like",
        "WP Twitter Auto Publish Powered By : XYZScripts.com",
    ],
}

# Fragments that must never be left in a seed's clean text.
JUNK_FRAGMENTS = ["Newslooks/", "Morning Edition/", "(AP Photo", "Pool Photo via AP", "Join our Channel",
                  "Top StoryUS", "CeasefireAfter Putin Call", "Click on a star", "XYZScripts",
                  "Your email address", "Home »", "You may also like", "No votes so far"]

# Headings that appear more than once in the raw seed and must appear once at most.
REPEATED_HEADINGS = {
    SEED_002: ["Trump Admin Pushes for Ukraine Peace Talks Amid Putin Call Reports"],
    SEED_003: ["After Putin Call, Trump Says Russia and Ukraine to Start", "Fact or Fiction",
               "Reactions from Kyiv, Moscow, and Beyond"],
}

# A paragraph that starts with a glued copy of the headline and a dateline: its real part.
GLUED_PARAGRAPHS = {
    SEED_002: "Senior U.S. officials are traveling to Europe this week for critical discussions on "
              "Ukraine as the Trump administration seeks to negotiate an end to the war.",
}


def _raw(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as handle:
        return handle.read()


def _clean(name, rules):
    return clean_article_text(_raw(name), rules=rules, take_headline=True)


def _is_heading_repeat(line, name):
    return any(heading in line for heading in REPEATED_HEADINGS.get(name, []))


@pytest.mark.parametrize("name", sorted(TITLES))
def test_seed_title(name, rules):
    assert _clean(name, rules).title == TITLES[name]


@pytest.mark.parametrize("name", sorted(TITLES))
def test_seed_junk_lines_are_gone(name, rules):
    text = _clean(name, rules).text
    for line in JUNK_LINES[name]:
        assert line not in text.split("\n"), line
    for fragment in JUNK_FRAGMENTS:
        assert fragment not in text, fragment


@pytest.mark.parametrize("name", sorted(TITLES))
def test_seed_every_real_paragraph_is_kept(name, rules):
    """Every raw line that is not junk, the title or a repeated heading is still there."""
    cleaned = _clean(name, rules)
    kept = set(cleaned.text.split("\n"))
    junk = set(JUNK_LINES[name])
    title = TITLES[name]
    for line in tidy_lines(_raw(name)):
        if not line or line in junk or _is_heading_repeat(line, name):
            continue
        if title and (line == title or undouble(line) == title):
            continue
        if name in GLUED_PARAGRAPHS and line.startswith(TITLES[name] + "/"):
            assert any(p.startswith(GLUED_PARAGRAPHS[name]) for p in kept)
            continue
        assert line in kept, line


@pytest.mark.parametrize("name", sorted(REPEATED_HEADINGS))
def test_seed_repeated_headings_appear_once(name, rules):
    text = _clean(name, rules).text
    for heading in REPEATED_HEADINGS[name]:
        is_title = TITLES[name] and heading in TITLES[name]
        assert text.count(heading) == (0 if is_title else 1), heading


@pytest.mark.parametrize("name", sorted(TITLES))
def test_seed_quotes_and_quotation_marks_kept(name, rules):
    raw, text = _raw(name), _clean(name, rules).text
    for mark in "“”":
        assert text.count(mark) == raw.count(mark)


def test_seed_004_byline_becomes_author(rules):
    assert _clean(SEED_004, rules).authors == ["Richard A Reagan"]


def test_seed_003_glued_title_is_undoubled(rules):
    first = tidy_lines(_raw(SEED_003))[0]
    assert undouble(first) == TITLES[SEED_003]


@pytest.mark.parametrize("line", [
    "Home » Politics » Trump meets Putin",
    "How useful was this article?",
    "Click on a star to rate it!",
    "Average rating 4.2 / 5. Vote count: 17",
    "No votes so far! Be the first to rate this article.",
    "Your email address will not be published. Required fields are marked *",
    "Join our Channel...",
    "Join our Telegram channel for updates",
    "Latest News",
    "Menu",
    "WP Twitter Auto Publish Powered By : XYZScripts.com",
    "Top StoryUS",
    "FILE – Ukrainian President Volodymyr Zelenskyy speaks in Kyiv, Jan. 3, 2025. (AP Photo/Efrem Lukatsky, File)",
    "Soldiers walk past a destroyed building in Bakhmut. (AP Photo/Libkos)",
    "Read more: Why the talks stalled",
])
def test_boilerplate_line_is_removed(line, rules):
    body = "A first paragraph of the article about talks in Munich.\n" + line + "\nThe last real paragraph."
    text = clean_article_text(body, rules=rules).text
    assert line not in text
    assert "The last real paragraph." in text


@pytest.mark.parametrize("line", [
    "Menu prices rose sharply in Moscow restaurants last year, the report said.",
    "Share prices fell in Kyiv after the announcement.",
    "By the end of the week, both delegations had left Riyadh.",
    "“No compromises on sovereignty,” Podolyak wrote.",
    "Home to 40 million people, Ukraine has been at war since 2022.",
    "The photo (taken in 2022) shows the ruins of Mariupol’s theatre.",
    "More than 300 people attended the summit.",
])
def test_real_line_is_kept(line, rules):
    body = "A first paragraph of the article.\n" + line + "\nThe last real paragraph."
    assert line in clean_article_text(body, rules=rules).text.split("\n")


def test_previous_next_links_drop_the_linked_title(rules):
    body = "Real paragraph one.\nPrevious Article\nSome Other Story\nNext Article\nAnother Story"
    assert clean_article_text(body, rules=rules).text == "Real paragraph one."


@pytest.mark.parametrize("marker", ["Leave a Reply", "You may also like", "Related Articles"])
def test_footer_marker_late_in_the_article_cuts_the_rest(marker, rules):
    body = "\n".join(f"Paragraph {i} of the story." for i in range(4)) + f"\n{marker}\nOther story\nMore"
    assert clean_article_text(body, rules=rules).text.split("\n")[-1] == "Paragraph 3 of the story."


def test_footer_marker_early_in_the_article_does_not_cut(rules):
    body = "Comments\n" + "\n".join(f"Paragraph {i} of the story." for i in range(6))
    assert clean_article_text(body, rules=rules).text.count("Paragraph") == 6


def test_unicode_is_nfc_and_spaces_are_tidied(rules):
    body = "Zelenskyy\u00a0 said   the talks\tin Kyiv went well. Cafe\u0301 owners agreed.\u200b"
    assert clean_article_text(body, rules=rules).text == \
        "Zelenskyy said the talks in Kyiv went well. Caf\u00e9 owners agreed."


def test_headline_not_taken_from_a_sentence(rules):
    body = "Russia and Ukraine agreed to talks on Tuesday, officials said.\nSecond paragraph."
    assert clean_article_text(body, rules=rules, take_headline=True).title is None


def test_rules_file_is_validated(tmp_path):
    bad = tmp_path / "rules.json"
    bad.write_text(json.dumps({"version": "x1", "rules": [{"name": "r", "pattern": "(", "action": "drop"}]}))
    with pytest.raises(RulesError, match="bad pattern"):
        load_boilerplate_rules(str(bad))
    bad.write_text(json.dumps({"version": "x1", "rules": [{"name": "r", "pattern": "a", "action": "zap"}]}))
    with pytest.raises(RulesError, match="unknown action"):
        load_boilerplate_rules(str(bad))
    bad.write_text(json.dumps({"rules": []}))
    with pytest.raises(RulesError, match="version"):
        load_boilerplate_rules(str(bad))


def test_packaged_rules_have_a_version(rules):
    assert rules.version == "boilerplate.v1"
    assert len(rules.rules) > 20
