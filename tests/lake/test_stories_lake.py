"""Wire copies through the pipeline: copies of the seeds join their original's story, within a run and
across runs; the seeds stay five stories; a rerun gives the same stories; ``event_summary`` counts
stories beside articles."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest

from pipelines import news_events
from tests.conftest import FIXED_NOW, SEEDS, sql_rows

BOILERPLATE = ("Copyright 2025 The Associated Press. All rights reserved. This material may not be published, "
               "broadcast, rewritten or redistributed without permission.")


def _seed(index):
    path = os.path.join(SEEDS, sorted(os.listdir(SEEDS))[index])
    with open(path, encoding="utf-8") as handle:
        return handle.read().splitlines()


def _copies(folder):
    """Three copies of seed 2, as outlets rerun an agency story, and one of seed 4; ``{name: seed index}``."""
    folder.mkdir(parents=True, exist_ok=True)
    two, four, zero = _seed(2), _seed(4), _seed(0)
    paragraphs = [line for line in two[1:] if len(line.split()) > 25]
    variants = {
        # a new headline and the outlet's boilerplate around the story
        "outlet-a.txt": (["Peace push: what we know so far", BOILERPLATE] + two[1:] + [BOILERPLATE], 2),
        # a paragraph cut and typographic quotes made plain
        "outlet-b.txt": ([line.replace("“", '"').replace("”", '"').replace("’", "'")
                          for line in two if line != paragraphs[len(paragraphs) // 2]], 2),
        # a paragraph of another article added at the end
        "outlet-c.txt": (two + [zero[1]], 2),
        "outlet-d.txt": (["Breaking: " + four[0]] + four[1:] + [BOILERPLATE], 4),
    }
    for name, (lines, _index) in variants.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {name: index for name, (_lines, index) in variants.items()}


def _stories(output):
    rows = sql_rows(f"SELECT article_id, story_id, coalesce(input_path, '') FROM read_parquet("
                    f"'{output}/articles/**/*.parquet', union_by_name=true)")
    return {os.path.basename(path): (article_id, story_id) for article_id, story_id, path in rows}


def _run(*args, days=0):
    return news_events.run(list(args), now=FIXED_NOW + timedelta(days=days))


def _seed_name(index):
    return sorted(os.listdir(SEEDS))[index]


def test_copies_in_one_run_join_their_original_and_the_seeds_stay_apart(tmp_path):
    inbox = tmp_path / "inbox"
    copies = _copies(inbox)
    for name in os.listdir(SEEDS):
        (inbox / name).write_bytes(open(os.path.join(SEEDS, name), "rb").read())
    output = str(tmp_path / "lake")
    manifest = _run("--input", str(inbox), "--output", output, "--run-id", "one")
    stories = _stories(output)
    assert len(stories) == 9
    seed_stories = {stories[_seed_name(index)][1] for index in range(5)}
    assert len(seed_stories) == 5   # same topic, different articles: five stories
    for name, index in copies.items():
        assert stories[name][1] == stories[_seed_name(index)][1], name
    # a story is named after one of its own articles
    assert all(story in {article_id for article_id, _story in stories.values()} for story in seed_stories)
    assert manifest["metrics"]["story_links"] == manifest["counts"]["story_copies"] == 4
    # event_summary counts each story once beside its articles
    totals = sql_rows(f"SELECT sum(num_articles), sum(num_stories), max(num_articles - num_stories) FROM "
                      f"read_parquet('{output}/event_summary/**/*.parquet')")[0]
    assert totals[1] < totals[0] and totals[2] >= 1
    # a rerun of the same run id gives the same stories
    _run("--input", str(inbox), "--output", output, "--run-id", "one")
    assert _stories(output) == stories


def test_a_copy_published_later_joins_the_story_within_the_window_only(tmp_path):
    output = str(tmp_path / "lake")
    _run("--input", SEEDS, "--output", output, "--run-id", "monday")
    originals = _stories(output)
    copies = _copies(tmp_path / "tuesday")
    _run("--input", str(tmp_path / "tuesday"), "--output", output, "--run-id", "tuesday", days=1)
    stories = _stories(output)
    for name, index in copies.items():   # the published original's story, whatever the ids' order
        assert stories[name][1] == originals[_seed_name(index)][1], name
    assert {name: stories[name] for name in originals} == originals   # published stories never change

    late = tmp_path / "late"
    late.mkdir()
    paragraphs = [line for line in _seed(2) if len(line.split()) > 25]
    (late / "outlet-e.txt").write_text("\n".join(paragraphs[:-2]) + "\n", encoding="utf-8")   # its end cut
    _run("--input", str(late), "--output", output, "--run-id", "later", "--story-window-days", "3", days=9)
    article_id, story_id = _stories(output)["outlet-e.txt"]
    assert story_id == article_id   # its copies were published nine days before: outside a 3-day window
    wider = tmp_path / "wider"
    wider.mkdir()
    (wider / "outlet-f.txt").write_text("\n".join(paragraphs[2:]) + "\n", encoding="utf-8")   # its start cut
    _run("--input", str(wider), "--output", output, "--run-id", "wider", "--story-window-days", "10", days=9)
    assert _stories(output)["outlet-f.txt"][1] == originals[_seed_name(2)][1]


@pytest.mark.parametrize("flag", ["-1", "x"])
def test_a_bad_story_window_is_a_usage_error(tmp_path, flag):
    code = news_events.main(["--input", SEEDS, "--output", str(tmp_path / "lake"), "--story-window-days", flag])
    assert code == 2
