"""Composite transforms on TestPipeline: the good and the rejected output of each."""
from __future__ import annotations

import os
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import ArticleRecord
from tests.conftest import SEEDS
from transforms.beam.analyse import AnalyseArticles
from transforms.beam.dedupe import DeduplicateArticles
from transforms.beam.metrics import read_counters
from transforms.beam.read import CleanArticles, ReadArticles
from transforms.ingest.readers import ParsedArticle

NOW = datetime(2025, 2, 14, tzinfo=timezone.utc)
SEED = os.path.join(SEEDS, "004_0bfdf86a480be31e.txt")
PUTIN = ("Russian President Vladimir Putin spoke with Donald Trump on Wednesday. Putin said the talks "
         "in Riyadh would begin soon, and Trump agreed. Officials in Moscow and Washington welcomed "
         "the call, which lasted about ninety minutes according to the Kremlin. European leaders said "
         "they had not been told about the call in advance.")


def _article(article_id, text, language="en", sha=None):
    return ArticleRecord(article_id=article_id, url=None, source="test", title=None, authors=[],
                         published_at=None, language=language, text=text,
                         word_count=len(text.split()), content_sha256=sha or article_id,
                         ingested_at=NOW, run_id="t")


def test_read_articles_good_and_rejected(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "folder.txt").mkdir()
    (tmp_path / "slides.pdf").write_bytes(b"%PDF")
    files = [(SEED, SEEDS)] + [(str(tmp_path / name), str(tmp_path))
                               for name in ("empty.txt", "folder.txt", "slides.pdf")]
    with BeamTestPipeline() as p:
        read = p | beam.Create(files) | ReadArticles()
        assert_that(read["parsed"] | "Inputs" >> beam.Map(lambda a: a.input),
                    equal_to([SEED]), label="Parsed")
        assert_that(read["rejected"] | "Reasons" >> beam.Map(lambda r: (os.path.basename(r.input), r.stage, r.reason)),
                    equal_to([("empty.txt", "read", "empty"), ("folder.txt", "read", "not_a_file"),
                              ("slides.pdf", "read", "unknown_type")]), label="Rejected")


def test_reading_times_trafilatura_apart_from_the_rest(tmp_path):
    page = tmp_path / "page.html"
    paragraphs = "".join(f"<p>{number}. {PUTIN}</p>" for number in range(300))   # long enough to take 10 ms
    page.write_text(f"<html><body><article>{paragraphs}</article></body></html>", encoding="utf-8")
    p = BeamTestPipeline()
    _ = p | beam.Create([(SEED, SEEDS), (str(page), str(tmp_path))]) | ReadArticles()
    result = p.run()
    result.wait_until_finish()
    stages = read_counters(result)["stage_seconds"]
    assert stages["html"] > 0 and "read" in stages   # the rest of reading: milliseconds here


def test_clean_articles_good_and_rejected():
    parsed = [
        ParsedArticle(input="long.txt", text="Headline Here\n" + PUTIN, source="t", take_headline=True),
        ParsedArticle(input="short.txt", text="Too short to be news.", source="t"),
    ]
    with BeamTestPipeline() as p:
        cleaned = p | beam.Create(parsed) | CleanArticles(run_id="r1", ingested_at=NOW)
        assert_that(cleaned["articles"] | "Summary" >> beam.Map(
            lambda pair: (pair[0], pair[1].title, pair[1].language, pair[1].run_id, pair[1].word_count)),
            equal_to([("long.txt", "Headline Here", "en", "r1", len(PUTIN.split()))]), label="Articles")
        assert_that(cleaned["rejected"] | "Reasons" >> beam.Map(lambda r: (r.input, r.stage, r.reason)),
                    equal_to([("short.txt", "clean", "too_short")]), label="Rejected")


def test_deduplicate_keeps_the_first_input():
    pairs = [("b.txt", _article("id1", PUTIN, sha="same")), ("a.txt", _article("id1", PUTIN, sha="same")),
             ("c.txt", _article("id2", PUTIN + " More.", sha="other"))]
    with BeamTestPipeline() as p:
        unique = p | beam.Create(pairs) | DeduplicateArticles()
        assert_that(unique["articles"] | "Ids" >> beam.Map(lambda a: a.article_id),
                    equal_to(["id1", "id2"]), label="Articles")
        assert_that(unique["duplicates"] | "Dups" >> beam.Map(lambda d: (d["input"], d["kept_input"])),
                    equal_to([("b.txt", "a.txt")]), label="Duplicates")


def test_deduplicate_joins_what_earlier_chunks_kept(tmp_path):
    # Two earlier chunks staged what they kept: a content hash and an article id each, one id twice.
    (tmp_path / "c0001.jsonl").write_text('["h1", "a/1.txt", "id1"]\n["h2", "a/2.txt", "id2"]\n')
    (tmp_path / "c0002.jsonl").write_text('["h3", "b/1.txt", "id2"]\n')
    pairs = [("c/1.txt", _article("id9", PUTIN, sha="h1")),     # content kept by chunk 1
             ("c/2.txt", _article("id2", PUTIN, sha="h7")),     # new content, id kept by chunk 1 (and 2)
             ("c/3.txt", _article("id3", PUTIN, sha="h8")),     # new on both counts
             ("c/4.txt", _article("id3", PUTIN, sha="h8"))]     # a copy of the one before
    earlier = [str(tmp_path / "c0001.jsonl"), str(tmp_path / "c0002.jsonl")]
    with BeamTestPipeline() as p:
        unique = p | beam.Create(pairs) | DeduplicateArticles(earlier)
        assert_that(unique["articles"] | "Ids" >> beam.Map(lambda a: a.article_id),
                    equal_to(["id3"]), label="Articles")
        assert_that(unique["duplicates"] | "Dups" >> beam.Map(
            lambda d: (d["input"], d["kept_input"], d["duplicate_of"], d["why"])),
            equal_to([("c/1.txt", "a/1.txt", "id1", "same content"),
                      ("c/2.txt", "a/2.txt", "id2", "same article_id"),
                      ("c/4.txt", "c/3.txt", "id3", "same content")]), label="Duplicates")
        assert_that(unique["kept"], equal_to(['["h7", "c/2.txt", "id2"]', '["h8", "c/3.txt", "id3"]']),
                    label="Kept")


def test_analyse_articles_entities_events_and_skips_other_languages():
    articles = [_article("en1", PUTIN),
                _article("de1", "Der russische Präsident Wladimir Putin sprach mit Donald Trump.", language="de")]
    with BeamTestPipeline() as p:
        out = p | beam.Create(articles) | AnalyseArticles()
        assert_that(out["entities"] | "People" >> beam.Filter(lambda e: e.label == "PERSON")
                    | "Names" >> beam.Map(lambda e: (e.article_id, e.name, e.mentions)),
                    equal_to([("en1", "Vladimir Putin", 2), ("en1", "Donald Trump", 2)]), label="Entities")
        assert_that(out["events"] | "Dyads" >> beam.Map(lambda e: (e.article_id, e.actor1, e.actor2, e.cameo_root)),
                    equal_to([("en1", "Vladimir Putin", "Donald Trump", "04")]), label="Events")
        assert_that(out["articles"] | "ArticleIds" >> beam.Map(lambda a: a.article_id),
                    equal_to(["en1", "de1"]), label="Articles")
        assert_that(out["rejected"], equal_to([]), label="Rejected")


def test_an_article_whose_analysis_fails_is_a_reject_and_not_an_article():
    broken = _article("broken", PUTIN)._replace(text=None)   # a record no rule foresaw
    with BeamTestPipeline() as p:
        out = p | beam.Create([_article("en1", PUTIN), broken]) | AnalyseArticles()
        assert_that(out["articles"] | "ArticleIds" >> beam.Map(lambda a: a.article_id),
                    equal_to(["en1"]), label="Articles")
        assert_that(out["rejected"] | "Reasons" >> beam.Map(lambda r: (r.input, r.stage, r.reason)),
                    equal_to([("broken", "extract", "nlp_error")]), label="Rejected")
