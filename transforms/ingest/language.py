"""Language identification with py3langid (no Beam)."""
from __future__ import annotations

from typing import Optional

import py3langid

MIN_CHARS = 40
SAMPLE_CHARS = 5000


def detect_language(text: str) -> Optional[str]:
    """The ISO 639-1 code of ``text``'s language, or None for too little text."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None
    code, _score = py3langid.classify(sample)
    return code
