"""A run cut into chunks (``--chunk-size``) gives the tables one pipeline gives: the same rows in every
table, the same duplicates and the same stories, when copies, duplicates and stories cross chunk borders;
the cut itself never separates inputs whose names interleave; and a chunk's pipeline runs in a process
of its own, whose death fails the run without publishing any of it."""
from __future__ import annotations

import json
import os
from dataclasses import replace

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import news_events
from pipelines.chunks import ChunkProcessDied
from schemas import TABLES
from tests.conftest import FIXED_NOW, SEEDS
from tests.lake.test_stories_lake import _copies
from transforms.beam.plan import cut_chunks
from transforms.common.faults import FAULT_ENV
from transforms.ingest.sources import FetchSettings, WebInputs
from transforms.lake.shards import table_files

TIMINGS = {"stage_seconds"}


def _inbox(folder):
    """The seeds; wire copies of two of them; an exact copy of a seed and two records with one URL and two
    texts (duplicates by content and by id), each in a file that sorts into a later chunk; and a reject."""
    _copies(folder)
    names = sorted(os.listdir(SEEDS))
    for name in names:
        (folder / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    (folder / "zz-exact-copy.txt").write_bytes(open(os.path.join(SEEDS, names[0]), "rb").read())
    first = open(os.path.join(SEEDS, names[1]), encoding="utf-8").read() + "\nThis story was updated.\n"
    second = first + "It was updated again at noon.\n"
    url = "https://news.example.org/2025/02/one-url"
    (folder / "a-feed.jsonl").write_text(json.dumps({"url": url, "text": first}) + "\n", encoding="utf-8")
    (folder / "zz-feed.jsonl").write_text(json.dumps({"url": url, "text": second}) + "\n", encoding="utf-8")
    (folder / "zz-empty.txt").write_text("", encoding="utf-8")


def _rows(output, table):
    files = table_files(output, table)
    if not files:
        return []
    return sorted(json.dumps(row, sort_keys=True, default=str)
                  for row in pa.concat_tables([pq.read_table(path) for path in files]).to_pylist())


def _run(inbox, output, *flags):
    return news_events.run(["--input", str(inbox), "--output", output, "--run-id", "chunks", *flags], now=FIXED_NOW)


def test_chunks_give_the_tables_of_one_pipeline(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _inbox(inbox)
    whole, chunked = str(tmp_path / "whole"), str(tmp_path / "chunked")
    one = _run(inbox, whole)
    several = _run(inbox, chunked, "--chunk-size", "3")
    assert len(table_files(chunked, "entities")) > 1 and len(table_files(whole, "entities")) == 1
    for table in list(TABLES) + ["event_summary"]:
        assert _rows(chunked, table) == _rows(whole, table), table
    with open(os.path.join(whole, "_runs", "chunks.duplicates.jsonl"), encoding="utf-8") as handle:
        duplicates = handle.read()
    with open(os.path.join(chunked, "_runs", "chunks.duplicates.jsonl"), encoding="utf-8") as handle:
        assert handle.read() == duplicates
    # what the test is about: duplicates of both kinds and stories that cross the chunks' borders
    assert {json.loads(line)["why"] for line in duplicates.splitlines()} == {"same content", "same article_id"}
    # four copies of two seeds, and the updated seed in a-feed.jsonl; zz-empty.txt is rejected
    assert one["counts"]["story_copies"] == 5 and one["counts"]["rejects"] == 1
    assert several["counts"] == one["counts"]
    assert ({k: v for k, v in several["metrics"].items() if k not in TIMINGS}
            == {k: v for k, v in one["metrics"].items() if k not in TIMINGS})
    # nothing of the chunks is left behind: no staging, and every published file listed
    assert not os.path.exists(os.path.join(chunked, "_state", "staging"))
    assert all(os.path.exists(os.path.join(chunked, name)) for name in several["published_files"])


def test_a_chunk_runs_in_a_process_of_its_own_whose_death_publishes_nothing(tmp_path, monkeypatch):
    """Killed while analysing (the fault seam's SIGKILL, as the OOM killer would), a chunk's process takes
    only itself down: the launcher lives on to say the run failed, nothing of it is published, and the next
    run publishes every article once."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in sorted(os.listdir(SEEDS)):
        (inbox / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    output = str(tmp_path / "lake")
    monkeypatch.setenv(FAULT_ENV, "nlp")
    with pytest.raises(ChunkProcessDied):
        _run(inbox, output, "--chunk-size", "3")
    with open(os.path.join(output, "_runs", "chunks.json"), encoding="utf-8") as handle:
        failed = json.load(handle)
    assert failed["status"] == "failed" and "ChunkProcessDied" in failed["error"]
    assert all(table_files(output, table) == [] for table in TABLES)
    monkeypatch.delenv(FAULT_ENV)
    again = _run(inbox, output, "--chunk-size", "3")
    assert again["status"] == "succeeded" and again["counts"]["articles"] == len(os.listdir(SEEDS))
    assert len({row["article_id"] for row in pq.read_table(table_files(output, "articles")).to_pylist()}) == 5


@pytest.mark.parametrize("size", [1, 2, 3, 10])
def test_a_chunk_never_ends_between_a_file_and_one_its_path_begins(size):
    paths = ["a.jsonl", "a.jsonl.1", "a.jsonl.2", "b.txt", "c.txt", "c.txt.x", "d.txt"]
    web = WebInputs(feeds=[], urls=["https://example.org/a"], settings=FetchSettings())
    chunks = cut_chunks([(path, "") for path in paths], web, size)
    assert [path for chunk in chunks for path, _root in chunk.files] == paths
    for earlier, later in zip(chunks, chunks[1:]):
        assert not any(path.startswith(before) for path, _ in later.files for before, _ in earlier.files)
    # the URLs go with the chunk where "http..." sorts: after a, b and c, before d
    with_web = [chunk for chunk in chunks if chunk.web.urls]
    assert len(with_web) == 1
    assert all(path < "http" for chunk in chunks[:with_web[0].number - 1] for path, _ in chunk.files)
    assert all(path > "http" for chunk in chunks[with_web[0].number:] for path, _ in chunk.files)
    assert [chunk.number for chunk in chunks] == list(range(1, len(chunks) + 1))
    assert all(chunk.of == len(chunks) for chunk in chunks)


def test_one_chunk_keeps_the_file_names_of_a_run():
    web = WebInputs(feeds=[], urls=[], settings=FetchSettings())
    (chunk,) = cut_chunks([("a.txt", ""), ("b.txt", "")], web, 2000)
    assert chunk.name == "" and chunk.files == [("a.txt", ""), ("b.txt", "")]
    assert cut_chunks([], replace(web, urls=["https://example.org/"]), 5)[0].web.urls == ["https://example.org/"]
