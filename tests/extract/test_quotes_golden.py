"""Golden quotes in the seeds, written by reading the articles: every direct quote goes to the person
(or anonymous source) who said it, and a few reported statements."""
from __future__ import annotations

import pytest

from tests.conftest import sql_dicts

# seed, words of the content, speaker, direct?
GOLDEN = [
    ("000", "impede the negotiation", "Donald Trump", True),
    ("000", "serious about achieving a ceasefire", "source close to the discussions", True),
    ("000", "not the obstacle to peace", "source familiar with the discussions", True),
    ("000", "opportunity to make history", "senior official", True),
    ("001", "lasting and reliable peace", "Volodymyr Zelenskyy", True),
    ("002", "trying to end that war", "Donald Trump", True),
    ("002", "recoup those costs", "Mike Waltz", True),
    ("003", "understands the need for peace", "Donald Trump", True),
    ("003", "no compromises on sovereignty", "Mykhailo Podolyak", True),
    ("003", "cost of justice", "Olaf Scholz", True),
    ("004", "work together, very closely", "Donald Trump", True),
    ("004", "opportunities to achieve peace", "Volodymyr Zelenskyy", True),
    ("004", "spoke directly with Russian President Vladimir Putin", "Donald Trump", False),
    ("001", "full territorial restoration", "Pete Hegseth", False),
]


@pytest.fixture(scope="module")
def quotes(seed_run):
    output, _ = seed_run
    return sql_dicts(f"""SELECT substr(a.url, 1, 3) AS seed, q.*
                     FROM read_parquet('{output}/quotes/**/*.parquet') q
                     JOIN read_parquet('{output}/articles/**/*.parquet') a USING (article_id)""")


@pytest.mark.parametrize("seed, words, speaker, direct", GOLDEN, ids=[f"{g[0]}: {g[1][:30]}" for g in GOLDEN])
def test_golden_quote_found(quotes, seed, words, speaker, direct):
    found = [q for q in quotes if q["seed"] == seed and words in q["content"] and q["is_direct"] == direct]
    assert found, f"no quote with {words!r}"
    assert {q["speaker"] for q in found} == {speaker}


def test_no_direct_quote_goes_to_someone_else(quotes):
    for q in quotes:
        for seed, words, speaker, direct in GOLDEN:
            if q["seed"] == seed and direct and words in q["content"]:
                assert q["speaker"] == speaker, (words, q["speaker"])


def test_anonymous_sources_have_no_code(quotes):
    anonymous = [q for q in quotes if q["speaker"].startswith(("source", "senior official"))]
    assert len(anonymous) >= 3 and all(q["speaker_code"] is None for q in anonymous)


def test_quotes_point_into_the_article(quotes, seed_run):
    output, _ = seed_run
    texts = {r["article_id"]: r["text"] for r in sql_dicts(
        f"SELECT article_id, text FROM read_parquet('{output}/articles/**/*.parquet')")}
    for q in quotes:
        assert texts[q["article_id"]][q["char_start"]:q["char_end"]] == q["content"]
        if q["speaker_char_start"] is not None:
            assert q["speaker_char_start"] < q["speaker_char_end"] <= len(texts[q["article_id"]])


def test_stances_from_quotes_carry_their_quote_id(seed_run):
    output, _ = seed_run
    rows = sql_dicts(f"""SELECT s.holder, s.is_direct_quote, q.speaker, s.quote_id
                     FROM read_parquet('{output}/stances/**/*.parquet') s
                     LEFT JOIN read_parquet('{output}/quotes/**/*.parquet') q USING (quote_id)""")
    linked = [r for r in rows if r["quote_id"]]
    assert linked and all(r["speaker"] == r["holder"] for r in linked)
    assert all(r["quote_id"] for r in rows if r["is_direct_quote"])
