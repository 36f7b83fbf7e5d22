"""The README stays true: its schema tables match schemas/, its queries run on the seed output."""
from __future__ import annotations

import os
import re

import pytest

from schemas import DERIVED_TABLES, TABLES

ALL_TABLES = {**TABLES, **DERIVED_TABLES}
from tests.conftest import ROOT, sql_rows

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as _handle:
    README = _handle.read()

QUERIES = re.findall(r"```sql\n(.*?)```", README, flags=re.S)


def _schema_table(name):
    section = README.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_readme_schema_table_matches(name):
    assert _schema_table(name) == ALL_TABLES[name].names


def test_readme_has_example_queries():
    assert len(QUERIES) >= 3


@pytest.mark.parametrize("index", range(len(QUERIES)))
def test_readme_query_runs_on_seed_output(seed_run, index):
    output, _ = seed_run
    sql = QUERIES[index].replace("'output/", f"'{output}/")
    rows = sql_rows(sql)
    if "rejects" not in sql:
        assert rows, sql


def test_readme_paths_exist():
    """Every project path the README names (in backticks or links) is there: a move updates it."""
    named = set(re.findall(r"[`(]((?:transforms|pipelines|schemas|tests|bench|queries|examples)/[\w./-]*)[`)]", README))
    assert len(named) >= 10
    generated = {"bench/results/"}   # written by make bench, not in git
    missing = sorted(path for path in named - generated if not os.path.exists(os.path.join(ROOT, path.rstrip("/"))))
    assert missing == []
