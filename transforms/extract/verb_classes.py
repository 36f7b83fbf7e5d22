"""Verb classes the event and stance rules read (``verb_classes.v1.tsv``, from VerbNet 3.3; no Beam)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional, Set

from transforms.common.data_files import classified_rows, data_lines

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
        rows = data_lines(DATA, VERB_CLASSES_FILE) if lines is None else lines
        for lemma, kind in classified_rows(rows, VERB_CLASSES_FILE, CLASSES, class_first=True):
            table[kind].add(lemma)
        return cls(**{name: frozenset(words) for name, words in table.items()})
