"""Stable ids: the same parts give the same id on every run and machine (no Beam)."""
from __future__ import annotations

import hashlib

ID_LENGTH = 16


def stable_id(*parts: str) -> str:
    """A short, stable hex id from its parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:ID_LENGTH]
