"""The gender a person's first name or honorific suggests, for "he" and "she" (no Beam).

First names come from the US Census Bureau's 1990 first-name frequency lists (public domain), as
shipped by the ``names`` package (MIT): a name counts as one gender when that gender's frequency is
at least :data:`DOMINANCE` times the other's ("Leslie" stays unknown). A name
the lists lack ("Barack") is unknown, and an unknown gender is compatible with either pronoun.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Dict, Optional

MALE, FEMALE = "male", "female"
PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
                  "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
HONORIFIC_GENDER = {"mr": MALE, "mr.": MALE, "mrs": FEMALE, "mrs.": FEMALE, "ms": FEMALE, "ms.": FEMALE,
                    "miss": FEMALE, "sir": MALE, "dame": FEMALE, "lord": MALE, "lady": FEMALE}
#: How many times more frequent among one gender a first name must be to count as that gender's.
DOMINANCE = 4.0


def _frequencies(filename: str) -> Dict[str, float]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


@lru_cache(maxsize=1)
def first_names() -> Dict[str, str]:
    """First name (lower case) -> ``male`` or ``female``, for the names one gender dominates."""
    male, female = _frequencies("dist.male.first"), _frequencies("dist.female.first")
    out = {}
    for name in male.keys() | female.keys():
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= DOMINANCE * f:
            out[name] = MALE
        elif f >= DOMINANCE * m:
            out[name] = FEMALE
    return out


def gender_of_name(name: str) -> Optional[str]:
    """The gender the first word of a full name suggests ("Carly Fiorina": female), or None. A single
    word is a surname as often as not ("Kennedy", "Graham"), so it gives none."""
    words = [w for w in name.replace(".", ". ").split() if w.strip(".").isalpha()]
    if words and words[0].lower().rstrip(".") in HONORIFIC_GENDER:
        return HONORIFIC_GENDER[words[0].lower().rstrip(".")]
    if len(words) < 2:
        return None
    return first_names().get(words[0].lower())
