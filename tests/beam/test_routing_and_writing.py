"""Routing outputs without tagged outputs, batching, and writing tables as shards (TestPipeline)."""
from __future__ import annotations

import glob
import os

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import assert_that, equal_to

from schemas import TABLES, EntityRecord
from transforms.beam.read import file_size
from transforms.beam.routing import GroupBySize, SplitOutputs, balanced_groups, batches, routed
from transforms.beam.write import WriteTable
from transforms.lake.shards import shard_of


def _entity(article_id, name, first_char):
    return EntityRecord(article_id=article_id, name=name, label="PERSON", mentions=1, first_char=first_char,
                        article_version=1)


def test_batches_reads_lazily_in_lists():
    assert list(batches(iter(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []


def test_balanced_groups_even_out_total_size_whatever_the_order():
    # sizes like articles' lengths: a few long ones and many short ones, which hashing keys spreads unevenly
    sizes = [(f"a{n:03d}", 200 + (n * 7919) % 3000 + (20000 if n % 37 == 0 else 0)) for n in range(300)]
    plan = balanced_groups(sizes, 4)
    assert plan == balanced_groups(list(reversed(sizes)), 4) and set(plan) == {key for key, _size in sizes}
    totals = [sum(size for key, size in sizes if plan[key] == group) for group in range(4)]
    assert max(totals) - min(totals) <= max(size for _key, size in sizes if size < 20000)   # within one article
    hashed = [sum(size for key, size in sizes if shard_of(key, 4) == group) for group in range(4)]
    assert max(hashed) - min(hashed) > max(totals) - min(totals)
    assert balanced_groups([("a", 5), ("a", 5), ("b", 1)], 3) == {"a": 0, "b": 1}
    assert balanced_groups([], 2) == {}


def test_balanced_groups_spread_keys_of_no_size_by_count():
    # files whose size cannot be told (an object store's) count 0: they must not all land in one group
    unknown = [(f"s3://bucket/{n}.html", 0) for n in range(10)]
    plan = balanced_groups(unknown, 3)
    assert sorted(list(plan.values()).count(group) for group in range(3)) == [3, 3, 4], plan
    plan = balanced_groups(unknown + [("big", 100)], 3)   # sizes first: the big one alone, the rest by count
    assert plan["big"] == 0 and [list(plan.values()).count(group) for group in range(3)] == [1, 5, 5], plan


def test_file_size_is_local_bytes_and_zero_where_it_cannot_be_told(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html>" + "x" * 100 + "</html>", encoding="utf-8")
    assert file_size((str(page), str(tmp_path))) == page.stat().st_size
    assert file_size((str(tmp_path / "missing.html"), str(tmp_path))) == 0
    assert file_size(("s3://bucket/page.html", "s3://bucket")) == 0


def test_group_by_size_groups_every_element_once_in_balanced_groups():
    words = [("w%02d" % n) * (1 + n % 5) for n in range(40)]
    with BeamTestPipeline() as p:
        groups = p | beam.Create(words) | GroupBySize(lambda w: w, len, 4)
        assert_that(groups | beam.FlatMap(lambda group: group[1]), equal_to(words), label="Everything once")
        assert_that(groups | beam.Map(lambda group: sum(map(len, group[1]))),
                    lambda totals: _within(sorted(totals), 15), label="Even")


def _within(totals, spread):
    assert len(totals) == 4 and totals[-1] - totals[0] <= spread, totals


def test_split_outputs_gives_each_kind_only_its_records():
    pairs = [routed("good", 1), routed("rejected", "r1"), routed("good", 2)]
    with BeamTestPipeline() as p:
        split = p | beam.Create(pairs) | SplitOutputs("good", "rejected")
        assert_that(split["good"], equal_to([1, 2]), label="Good")
        assert_that(split["rejected"], equal_to(["r1"]), label="Rejected")


def test_split_outputs_fails_on_a_kind_nobody_reads():
    with pytest.raises(Exception, match="output kind 'other'"):
        with BeamTestPipeline() as p:
            _ = p | beam.Create([routed("good", 1), routed("other", 3)]) | SplitOutputs("good", "rejected")


def test_write_table_writes_sorted_shards_with_the_schema(tmp_path):
    records = [_entity("b", "Vladimir Putin", 30), _entity("a", "Donald Trump", 10), _entity("b", "Trump", 2),
               _entity("c", "Kyiv", 5), _entity("a", "Moscow", 1)]
    with BeamTestPipeline() as p:
        paths = (p | beam.Create(records)
                 | WriteTable("entities", output=str(tmp_path), ingest_date="2025-02-14", run_id="r1", shards=2))
        assert_that(paths | beam.Map(os.path.basename),
                    equal_to([f"r1-{shard:05d}-of-00002.parquet" for shard in sorted({shard_of(r.article_id, 2)
                                                                                      for r in records})]))
    files = sorted(glob.glob(str(tmp_path / "entities" / "ingest_date=2025-02-14" / "*.parquet")))
    rows = []
    for path in files:
        table = pq.read_table(path)
        assert table.schema.equals(TABLES["entities"], check_metadata=False)
        part = table.to_pylist()
        assert part == sorted(part, key=lambda r: (r["article_id"], r["first_char"], r["label"], r["name"]))
        assert len({shard_of(r["article_id"], 2) for r in part}) == 1   # an article's rows stay together
        rows += part
    assert len(rows) == len(records)
    assert not glob.glob(str(tmp_path / "**" / "*.tmp"), recursive=True)
