"""Golden stances in the seeds, written by reading the articles (run date 2025-02-14)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import sql_dicts
from transforms.extract.stances import StanceDataError, load_topics, topic_of

# seed, holders (any of), polarity, topic, words the target or evidence must contain, direct quote?, why
GOLDEN = [
    ("001", {"Pete Hegseth"}, "oppose", "territory_borders", "territorial restoration", False,
     "Hegseth: full territorial restoration is unrealistic"),
    ("004", {"Pete Hegseth"}, "oppose", "territory_borders", "pre-2014 borders", False,
     "Hegseth: a return to pre-2014 borders is unrealistic"),
    pytest.param("001", {"Pete Hegseth"}, "oppose", "ukraine_nato", "NATO membership", False,
                 "Hegseth: NATO membership is off the table", marks=pytest.mark.xfail(strict=True, reason=(
                     "no lexicon rates the idiom 'off the table', and the attribution corpus uses it once: a "
                     "word added because a seed uses it would fit the seed"))),
    pytest.param("003", {"Mykhailo Podolyak"}, "oppose", None, "compromises on sovereignty", True,
                 "Podolyak: no compromises on sovereignty", marks=pytest.mark.xfail(strict=True, reason=(
                     "a 'no X' slogan rule found this, but on 150 unseen PolNeAR articles it found 2 rows, both "
                     "wrong ('No problem!', 'No money in the campaign, no volunteers'): removed as fitted to the seed"))),
    ("003", {"Olaf Scholz"}, "oppose", None, "cost of justice", True,
     "Scholz: peace cannot come at the cost of justice"),
    ("002", {"Volodymyr Zelenskyy"}, "support", "ukraine_at_table", "directly involved", False,
     "Zelenskyy insists Ukraine must be directly involved"),
    ("002", {"Andriy Yermak", "Ukraine"}, "support", "security_guarantees", "security guarantees", False,
     "Yermak and Ukraine push for stronger security guarantees"),
    ("002", {"Mike Waltz"}, "support", "europe_role", "Europeans", True,
     "Waltz: the Europeans have to own this conflict"),
    ("000", {"Biden administration"}, "oppose", "ukraine_nato", "NATO aspirations", False,
     "the Biden administration warns against blocking Ukraine's NATO aspirations"),
    pytest.param("001", {"critics"}, "oppose", "concessions_to_russia", "concessions", False,
                 "critics see the concessions as a capitulation to Putin", marks=pytest.mark.xfail(
                     strict=True, reason=("neither VADER nor Pattern rates 'capitulation', and no corpus "
                                          "sentence outside the seeds uses it: see the evaluative supplement"))),
    ("002", {"Donald Trump"}, "support", "ceasefire_talks", "end that war", True, "Trump: trying to end the war"),
    pytest.param("003", {"Donald Trump"}, "support", "ceasefire_talks", "Immediate talks", True,
                 "Trump: immediate talks will save lives", marks=pytest.mark.xfail(strict=True, reason=(
                     "a consequence rule ('X will <good verb>') found this, but on 150 unseen PolNeAR articles its 5 "
                     "candidates were all wrong ('Truck attack kills', 'Corporate executives love TPP') and none had "
                     "a topic: removed as fitted to the seed"))),
    ("004", {"Donald Trump"}, "support", "ceasefire_talks", "negotiations", True,
     "Trump: teams start negotiations immediately"),
]


COUNTRY_NAMES = {"United States", "Russia", "Ukraine", "China", "Germany", "France", "United Kingdom"}


@pytest.fixture(scope="module")
def stances(seed_run):
    output, _ = seed_run
    return sql_dicts(f"""SELECT substr(a.url, 1, 3) AS seed, s.*
                     FROM read_parquet('{output}/stances/**/*.parquet') s
                     JOIN read_parquet('{output}/articles/**/*.parquet') a USING (article_id)""")


@pytest.fixture(scope="module")
def texts(seed_run):
    output, _ = seed_run
    return {r["article_id"]: r["text"] for r in sql_dicts(
        f"SELECT article_id, text FROM read_parquet('{output}/articles/**/*.parquet')")}


def _why(golden) -> str:
    return (golden.values if hasattr(golden, "values") else golden)[-1][:40]


# Every golden stance is found through general rules (attitude words, evaluations, obligations, acts); those
# marked xfail (strict: a pass would fail) need a word no general lexicon has, or a rule that did not hold on
# unseen text.
@pytest.mark.parametrize("seed, holders, polarity, topic, words, direct, why", GOLDEN,
                         ids=[_why(g) for g in GOLDEN])
def test_golden_stance_found(stances, seed, holders, polarity, topic, words, direct, why):
    found = [s for s in stances if s["seed"] == seed and s["holder"] in holders
             and (polarity is None or s["polarity"] == polarity)
             and (topic is None or s["topic"] == topic)
             and words.lower() in ((s["target"] or "") + " " + s["evidence"]).lower()
             and s["is_direct_quote"] == direct]
    assert found, why


def test_holder_codes_agree_with_event_actor_codes(stances, seed_run):
    output, _ = seed_run
    """A person has one code within an article, in both tables (a country may have several:
    "United States" is USA as a state and USAGOV as its administration)."""
    codes = {}
    for e in sql_dicts(f"SELECT substr(a.url,1,3) AS seed, actor1, actor1_code FROM read_parquet('{output}/events/**/*.parquet') "
                   f"JOIN read_parquet('{output}/articles/**/*.parquet') a USING (article_id)"):
        codes.setdefault((e["seed"], e["actor1"]), set()).add(e["actor1_code"])
    shared = [(s["seed"], s["holder"]) for s in stances if (s["seed"], s["holder"]) in codes]
    assert len(shared) >= 5
    for key in shared:
        stance_codes = {s["holder_code"] for s in stances if (s["seed"], s["holder"]) == key}
        countries = {code[:3] for code in codes[key] if code}
        assert (stance_codes <= codes[key] or len(codes[key]) > 1 and stance_codes & codes[key]
                # a country named as its state in one sentence and its government in another ("the
                # Biden administration's support"): USA and USAGOV are the same actor at two levels
                or key[1] in COUNTRY_NAMES and {code[:3] for code in stance_codes if code} <= countries), key


def test_evidence_points_into_the_article(stances, texts):
    for s in stances:
        assert texts[s["article_id"]][s["char_start"]:s["char_end"]] == s["evidence"]
        assert s["polarity"] in {"support", "oppose"}
        assert 0 < s["confidence"] <= 1


def test_direct_quotes_are_whole_quotes(stances):
    for s in stances:
        if s["is_direct_quote"]:
            assert s["evidence"][0] in "“\"" and s["evidence"][-1] in "”\""


def test_every_seed_has_stances(stances):
    assert {s["seed"] for s in stances} == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("text, topic", [
    ("barring Ukraine from NATO membership for up to a decade", "ukraine_nato"),
    ("a return to pre-2014 borders", "territory_borders"),
    ("stronger security guarantees from Western allies", "security_guarantees"),
    ("access to rare-earth minerals", "minerals_deal"),
    ("tariffs and oil price reductions", "sanctions_tariffs"),
    ("the Europeans have to own this conflict", "europe_role"),
    ("an immediate ceasefire", "ceasefire_talks"),
    ("the weather in Lisbon", None),
])
def test_default_topics(text, topic):
    assert topic_of(load_topics(), text) == topic


def test_topics_file_replaces_the_defaults(tmp_path):
    path = tmp_path / "topics.json"
    path.write_text(json.dumps({"version": "mine.v1", "topics": [
        {"id": "weather", "label": "weather", "patterns": ["\\bweather\\b"]}]}))
    topics = load_topics(str(path))
    assert topic_of(topics, "the weather in Lisbon") == "weather"
    assert topic_of(topics, "an immediate ceasefire") is None
    path.write_text(json.dumps({"topics": []}))
    with pytest.raises(StanceDataError):
        load_topics(str(path))
