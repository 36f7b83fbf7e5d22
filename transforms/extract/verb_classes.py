"""Verb classes the event and stance rules read (``verb_classes.v1.tsv``, from VerbNet 3.3; no Beam)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional, Set

from transforms.common.data_files import data_lines

DATA = "transforms.extract.data"
VERB_CLASSES_FILE = "verb_classes.v1.tsv"
CLASSES = ("feeling", "competing", "sending")


@dataclass(frozen=True)
class VerbClasses:
    """Lemmas by class: ``feeling`` (the subject feels: "fear", "love"), ``competing`` ("defeat"), ``sending``
    (the subject sends its object at someone: "hurl", "direct", "heap")."""
    feeling: FrozenSet[str] = frozenset()
    competing: FrozenSet[str] = frozenset()
    sending: FrozenSet[str] = frozenset()

    @classmethod
    def load(cls, lines: Optional[Iterable[str]] = None) -> "VerbClasses":
        """The packaged table (or ``lines`` in its format).

        Raises:
            ValueError: a row that is not ``class<TAB>lemma`` with a known class.
        """
        table: Dict[str, Set[str]] = {name: set() for name in CLASSES}
        for number, line in enumerate(data_lines(DATA, VERB_CLASSES_FILE) if lines is None else lines, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or parts[0] not in table:
                raise ValueError(f"{VERB_CLASSES_FILE}:{number}: not a class<TAB>lemma row: {line!r}")
            table[parts[0]].add(parts[1].strip().lower())
        return cls(**{name: frozenset(words) for name, words in table.items()})
