"""The whole pipeline of one chunk of a run, wired from the composite transforms.

read -> clean -> deduplicate -> exclude published -> sign -> NLP -> stories -> write, every table and log
into the run's staging (``transforms.lake.run``); ``pipelines.chunks`` runs one such pipeline per chunk
(``transforms.beam.plan``).
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Sequence, Tuple

import apache_beam as beam

from transforms.beam.analyse import AnalyseArticles
from transforms.beam.dedupe import DeduplicateArticles, ExcludePublished
from transforms.beam.fetch import FetchWeb
from transforms.beam.plan import Chunk, plan_work
from transforms.beam.read import CleanArticles, ReadArticles, with_run_id
from transforms.beam.stories import WithStories, sign, with_story
from transforms.beam.write import WriteLines, WriteTables
from transforms.lake.store import join, list_files

#: Where a chunk of a run cut in several stages the articles it kept, for the next chunks
#: (``transforms.beam.dedupe.kept_line``).
KEPT = "_kept"


def named(prefix: str, chunk: Chunk) -> str:
    """A staged file name prefix with the chunk's name (unchanged for a run in one chunk)."""
    return f"{prefix}-{chunk.name}" if chunk.name else prefix


def build_pipeline(pipeline, chunk: Chunk, *, args, run, known_articles: Dict, earlier_kept: Sequence[str],
                   published_stories: Optional[List[Tuple]]):
    """Wire one chunk's pipeline onto ``pipeline``, writing into ``run``'s staging (``run``: a
    ``transforms.lake.run.RunTarget``; ``args``: the run's ``NewsEventsOptions``).

    ``earlier_kept``: the files where the run's earlier chunks staged what they kept (:func:`kept_files`).

    ``published_stories``: the signatures a new article may join the story of, or None when the run has
    several chunks (every article is then its own story until ``transforms.beam.stories.link_staged_stories``).
    """
    plan = plan_work(chunk.files, chunk.web)
    web = chunk.web
    read = pipeline | "ListInputs" >> beam.Create(chunk.files) | "Read" >> ReadArticles(groups=plan.nlp_groups)
    parsed, rejects, duplicates, written = [read["parsed"]], [read["rejected"]], [], []
    if web.feeds or web.urls:
        fetched = pipeline | "Fetch" >> FetchWeb(web, refetch=args.refetch, concurrency=args.fetch_concurrency,
                                                  log_dir=run.fetch_log_dir)
        parsed.append(fetched["parsed"])
        rejects.append(fetched["rejected"])
        duplicates.append(fetched["duplicates"])
        written.append(fetched["written"])
    cleaned = (tuple(parsed) | "AllParsed" >> beam.Flatten()
               | "Clean" >> CleanArticles(run_id=run.run_id, ingested_at=run.started, min_words=args.min_words,
                                          rules_path=args.boilerplate_rules))
    unique = cleaned["articles"] | "Deduplicate" >> DeduplicateArticles(earlier_kept)
    if chunk.of > 1:
        written.append(unique["kept"] | "WriteKept" >> WriteLines(join(run.staging, KEPT, chunk.name)))
    versioned = unique["articles"] | "ExcludePublished" >> ExcludePublished(known_articles)
    written.append((unique["duplicates"], versioned["duplicates"], *duplicates)
                   | "AllDuplicates" >> beam.Flatten()
                   | "DuplicateJson" >> beam.Map(json.dumps, sort_keys=True)
                   | "WriteDuplicateLog" >> WriteLines(named(run.duplicates_prefix, chunk)))
    signed = versioned["articles"] | "Sign" >> beam.Map(sign)
    analysed = signed | "NLP" >> AnalyseArticles(
        model=args.model, batch_size=args.nlp_batch_size, groups=plan.nlp_groups,
        actor_files=args.actor_files or (), agent_files=args.agent_files or (), verb_file=args.verb_file,
        topics_file=args.topics_file)
    rejects += [cleaned["rejected"], analysed["rejected"]]
    # an article whose NLP failed is a reject, not an article (nor the first of a story)
    stories = (WithStories(published_stories) if published_stories is not None
               else beam.Map(with_story, links={}))
    tables = {
        "articles": analysed["articles"] | "Stories" >> stories,
        "entities": analysed["entities"],
        "mentions": analysed["mentions"],
        "rejects": tuple(rejects) | "AllRejects" >> beam.Flatten() | "StampRunId" >> beam.Map(with_run_id, run.run_id),
        "events": analysed["events"],
        "quotes": analysed["quotes"],
        "stances": analysed["stances"],
    }
    written.append(tables | "Write" >> WriteTables(output=run.staging, ingest_date=run.ingest_date,
                                                    run_id=named(run.run_id, chunk), shards=plan.file_shards))
    # Last, and depending on every write: runners that compute only the final step's lineage
    # (the DaskRunner) still write everything.
    return tuple(written) | "AllWritten" >> beam.Flatten()


def kept_files(run, chunk: Chunk) -> List[str]:
    """The files where ``chunk`` staged what it kept, for the next chunks' ``earlier_kept``."""
    return list_files(join(run.staging, KEPT), f"{chunk.name}-*.jsonl")
