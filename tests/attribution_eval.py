"""Attribution quality on real news: PolNeAR's train split, annotated by hand.

    python -m tests.attribution_eval                 # all 840 articles
    python -m tests.attribution_eval --sample        # the fixed CI sample
    python -m tests.attribution_eval --table stances # score the stances rows instead (the old model)

Each article's text (``../shared/corpus/attribution/polnear-train/text``) goes through the same
extraction the pipeline's NLP step runs (:func:`transforms.extract.analyse`), with its publication
date from ``metadata.tsv``. Every ``quotes`` row is aligned with the gold attributions (first
annotator's file) by its content span: a pair matches when the character overlap's Dice coefficient
is at least ``MATCH_DICE``, one gold per row. A matched row's speaker is right when the row's speaker
span overlaps the gold Source span, or when the row's speaker name and the gold Source share a
surname (the gold Source is often "he" or "the senator": the row must point at that mention, or
name the person). Gold attributions without a Source are left out.

Reported: content recall (gold matched / gold), precision (rows matched / rows), speaker accuracy on
matched rows, and speaker F1 (a row counts when matched with the right speaker), overall and for direct
(gold content opening with a quotation mark) and reported speech.
"""
from __future__ import annotations

import argparse
import csv
import glob
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "attribution", "polnear-train")
MATCH_DICE = 0.5
#: The CI sample: every ``SAMPLE_STEP``-th article in name order.
SAMPLE_STEP = 14
QUOTE_MARKS = "\"“”‘’'`«»„"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_NOT_NAME = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "president",
                       "senator", "s", "'s", "’s", "of", "and", "former"})


@dataclass
class Gold:
    content: FrozenSet[int]
    source: FrozenSet[int]
    source_text: str
    direct: bool
    cue_text: str = ""


@dataclass
class Row:
    content: FrozenSet[int]
    speaker: str
    speaker_span: FrozenSet[int]
    direct: bool


def _chars(spans: str) -> Tuple[FrozenSet[int], List[Tuple[int, int]]]:
    pairs = [tuple(int(x) for x in part.split()) for part in spans.split(";")]
    return frozenset(i for s, e in pairs for i in range(s, e)), pairs


def load_gold(name: str, text: str) -> List[Gold]:
    """The attributions of article ``name`` that have a Source (first annotator's file)."""
    files = sorted(glob.glob(os.path.join(CORPUS, "attributions", f"{name}_*.ann")))
    if not files:
        return []
    spans: Dict[str, Tuple[str, FrozenSet[int], List[Tuple[int, int]]]] = {}
    events = []
    with open(files[0], encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if line.startswith("T") and len(parts) >= 2:
                kind, _, offsets = parts[1].partition(" ")
                chars, pairs = _chars(offsets)
                spans[parts[0]] = (kind, chars, pairs)
            elif line.startswith("E") and len(parts) >= 2:
                events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    gold = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        source = spans.get(event.get("Source", ""))
        cue = spans.get(event.get("Cue", ""))
        if not content or not source:
            continue
        first = text[content[2][0][0]:content[2][0][1]].lstrip()
        gold.append(Gold(content[1], source[1], " ".join(text[s:e] for s, e in source[2]),
                         first[:1] in QUOTE_MARKS, " ".join(text[s:e] for s, e in cue[2]) if cue else ""))
    return gold


def _dice(a: FrozenSet[int], b: FrozenSet[int]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def _surnames(text: str) -> set:
    return {w.lower().strip(".'’") for w in _WORD.findall(text)} - _NOT_NAME


def speaker_right(row: Row, gold: Gold) -> bool:
    """The row points at the gold Source, or names the same person (the same last name)."""
    if row.speaker_span & gold.source:
        return True
    names = [w.lower().strip(".'’") for w in _WORD.findall(row.speaker)]
    names = [w for w in names if w not in _NOT_NAME]
    return bool(names) and names[-1] in _surnames(gold.source_text)


def align(rows: Sequence[Row], gold: Sequence[Gold]) -> List[Tuple[Row, Gold]]:
    """One gold per row and one row per gold, best overlap first."""
    pairs = sorted(((_dice(r.content, g.content), i, j) for i, r in enumerate(rows) for j, g in enumerate(gold)),
                   reverse=True)
    used_rows, used_gold, matched = set(), set(), []
    for dice, i, j in pairs:
        if dice < MATCH_DICE:
            break
        if i in used_rows or j in used_gold:
            continue
        used_rows.add(i)
        used_gold.add(j)
        matched.append((rows[i], gold[j]))
    return matched


def articles(sample: bool, limit: Optional[int]) -> List[Tuple[str, Optional[datetime]]]:
    with open(os.path.join(CORPUS, "metadata.tsv"), encoding="utf-8") as handle:
        meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")}
    names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(CORPUS, "text", "*.txt")))
    if sample:
        names = names[::SAMPLE_STEP]
    if limit:
        names = names[:limit]
    out = []
    for name in names:
        day = (meta.get(name) or {}).get("publication_date")
        out.append((name, datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc) if day else None))
    return out


def predict(text: str, published: Optional[datetime], resources, *, table: str = "quotes") -> List[Row]:
    """The rows the extraction gives for ``text``: ``quotes``, or ``stances`` (evidence and holder)."""
    from schemas import ArticleRecord
    from transforms.extract import analyse

    article = ArticleRecord(article_id="eval", url=None, source="polnear", title=None, authors=[],
                            published_at=published, language="en", text=text, word_count=len(text.split()),
                            content_sha256="eval", ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                            run_id="eval", version=1)
    outputs = analyse(resources.nlp(text), article, resources)
    if table == "stances":
        return [Row(frozenset(range(s.char_start, s.char_end)), s.holder, frozenset(), s.is_direct_quote)
                for s in outputs.stances]
    return [Row(frozenset(range(q.char_start, q.char_end)), q.speaker,
                frozenset(range(q.speaker_char_start, q.speaker_char_end))
                if q.speaker_char_start is not None else frozenset(), q.is_direct)
            for q in outputs.quotes]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def score(results: Iterable[Tuple[List[Row], List[Gold]]]) -> Dict[str, Dict[str, float]]:
    counts: Dict[str, Counter] = {kind: Counter() for kind in ("all", "direct", "reported")}
    for rows, gold in results:
        matched = align(rows, gold)
        for kind in counts:
            keep_row = (lambda r: True) if kind == "all" else (lambda r, d=(kind == "direct"): r.direct == d)
            keep_gold = (lambda g: True) if kind == "all" else (lambda g, d=(kind == "direct"): g.direct == d)
            c = counts[kind]
            c["rows"] += sum(keep_row(r) for r in rows)
            c["gold"] += sum(keep_gold(g) for g in gold)
            c["matched_gold"] += sum(keep_gold(g) for _r, g in matched)
            c["matched_rows"] += sum(keep_row(r) for r, _g in matched)
            c["right_speaker"] += sum(keep_row(r) and speaker_right(r, g) for r, g in matched)
            c["right_speaker_gold"] += sum(keep_gold(g) and speaker_right(r, g) for r, g in matched)
    figures = {}
    for kind, c in counts.items():
        precision = _ratio(c["right_speaker"], c["rows"])
        recall = _ratio(c["right_speaker_gold"], c["gold"])
        figures[kind] = {
            "rows": c["rows"], "gold": c["gold"],
            "content_recall": _ratio(c["matched_gold"], c["gold"]),
            "precision": _ratio(c["matched_rows"], c["rows"]),
            "speaker_accuracy": _ratio(c["right_speaker"], c["matched_rows"]),
            "speaker_precision": precision, "speaker_recall": recall,
            "speaker_f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
        }
    return figures


def evaluate(*, sample: bool = False, limit: Optional[int] = None, table: str = "quotes",
             resources=None, progress: bool = False) -> Dict[str, Dict[str, float]]:
    """Run the extraction over the corpus (or its sample) and score it."""
    from transforms.extract import Resources
    from transforms.extract.model import DEFAULT_MODEL

    resources = resources or Resources.load(model=DEFAULT_MODEL)
    results = []
    chosen = articles(sample, limit)
    for number, (name, published) in enumerate(chosen, 1):
        with open(os.path.join(CORPUS, "text", f"{name}.txt"), encoding="utf-8") as handle:
            text = handle.read()
        results.append((predict(text, published, resources, table=table), load_gold(name, text)))
        if progress and number % 50 == 0:
            print(f"{number}/{len(chosen)} articles", file=sys.stderr)
    return score(results)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.attribution_eval", description=__doc__.split("\n")[0])
    parser.add_argument("--sample", action="store_true", help=f"every {SAMPLE_STEP}th article (the CI sample)")
    parser.add_argument("--limit", type=int, default=None, help="the first N articles only")
    parser.add_argument("--table", choices=("quotes", "stances"), default="quotes")
    args = parser.parse_args(argv)
    if not os.path.isdir(CORPUS):
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    started = time.monotonic()
    figures = evaluate(sample=args.sample, limit=args.limit, table=args.table, progress=True)
    print(f"{'':9} {'rows':>6} {'gold':>6} {'recall':>7} {'prec':>6} {'spk_acc':>7} {'spk_P':>6} {'spk_R':>6} "
          f"{'spk_F1':>6}")
    for kind, f in figures.items():
        print(f"{kind:9} {f['rows']:6} {f['gold']:6} {f['content_recall']:7.3f} {f['precision']:6.3f} "
              f"{f['speaker_accuracy']:7.3f} {f['speaker_precision']:6.3f} {f['speaker_recall']:6.3f} "
              f"{f['speaker_f1']:6.3f}")
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
