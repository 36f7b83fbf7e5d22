"""The README and the documentation site stay true: the site builds strictly (no broken link or anchor), the
README stays short, its run summary is the seeds' run, the schema tables match ``schemas/``, every SQL block
runs on the seed output, and every project path named exists."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from schemas import DERIVED_TABLES, TABLES
from tests.conftest import ROOT, sql_rows
from tests.docs_text import all_text, pages, read

ALL_TABLES = {**TABLES, **DERIVED_TABLES}
README = read("README.md")
QUERIES = [(name, sql) for name, text in pages().items() for sql in re.findall(r"```sql\n(.*?)```", text, flags=re.S)]


def _schema_table(name):
    section = read("docs/tables.md").split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


@pytest.mark.parametrize("name", sorted(ALL_TABLES))
def test_the_docs_schema_table_matches(name):
    assert _schema_table(name) == ALL_TABLES[name].names


def test_the_docs_have_example_queries():
    assert len(QUERIES) >= 3 and any(name == "README.md" for name, _sql in QUERIES)


@pytest.mark.parametrize("index", range(len(QUERIES)), ids=[f"{name}-{n}" for n, (name, _s) in enumerate(QUERIES)])
def test_every_sql_block_runs_on_the_seed_output(seed_run, index):
    output, _ = seed_run
    sql = QUERIES[index][1].replace("'output/", f"'{output}/")
    rows = sql_rows(sql)
    if "rejects" not in sql:
        assert rows, sql


def test_named_paths_exist():
    """Every project path the README or a page names (in backticks or links) is there: a move updates it."""
    named = set(re.findall(r"[`(]((?:transforms|pipelines|schemas|tests|bench|queries|examples|docs)/[\w./-]*)[`)]",
                           all_text()))
    assert len(named) >= 10
    generated = {"bench/results/"}   # written by make bench, not in git
    missing = sorted(path for path in named - generated if not os.path.exists(os.path.join(ROOT, path.rstrip("/"))))
    assert missing == []


def test_the_readme_is_short_and_links_into_the_docs():
    assert len(README.splitlines()) <= 150
    linked = set(re.findall(r"\]\((docs/[\w-]+\.md)\)", README))
    assert linked and all(os.path.exists(os.path.join(ROOT, path)) for path in linked)


def test_the_readmes_run_summary_is_the_seeds(seed_run):
    """The counts in the summary the README shows are the seed run's."""
    _output, manifest = seed_run
    block = README[README.index("run id                        seeds"):]
    shown = dict(re.findall(r"^(articles|entities|mentions|events|quotes|stances|rejects)\s+(\d+)$", block,
                            flags=re.M))
    assert set(shown) == {"articles", "entities", "mentions", "events", "quotes", "stances", "rejects"}
    assert {name: int(value) for name, value in shown.items()} == {name: manifest["counts"][name] for name in shown}


def test_the_site_builds_strictly(tmp_path):
    """``mkdocs build --strict`` (what ``make docs`` runs): a broken link, a missing page or anchor fails."""
    pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
    pytest.importorskip("material", reason="the docs extra is not installed (pip install -e '.[docs]')")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "tables" / "index.html").exists()


def test_the_readmes_query_prints_what_it_shows(seed_run):
    """The README's ``newsevents query`` command, run on the seed output, prints the table the README shows."""
    from tests.test_cli import _newsevents

    output, _ = seed_run
    command = README[README.index("## One query"):]
    command = command[command.index("```sh\n") + 6:]
    command, shown = command.split("```\n", 1)
    sql = " ".join(command.split('"', 1)[1].rsplit('"', 1)[0].split())
    shown = shown[shown.index("```\n") + 4:].split("```", 1)[0]
    result = _newsevents("query", output, sql)
    assert result.returncode == 0, result.stderr
    assert result.stdout == shown


def test_the_python_blocks_of_the_querying_page_run_on_the_seed_output(seed_run, capsys):
    output, _ = seed_run
    blocks = re.findall(r"```python\n(.*?)```", read("docs/querying.md"), flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block.replace('"output/', f'"{output}/'), "docs/querying.md", "exec"), {})
    assert capsys.readouterr().out.strip()
