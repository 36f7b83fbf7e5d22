"""Language identification with py3langid (no Beam)."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_CHARS = 40
SAMPLE_CHARS = 5000


@lru_cache(maxsize=1)
def language_identifier() -> LanguageIdentifier:
    """py3langid's bundled model (what ``py3langid.classify`` uses), loaded once per process: about a
    second, so a worker loads it in ``setup`` and reports it as a model load."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


def detect_language(text: str) -> Optional[str]:
    """The ISO 639-1 code of ``text``'s language, or None for too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    code, _score = language_identifier().classify(sample)
    return code
