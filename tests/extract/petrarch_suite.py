"""PETRARCH's own validation suite, run through our actor resolution and event coder.

284 sentences with expected (source, target, event code) codings over fictional actors
(Arnor, Gondor...), resolved with the suite's ``PETR.Validate.*`` actor, agent and verb
dictionaries loaded in place of ours: the same path a user's ``--actors/--agents/--verbs``
files take. Our own spaCy parse is used, not the suite's Treebank parses.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Dict, List, Set, Tuple

from tests.conftest import DATA
from transforms.extract.actors import ActorLexicon, resolve_actors
from transforms.extract.dictionaries import parse_dictionary_date
from transforms.extract.event_coder import EventCoder
from transforms.extract.events import code_events
from transforms.extract.model import ANALYSIS_COMPONENTS, DEFAULT_MODEL, load_model

SUITE = os.path.join(DATA, "petrarch-validation")

Coding = Tuple[str, str, str]   # source, target, root


def load_records(path: str = os.path.join(SUITE, "PETR.UnitTest.records.xml")) -> List[dict]:
    root = ET.parse(path).getroot()
    records = []
    for sentence in root.iter("Sentence"):
        text = " ".join((sentence.findtext("Text") or "").split())
        expected = {(c.get("sourcecode", ""), c.get("targetcode", ""), (c.get("eventcode") or "")[:2])
                    for c in sentence.findall("EventCoding") if c.get("eventcode")}
        records.append({"id": sentence.get("id"), "category": sentence.get("category"),
                        "date": parse_dictionary_date(sentence.get("date")), "text": text,
                        "expected": expected})
    return records


def run_suite(model: str = DEFAULT_MODEL) -> Dict[str, Dict[str, float]]:
    """Recall and precision of (source, target, root) codings, overall and per category."""
    nlp = load_model(model, components=ANALYSIS_COMPONENTS)
    lexicon = ActorLexicon.load(nlp, actor_files=[os.path.join(SUITE, "PETR.Validate.actors.txt")],
                                agent_files=[os.path.join(SUITE, "PETR.Validate.agents.txt")],
                                packaged=False)
    coder = EventCoder.load(verb_file=os.path.join(SUITE, "PETR.Validate.verbs.txt"))
    records = load_records()
    counts: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records)):
        actors = resolve_actors(doc, lexicon, day=record["date"])
        events = code_events(doc, actors, coder=coder, article_id=record["id"], published=record["date"])
        produced: Set[Coding] = {(e.actor1_code or "", e.actor2_code or "", e.cameo_root) for e in events}
        for key in ("ALL", record["category"]):
            counts[key]["sentences"] += 1
            counts[key]["expected"] += len(record["expected"])
            counts[key]["produced"] += len(produced)
            counts[key]["found"] += len(record["expected"] & produced)
            counts[key]["correct"] += len(produced & record["expected"])
    return {key: {"sentences": c["sentences"], "expected": c["expected"], "produced": c["produced"],
                  "recall": c["found"] / c["expected"] if c["expected"] else 0.0,
                  "precision": c["correct"] / c["produced"] if c["produced"] else 0.0}
            for key, c in sorted(counts.items())}


if __name__ == "__main__":
    for key, figures in run_suite().items():
        print(f"{key:10} sentences {figures['sentences']:4} expected {figures['expected']:4} "
              f"produced {figures['produced']:4} recall {figures['recall']:.3f} precision {figures['precision']:.3f}")
