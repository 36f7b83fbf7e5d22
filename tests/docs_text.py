"""The README and the documentation site's pages (``docs/*.md``), as the tests that keep them true read them."""
from __future__ import annotations

import glob
import os

from tests.conftest import ROOT

DOCS = os.path.join(ROOT, "docs")


def read(path: str) -> str:
    """A file of the project, ``README.md`` or ``docs/<page>.md``."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
        return handle.read()


def pages() -> dict:
    """``{"README.md": text, "docs/<page>.md": text, ...}``."""
    names = ["README.md"] + sorted(os.path.relpath(path, ROOT) for path in glob.glob(os.path.join(DOCS, "*.md")))
    return {name: read(name) for name in names}


def all_text() -> str:
    """The README and every page, one after the other."""
    return "\n".join(pages().values())
